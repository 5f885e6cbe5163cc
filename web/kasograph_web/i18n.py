"""The viewer's interface texts in Finnish (the source's language) and English, choosing between them, and
writing numbers, dates and counts as each language does — with Babel (CLDR's data and plural rules)."""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from babel.core import Locale
from babel.dates import format_datetime, format_skeleton
from babel.numbers import format_decimal
from babel.units import format_unit

LANGUAGES = ("fi", "en")
DEFAULT = "fi"

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "error_title": "Palvelussa tapahtui virhe", "error_text": "Sivua ei voitu näyttää. Virhe on kirjattu palvelimen lokiin; yritä myöhemmin uudelleen.",
        "store_down_title": "Tiedot eivät ole juuri nyt saatavilla",
        "store_down_text": "Palvelin, jolla tiedot ovat, ei vastaa. Sivu toimii taas, kun se vastaa; yritä hetken kuluttua uudelleen.",
        "other_years": "Muina vuosina", "carries_over": "Jatkoa tavoitteelle", "carried_over_in": "Jatkuu tavoitteena",
        "compare": "Vertailu", "compare_intro": "Mikä muuttui asiakirjasta toiseen: tavoitteet, jotka lisättiin, jäivät pois tai muotoiltiin uudelleen, ja tilan, teeman ja vastuiden muutokset.",
        "compare_pairs": "Peräkkäiset vuodet", "compare_choose": "Vertaa mitä tahansa kahta", "earlier_document": "Aiempi", "later_document": "Myöhempi",
        "compare_button": "Vertaa", "added_goals": "Lisätyt tavoitteet", "dropped_goals": "Pois jääneet tavoitteet",
        "reworded_goals": "Uudelleen muotoillut tavoitteet", "status_changed": "Tila muuttui", "theme_changed": "Teema muuttui",
        "responsibility_changed": "Vastuut muuttuivat", "no_changes": "Ei muutoksia.",
        "was": "oli", "now": "nyt", "matched_by_key": "sama tunniste", "matched_by_text": "samankaltainen teksti", "similarity": "samankaltaisuus",
        "need_two_documents": "Vertailuun tarvitaan vähintään kaksi asiakirjaa (kasograph import).",
        "site": "kasograph", "home": "Etusivu", "search": "Haku", "search_placeholder": "Hae tavoitteita, henkilöitä, ryhmiä…",
        "search_button": "Hae", "results": "Tulokset", "no_results": "Ei osumia.", "goals": "Tavoitteet", "goal": "Tavoite",
        "search_suggestions": "Hakuehdotukset", "search_suggestions_count": "Ehdotuksia: {n}",
        "search_near": "Lähes samoin kirjoitetut",
        "theme": "Teema", "themes": "Teemat", "metric": "Mittari", "baseline": "Lähtötaso", "target": "Tavoitetaso",
        "outcome": "Toteuma", "status": "Tila", "responsible": "Vastuutahot", "role_person": "vastuuhenkilö",
        "role_body": "vastuutaho", "numbers": "Tekstien luvut", "value": "Arvo", "unit": "Yksikkö", "period": "Ajankohta",
        "quote": "Lähteen sanat", "column": "Sarake", "measure": "Mittauskohde", "mentions": "Mainitut organisaatiot ja järjestelmät",
        "source": "Lähde", "sources": "Tietojen lähde", "page": "sivu", "pages": "sivut", "source_text": "lähdeteksti",
        "shares_goals_with": "Yhteiset tavoitteet", "part_of": "Osa",
        "units": "Yksiköt", "mentioned_in": "Mainitaan tavoitteissa", "dataset": "Aineisto", "publisher": "Julkaisija",
        "period_covered": "Ajanjakso", "place": "Alue", "licence": "Lisenssi", "rights": "Käyttöoikeudet",
        "counts": "Luvut", "downloads": "Lataa koko aineisto", "description_rdf": "Kuvaus RDF-muodoissa",
        "vocabulary": "Sanasto", "shapes": "SHACL-muodot", "classes": "Luokat", "object_properties": "Suhteet",
        "datatype_properties": "Ominaisuudet", "schemes": "Luokitukset", "properties": "Ominaisuudet", "referenced_by": "Viittaukset",
        "translated": "käännös", "translation_note": "Englanninkieliset tekstit ovat kasograph-projektin käännöksiä; lähde on suomeksi.",
        "language": "Kieli", "not_found": "Sivua ei löydy", "not_found_text": "Tällä osoitteella ei ole kuvausta.",
        "not_acceptable": "Pyydettyä muotoa ei ole", "catalog": "Julkaisun kuvaus (VoID/DCAT)", "all_goals_with_status": "Tavoitteet, joiden tila on",
        "quoted_from": "Lainattu asiakirjasta", "role": "Rooli", "kind_person": "Henkilö", "kind_post": "Nimike",
        "kind_group": "Ryhmä", "kind_division": "Toimiala", "kind_unit": "Yksikkö", "kind_organisation": "Organisaatio",
        "kind_project": "Hanke", "kind_system": "Järjestelmä", "kind_survey": "Kysely", "kind_theme": "Teema",
        "kind_goal": "Tavoite", "kind_status": "Tila", "kind_resource": "Resurssi", "kind_document": "Asiakirja",
        "kind_dataset": "Aineisto", "kind_number": "Luku", "kind_concept": "Käsite", "kind_scheme": "Luokitus",
        "no_licence": "Lähde ei ilmoita lisenssiä.", "iri": "IRI", "formats": "Muodot",
        "query_page": "SPARQL-kysely", "run": "Suorita", "run_hint": "Ctrl+Enter suorittaa", "download": "Lataa",
        "truncated": "Näytetään ensimmäiset {n} riviä; lataukset sisältävät kaikki.", "error": "Virhe",
        "questions": "Valmiit kysymykset", "parameters": "Parametrit", "the_query": "Kysely", "open_in_editor": "Avaa muokattavaksi",
        "share": "Jaettava osoite", "answer_true": "kyllä", "answer_false": "ei", "seconds": "s", "kept_answer": "tallennettu vastaus", "endpoint": "SPARQL-rajapinta",
        "graphs": "Verkostot", "responsibility_graph": "Vastuut: teemat, tavoitteet ja vastuutahot",
        "collaboration_graph": "Yhteistyö: yhteiset tavoitteet", "analytics": "Analyysi", "all": "kaikki",
        "filter_theme": "Teema", "filter_status": "Tila", "everyone": "kaikki", "people_only": "vain henkilöt",
        "groups_only": "vain ryhmät", "ego": "Yhteistyöverkosto", "workload": "Vastuut tahoittain",
        "status_by_theme": "Tilat teemoittain", "key_person_risk": "Yhden henkilön varassa", "single_party_goals": "Tavoitteet, joiden ainoa vastuutaho on yksi henkilö",
        "sole_named_person": "Henkilöt, joiden poissaolo jättäisi tavoitteita ilman nimettyä henkilöä", "centrality": "Keskeisyys",
        "theme_coverage": "Ryhmien teemat", "communities": "Yhteisöt", "legend_body": "katkoviiva = vastuutaho",
        "picture_help": "Viemällä osoittimen solmun päälle näet koko nimen; solmu vie sivulleen.",
        "legend": "Selite", "legend_theme_line": "teeman tavoite", "legend_size": "koko: tavoitteiden määrä",
        "legend_width": "viivan paksuus: yhteisten tavoitteiden määrä", "legend_ego": "tämän sivun taho",
        "picture_as_list": "Sama luettelona", "picture_as_table": "Sama taulukkona", "picture_links": "Kuvan nimet ovat linkkejä sivuilleen.",
        "picture_help_js": "Osoita nimeä tai siirry siihen sarkaimella, niin sen yhteydet korostuvat; puhelimessa napauta. Suurenna painikkeilla, siirrä vetämällä.",
        "picture_on_wide_screen": "Kuva näkyy leveämmällä näytöllä; tässä sama luettelona.", "zoom_in": "Suurenna", "zoom_out": "Pienennä",
        "zoom_reset": "Koko kuva", "open_page": "Avaa sivu", "partners_note": "Kunkin tahon kumppanit, suluissa yhteisten tavoitteiden määrä.",
        "no_partners": "ei yhteisiä tavoitteita", "ego_caption": "{name} keskellä, ympärillä tahot, joilla on sen kanssa yhteisiä tavoitteita",
        "chart_caption": "Tavoitteiden määrä tiloittain", "party": "Taho", "total": "Yhteensä",
        "chart_help_js": "Osoita tai napauta palkin osaa, niin sen määrä näkyy kuvan alla.",
        "partners_column": "kumppaneita", "shared_goals_column": "yhteisiä tavoitteita", "betweenness": "välillisyyskeskeisyys",
        # Counts, each in the forms its language has (plural() picks one by Babel's plural rules: "1 asiakirja",
        # "2 asiakirjaa"); {n} is the number as the language writes it
        "documents.one": "{n} asiakirja", "documents.other": "{n} asiakirjaa", "goals_count.one": "{n} tavoite",
        "goals_count.other": "{n} tavoitetta", "themes_count.one": "{n} teema", "themes_count.other": "{n} teemaa",
        "persons.one": "{n} henkilö", "persons.other": "{n} henkilöä", "posts.one": "{n} nimike", "posts.other": "{n} nimikettä",
        "groups.one": "{n} kehittämisryhmä", "groups.other": "{n} kehittämisryhmää",
        "shared_goals.one": "{n} yhteinen tavoite", "shared_goals.other": "{n} yhteistä tavoitetta",
        "carried_over.one": "{n} jatkuva tavoite", "carried_over.other": "{n} jatkuvaa tavoitetta",
        "rows.one": "{n} rivi", "rows.other": "{n} riviä", "nodes.one": "{n} solmu", "nodes.other": "{n} solmua",
        "edges.one": "{n} yhteys", "edges.other": "{n} yhteyttä", "parties_count.one": "{n} vastuutaho",
        "parties_count.other": "{n} vastuutahoa", "bytes.one": "{n} tavu", "bytes.other": "{n} tavua",
        "suggestions.one": "{n} ehdotus", "suggestions.other": "{n} ehdotusta", "list_more.one": "ja {n} muu",
        "list_more.other": "ja {n} muuta",
        # The columns of an answer on a page, by the query's variable (files keep the variable's name)
        "column.goal": "Tavoite", "column.text": "Teksti", "column.status": "Tila", "column.theme": "Teema",
        "column.role": "Rooli", "column.person": "Henkilö", "column.other": "Toinen henkilö", "column.group": "Ryhmä",
        "column.goals": "Tavoitteita", "column.fully_achieved": "Toteutuu täysin", "column.partially_achieved": "Toteutuu osittain",
        "column.shared_goals": "Yhteisiä tavoitteita", "column.type": "Tyyppi", "column.things": "Resursseja",
        "column.thing": "Mainittu", "column.name": "Nimi", "column.as_written": "Kirjoitusasu", "column.outcome": "Toteuma",
        "column.responsible": "Vastuutahot", "column.column": "Sarake", "column.value": "Arvo", "column.unit": "Yksikkö",
        "column.comparator": "Tarkenne", "column.period": "Ajankohta", "column.quote": "Lähteen sanat",
        "column.measure": "Mittauskohde", "column.target": "Tavoitetaso", "column.met": "Saavutettu", "column.title": "Otsikko",
        # A dataset whose description or rights statement the data has only in another language
        "dataset_intro": "Tavoitteiden mittarit, lähtötasot, tavoitetasot, toteumat ja tilat sellaisina kuin toimialan "
                         "tavoitetaulukko ne esittää, sekä tavoitteista vastaavat henkilöt, nimikkeet ja ryhmät.",
        "rights_elsewhere": "Käyttöoikeuksista kerrotaan tarkemmin englanniksi aineiston sivulla.",
        "domain": "määrittelyjoukko", "range": "arvojoukko", "goals_by_theme": "Tavoitteet teemoittain", "themes_column": "Teemoja",
        # The query page (query.html, query.js)
        "complete_hint": "Ctrl+välilyönti ehdottaa", "history": "Historia", "history_note": "Suorittamasi kyselyt, vain tässä selaimessa.",
        "history_empty": "Ei vielä kyselyjä.", "history_clear": "Tyhjennä historia",
        "prefixes_note": "Rajapinta tuntee kasographin {n} etuliitettä (kg:, skos:, foaf:, prov: …): kysely voi jättää niiden PREFIX-rivit pois.",
        "copy": "Kopioi", "copied": "Kopioitu.", "failure_syntax": "kysely ei ole kelvollista SPARQLia",
        "failure_refused": "rajapinta ei suorita tätä kyselyä", "failure_timeout": "kysely pysäytettiin",
        "failure_failed": "kyselyyn ei saatu vastausta", "line_column": "rivi {line}, sarake {column}", "engine_message": "Kyselykoneen oma viesti",
        "rows_at_least": "vähintään {total} riviä (laskenta pysähtyi aikarajaan)",
        "rows_more_than": "yli {total} riviä", "showing": "näytetään {first}–{last}", "previous_rows": "Edelliset rivit",
        "next_rows": "Seuraavat rivit", "page_of": "sivu {page}/{pages}", "page_n": "sivu {page}", "answer_pages": "Vastauksen sivut",
        "term_class": "luokka", "term_property": "ominaisuus", "term_scheme": "luokitus", "term_concept": "käsite", "term_prefix": "etuliite",
        "suggestions_label": "Ehdotukset", "sort_note": "Sarakkeen otsikko järjestää tämän sivun rivit.",
        # The publication (void.html, distribution.html, shapes.html)
        "datasets": "Aineistot", "modified": "Päivitetty", "statements": "Lauseita (triplejä)", "contact": "Yhteystieto",
        "modified_unknown": "Ei kirjattu: aineistoa ei ole tuotu tietovarastoon, jonka luettelo päiväisi sen.",
        "no_contact": "Ei annettu: julkaisija ei ole nimennyt yhteystietoa.",
        "publisher_several": "Aineistoilla on eri julkaisijat (ks. alla).",
        "endpoint_explained": "SPARQL-kyselyt koko aineistoon; ilman GRAPH-lauseketta kysely näkee kaikkien graafien yhdisteen.",
        "endpoint_none": "Ei rajapintaa: tämä on staattinen julkaisu, jonka voi ladata kokonaan alta.",
        "conforms_to": "Noudattaa", "format": "Muoto", "size": "Koko", "holds": "Sisältö", "media_type": "Mediatyyppi",
        "about_distribution": "tiedoston kuvaus", "distribution": "Ladattava tiedosto",
        "dumps_stable": "Sama aineisto tuottaa tavulleen samat tiedostot: tyhjät solmut nimetään kanonisesti (RDFC-1.0) ja lauseet järjestetään, joten julkaisuversioita voi verrata toisiinsa.",
        "show_turtle": "Näytä kuvaus Turtle-muodossa", "turtle_code": "Julkaisun kuvaus Turtle-muodossa",
        "shapes_code": "SHACL-muodot Turtle-muodossa",
        # Lists and facets (list.html, views/lists.py) and the known values of a saved question's parameters
        "list_goals": "Tavoitteet", "list_people": "Henkilöt", "list_posts": "Nimikkeet", "list_groups": "Ryhmät", "list_themes": "Teemat",
        "list_count_goals": "Tavoitteita: {n}", "list_count_people": "Henkilöitä: {n}", "list_count_posts": "Nimikkeitä: {n}",
        "list_count_groups": "Ryhmiä: {n}", "list_count_themes": "Teemoja: {n}", "list_showing": "näytetään {first}–{last}",
        "list_none": "Näillä rajauksilla ei löydy rivejä.", "list_facets": "Rajaa", "list_facet_help": "Luku kertoo, montako riviä rajaus jättää.",
        "list_any": "kaikki", "list_sort": "Järjestys", "list_ascending": "nouseva", "list_descending": "laskeva",
        "list_apply": "Näytä", "list_active": "Rajaukset", "list_remove": "Poista rajaus", "list_clear": "Poista rajaukset",
        "list_pages": "Sivut", "list_page_of": "Sivu {page}/{pages}", "list_first": "Ensimmäinen", "list_previous": "Edellinen",
        "list_next": "Seuraava", "list_last": "Viimeinen", "list_download": "Lataa rivit (kaikki sivut)",
        "list_label_goals": "Tavoite", "list_label_people": "Henkilö", "list_label_posts": "Nimike", "list_label_groups": "Ryhmä",
        "list_label_themes": "Teema", "list_column_goals": "Tavoitteita", "filter_year": "Vuosi", "filter_person": "Henkilö",
        "filter_post": "Nimike", "filter_group": "Ryhmä", "filter_type": "Tyyppi",
        "choices_hint": "Kirjoita arvo tai valitse aineiston arvoista.",
        "no_such_value": "Tällaista arvoa ei ole; valitse jokin luettelosta.", "answers_by_value": "Vastaus kullekin arvolle",
        "static_question": "Tämä on vastaus oletusarvoilla. Muilla arvoilla kysymys tarvitsee palvelimen (kasograph serve).",
        "static_query": "Tämä on sivuston staattinen kopio, eikä täällä ole palvelinta, joka ajaisi kyselyjä: ne tarvitsevat "
                        "palvelimen (kasograph serve). Valmiit vastaukset ovat tallennetuissa kysymyksissä:",
        "static_query_endpoint": "Tämä on sivuston staattinen kopio, joka ei aja kyselyjä: kysely lähetetään palvelimen "
                                 "SPARQL-rajapintaan",
    },
    "en": {
        "error_title": "Something went wrong", "error_text": "The page could not be shown. The error has been logged on the server; please try again later.",
        "store_down_title": "The data is not available just now",
        "store_down_text": "The server that holds the data does not answer. The page works again as soon as it does; please try again in a moment.",
        "other_years": "In other years", "carries_over": "Carries over", "carried_over_in": "Carried over as",
        "compare": "Compare", "compare_intro": "What changed from one document to another: goals added, dropped or reworded, and changes of status, theme and responsibility.",
        "compare_pairs": "Consecutive years", "compare_choose": "Compare any two", "earlier_document": "Earlier", "later_document": "Later",
        "compare_button": "Compare", "added_goals": "Goals added", "dropped_goals": "Goals dropped",
        "reworded_goals": "Goals reworded", "status_changed": "Status changed", "theme_changed": "Theme changed",
        "responsibility_changed": "Responsibility changed", "no_changes": "No changes.",
        "was": "was", "now": "now", "matched_by_key": "same key", "matched_by_text": "similar text", "similarity": "similarity",
        "need_two_documents": "Comparing needs at least two documents (kasograph import).",
        "site": "kasograph", "home": "Home", "search": "Search", "search_placeholder": "Search goals, people, groups…",
        "search_button": "Search", "results": "Results", "no_results": "Nothing found.", "goals": "Goals", "goal": "Goal",
        "search_suggestions": "Search suggestions", "search_suggestions_count": "Suggestions: {n}",
        "search_near": "Spelt almost the same",
        "theme": "Theme", "themes": "Themes", "metric": "Metric", "baseline": "Baseline", "target": "Target",
        "outcome": "Outcome", "status": "Status", "responsible": "Responsible", "role_person": "responsible person",
        "role_body": "responsible body", "numbers": "Numbers stated", "value": "Value", "unit": "Unit", "period": "Refers to",
        "quote": "Source's words", "column": "Column", "measure": "Measure", "mentions": "Organisations and systems named",
        "source": "Source", "sources": "Where these facts come from", "page": "page", "pages": "pages", "source_text": "source text",
        "shares_goals_with": "Shares goals with", "part_of": "Part of",
        "units": "Units", "mentioned_in": "Named in goals", "dataset": "Dataset", "publisher": "Publisher",
        "period_covered": "Period", "place": "Area", "licence": "Licence", "rights": "Rights",
        "counts": "In numbers", "downloads": "Download the whole dataset", "description_rdf": "This description as RDF",
        "vocabulary": "Vocabulary", "shapes": "SHACL shapes", "classes": "Classes", "object_properties": "Relations",
        "datatype_properties": "Attributes", "schemes": "Concept schemes", "properties": "Properties", "referenced_by": "Referenced by",
        "translated": "translation", "translation_note": "English texts are translations made by the kasograph project; the source is in Finnish.",
        "language": "Language", "not_found": "Not found", "not_found_text": "Nothing is described at this address.",
        "not_acceptable": "Format not available", "catalog": "Publication description (VoID/DCAT)", "all_goals_with_status": "Goals with the status",
        "quoted_from": "Quoted from", "role": "Role", "kind_person": "Person", "kind_post": "Post",
        "kind_group": "Group", "kind_division": "Division", "kind_unit": "Unit", "kind_organisation": "Organisation",
        "kind_project": "Project", "kind_system": "System", "kind_survey": "Survey", "kind_theme": "Theme",
        "kind_goal": "Goal", "kind_status": "Status", "kind_resource": "Resource", "kind_document": "Document",
        "kind_dataset": "Dataset", "kind_number": "Number", "kind_concept": "Concept", "kind_scheme": "Concept scheme",
        "no_licence": "The source states no licence.", "iri": "IRI", "formats": "Formats",
        "query_page": "SPARQL query", "run": "Run", "run_hint": "Ctrl+Enter runs", "download": "Download",
        "truncated": "Showing the first {n} rows; downloads have them all.", "error": "Error",
        "questions": "Saved questions", "parameters": "Parameters", "the_query": "The query", "open_in_editor": "Open in the editor",
        "share": "Shareable address", "answer_true": "yes", "answer_false": "no", "seconds": "s", "kept_answer": "a kept answer", "endpoint": "SPARQL endpoint",
        "graphs": "Graphs", "responsibility_graph": "Responsibility: themes, goals and responsible parties",
        "collaboration_graph": "Collaboration: shared goals", "analytics": "Analytics", "all": "all",
        "filter_theme": "Theme", "filter_status": "Status", "everyone": "everyone", "people_only": "people only",
        "groups_only": "groups only", "ego": "Works with", "workload": "Workload per party",
        "status_by_theme": "Status by theme", "key_person_risk": "Key-person risk", "single_party_goals": "Goals whose only responsible party is one person",
        "sole_named_person": "People whose absence would leave goals without any named person", "centrality": "Centrality",
        "theme_coverage": "Themes of each group", "communities": "Communities", "legend_body": "dashed line = responsible body",
        "picture_help": "Hover over a node for its full name; a node takes you to its page.",
        "legend": "Key", "legend_theme_line": "goal of the theme", "legend_size": "size: number of goals",
        "legend_width": "line width: number of shared goals", "legend_ego": "this page's party",
        "picture_as_list": "The same as a list", "picture_as_table": "The same as a table", "picture_links": "The names in the picture link to their pages.",
        "picture_help_js": "Point at a name or reach it with Tab to light up its links; on a phone, tap it. Zoom with the buttons, move by dragging.",
        "picture_on_wide_screen": "The picture shows on a wider screen; here is the same as a list.", "zoom_in": "Zoom in", "zoom_out": "Zoom out",
        "zoom_reset": "Whole picture", "open_page": "Open the page", "partners_note": "Each party's partners, with the number of goals they share in brackets.",
        "no_partners": "no shared goals", "ego_caption": "{name} in the middle, around it the parties that share goals with it",
        "chart_caption": "Number of goals by status", "party": "Party", "total": "Total",
        "chart_help_js": "Point at or tap a part of a bar to see its count below the chart.",
        "partners_column": "partners", "shared_goals_column": "shared goals", "betweenness": "betweenness",
        # Counts, each in the forms its language has (plural() picks one by Babel's plural rules)
        "documents.one": "{n} document", "documents.other": "{n} documents", "goals_count.one": "{n} goal",
        "goals_count.other": "{n} goals", "themes_count.one": "{n} theme", "themes_count.other": "{n} themes",
        "persons.one": "{n} person", "persons.other": "{n} people", "posts.one": "{n} post", "posts.other": "{n} posts",
        "groups.one": "{n} development group", "groups.other": "{n} development groups",
        "shared_goals.one": "{n} shared goal", "shared_goals.other": "{n} shared goals",
        "carried_over.one": "{n} goal carried over", "carried_over.other": "{n} goals carried over",
        "rows.one": "{n} row", "rows.other": "{n} rows", "nodes.one": "{n} node", "nodes.other": "{n} nodes",
        "edges.one": "{n} link", "edges.other": "{n} links", "parties_count.one": "{n} responsible party",
        "parties_count.other": "{n} responsible parties", "bytes.one": "{n} byte", "bytes.other": "{n} bytes",
        "suggestions.one": "{n} suggestion", "suggestions.other": "{n} suggestions", "list_more.one": "and {n} more",
        "list_more.other": "and {n} more",
        # The columns of an answer on a page, by the query's variable (files keep the variable's name)
        "column.goal": "Goal", "column.text": "Text", "column.status": "Status", "column.theme": "Theme",
        "column.role": "Role", "column.person": "Person", "column.other": "Other person", "column.group": "Group",
        "column.goals": "Goals", "column.fully_achieved": "Fully achieved", "column.partially_achieved": "Partially achieved",
        "column.shared_goals": "Shared goals", "column.type": "Type", "column.things": "Resources",
        "column.thing": "Named", "column.name": "Name", "column.as_written": "As written", "column.outcome": "Outcome",
        "column.responsible": "Responsible", "column.column": "Column", "column.value": "Value", "column.unit": "Unit",
        "column.comparator": "Comparator", "column.period": "Refers to", "column.quote": "Source's words",
        "column.measure": "Measure", "column.target": "Target", "column.met": "Met", "column.title": "Title",
        # A dataset whose description or rights statement the data has only in another language
        "dataset_intro": "The goals' metrics, baselines, targets, outcomes and statuses as the division's goal table "
                         "states them, and the people, posts and groups responsible for the goals.",
        "rights_elsewhere": "The rights are stated in full, in another language, on the dataset's page.",
        "domain": "domain", "range": "range", "goals_by_theme": "Goals by theme", "themes_column": "Themes",
        # The query page (query.html, query.js)
        "complete_hint": "Ctrl+Space suggests", "history": "History", "history_note": "The queries you ran, kept in this browser only.",
        "history_empty": "No queries yet.", "history_clear": "Clear the history",
        "prefixes_note": "The endpoint knows kasograph's {n} prefixes (kg:, skos:, foaf:, prov: …): a query may leave out their PREFIX lines.",
        "copy": "Copy", "copied": "Copied.", "failure_syntax": "the query is not valid SPARQL",
        "failure_refused": "this endpoint does not run this query", "failure_timeout": "the query was stopped",
        "failure_failed": "the query could not be answered", "line_column": "line {line}, column {column}", "engine_message": "The engine's own message",
        "rows_at_least": "at least {total} rows (counting stopped at the time limit)",
        "rows_more_than": "more than {total} rows", "showing": "showing {first}–{last}", "previous_rows": "Previous rows",
        "next_rows": "Next rows", "page_of": "page {page} of {pages}", "page_n": "page {page}", "answer_pages": "Pages of the answer",
        "term_class": "class", "term_property": "property", "term_scheme": "concept scheme", "term_concept": "concept", "term_prefix": "prefix",
        "suggestions_label": "Suggestions", "sort_note": "A column's heading sorts the rows on this page.",
        # The publication (void.html, distribution.html, shapes.html)
        "datasets": "Datasets", "modified": "Updated", "statements": "Statements (triples)", "contact": "Contact",
        "modified_unknown": "Not recorded: the data was not imported into a store, whose manifest would date it.",
        "no_contact": "None given: the publisher has named no contact point.",
        "publisher_several": "The datasets have different publishers (see below).",
        "endpoint_explained": "SPARQL queries over the whole dataset; without GRAPH a query sees the union of all graphs.",
        "endpoint_none": "None: this is a static publication, to be downloaded whole below.",
        "conforms_to": "Conforms to", "format": "Format", "size": "Size", "holds": "Holds", "media_type": "Media type",
        "about_distribution": "about this file", "distribution": "Download",
        "dumps_stable": "The same data gives byte-identical files: blank nodes get canonical labels (RDFC-1.0) and statements are sorted, so releases can be diffed.",
        "show_turtle": "Show the description in Turtle", "turtle_code": "The publication's description in Turtle",
        "shapes_code": "The SHACL shapes in Turtle",
        # Lists and facets (list.html, views/lists.py) and the known values of a saved question's parameters
        "list_goals": "Goals", "list_people": "People", "list_posts": "Posts", "list_groups": "Groups", "list_themes": "Themes",
        "list_count_goals": "Goals: {n}", "list_count_people": "People: {n}", "list_count_posts": "Posts: {n}",
        "list_count_groups": "Groups: {n}", "list_count_themes": "Themes: {n}", "list_showing": "showing {first}–{last}",
        "list_none": "No rows match these filters.", "list_facets": "Filter by", "list_facet_help": "Each number is how many rows the filter leaves.",
        "list_any": "any", "list_sort": "Sort by", "list_ascending": "ascending", "list_descending": "descending",
        "list_apply": "Show", "list_active": "Filters", "list_remove": "Remove the filter", "list_clear": "Remove the filters",
        "list_pages": "Pages", "list_page_of": "Page {page} of {pages}", "list_first": "First", "list_previous": "Previous",
        "list_next": "Next", "list_last": "Last", "list_download": "Download the rows (every page)",
        "list_label_goals": "Goal", "list_label_people": "Person", "list_label_posts": "Post", "list_label_groups": "Group",
        "list_label_themes": "Theme", "list_column_goals": "Goals", "filter_year": "Year", "filter_person": "Person",
        "filter_post": "Post", "filter_group": "Group", "filter_type": "Type",
        "choices_hint": "Type a value or pick one the data holds.",
        "no_such_value": "No such value; pick one from the list.", "answers_by_value": "The answer for each value",
        "static_question": "This is the answer for the default values. For other values the question needs the server (kasograph serve).",
        "static_query": "This is a static copy of the site, with no server to run queries: they need the server "
                        "(kasograph serve). Ready answers are in the saved questions:",
        "static_query_endpoint": "This is a static copy of the site, which runs no query: the query is sent to the server's "
                                 "SPARQL endpoint",
    },
}


