"""Every text kasograph shows in two languages, in one catalogue: Finnish (the source's language) and English.

A section holds one part's words (`where`: an error's location; `compare` and `reconcile`: their
reports in the terminal; `template`: the empty goal table's sheets and help). The viewer's texts
have a catalogue of their own in the web package. `TERM_LABELS` names, in both languages, the terms
the data borrows from other vocabularies (our translations), for pages that show a property or a
class. Messages about a particular input (a Problem's `message` and `message_fi`) are written, in
both languages, where the problem is found.
"""

from __future__ import annotations

LANGUAGES = ("fi", "en")

TEXTS: dict[str, dict[str, dict]] = {
    "fi": {
        "where": {
            "sheet": "välilehti",
            "row": "rivi",
            "line": "tekstirivi",
            "column": "sarake",
            "cell": "solu",
            "value": "arvo",
            "error": "virhe",
            "warning": "varoitus",
        },
        "compare": {
            "compare": "Vertailu: {a} → {b}",
            "counts": "{n_a} tavoite(tta) → {n_b} tavoite(tta): {carried} jatkuu, {added} uutta, {dropped} poistunut",
            "none": "Ei eroja.",
            "added": "Uudet tavoitteet",
            "dropped": "Poistuneet tavoitteet",
            "reworded": "Uudelleen muotoillut tavoitteet",
            "status": "Tila muuttunut",
            "theme": "Teema muuttunut",
            "responsibility": "Vastuut muuttuneet",
            "by_key": "sama tunniste",
            "by_text": "samankaltainen teksti",
            "similarity": "samankaltaisuus",
            "was": "oli",
            "now": "nyt",
            "roles": {"person": "vastuuhenkilö", "body": "vastuutaho", "": "vastuussa"},
            "kinds": {"person": "henkilö", "post": "nimike", "group": "ryhmä"},
        },
        "reconcile": {
            "none": "Ei lähes samoja nimiä.",
            "reasons": {
                "spelling": "lähes sama kirjoitusasu",
                "similar": "samankaltaiset nimet",
                "initial": "etunimen alkukirjain",
                "surname-changed": "sama etunimi, eri sukunimi, ei koskaan samassa asiakirjassa",
            },
            "kinds": {"person": "henkilö", "post": "nimike", "group": "ryhmä"},
            "in": "asiakirjoissa",
            "score": "samankaltaisuus",
            "heading": "{n} tarkistettavaa paria (mitään ei ole yhdistetty):",
        },
        "template": {
            "sheets": ("Tavoitteet", "Ohjeet"),
            "help": {
                "key": "Vapaaehtoinen lyhyt tunniste, esim. 'oppimiskampus'. Se tulee tavoitteen "
                "pysyvään osoitteeseen (IRI); jos se puuttuu, tunniste muodostetaan tavoitteen "
                "kuudesta ensimmäisestä sanasta. Tunnisteen on oltava eri jokaisella rivillä.",
                "theme": "Kaupunkistrategian teema, jota tavoite palvelee, esim. 'Edistämme asukkaiden "
                "hyvinvointia'. Joka tavoitteella on oltava teema: kirjoita se tähän "
                "sarakkeeseen (tyhjä solu jatkaa yllä olevaa teemaa) tai, kuten painetussa "
                "taulukossa, omalle otsikkorivilleen tavoiterivien väliin (ilman "
                "Teema-saraketta).",
                "goal": "Toimialan tavoite yhtenä lauseena, kuten asiakirjassa. Pakollinen; sama "
                "tavoite ei saa esiintyä kahdesti.",
                "metric": "Mittari, jolla tavoitteen toteutumista seurataan.",
                "baseline": "Lähtötaso: tilanne lähtövuoden lopussa. Otsikon vuosi on lähtötason ajankohta.",
                "target": "Tavoitetaso: mihin tavoitevuonna pyritään. Otsikon vuosi on tavoitevuosi.",
                "persons": "Vastuuhenkilöt nimeltä, pilkulla, &-merkillä tai sanalla 'ja' erotettuina, "
                "esim. 'Ilkka Kalo & Anders Vikström'. Nimike yhdellä sanalla (esim. "
                "'palvelualuejohtajat'). 'Vastuutaho:' solun sisällä aloittaa vastuutahot. "
                "Jos tavoitteella ei ole vastuuhenkilöä eikä -tahoa, siitä varoitetaan.",
                "body": "Vastuutahot (ryhmät, tiimit, verkostot), pilkulla erotettuina, koska nimissä "
                "on usein sana 'ja', esim. 'Opiskeluhuolto ja hyvinvointi kehittämisryhmä'. "
                "Nimen lopussa on ryhmä, tiimi, verkosto, toimikunta tai lautakunta.",
                "outcome": "Toteuma vuoden lopussa vapaana tekstinä; otsikon kuukausi ja vuosi ovat "
                "toteuman ajankohta.",
                "status": "Tila valintalistasta: {labels}.",
                "pages": "Asiakirjan sivu(t), jolla tavoite on: '2' tai '2, 3' tai '2-3'.",
            },
            "general": [
                "Täytä yksi tavoite riviä kohden Tavoitteet-välilehdelle; älä muuta otsikoita. "
                "Tallenna .xlsx-muodossa tai 'CSV UTF-8' -muodossa.",
                "Piilotettuja rivejä ei lueta (ja niistä varoitetaan): piilota rivi, jota ei "
                "julkaista. Suodatin piilottaa rivejä, joten poista se ennen tallennusta.",
                "Kaavat luetaan tallennettuina arvoinaan. Yhdistetyn solualueen arvo koskee koko aluetta.",
                "Virheilmoitus nimeää välilehden, rivin, sarakkeen ja solun; mitään ei tallenneta "
                "tiedostosta, jossa on virheitä.",
            ],
            "unknown_status": ("Tuntematon tila", "Valitse tila listasta: {labels}"),
            "choose": ("Tila", "Valitse listasta"),
            "title": "Toimialan tavoitteet",
        },
    },
    "en": {
        "where": {
            "sheet": "sheet",
            "row": "row",
            "line": "line",
            "column": "column",
            "cell": "cell",
            "value": "value",
            "error": "error",
            "warning": "warning",
        },
        "compare": {
            "compare": "Comparing {a} with {b}",
            "counts": "{n_a} goal(s) → {n_b} goal(s): {carried} carried over, {added} added, {dropped} dropped",
            "none": "No differences.",
            "added": "Added goals",
            "dropped": "Dropped goals",
            "reworded": "Reworded goals",
            "status": "Status changed",
            "theme": "Theme changed",
            "responsibility": "Responsibility changed",
            "by_key": "same key",
            "by_text": "similar text",
            "similarity": "similarity",
            "was": "was",
            "now": "now",
            "roles": {"person": "responsible person", "body": "responsible body", "": "responsible"},
            "kinds": {"person": "person", "post": "post", "group": "group"},
        },
        "reconcile": {
            "none": "No near matches.",
            "reasons": {
                "spelling": "spelt nearly the same",
                "similar": "similar names",
                "initial": "an initial for a first name",
                "surname-changed": "same first name, another surname, never in the same document",
            },
            "kinds": {"person": "person", "post": "post", "group": "group"},
            "in": "in",
            "score": "score",
            "heading": "{n} pair(s) to check (nothing has been merged):",
        },
        "template": {
            "sheets": ("Goals", "Instructions"),
            "help": {
                "key": "Optional short identifier, e.g. 'oppimiskampus'. It goes into the goal's "
                "permanent address (IRI); without it the first six words of the goal make one. "
                "It must differ on every row.",
                "theme": "The city strategy theme the goal serves, e.g. 'Edistämme asukkaiden "
                "hyvinvointia'. Every goal needs a theme: write it in this column (an empty "
                "cell continues the theme above) or, as in the printed table, on a heading "
                "row of its own between goal rows (without a Theme column).",
                "goal": "The division's goal in one sentence, as in the document. Required; the same "
                "goal may not appear twice.",
                "metric": "The metric (indicator) the goal is followed with.",
                "baseline": "Baseline: the state at the end of the baseline year. The year in the "
                "header is the baseline's date.",
                "target": "Target: what the goal aims at in the target year. The year in the header is "
                "the target year.",
                "persons": "Responsible persons by name, separated by commas, '&' or 'ja', e.g. 'Ilkka "
                "Kalo & Anders Vikström'. A post in one word (e.g. 'palvelualuejohtajat'). "
                "'Vastuutaho:' inside the cell starts the responsible bodies. A goal with "
                "no responsible person or body is warned about.",
                "body": "Responsible bodies (groups, teams, networks), separated by commas only, "
                "because their names often contain 'ja', e.g. 'Opiskeluhuolto ja hyvinvointi "
                "kehittämisryhmä'. The name ends in ryhmä, tiimi, verkosto, toimikunta or "
                "lautakunta.",
                "outcome": "The outcome at year's end, as free text; the month and year in the header "
                "are the outcome's date.",
                "status": "The status, from the drop-down: {labels}.",
                "pages": "The document page(s) the goal is on: '2' or '2, 3' or '2-3'.",
            },
            "general": [
                "Fill in one goal per row on the Goals sheet; do not change the headers. Save as "
                ".xlsx or as 'CSV UTF-8'.",
                "Hidden rows are not read (and are warned about): hide a row that is not to be "
                "published. A filter hides rows, so clear it before saving.",
                "Formulas are read as their saved values. The value of a merged range applies to the whole range.",
                "An error names the sheet, row, column and cell; nothing is stored from a file with errors.",
            ],
            "unknown_status": ("Unknown status", "Choose a status from the list: {labels}"),
            "choose": ("Status", "Choose from the list"),
            "title": "Division goals",
        },
    },
}


