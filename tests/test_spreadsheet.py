"""Reading goal tables as stewards keep them: Excel workbooks and CSV in the encodings Excel writes.

Every fixture is made here, in tmp_path, with openpyxl or zipfile: no binary files in the repository.
"""

from __future__ import annotations

import csv
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from rdflib.compare import isomorphic

from kasograph import resources
from kasograph.errors import InputError
from kasograph.model.build import build_document
from kasograph.namespaces import DEFAULT_BASE
from kasograph.source.records import DocumentInfo
from kasograph.source.spreadsheet import Limits, read_sheet
from kasograph.source.table import read_document, read_goal_table, read_goals
from kasograph.source.template import status_labels_ordered, template_headers, write_template
from kasograph.vocabulary import statuses

KASO = resources.bundled_documents()[0]
MB = 1024 * 1024

HEADER = ["Teema", "Toimialan tavoite", "Vastuuhenkilö(t)", "Vastuutaho", "Tila"]
ROWS = [
    ["Edistämme asukkaiden hyvinvointia", "Lisätään oppilaiden liikuntaa", "Ari Ranki", "", "Toteutuu täysin"],
    ["Edistämme asukkaiden hyvinvointia", "Lyhennetään jonoja", "Ilkka Kalo & Tuija Harakka", "", "Toteutuu osittain"],
    ["Johdamme uudistuen ja osallistuen", "Uudistetaan johtamista", "", "KASOn johtoryhmä", "Ei toteudu"],
]


def info(year: int = 2021) -> DocumentInfo:
    return DocumentInfo("testi", "Testi", "fi", year, "Vantaa", "Kasvatus ja oppiminen")


def bundled_rows() -> list[list]:
    with (KASO / "goals.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def save_xlsx(path: Path, rows: list[list], change=None, title: str = "Tavoitteet") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if change:
        change(workbook, sheet)
    workbook.save(path)
    return path


def save_csv(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",", prefix: str = "") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        f.write(prefix)
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def errors_of(call) -> list:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value.problems


def edit_member(path: Path, member: str, edit) -> None:
    """Rewrite one part of a zip archive with `edit(text) -> text`."""
    with zipfile.ZipFile(path) as archive:
        parts = [(p.filename, archive.read(p.filename)) for p in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(name, edit(data.decode("utf-8")).encode("utf-8") if name == member else data)


def set_declared_size(path: Path, member: str, size: int) -> None:
    """Make a part claim another unpacked size, in both its local and its central header."""
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, at + 24, size)
            struct.pack_into("<I", data, struct.unpack_from("<I", data, at + 42)[0] + 22, size)
        at += 4
    path.write_bytes(bytes(data))


def zeros_archive(path: Path, size: int) -> Path:
    """An archive that looks like a workbook and whose sheet is `size` zero bytes (packs about 1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(size // MB):
                part.write(bytes(MB))
    return path


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail the test if openpyxl is asked to open a workbook."""
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the checks should have refused")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# --- the bundled table as Excel, and CSV as Excel writes it --------------------------------------

def test_bundled_table_saved_as_xlsx_reads_to_the_same_goals_and_graph(document_copy):
    rows = bundled_rows()
    pages = rows[0].index("Sivu")
    for row in rows[1:]:
        row[pages] = int(row[pages]) if row[pages].isdigit() else row[pages]  # Excel keeps page numbers as numbers
    xlsx = save_xlsx(document_copy / "goals.xlsx", rows)
    from_csv, from_xlsx = info(), info()
    assert read_goals(xlsx, from_xlsx).goals == read_goals(document_copy / "goals.csv", from_csv).goals
    assert (from_xlsx.baseline_date, from_xlsx.target_period, from_xlsx.outcome_month) == (from_csv.baseline_date, from_csv.target_period, from_csv.outcome_month)
    csv_document, xlsx_document = read_document(document_copy), read_document(xlsx)
    assert xlsx_document.warnings == [] and len(xlsx_document.goals) == 10
    csv_graph, xlsx_graph = build_document(csv_document, DEFAULT_BASE), build_document(xlsx_document, DEFAULT_BASE)
    assert len(xlsx_graph) == len(csv_graph) and isomorphic(xlsx_graph, csv_graph)


@pytest.mark.parametrize("encoding, delimiter", [
    ("utf-8", ","), ("utf-8-sig", ";"),  # CSV UTF-8, with the byte-order mark Excel writes
    ("cp1252", ";"),  # "CSV (comma delimited)" from Excel on Windows with Finnish settings
    ("utf-16", "\t"),  # "Unicode text": UTF-16 LE with a byte-order mark, tab-separated
    ("utf-16-be", ","),
])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    expected = read_goals(KASO / "goals.csv", info()).goals
    prefix = "\ufeff" if encoding == "utf-16-be" else ""
    path = save_csv(tmp_path / "goals.csv", bundled_rows(), encoding, delimiter, prefix)
    sheet = read_sheet(path)
    assert sheet.delimiter == delimiter
    assert read_goals(path, info()).goals == expected


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path):
    path = save_csv(tmp_path / "goals.csv", [HEADER, *ROWS], delimiter="|", prefix="sep=|\r\n")
    table = read_goals(path, info())
    assert [g.row for g in table.goals] == [2, 3, 4] and table.header_row == 1