def choose_language(explicit: str | None, accept_language) -> str:
    """`?lang=` or a page suffix wins; then the browser's Accept-Language; then Finnish."""
    if explicit in LANGUAGES:
        return explicit
    best = accept_language.best_match(LANGUAGES) if accept_language else None
    return best or DEFAULT


#: Babel's locale for each language: British English, as the texts are written (31/12/2021, not 12/31/2021).
LOCALES = {"fi": "fi_FI", "en": "en_GB"}
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")  # xsd:gYear, xsd:gYearMonth, xsd:date


MAX_DIGITS = 40  # a number with more digits before or after the point than this is shown as written


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def number(value: int | float | Decimal | str, lang: str, places: int | None = None) -> str:
    """A number as `lang` writes it — 28,4 and 1 200 (no-break space) in Finnish, 28.4 and 1,200 in English —
    with every digit it has (0.1401 stays 0,1401), or with `places` decimals (0.0004 → 0,000). A text that is
    no number is left as it is."""
    if isinstance(value, str):
        try:
            text, value = value, Decimal(value.strip())
        except InvalidOperation:
            return value
        # "1E999999999" written out would be a billion digits (a query can ask for it): shown as written
        if value.is_finite() and abs(value.adjusted()) > MAX_DIGITS:
            return text
    if isinstance(value, bool) or value != value:  # a boolean is no count; NaN has no digits to group
        return str(value)
    if type(value) is int and places is None:
        return _whole_number(value, lang)
    if places is not None:
        return format_decimal(value, "#,##0." + "0" * places if places else "#,##0", locale=_locale(lang))
    return format_decimal(value, locale=_locale(lang), decimal_quantization=False)


