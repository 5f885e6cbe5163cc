"""An Excel template of a goal table, for data stewards to fill in.

The first sheet has the headers of the source layout (Finnish as the source
writes them, or English), a drop-down of the allowed statuses, a frozen header
row and column widths that fit the texts; the second sheet explains every
column in Finnish and English. `kasograph.source.table.read_goals` reads the filled-in
file back; the empty template reads as a table with no goals.

There is deliberately no auto-filter: a filtered row is a hidden row, and hidden
rows are not read, so a filter left on when saving would leave goals out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rdflib.namespace import SKOS

from kasograph.namespaces import KG
from kasograph.source.spreadsheet import column_letter
from kasograph.source.table import FIELD_HEADERS, REQUIRED
from kasograph.vocabulary import ontology

LANGUAGES = ("fi", "en")
_SHEETS = {"fi": ("Tavoitteet", "Ohjeet"), "en": ("Goals", "Instructions")}
_WIDTHS = {"key": 22, "theme": 30, "goal": 48, "metric": 36, "baseline": 36, "target": 36, "persons": 32, "body": 32,
           "outcome": 48, "status": 20, "pages": 8}
_STATUS_ORDER = (KG.FullyAchieved, KG.PartiallyAchieved, KG.NotAchieved)

# What to write in each column: (Finnish, English).
_HELP: dict[str, tuple[str, str]] = {
    "key": ("Vapaaehtoinen lyhyt tunniste, esim. 'oppimiskampus'. Se tulee tavoitteen pysyvään osoitteeseen (IRI); "
            "jos se puuttuu, tunniste muodostetaan tavoitteen kuudesta ensimmäisestä sanasta. Tunnisteen on oltava eri jokaisella rivillä.",
            "Optional short identifier, e.g. 'oppimiskampus'. It goes into the goal's permanent address (IRI); "
            "without it the first six words of the goal make one. It must differ on every row."),
    "theme": ("Kaupunkistrategian teema, jota tavoite palvelee, esim. 'Edistämme asukkaiden hyvinvointia'. Joka tavoitteella on oltava teema: "
              "kirjoita se tähän sarakkeeseen (tyhjä solu jatkaa yllä olevaa teemaa) tai, kuten painetussa taulukossa, "
              "omalle otsikkorivilleen tavoiterivien väliin (ilman Teema-saraketta).",
              "The city strategy theme the goal serves, e.g. 'Edistämme asukkaiden hyvinvointia'. Every goal needs a theme: "
              "write it in this column (an empty cell continues the theme above) or, as in the printed table, "
              "on a heading row of its own between goal rows (without a Theme column)."),
    "goal": ("Toimialan tavoite yhtenä lauseena, kuten asiakirjassa. Pakollinen; sama tavoite ei saa esiintyä kahdesti.",
             "The division's goal in one sentence, as in the document. Required; the same goal may not appear twice."),
    "metric": ("Mittari, jolla tavoitteen toteutumista seurataan.", "The metric (indicator) the goal is followed with."),
    "baseline": ("Lähtötaso: tilanne lähtövuoden lopussa. Otsikon vuosi on lähtötason ajankohta.",
                 "Baseline: the state at the end of the baseline year. The year in the header is the baseline's date."),
    "target": ("Tavoitetaso: mihin tavoitevuonna pyritään. Otsikon vuosi on tavoitevuosi.",
               "Target: what the goal aims at in the target year. The year in the header is the target year."),
    "persons": ("Vastuuhenkilöt nimeltä, pilkulla, &-merkillä tai sanalla 'ja' erotettuina, esim. 'Ilkka Kalo & Anders Vikström'. "
                "Nimike yhdellä sanalla (esim. 'palvelualuejohtajat'). 'Vastuutaho:' solun sisällä aloittaa vastuutahot. "
                "Jos tavoitteella ei ole vastuuhenkilöä eikä -tahoa, siitä varoitetaan.",
                "Responsible persons by name, separated by commas, '&' or 'ja', e.g. 'Ilkka Kalo & Anders Vikström'. "
                "A post in one word (e.g. 'palvelualuejohtajat'). 'Vastuutaho:' inside the cell starts the responsible bodies. "
                "A goal with no responsible person or body is warned about."),
    "body": ("Vastuutahot (ryhmät, tiimit, verkostot), pilkulla erotettuina, koska nimissä on usein sana 'ja', "
             "esim. 'Opiskeluhuolto ja hyvinvointi kehittämisryhmä'. Nimen lopussa on ryhmä, tiimi, verkosto, toimikunta tai lautakunta.",
             "Responsible bodies (groups, teams, networks), separated by commas only, because their names often contain 'ja', "
             "e.g. 'Opiskeluhuolto ja hyvinvointi kehittämisryhmä'. The name ends in ryhmä, tiimi, verkosto, toimikunta or lautakunta."),
    "outcome": ("Toteuma vuoden lopussa vapaana tekstinä; otsikon kuukausi ja vuosi ovat toteuman ajankohta.",
                "The outcome at year's end, as free text; the month and year in the header are the outcome's date."),
    "status": ("Tila valintalistasta: {labels}.", "The status, from the drop-down: {labels}."),
    "pages": ("Asiakirjan sivu(t), jolla tavoite on: '2' tai '2, 3' tai '2-3'.", "The document page(s) the goal is on: '2' or '2, 3' or '2-3'."),
}

_GENERAL = (
    ("Täytä yksi tavoite riviä kohden Tavoitteet-välilehdelle; älä muuta otsikoita. Tallenna .xlsx-muodossa tai 'CSV UTF-8' -muodossa.",
     "Fill in one goal per row on the Goals sheet; do not change the headers. Save as .xlsx or as 'CSV UTF-8'."),
    ("Piilotettuja rivejä ei lueta (ja niistä varoitetaan): piilota rivi, jota ei julkaista. Suodatin piilottaa rivejä, joten poista se ennen tallennusta.",
     "Hidden rows are not read (and are warned about): hide a row that is not to be published. A filter hides rows, so clear it before saving."),
    ("Kaavat luetaan tallennettuina arvoinaan. Yhdistetyn solualueen arvo koskee koko aluetta.",
     "Formulas are read as their saved values. The value of a merged range applies to the whole range."),
    ("Virheilmoitus nimeää välilehden, rivin, sarakkeen ja solun; mitään ei tallenneta tiedostosta, jossa on virheitä.",
     "An error names the sheet, row, column and cell; nothing is stored from a file with errors."),
)


def status_labels_ordered(language: str = "fi") -> list[str]:
    """The status labels in one language, from fully achieved to not achieved."""
    graph = ontology()
    labels = []
    for concept in _STATUS_ORDER:
        labels += [str(label) for label in graph.objects(concept, SKOS.prefLabel) if label.language == language]
    return labels


def template_headers(language: str = "fi", year: int | None = None) -> list[str]:
    """The headers of the source layout, in its column order, for a target year (baseline: two years before)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    year = year or date.today().year
    which = LANGUAGES.index(language)
    return [names[which].format(year=year, baseline=year - 2) for names in FIELD_HEADERS.values()]