def test_text_in_no_known_encoding_is_refused(tmp_path):
    path = tmp_path / "goals.csv"
    path.write_bytes("Tila\nToteutuu täysin\n".encode("utf-8") + b"\x81\x8d\n")
    [problem] = errors_of(lambda: read_sheet(path))
    assert "neither UTF-8 nor Windows-1252" in problem.message and problem.line == 3
    assert "UTF-8- eikä Windows-1252" in problem.message_fi


def test_utf16_without_byte_order_mark_is_refused(tmp_path):
    path = tmp_path / "goals.csv"
    path.write_bytes("Tila,Toimialan tavoite\n".encode("utf-16-le"))
    [problem] = errors_of(lambda: read_sheet(path))
    assert "NUL" in problem.message and "UTF-16" in problem.message


# --- Excel: merged cells, formulas, hidden rows, sheets --------------------------------------------

def test_merged_heading_across_columns_and_merged_cells_down(tmp_path):
    """Themes as heading rows merged across the table; a person and a status merged down over two goals."""
    def merge(workbook, sheet):
        sheet.merge_cells("A2:D2")
        sheet.merge_cells("B3:B4")
        sheet.merge_cells("D3:D4")
        sheet.merge_cells("A5:ZZ5")  # far past the column limit: clipped, still one heading

    rows = [["Toimialan tavoite", "Vastuuhenkilö(t)", "Vastuutaho", "Tila"],
            ["Edistämme asukkaiden hyvinvointia"],
            ["Lisätään liikuntaa", "Ari Ranki", "", "Toteutuu täysin"],
            ["Lyhennetään jonoja", None, "Opiskeluhuolto ja hyvinvointi kehittämisryhmä", None],
            ["Johdamme uudistuen ja osallistuen"],
            ["Uudistetaan johtamista", "Katri Kalske", "", "Ei toteudu"]]
    goals = read_goals(save_xlsx(tmp_path / "t.xlsx", rows, merge), info()).goals
    assert [(g.row, g.theme) for g in goals] == [(3, "Edistämme asukkaiden hyvinvointia"), (4, "Edistämme asukkaiden hyvinvointia"),
                                                 (6, "Johdamme uudistuen ja osallistuen")]
    assert [r.name for r in goals[1].responsible] == ["Ari Ranki", "Opiskeluhuolto ja hyvinvointi kehittämisryhmä"]
    assert goals[1].status == goals[0].status == statuses()["toteutuu täysin"]


def test_merged_theme_column(tmp_path):
    rows = [HEADER, *[list(r) for r in ROWS]]
    rows[2][0] = None
    path = save_xlsx(tmp_path / "t.xlsx", rows, lambda wb, ws: ws.merge_cells("A2:A3"))
    assert [g.theme for g in read_goals(path, info()).goals] == [r[0] for r in ROWS]


def _formula(path: Path, cell: str, value: str | None, kind: str = "str") -> None:
    """Give a formula cell written by openpyxl (which saves no value) a saved value, as Excel would."""
    def edit(xml: str) -> str:
        pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/>')
        assert pattern.search(xml), xml
        return pattern.sub(lambda m: f'<c r="{cell}"{m.group(1)} t="{kind}"><f>{m.group(2)}</f><v>{value}</v>', xml)
    if value is not None:
        edit_member(path, "xl/worksheets/sheet1.xml", edit)