# Names of other vocabularies' terms -------------------------------------------------------------------------
# Pages name the properties and classes of the data. kasograph's own terms have Finnish and English labels in
# ontology/kasograph.ttl; the terms it borrows from other vocabularies (PROV, Dublin Core, DCAT, Data Cube, …)
# carry no labels in the store, and a page would show their raw local names ("wasDerivedFrom"). These names are
# OUR translations (the kasograph project's, in both languages; none is the vocabulary's own label), used only
# where the store has no label of its own. Every IRI here is one the data uses: tests/test_language.py checks it.
_RDF, _RDFS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
_DCT, _FOAF, _SCHEMA = "http://purl.org/dc/terms/", "http://xmlns.com/foaf/0.1/", "https://schema.org/"
_PROV, _DCAT, _VOID = "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/dcat#", "http://rdfs.org/ns/void#"
_QB, _SDMX = "http://purl.org/linked-data/cube#", "http://purl.org/linked-data/sdmx/2009/"
_SKOS, _ORG = "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/org#"

TERM_LABELS: dict[str, dict[str, str]] = {
    f"{_RDF}type": {"fi": "tyyppi", "en": "type"},
    f"{_RDFS}label": {"fi": "nimi", "en": "label"},
    f"{_RDFS}comment": {"fi": "huomautus", "en": "comment"},
    f"{_DCT}title": {"fi": "otsikko", "en": "title"},
    f"{_DCT}description": {"fi": "kuvaus", "en": "description"},
    f"{_DCT}creator": {"fi": "laatija", "en": "creator"},
    f"{_DCT}publisher": {"fi": "julkaisija", "en": "publisher"},
    f"{_DCT}language": {"fi": "kieli", "en": "language"},
    f"{_DCT}source": {"fi": "lähde", "en": "source"},
    f"{_DCT}hasFormat": {"fi": "sama toisessa muodossa", "en": "has format"},
    f"{_DCT}format": {"fi": "tiedostomuoto", "en": "format"},
    f"{_DCT}conformsTo": {"fi": "noudattaa", "en": "conforms to"},
    f"{_DCT}spatial": {"fi": "alue", "en": "spatial coverage"},
    f"{_DCT}temporal": {"fi": "ajanjakso", "en": "temporal coverage"},
    f"{_DCT}rights": {"fi": "käyttöoikeudet", "en": "rights"},
    f"{_DCT}Location": {"fi": "Paikka", "en": "Location"},
    f"{_DCT}PeriodOfTime": {"fi": "Ajanjakso", "en": "Period of time"},
    f"{_DCT}RightsStatement": {"fi": "Käyttöoikeuslausuma", "en": "Rights statement"},
    f"{_FOAF}name": {"fi": "nimi", "en": "name"},
    f"{_FOAF}Agent": {"fi": "Toimija", "en": "Agent"},
    f"{_FOAF}Person": {"fi": "Henkilö", "en": "Person"},
    f"{_FOAF}Document": {"fi": "Asiakirja", "en": "Document"},
    f"{_FOAF}Project": {"fi": "Hanke", "en": "Project"},
    f"{_SCHEMA}numberOfPages": {"fi": "sivumäärä", "en": "number of pages"},
    f"{_SCHEMA}SoftwareApplication": {"fi": "Tietojärjestelmä", "en": "Software application"},
    f"{_PROV}wasDerivedFrom": {"fi": "johdettu lähteestä", "en": "was derived from"},
    f"{_PROV}wasAttributedTo": {"fi": "osoitettu toimijalle", "en": "was attributed to"},
    f"{_PROV}qualifiedAttribution": {"fi": "tarkennettu vastuusuhde", "en": "qualified attribution"},
    f"{_PROV}agent": {"fi": "toimija", "en": "agent"},
    f"{_PROV}Entity": {"fi": "Entiteetti", "en": "Entity"},
    f"{_PROV}Attribution": {"fi": "Vastuusuhde", "en": "Attribution"},
    f"{_DCAT}Dataset": {"fi": "Aineisto (DCAT)", "en": "Dataset (DCAT)"},
    f"{_DCAT}startDate": {"fi": "alkupäivä", "en": "start date"},
    f"{_DCAT}endDate": {"fi": "loppupäivä", "en": "end date"},
    f"{_DCAT}hadRole": {"fi": "rooli", "en": "had role"},
    f"{_VOID}Dataset": {"fi": "Aineisto (VoID)", "en": "Dataset (VoID)"},
    f"{_VOID}subset": {"fi": "osa-aineisto", "en": "subset"},
    f"{_VOID}triples": {"fi": "lauseita (triplejä)", "en": "triples"},
    f"{_VOID}vocabulary": {"fi": "sanasto", "en": "vocabulary"},
    f"{_QB}Observation": {"fi": "Havainto", "en": "Observation"},
    f"{_QB}DataSet": {"fi": "Data Cube -aineisto", "en": "Data Cube data set"},
    f"{_QB}dataSet": {"fi": "aineisto", "en": "data set"},
    f"{_QB}structure": {"fi": "rakenne", "en": "structure"},
    f"{_SDMX}measure#obsValue": {"fi": "havaittu arvo", "en": "observed value"},
    f"{_SDMX}dimension#refPeriod": {"fi": "ajankohta", "en": "reference period"},
    f"{_SDMX}attribute#unitMeasure": {"fi": "mittayksikkö", "en": "unit of measure"},
    f"{_SKOS}prefLabel": {"fi": "nimi", "en": "preferred label"},
    f"{_SKOS}altLabel": {"fi": "muu nimi", "en": "alternative label"},
    f"{_SKOS}hiddenLabel": {"fi": "hakunimi", "en": "hidden label"},
    f"{_SKOS}inScheme": {"fi": "luokituksessa", "en": "in scheme"},
    f"{_SKOS}hasTopConcept": {"fi": "ylin käsite", "en": "has top concept"},
    f"{_SKOS}topConceptOf": {"fi": "ylin käsite luokituksessa", "en": "top concept of"},
    f"{_SKOS}Concept": {"fi": "Käsite", "en": "Concept"},
    f"{_SKOS}ConceptScheme": {"fi": "Luokitus", "en": "Concept scheme"},
    f"{_ORG}Organization": {"fi": "Organisaatio", "en": "Organisation"},
    f"{_ORG}OrganizationalUnit": {"fi": "Organisaatioyksikkö", "en": "Organisational unit"},
    f"{_ORG}Post": {"fi": "Nimike", "en": "Post"},
    f"{_ORG}Role": {"fi": "Rooli", "en": "Role"},
    f"{_ORG}hasUnit": {"fi": "yksikkö", "en": "has unit"},
    f"{_ORG}unitOf": {"fi": "yksikkönä organisaatiossa", "en": "unit of"},
    f"{_ORG}postIn": {"fi": "nimike organisaatiossa", "en": "post in"},
    f"{_ORG}role": {"fi": "rooli", "en": "role"},
    # values the data points at: a language of the EU's authority table, units of QUDT, a media type
    "http://publications.europa.eu/resource/authority/language/FIN": {"fi": "suomi", "en": "Finnish"},
    "http://qudt.org/vocab/unit/PERCENT": {"fi": "prosentti", "en": "per cent"},
    "http://qudt.org/vocab/unit/NUM": {"fi": "lukumäärä", "en": "count"},
    "https://www.iana.org/assignments/media-types/text/plain": {"fi": "pelkkä teksti", "en": "plain text"},
    # kasograph's own documents that the store does not hold: the vocabulary's namespace and the shapes
    "https://w3id.org/kasograph/def#": {"fi": "kasograph-sanasto", "en": "kasograph vocabulary"},
    "https://w3id.org/kasograph/shapes": {"fi": "kasographin SHACL-muodot", "en": "kasograph SHACL shapes"},
}


def term_labels(iri: str) -> dict[str, str]:
    """Our labels of a term the store names no label for, by language ({} for a term not in the table)."""
    return TERM_LABELS.get(iri, {})


def words(section: str, lang: str = "en") -> dict:
    """A section of the catalogue in `lang` (English for a language it does not have)."""
    return TEXTS.get(lang, TEXTS["en"])[section]
