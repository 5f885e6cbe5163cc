"""Every text kasograph shows in two languages, in one catalogue: Finnish (the source's language) and English.

A section holds one part's words (`where`: an error's location; `compare` and `reconcile`: their
reports in the terminal; `template`: the empty goal table's sheets and help). The viewer's texts
have a catalogue of their own in the web package. Messages about a particular input (a Problem's
`message` and `message_fi`) are written, in both languages, where the problem is found.
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


def words(section: str, lang: str = "en") -> dict:
    """A section of the catalogue in `lang` (English for a language it does not have)."""
    return TEXTS.get(lang, TEXTS["en"])[section]