def test_formulas_give_their_saved_values(tmp_path):
    rows = [HEADER, [ROWS[0][0], '="Lisätään "&"liikuntaa"', "Ari Ranki", "", '=IF(1=1,"Toteutuu täysin","Ei toteudu")']]
    path = save_xlsx(tmp_path / "t.xlsx", rows)
    _formula(path, "B2", "Lisätään liikuntaa")
    _formula(path, "E2", "Toteutuu täysin")
    [goal] = read_goals(path, info()).goals
    assert goal.text == "Lisätään liikuntaa" and goal.status == statuses()["toteutuu täysin"]


def test_formula_without_a_saved_value_names_the_cell(tmp_path):
    rows = [HEADER + ["Muistiinpanot"], [*ROWS[0], "=1+1"], [*ROWS[1][:4], '="Toteutuu "&"osittain"']]
    path = save_xlsx(tmp_path / "t.xlsx", rows)  # openpyxl saves formulas without values
    [problem] = errors_of(lambda: read_goals(path, info()))  # the notes column is not read: its formula does not matter
    assert (problem.sheet, problem.row, problem.column, problem.cell) == ("Tavoitteet", 3, "Tila", "E3")
    assert "formula but no saved value" in problem.message and "kaava" in problem.message_fi
    assert "sheet 'Tavoitteet', row 3, column 'Tila', cell E3" in str(problem)


def test_excel_error_value_names_the_cell(tmp_path):
    path = save_xlsx(tmp_path / "t.xlsx", [HEADER, [*ROWS[0][:2], "=#REF!", "", ROWS[0][4]]])
    _formula(path, "C2", "#REF!", kind="e")
    [problem] = errors_of(lambda: read_goals(path, info()))
    assert (problem.cell, problem.column) == ("C2", "Vastuuhenkilö(t)") and "#REF!" in problem.message


def test_hidden_rows_are_skipped_with_a_warning(tmp_path):
    rows = [HEADER, *ROWS, [ROWS[0][0], "Salainen tavoite", "Ari Ranki", "", "Toteutuu täysin"]]

    def hide(workbook, sheet):
        for number in (3, 5, 6):  # 6 is empty: nothing to warn about
            sheet.row_dimensions[number].hidden = True

    table = read_goals(save_xlsx(tmp_path / "t.xlsx", rows, hide), info())
    assert [g.row for g in table.goals] == [2, 4]
    [warning] = table.warnings
    assert warning.severity == "warning" and warning.row == 3 and "hidden rows are not read: 3, 5" in warning.message
    assert warning.label("fi") == "varoitus" and "välilehti 'Tavoitteet', rivi 3: piilotettuja rivejä ei lueta: 3, 5" in warning.text("fi")


def test_first_visible_sheet_or_a_named_one(tmp_path):
    def sheets(workbook, sheet):
        notes = workbook.create_sheet("Muistiinpanot", 0)
        notes["A1"] = "Luonnos"
        notes.sheet_state = "hidden"
        other = workbook.create_sheet("Vanhat")
        other.append(HEADER)
        other.append(ROWS[2])

    path = save_xlsx(tmp_path / "t.xlsx", [HEADER, *ROWS], sheets)
    assert read_goals(path, info()).sheet == "Tavoitteet"  # the hidden first sheet is passed over
    assert [g.text for g in read_goals(path, info(), sheet="vanhat").goals] == [ROWS[2][1]]
    [problem] = errors_of(lambda: read_goals(path, info(), sheet="Tavoitteet 2022"))
    assert "no sheet 'Tavoitteet 2022'" in problem.message and "'Muistiinpanot', 'Tavoitteet', 'Vanhat'" in problem.message


def test_cell_values_of_other_types(tmp_path):
    import datetime
    rows = [HEADER + ["Sivu", "Mittari"], [*ROWS[0], 2.0, datetime.datetime(2021, 12, 31)], [*ROWS[1], "2-3", 28.4]]
    goals = read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info()).goals
    assert goals[0].pages == [2] and goals[0].texts["metric"] == "2021-12-31"
    assert goals[1].pages == [2, 3] and goals[1].texts["metric"] == "28.4"