def write_template(path: Path, language: str = "fi", *, year: int | None = None, rows: int = 200) -> Path:
    """Write an empty goal table as an Excel workbook and return its path.

    `language`: "fi" (the source's Finnish headers and status labels) or "en".
    `year`: the target year the headers name (default: this year; the baseline
    is the end of two years before, as in the source). `rows`: how many rows the
    status drop-down reaches.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = template_headers(language, year)
    fields = list(FIELD_HEADERS)
    labels = status_labels_ordered(language)
    goals_title, help_title = _SHEETS[language]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = goals_title
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (field_name, header) in enumerate(zip(fields, headers), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        column = sheet.column_dimensions[column_letter(index)]
        column.width, column.alignment = _WIDTHS[field_name], wrap  # a column style: new cells wrap, no empty cells written
    sheet.freeze_panes = "A2"

    status_column = column_letter(fields.index("status") + 1)
    choices = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True, showDropDown=False,
                             showErrorMessage=True, showInputMessage=True)
    if language == "fi":
        choices.errorTitle, choices.error = "Tuntematon tila", "Valitse tila listasta: " + ", ".join(labels)
        choices.promptTitle, choices.prompt = "Tila", "Valitse listasta"
    else:
        choices.errorTitle, choices.error = "Unknown status", "Choose a status from the list: " + ", ".join(labels)
        choices.promptTitle, choices.prompt = "Status", "Choose from the list"
    sheet.add_data_validation(choices)
    choices.add(f"{status_column}2:{status_column}{rows + 1}")

    notes = workbook.create_sheet(help_title)
    notes.append(["Sarake / Column", "Pakollinen / Required", "Ohje (suomeksi)", "Instructions (English)"])
    for cell in notes[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    fi_labels, en_labels = ", ".join(status_labels_ordered("fi")), ", ".join(status_labels_ordered("en"))
    fi_headers, en_headers = template_headers("fi", year), template_headers("en", year)
    for field_name, fi_header, en_header in zip(fields, fi_headers, en_headers):
        help_fi, help_en = _HELP[field_name]
        required = "kyllä / yes" if field_name in REQUIRED or field_name == "theme" else ""
        notes.append([f"{fi_header} / {en_header}", required, help_fi.format(labels=fi_labels), help_en.format(labels=en_labels)])
    notes.append([])
    for general_fi, general_en in _GENERAL:
        notes.append(["", "", general_fi, general_en])
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for letter, width in zip("ABCD", (34, 14, 70, 70)):
        notes.column_dimensions[letter].width = width
    notes.freeze_panes = "A2"

    workbook.properties.creator = "kasograph"
    workbook.properties.title = "Toimialan tavoitteet" if language == "fi" else "Division goals"
    path = Path(path)
    workbook.save(path)
    return path
