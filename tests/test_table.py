"""Reading goal tables: the source's layout, its variants, and errors that name row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kasograph.errors import InputError
from kasograph.source.names import classify, split_responsibility_cell
from kasograph.source.table import read_document


def rewrite(folder: Path, change) -> None:
    """Apply `change(rows)` to the goal table (rows include the header)."""
    path = folder / "goals.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def problems_of(folder: Path) -> list:
    with pytest.raises(InputError) as caught:
        read_document(folder)
    return caught.value.problems


def test_bundled_table_reads_ten_goals_with_column_dates(document):
    assert len(document.goals) == 10
    assert document.info.baseline_date.isoformat() == "2019-12-31"  # "Lähtötaso v:n 2019 loppu"
    assert document.info.target_period == 2021  # "Tavoitetaso 2021"
    assert document.info.outcome_month == (2021, 12)  # "Toteuma 12/2021"
    multilingual = next(g for g in document.goals if g.key == "monikieliset-opintopolut")
    assert multilingual.texts["outcome"].count("\n") == 4  # five paragraphs, as printed


def test_responsibility_cell_rules():
    persons, bodies = split_responsibility_cell(
        "Sole Askola-Vehviläinen, Ilkka Kalo ja Anders Vikström Vastuutaho: Opiskeluhuolto ja hyvinvointi kehittämisryhmä")
    assert persons == ["Sole Askola-Vehviläinen", "Ilkka Kalo", "Anders Vikström"]
    assert bodies == ["Opiskeluhuolto ja hyvinvointi kehittämisryhmä"]
    assert classify("Palvelualuejohtajat") == "post"
    assert classify("osallisuusasiantuntija") == "post"
    assert classify("KASOn johtoryhmä") == "unit"
    assert classify("Eila Tanninen") == "person"
    assert classify("vastaava ohjaaja 2") is None


def test_theme_headings_as_rows_and_body_inside_persons_cell(document_copy):
    """The layout of the printed source: themes as rows between goals, 'Vastuutaho:' in the persons cell."""

    def to_source_layout(rows):
        header = rows[0]
        theme_at, persons_at, body_at = header.index("Teema"), header.index("Vastuuhenkilö(t)"), header.index("Vastuutaho")
        out, theme = [[h for i, h in enumerate(header) if i not in (theme_at, body_at)]], None
        for row in rows[1:]:
            if row[theme_at] != theme:
                theme = row[theme_at]
                heading = [""] * len(out[0])
                heading[0] = theme
                out.append(heading)
            if row[body_at]:
                row[persons_at] += "\nVastuutaho:\n" + row[body_at]
            out.append([c for i, c in enumerate(row) if i not in (theme_at, body_at)])
        rows[:] = out

    original = read_document(document_copy)
    rewrite(document_copy, to_source_layout)
    reread = read_document(document_copy)
    assert [(g.key, g.theme, g.responsible) for g in reread.goals] == [(g.key, g.theme, g.responsible) for g in original.goals]


def test_english_headers_and_semicolons(document_copy):
    english = {"Teema": "Theme", "Toimialan tavoite": "Goal", "Mittari": "Metric", "Lähtötaso v:n 2019 loppu": "Baseline 2019",
               "Tavoitetaso 2021": "Target 2021", "Vastuuhenkilö(t)": "Responsible persons", "Vastuutaho": "Responsible body",
               "Toteuma 12/2021": "Outcome 12/2021", "Tila": "Status", "Sivu": "Page", "Tunniste": "ID"}
    rewrite(document_copy, lambda rows: rows.__setitem__(0, [english[h] for h in rows[0]]))
    path = document_copy / "goals.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    document = read_document(document_copy)
    assert len(document.goals) == 10
    assert document.info.target_period == 2021


def test_unknown_status_suggests_the_nearest(document_copy):
    rewrite(document_copy, lambda rows: rows[3].__setitem__(rows[0].index("Tila"), "Toteutuu osittin"))
    [problem] = problems_of(document_copy)
    assert (problem.row, problem.column, problem.value) == (4, "Tila", "Toteutuu osittin")
    assert "unknown status" in problem.message and "'Toteutuu osittain'" in problem.message
    assert "tuntematon tila" in problem.message_fi
    assert "goals.csv, row 4" in str(problem) and "column 'Tila'" in str(problem)


def test_empty_goal_cell(document_copy):
    rewrite(document_copy, lambda rows: rows[2].__setitem__(rows[0].index("Toimialan tavoite"), ""))
    [problem] = problems_of(document_copy)
    assert (problem.row, problem.column) == (3, "Toimialan tavoite")
    assert "empty" in problem.message


def test_duplicate_goal(document_copy):
    def duplicate(rows):
        copy = list(rows[1])
        copy[0] = "toinen"
        rows.append(copy)
    rewrite(document_copy, duplicate)
    [problem] = problems_of(document_copy)
    assert problem.row == 12 and "same goal appears already on row 2" in problem.message


def test_name_that_is_neither_person_nor_post_nor_group(document_copy):
    rewrite(document_copy, lambda rows: rows[1].__setitem__(rows[0].index("Vastuuhenkilö(t)"), "Ari Ranki & vastaava ohjaaja 2"))
    [problem] = problems_of(document_copy)
    assert problem.column == "Vastuuhenkilö(t)" and problem.value == "vastaava ohjaaja 2"


def test_missing_headers(document_copy):
    rewrite(document_copy, lambda rows: rows.__setitem__(0, ["Sarake"] * len(rows[0])))
    problems = problems_of(document_copy)
    assert {p.row for p in problems} == {1}
    assert any("'goal'" in p.message for p in problems)


def test_malformed_csv_names_the_line(document_copy):
    path = document_copy / "goals.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'x,"unterminated\n', encoding="utf-8")
    [problem] = problems_of(document_copy)
    assert problem.line is not None and "malformed" in problem.message


def test_utf16_and_windows_1252_are_read_as_excel_writes_them(document_copy, document):
    path = document_copy / "goals.csv"
    text = path.read_text(encoding="utf-8")
    for encoding in ("utf-16", "cp1252"):  # "Unicode text" (with a byte-order mark); "CSV" on Windows
        path.write_bytes(text.encode(encoding))
        assert read_document(document_copy).goals == document.goals


def test_not_text(document_copy):
    path = document_copy / "goals.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))  # no byte-order mark: NULs everywhere
    [problem] = problems_of(document_copy)
    assert "NUL" in problem.message and "CSV UTF-8" in problem.message


def test_number_quote_must_be_in_its_cell(document_copy):
    path = document_copy / "numbers.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("yhteensä 5 koulutusta", "yhteensä 6 koulutusta"), encoding="utf-8")
    [problem] = problems_of(document_copy)
    assert problem.file.endswith("numbers.csv") and problem.column == "quote" and problem.row == 5