# --- refusals: the file as a whole ---------------------------------------------------------------

def test_png_renamed_xlsx_is_refused(tmp_path, no_openpyxl):
    path = tmp_path / "tavoitteet.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    [problem] = errors_of(lambda: read_sheet(path))
    assert problem.file == str(path) and problem.message == "not a spreadsheet: the file is a PNG image"
    assert "PNG-kuva" in problem.message_fi


def test_old_or_password_protected_workbook_is_refused(tmp_path, no_openpyxl):
    path = tmp_path / "tavoitteet.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    [problem] = errors_of(lambda: read_sheet(path))
    assert "password-protected" in problem.message and ".xls" in problem.message


@pytest.mark.parametrize("name", ["tavoitteet.xls", "tavoitteet.ods", "tavoitteet.pdf"])
def test_other_formats_are_refused_by_name(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"whatever")
    [problem] = errors_of(lambda: read_sheet(path))
    assert problem.file == str(path) and ("save it as" in problem.message or "unknown file type" in problem.message)


@pytest.mark.parametrize("name", ["goals.xlsx", "goals.csv"])
def test_empty_file_is_refused(tmp_path, name, no_openpyxl):
    path = tmp_path / name
    path.write_bytes(b"")
    [problem] = errors_of(lambda: read_sheet(path))
    assert problem.message == "the file is empty" and problem.message_fi == "tiedosto on tyhjä"


def test_workbook_named_csv_is_refused(tmp_path):
    path = save_xlsx(tmp_path / "t.xlsx", [HEADER, *ROWS])
    path = path.rename(tmp_path / "t.csv")
    [problem] = errors_of(lambda: read_sheet(path))
    assert "zip archive" in problem.message and "name it .xlsx" in problem.message


def test_file_over_the_size_limit_is_refused(tmp_path, no_openpyxl):
    path = zeros_archive(tmp_path / "big.xlsx", 2 * MB)
    limits = Limits(max_file_bytes=1000)
    [problem] = errors_of(lambda: read_sheet(path, limits=limits))
    assert "over the limit of 1000 bytes" in problem.message
    big_csv = save_csv(tmp_path / "big.csv", [HEADER, *ROWS] * 20)
    assert "over the limit" in errors_of(lambda: read_sheet(big_csv, limits=limits))[0].message


def test_zip_bomb_by_ratio_is_refused_before_openpyxl(tmp_path, no_openpyxl):
    path = zeros_archive(tmp_path / "bomb.xlsx", 4 * MB)
    [problem] = errors_of(lambda: read_sheet(path))
    assert "'xl/worksheets/sheet1.xml' would unpack to" in problem.message and "zip bomb" in problem.message
    assert "zip-pommi" in problem.message_fi


def test_zip_bomb_by_declared_total_is_refused_without_unpacking(tmp_path, no_openpyxl):
    path = zeros_archive(tmp_path / "bomb.xlsx", 1 * MB)
    set_declared_size(path, "xl/worksheets/sheet1.xml", 4_000_000_000)
    [problem] = errors_of(lambda: read_sheet(path))
    assert "would unpack to 3814.7 MB, over the limit of 256.0 MB" in problem.message
    [problem] = errors_of(lambda: read_sheet(zeros_archive(tmp_path / "b2.xlsx", 2 * MB), limits=Limits(max_ratio=10_000, max_unpacked_bytes=MB)))
    assert "over the limit of 1.0 MB" in problem.message


def test_part_that_holds_more_than_it_declares_is_refused(tmp_path, no_openpyxl):
    path = zeros_archive(tmp_path / "liar.xlsx", 2 * MB)
    set_declared_size(path, "xl/worksheets/sheet1.xml", 1000)  # small enough to pass the declared-size checks
    [problem] = errors_of(lambda: read_sheet(path))
    assert "holds more than the 1000 bytes it declares" in problem.message


def test_xml_with_a_dtd_is_refused(tmp_path, no_openpyxl):
    path = save_xlsx(tmp_path / "t.xlsx", [HEADER, *ROWS])
    entities = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    edit_member(path, "xl/workbook.xml", lambda xml: re.sub(r"(<workbook\b)", entities + r"\1", xml, count=1))
    [problem] = errors_of(lambda: read_sheet(path))
    assert "document type declaration" in problem.message and "xl/workbook.xml" in problem.message


