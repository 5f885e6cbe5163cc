"""The viewer's interface texts in Finnish (the source's language) and English, and choosing between them."""

from __future__ import annotations

LANGUAGES = ("fi", "en")
DEFAULT = "fi"

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "site": "kasograph", "home": "Etusivu", "search": "Haku", "search_placeholder": "Hae tavoitteita, henkilöitä, ryhmiä…",
        "search_button": "Hae", "results": "Tulokset", "no_results": "Ei osumia.", "goals": "Tavoitteet", "goal": "Tavoite",
        "theme": "Teema", "themes": "Teemat", "metric": "Mittari", "baseline": "Lähtötaso", "target": "Tavoitetaso",
        "outcome": "Toteuma", "status": "Tila", "responsible": "Vastuutahot", "role_person": "vastuuhenkilö",
        "role_body": "vastuutaho", "numbers": "Tekstien luvut", "value": "Arvo", "unit": "Yksikkö", "period": "Ajankohta",
        "quote": "Lähteen sanat", "column": "Sarake", "measure": "Mittauskohde", "mentions": "Mainitut organisaatiot ja järjestelmät",
        "source": "Lähde", "sources": "Tietojen lähde", "page": "sivu", "pages": "sivut", "source_text": "lähdeteksti",
        "shares_goals_with": "Yhteiset tavoitteet", "shared_goals": "yhteistä tavoitetta", "part_of": "Osa",
        "units": "Yksiköt", "mentioned_in": "Mainitaan tavoitteissa", "dataset": "Aineisto", "publisher": "Julkaisija",
        "period_covered": "Ajanjakso", "place": "Alue", "licence": "Lisenssi", "rights": "Käyttöoikeudet",
        "counts": "Luvut", "persons": "henkilöä", "posts": "nimikettä", "groups": "kehittämisryhmää", "documents": "asiakirjaa",
        "goals_count": "tavoitetta", "themes_count": "teemaa", "downloads": "Lataa koko aineisto", "description_rdf": "Kuvaus RDF-muodoissa",
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
        "rows": "riviä", "truncated": "Näytetään ensimmäiset {n} riviä; lataukset sisältävät kaikki.", "error": "Virhe",
        "questions": "Valmiit kysymykset", "parameters": "Parametrit", "the_query": "Kysely", "open_in_editor": "Avaa muokattavaksi",
        "share": "Jaettava osoite", "answer_true": "kyllä", "answer_false": "ei", "seconds": "s", "endpoint": "SPARQL-rajapinta",
        "graphs": "Verkostot", "responsibility_graph": "Vastuut: teemat, tavoitteet ja vastuutahot",
        "collaboration_graph": "Yhteistyö: yhteiset tavoitteet", "analytics": "Analyysi", "all": "kaikki",
        "filter_theme": "Teema", "filter_status": "Tila", "everyone": "kaikki", "people_only": "vain henkilöt",
        "groups_only": "vain ryhmät", "ego": "Yhteistyöverkosto", "workload": "Vastuut tahoittain",
        "status_by_theme": "Tilat teemoittain", "key_person_risk": "Yhden henkilön varassa", "single_party_goals": "Tavoitteet, joiden ainoa vastuutaho on yksi henkilö",
        "sole_named_person": "Henkilöt, joiden poissaolo jättäisi tavoitteita ilman nimettyä henkilöä", "centrality": "Keskeisyys",
        "theme_coverage": "Ryhmien teemat", "communities": "Yhteisöt", "legend_body": "katkoviiva = vastuutaho",
        "nodes_edges": "solmua, yhteyttä", "picture_help": "Viemällä osoittimen solmun päälle näet koko nimen; solmu vie sivulleen.",
    },
    "en": {
        "site": "kasograph", "home": "Home", "search": "Search", "search_placeholder": "Search goals, people, groups…",
        "search_button": "Search", "results": "Results", "no_results": "Nothing found.", "goals": "Goals", "goal": "Goal",
        "theme": "Theme", "themes": "Themes", "metric": "Metric", "baseline": "Baseline", "target": "Target",
        "outcome": "Outcome", "status": "Status", "responsible": "Responsible", "role_person": "responsible person",
        "role_body": "responsible body", "numbers": "Numbers stated", "value": "Value", "unit": "Unit", "period": "Refers to",
        "quote": "Source's words", "column": "Column", "measure": "Measure", "mentions": "Organisations and systems named",
        "source": "Source", "sources": "Where these facts come from", "page": "page", "pages": "pages", "source_text": "source text",
        "shares_goals_with": "Shares goals with", "shared_goals": "shared goals", "part_of": "Part of",
        "units": "Units", "mentioned_in": "Named in goals", "dataset": "Dataset", "publisher": "Publisher",
        "period_covered": "Period", "place": "Area", "licence": "Licence", "rights": "Rights",
        "counts": "In numbers", "persons": "people", "posts": "posts", "groups": "development groups", "documents": "documents",
        "goals_count": "goals", "themes_count": "themes", "downloads": "Download the whole dataset", "description_rdf": "This description as RDF",
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
        "rows": "rows", "truncated": "Showing the first {n} rows; downloads have them all.", "error": "Error",
        "questions": "Saved questions", "parameters": "Parameters", "the_query": "The query", "open_in_editor": "Open in the editor",
        "share": "Shareable address", "answer_true": "yes", "answer_false": "no", "seconds": "s", "endpoint": "SPARQL endpoint",
        "graphs": "Graphs", "responsibility_graph": "Responsibility: themes, goals and responsible parties",
        "collaboration_graph": "Collaboration: shared goals", "analytics": "Analytics", "all": "all",
        "filter_theme": "Theme", "filter_status": "Status", "everyone": "everyone", "people_only": "people only",
        "groups_only": "groups only", "ego": "Works with", "workload": "Workload per party",
        "status_by_theme": "Status by theme", "key_person_risk": "Key-person risk", "single_party_goals": "Goals whose only responsible party is one person",
        "sole_named_person": "People whose absence would leave goals without any named person", "centrality": "Centrality",
        "theme_coverage": "Themes of each group", "communities": "Communities", "legend_body": "dashed line = responsible body",
        "nodes_edges": "nodes, links", "picture_help": "Hover over a node for its full name; a node takes you to its page.",
    },
}


def choose_language(explicit: str | None, accept_language) -> str:
    """`?lang=` or a page suffix wins; then the browser's Accept-Language; then Finnish."""
    if explicit in LANGUAGES:
        return explicit
    best = accept_language.best_match(LANGUAGES) if accept_language else None
    return best or DEFAULT
