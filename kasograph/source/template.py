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

from kasograph.source.spreadsheet import column_letter
from kasograph.source.table import FIELD_HEADERS, REQUIRED
from kasograph.texts import words
from kasograph.vocabulary import ontology, status_concepts

LANGUAGES = ("fi", "en")
_WIDTHS = {"key": 22, "theme": 30, "goal": 48, "metric": 36, "baseline": 36, "target": 36, "persons": 32, "body": 32,
           "outcome": 48, "status": 20, "pages": 8}




def status_labels_ordered(language: str = "fi") -> list[str]:
    """The status labels in one language, from fully achieved to not achieved."""
    graph = ontology()
    labels = []
    for concept in status_concepts():
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

    text = words("template", language)
    workbook = Workbook()
    _goals_sheet(workbook.active, text, language, year, rows)
    _help_sheet(workbook.create_sheet(text["sheets"][1]), year)
    workbook.properties.creator = "kasograph"
    workbook.properties.title = text["title"]
    path = Path(path)
    workbook.save(path)
    return path


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill

    return Font(bold=True), PatternFill("solid", fgColor="DDEBF7"), Alignment(wrap_text=True, vertical="top")


def _goals_sheet(sheet, text: dict, language: str, year: int | None, rows: int) -> None:
    """The headers, wrapped columns of their width, and the status drop-down."""
    from openpyxl.worksheet.datavalidation import DataValidation

    bold, fill, wrap = _styles()
    fields = list(FIELD_HEADERS)
    sheet.title = text["sheets"][0]
    for index, (field_name, header) in enumerate(zip(fields, template_headers(language, year)), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        column = sheet.column_dimensions[column_letter(index)]
        column.width, column.alignment = _WIDTHS[field_name], wrap  # a column style: new cells wrap, no empty cells written
    sheet.freeze_panes = "A2"
    labels = status_labels_ordered(language)
    status_column = column_letter(fields.index("status") + 1)
    choices = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True, showDropDown=False,
                             showErrorMessage=True, showInputMessage=True)
    choices.errorTitle, choices.error = text["unknown_status"][0], text["unknown_status"][1].format(labels=", ".join(labels))
    choices.promptTitle, choices.prompt = text["choose"]
    sheet.add_data_validation(choices)
    choices.add(f"{status_column}2:{status_column}{rows + 1}")


def _help_sheet(notes, year: int | None) -> None:
    """What to write in each column, in both languages side by side, and the general rules."""
    bold, fill, wrap = _styles()
    finnish, english = words("template", "fi"), words("template", "en")
    notes.append(["Sarake / Column", "Pakollinen / Required", "Ohje (suomeksi)", "Instructions (English)"])
    for cell in notes[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    fi_labels, en_labels = ", ".join(status_labels_ordered("fi")), ", ".join(status_labels_ordered("en"))
    for field_name, fi_header, en_header in zip(FIELD_HEADERS, template_headers("fi", year), template_headers("en", year)):
        required = "kyllä / yes" if field_name in REQUIRED or field_name == "theme" else ""
        notes.append([f"{fi_header} / {en_header}", required, finnish["help"][field_name].format(labels=fi_labels),
                      english["help"][field_name].format(labels=en_labels)])
    notes.append([])
    for general_fi, general_en in zip(finnish["general"], english["general"]):
        notes.append(["", "", general_fi, general_en])
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for letter, width in zip("ABCD", (34, 14, 70, 70)):
        notes.column_dimensions[letter].width = width
    notes.freeze_panes = "A2"