def test_zip_that_is_no_workbook_is_refused(tmp_path, no_openpyxl):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    [problem] = errors_of(lambda: read_sheet(path))
    assert "not an Office document" in problem.message
    path.write_bytes(b"PK\x03\x04" + bytes(50))
    assert "damaged" in errors_of(lambda: read_sheet(path))[0].message
    with zipfile.ZipFile(path, "w") as archive:  # a Word document renamed
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert errors_of(lambda: read_sheet(path))[0].message == "not a readable Excel workbook: it is a Word document, not an Excel workbook"


def test_row_and_column_limits(tmp_path):
    path = save_xlsx(tmp_path / "t.xlsx", [HEADER, *ROWS])
    assert "more than 2 rows" in errors_of(lambda: read_sheet(path, limits=Limits(max_rows=2)))[0].message
    [problem] = errors_of(lambda: read_sheet(path, limits=Limits(max_columns=3)))
    assert "beyond the limit of 3 columns" in problem.message and (problem.row, problem.cell) == (1, "D1")
    text_path = save_csv(tmp_path / "t.csv", [HEADER, *ROWS])
    assert "more than 2 rows" in errors_of(lambda: read_sheet(text_path, limits=Limits(max_rows=2)))[0].message
    assert "over the limit of 3" in errors_of(lambda: read_sheet(text_path, limits=Limits(max_columns=3)))[0].message


# --- refusals: headers and cells ----------------------------------------------------------------

def test_missing_headers_say_which_and_what_was_found(tmp_path):
    path = save_xlsx(tmp_path / "t.xlsx", [["Tavoite nro", "Kuvaus", "Vastuu", "Arvio"], ["1", "Lisätään liikuntaa", "Ari Ranki", "Toteutuu täysin"]])
    problems = errors_of(lambda: read_goals(path, info()))
    assert [re.search(r"no column for '(\w+)'", p.message).group(1) for p in problems] == ["goal", "persons", "status"]
    assert all(p.row == 1 and p.sheet == "Tavoitteet" for p in problems)
    assert "'Toimialan tavoite' or 'Goal'" in problems[0].message
    assert "the headers found are: 'Tavoite nro', 'Kuvaus', 'Vastuu', 'Arvio'" in problems[0].message
    assert "löytyneet otsikot: 'Tavoite nro'" in problems[0].message_fi


def test_column_mapping_reads_another_layout(tmp_path):
    rows = [["Nro", "Ryhmä", "Kuvaus", "Vastuu", "Arvio", "Tila"],  # "Tila" here is the state of the paperwork, not the status
            ["1", "Edistämme asukkaiden hyvinvointia", "Lisätään liikuntaa", "Ari Ranki", "Toteutuu täysin", "luonnos"]]
    path = save_xlsx(tmp_path / "t.xlsx", rows)
    mapping = {"Nro": "key", "ryhmä": "theme", "Kuvaus": "goal", "Vastuu": "persons", "Arvio": "status", "Tila": None, "Huomiot": "metric"}
    table = read_goals(path, info(), mapping=mapping)
    [goal] = table.goals
    assert (goal.key, goal.theme, goal.text, goal.status) == ("1", "Edistämme asukkaiden hyvinvointia", "Lisätään liikuntaa", statuses()["toteutuu täysin"])
    assert table.columns["status"] == "Arvio"
    [warning] = table.warnings
    assert "names 'huomiot', which is not a header" in warning.message
    [problem] = errors_of(lambda: read_goals(path, info(), mapping={"Kuvaus": "description"}))
    assert "unknown field 'description'" in problem.message and "goal" in problem.message


def test_two_columns_for_one_field_are_an_error(tmp_path):
    path = save_xlsx(tmp_path / "t.xlsx", [["Tavoite", *HEADER], ["x", *ROWS[0]]])
    [problem] = errors_of(lambda: read_goals(path, info()))
    assert "columns 'Tavoite' and 'Toimialan tavoite' could both be 'goal'" in problem.message
    assert len(read_goals(path, info(), mapping={"Tavoite": None}).goals) == 1