@lru_cache(maxsize=8192)
def _whole_number(value: int, lang: str) -> str:
    """A count as `lang` writes it: pages write the same few counts thousands of times, and Babel takes ~25 µs each."""
    return format_decimal(value, locale=_locale(lang), decimal_quantization=False)


def date(value: str | Date | datetime, lang: str) -> str:
    """A date as `lang` writes it: 31.12.2021 or 31/12/2021; a month as "joulukuu 2021" or "December 2021";
    a year as it is; an instant with its time. A text that is no ISO date is left as it is."""
    if isinstance(value, datetime):
        return _instant(value, lang)
    if isinstance(value, Date):
        return format_skeleton("yMd", value, locale=_locale(lang))
    text = str(value)
    match = _ISO_DATE.match(text)
    if match is None:
        try:
            return _instant(datetime.fromisoformat(text), lang) if "T" in text else text
        except ValueError:
            return text
    year, month, day = match.groups()
    try:
        when = Date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return text
    if month is None:
        return year
    return format_skeleton("yMd" if day else "yMMMM", when, locale=_locale(lang))


def _instant(when: datetime, lang: str) -> str:
    """A date and time; one with a time zone in UTC, and said so (the store records its imports in UTC)."""
    if when.tzinfo is None:
        return format_datetime(when, "short", locale=_locale(lang))
    utc = when.astimezone(timezone.utc).replace(tzinfo=None)
    return format_datetime(utc, "short", locale=_locale(lang)) + " UTC"