def test_title_rows_above_the_header_unknown_columns_and_notes_beside_the_table_are_warned_about(tmp_path):
    rows = [["Toimialan tavoitteet vuodelle 2021"], [], [*HEADER, "Mitari", "Huomiot"], [*ROWS[0], "m", "sisäinen", None, "kysy Arilta"],
            [*[None] * 9, "muistiinpano"]]
    table = read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info())
    assert table.header_row == 3 and [g.row for g in table.goals] == [4]
    assert "metric" not in table.goals[0].texts
    messages = [(w.cell, w.message) for w in table.warnings]
    assert messages == [
        (None, "rows above the header row are not read: 1"),
        ("F3", "the column is not one the reader knows, so its cells are not read; did you mean 'Mittari'?"),
        ("G3", "the column is not one the reader knows, so its cells are not read"),
        ("I4", "the cell is to the right of the last header, so it is not read"),
        ("J5", "the cell is to the right of the last header, so it is not read")]


def test_csv_row_longer_than_the_header_is_an_error(tmp_path):
    path = save_csv(tmp_path / "goals.csv", [HEADER, ROWS[0], [*ROWS[1], "", "ylimääräinen"]])
    [problem] = errors_of(lambda: read_goals(path, info()))
    assert (problem.row, problem.line, problem.value) == (3, 3, "ylimääräinen") and "the row has 7 cells but the header has 5" in problem.message


def test_unknown_status_suggests_the_nearest_with_sheet_row_column_cell_in_both_languages(tmp_path):
    rows = [HEADER, ROWS[0], [*ROWS[1][:4], "Toteutuu osittin"]]
    [problem] = errors_of(lambda: read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info()))
    assert (problem.sheet, problem.row, problem.column, problem.cell, problem.value) == ("Tavoitteet", 3, "Tila", "E3", "Toteutuu osittin")
    assert "did you mean 'Toteutuu osittain'?" in problem.message
    assert problem.text("fi") == (f"{tmp_path / 't.xlsx'}, välilehti 'Tavoitteet', rivi 3, sarake 'Tila', solu E3: tuntematon tila; "
                                  "sallitut: Ei toteudu, Toteutuu osittain, Toteutuu täysin; tarkoititko 'Toteutuu osittain'? (arvo: 'Toteutuu osittin')")


def test_empty_goal_cell(tmp_path):
    rows = [HEADER, ROWS[0], [ROWS[1][0], "", *ROWS[1][2:]]]
    [problem] = errors_of(lambda: read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info()))
    assert (problem.row, problem.column, problem.cell, problem.message) == (3, "Toimialan tavoite", "B3", "the goal cell is empty")


def test_persons_cell_that_names_nobody(tmp_path):
    rows = [HEADER, [*ROWS[0][:2], " , & ", "", ROWS[0][4]]]
    [problem] = errors_of(lambda: read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info()))
    assert (problem.cell, problem.message, problem.message_fi) == ("C2", "the cell names nobody", "solussa ei ole nimeä")


def test_duplicate_goal(tmp_path):
    rows = [HEADER, *ROWS, ROWS[0]]
    problems = errors_of(lambda: read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info()))
    assert {p.row for p in problems} == {5}
    assert any("the same goal appears already on row 2" in p.message for p in problems)


def test_goal_without_anyone_responsible_is_a_warning(tmp_path):
    rows = [HEADER, ROWS[0], [*ROWS[1][:2], "", "", ROWS[1][4]]]
    table = read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info())
    assert len(table.goals) == 2 and table.goals[1].responsible == []
    [warning] = table.warnings
    assert (warning.severity, warning.row, warning.cell) == ("warning", 3, "C3") and "nobody responsible" in warning.message


def test_goal_without_theme_is_an_error(tmp_path):
    rows = [HEADER[1:], [*ROWS[0][1:]]]
    [problem] = errors_of(lambda: read_goals(save_xlsx(tmp_path / "t.xlsx", rows), info()))
    assert problem.row == 2 and "the goal has no theme" in problem.message


# --- a document folder whose goal table is a workbook ---------------------------------------

def test_document_toml_names_a_workbook_its_sheet_and_a_mapping(document_copy):
    rows = bundled_rows()
    rows[0] = ["Kuvaus" if h == "Toimialan tavoite" else h for h in rows[0]] + ["Muistiinpanot"]
    for row in rows[1:]:
        row.append("sisäinen")
    save_xlsx(document_copy / "tavoitteet.xlsx", rows, lambda wb, ws: wb.create_sheet("Ohjeet", 0), title="KASO 2021")
    toml = (document_copy / "document.toml").read_text(encoding="utf-8")
    toml = toml.replace('goals = "goals.csv"', 'goals = "tavoitteet.xlsx"\ngoals_sheet = "KASO 2021"')
    toml += '\n[columns]\n"Kuvaus" = "goal"\n"Muistiinpanot" = ""  # not read, and no warning about it\n'
    (document_copy / "document.toml").write_text(toml, encoding="utf-8")
    (document_copy / "goals.csv").unlink()
    document = read_document(document_copy)
    assert [g.key for g in document.goals] == [g.key for g in read_document(KASO).goals]
    assert len(document.numbers) > 0 and document.warnings == []


# --- the template ---------------------------------------------------------------------------

def test_template_reads_as_a_table_without_goals(tmp_path):
    path = write_template(tmp_path / "pohja.xlsx", year=2023)
    document_info = info(2023)
    table = read_goals(path, document_info)
    assert (table.goals, table.warnings, table.sheet) == ([], [], "Tavoitteet")
    assert set(table.columns) == {"key", "theme", "goal", "metric", "baseline", "target", "persons", "body", "outcome", "status", "pages"}
    assert (document_info.baseline_date.isoformat(), document_info.target_period, document_info.outcome_month) == ("2021-12-31", 2023, (2023, 12))
    [problem] = errors_of(lambda: read_goal_table(path, info(2023)))
    assert problem.message == "the table has no goal rows"


def test_template_layout(tmp_path):
    path = write_template(tmp_path / "pohja.xlsx", year=2021)
    workbook = openpyxl.load_workbook(path)
    goals, notes = workbook.worksheets
    assert (goals.title, notes.title) == ("Tavoitteet", "Ohjeet")
    assert [c.value for c in goals[1]] == bundled_rows()[0]  # the source's headers, as goals.csv writes them
    assert goals.freeze_panes == "A2" and goals.column_dimensions["C"].width > 30
    [choices] = goals.data_validations.dataValidation
    labels = status_labels_ordered("fi")
    assert choices.type == "list" and choices.formula1 == '"Toteutuu täysin,Toteutuu osittain,Ei toteudu"' and str(choices.sqref) == "J2:J201"
    assert all(label.casefold() in statuses() for label in labels)
    explained = "\n".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    for header in template_headers("fi", 2021) + template_headers("en", 2021):
        assert header in explained
    assert "Hidden rows are not read" in explained and "Piilotettuja rivejä ei lueta" in explained


@pytest.mark.parametrize("language", ["fi", "en"])
def test_filled_in_template_reads_into_goals(tmp_path, language):
    path = write_template(tmp_path / "pohja.xlsx", language, year=2022)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    full, partly, _ = status_labels_ordered(language)
    sheet.append(["liikunta", ROWS[0][0], "Lisätään liikuntaa", "Liikuntatunnit", "2 h", "3 h", "Ari Ranki", "", "3 h", full, 1])
    sheet.append([None, None, "Lyhennetään jonoja", None, None, None, "palvelualuejohtajat", "Opintopolut ja ohjaus kehittämisryhmä", None, partly, "2, 3"])
    workbook.save(path)
    document_info = info(2022)
    table = read_goals(path, document_info)
    assert table.warnings == []
    assert [(g.key, g.row, g.theme, g.status) for g in table.goals] == [
        ("liikunta", 2, ROWS[0][0], statuses()["toteutuu täysin"]),
        ("lyhennetaan-jonoja", 3, ROWS[0][0], statuses()["toteutuu osittain"])]
    assert table.goals[0].texts == {"metric": "Liikuntatunnit", "baseline": "2 h", "target": "3 h", "outcome": "3 h"}
    assert [(r.name, r.kind, r.role) for r in table.goals[1].responsible] == [
        ("palvelualuejohtajat", "post", "person"), ("Opintopolut ja ohjaus kehittämisryhmä", "unit", "body")]
    assert table.goals[1].pages == [2, 3] and document_info.target_period == 2022