def size(n_bytes: int, lang: str) -> str:
    """A file's size for people, in CLDR's units for the language: 67,1 kt in Finnish, 67.1 kB in English;
    a tenth under a hundred, whole units above."""
    for unit, scale in (("digital-gigabyte", 10**9), ("digital-megabyte", 10**6), ("digital-kilobyte", 10**3)):
        if n_bytes >= scale:
            value = n_bytes / scale
            return format_unit(round(value, 1) if value < 100 else round(value), unit, length="short", locale=_locale(lang))
    return format_unit(n_bytes, "digital-byte", length="short", locale=_locale(lang))


_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Literal types that are numbers (a page writes them as its language does; a table sorts them as numbers).
NUMBER_TYPES = {_XSD + name for name in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
DATE_TYPES = {_XSD + name for name in ("date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth")}
BOOLEAN = _XSD + "boolean"


def literal(value: str, datatype: str, lang: str) -> str:
    """A typed literal's value as `lang` writes it: a number, a date, yes or no; any other as it is."""
    if datatype in NUMBER_TYPES:
        return number(value, lang)
    if datatype in DATE_TYPES:
        return date(value, lang)
    if datatype == BOOLEAN and value in ("true", "false", "1", "0"):
        return TEXTS[lang]["answer_true" if value in ("true", "1") else "answer_false"]
    return value


def plural(key: str, n: int | float | Decimal, lang: str) -> str:
    """`n` with the catalogue's form of `key` for it ("1 asiakirja", "2 asiakirjaa"; "1 document", "2 documents"):
    Babel's plural rules for the language choose the form ("one", "other"), the catalogue holds the words."""
    if type(n) is int:
        return _whole_plural(key, n, lang)
    return _plural(key, n, lang)


@lru_cache(maxsize=8192)
def _whole_plural(key: str, n: int, lang: str) -> str:
    """A count and its word: the same few thousand are written again and again."""
    return _plural(key, n, lang)


def _plural(key: str, n: int | float | Decimal, lang: str) -> str:
    texts = TEXTS[lang]
    form = _locale(lang).plural_form(n)
    words = texts.get(f"{key}.{form}") or texts[f"{key}.other"]  # a form the catalogue lacks falls back to "other"
    return words.replace("{n}", number(n, lang))
