"""Read a document's goal table (and its small companion tables) into records.

A document is a folder with a `document.toml` that names its tables. The goal
table is laid out as the city publishes it: the Finnish headers as written in
the source ("Toimialan tavoite", "Lähtötaso v:n 2019 loppu", …) or their English
equivalents, theme headings either as a column or as rows between goal rows,
and "Vastuutaho:" either inside the persons cell or in a column of its own.

The cells come from `spreadsheet.read_sheet`, which reads CSV and Excel files
alike (encodings, delimiters, merged cells, hidden rows, formulas, size
limits); this module interprets the rows, the same way whatever the file was.
The header row is the best-matching of the first rows with content, so a
title above it is allowed; a column mapping names headers the patterns do not
know.

Every problem is collected and reported with file, sheet, row, column, cell
and value; if there is any error, nothing is returned. Warnings (hidden rows,
unread columns, a goal without anyone responsible) do not stop the reading.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kasograph.errors import InputError, Problem, Severity
from kasograph.source.names import classify, name_key, slug, split_bodies, split_responsibility_cell, tidy
from kasograph.source.records import TEXT_COLUMNS, Document, DocumentInfo, Goal, Mention, Responsible, StatedNumber
from kasograph.source.spreadsheet import DEFAULT_LIMITS, SUFFIXES, WORKBOOK_SUFFIXES, Limits, Sheet, SheetRow, read_sheet
from kasograph.vocabulary import COMPARATORS, status_labels, statuses

# Header patterns, matched against the header with whitespace collapsed and case folded.
HEADERS: dict[str, tuple[str, ...]] = {
    "key": (r"tunniste", r"id", r"key"),
    "theme": (r"teema", r"strategian teema", r"theme", r"strategy theme"),
    "goal": (r"toimialan tavoite", r"tavoite", r"goal", r"division'?s goal"),
    "metric": (r"mittari", r"metric", r"indicator"),
    "baseline": (r"lähtötaso\b.*", r"baseline\b.*"),
    "target": (r"tavoitetaso\b.*", r"target\b.*"),
    "persons": (r"vastuuhenkilö(\(t\)|t)?", r"responsible person(\(s\)|s)?"),
    "body": (r"vastuutaho", r"responsible body"),
    "outcome": (r"toteuma\b.*", r"outcome\b.*"),
    "status": (r"tila", r"status"),
    "pages": (r"sivu(t)?", r"page(s)?"),
}
REQUIRED = ("goal", "persons", "status")
UNITS = ("count", "percent", "date")
MENTION_KINDS = ("organisation", "network", "school", "working-group", "unit", "project", "programme", "system", "survey")
_ISO_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


#: The headers the template writes and messages name, (Finnish as the source writes them, English);
#: "{year}" is the target year, "{baseline}" the year whose end is the baseline.
FIELD_HEADERS: dict[str, tuple[str, str]] = {
    "key": ("Tunniste", "ID"),
    "theme": ("Teema", "Theme"),
    "goal": ("Toimialan tavoite", "Goal"),
    "metric": ("Mittari", "Metric"),
    "baseline": ("Lähtötaso v:n {baseline} loppu", "Baseline {baseline}"),
    "target": ("Tavoitetaso {year}", "Target {year}"),
    "persons": ("Vastuuhenkilö(t)", "Responsible persons"),
    "body": ("Vastuutaho", "Responsible body"),
    "outcome": ("Toteuma 12/{year}", "Outcome 12/{year}"),
    "status": ("Tila", "Status"),
    "pages": ("Sivu", "Page"),
}
HEADER_SEARCH_ROWS = 10  # the header is the best-matching of the first rows with content (titles may stand above it)


@dataclass
class _Row:
    number: int  # spreadsheet row (the header is row 1)
    line: int | None  # first physical line in the file
    cells: dict[str, str]


@dataclass
class GoalTable:
    """What a goal table holds: its goals, what was noticed on the way, and where it came from.

    `columns` maps each recognised field (a key of `HEADERS`) to the header as
    written; `header_row` is the row those headers stand on. An empty table
    (a fresh template) has no goals and no problems.
    """

    goals: list[Goal]
    warnings: list[Problem]
    file: str
    sheet: str | None
    columns: dict[str, str]
    header_row: int


def read_document(path: Path, *, sheet: str | None = None, mapping: Mapping[str, str | None] | None = None,
                  limits: Limits = DEFAULT_LIMITS, metadata: Mapping[str, Mapping[str, object]] | None = None,
                  sidecar: Path | None = None) -> Document:
    """Read a document folder (or its document.toml, or a goal table inside it, or a lone table).

    The goal table is the folder's `[tables] goals` (default goals.csv), or the
    table given as `path`: CSV or an Excel workbook. What the table does not say
    (id, title, year, city, division, …) comes from a sidecar: `sidecar`, else
    `TABLE.toml` beside a lone table, else the folder's document.toml; and from
    `metadata` ({section: {key: value}} as in document.toml), which overrides it.
    A lone table needs no sidecar when `metadata` names the document; its id
    defaults to city-division-year. `sheet` and `mapping` (see `read_goals`)
    default to `[tables] goals_sheet` and the `[columns]` table of the sidecar.
    The document's `warnings` hold what was read with misgivings.
    """
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), "the file does not exist", "tiedostoa ei ole")])
    folder = path if path.is_dir() else path.parent
    is_table = path.is_file() and path.suffix.lower() in SUFFIXES
    if path.is_file() and not is_table and path.suffix.lower() != ".toml":
        # Else the folder's goals.csv would be looked for, and its absence reported instead of this file.
        raise InputError([Problem(str(path), f"not a goal table ({', '.join(SUFFIXES)}), a document folder or its document.toml",
                                  f"ei tavoitetaulukko ({', '.join(SUFFIXES)}), asiakirjakansio eikä sen document.toml")])
    if sidecar is None:
        beside = path.with_suffix(".toml") if is_table else path if path.is_file() else None
        sidecar = beside if beside is not None and beside.is_file() else folder / "document.toml"
    if not sidecar.is_file() and not metadata:
        raise InputError([Problem(str(path), "no document.toml found beside the table; it names the document (id, title, year, city, division): "
                                  "write one, or give them as options (kasograph import --title … --city … --division … --year …)",
                                  "taulukon vierestä puuttuu document.toml, joka nimeää asiakirjan: kirjoita se tai anna tiedot valitsimina")])
    config = _read_toml(sidecar) if sidecar.is_file() else {}
    for section, values in (metadata or {}).items():
        config.setdefault(section, {}).update({k: v for k, v in values.items() if v not in (None, "")})
    document_section = config.setdefault("document", {})
    organisation = config.get("organisation", {})
    if not document_section.get("id") and organisation.get("city") and document_section.get("year"):
        document_section["id"] = slug(f"{organisation['city']}-{organisation.get('division_abbreviation') or organisation.get('division', '')}"
                                      f"-{document_section['year']}")
    info = _document_info(config, sidecar if sidecar.is_file() else path)
    tables = config.get("tables", {})
    goals_file = folder / tables.get("goals", "goals.csv")
    if is_table:
        goals_file = path
    if sheet is None and goals_file.suffix.lower() in WORKBOOK_SUFFIXES:
        sheet = tables.get("goals_sheet")
    if mapping is None:
        mapping = config.get("columns")
    table = _with_goals(read_goals(goals_file, info, sheet=sheet, mapping=mapping, limits=limits))
    goals = table.goals
    problems: list[Problem] = []
    by_key = {g.key: g for g in goals}
    numbers = _read_numbers(folder / tables["numbers"], by_key, problems) if "numbers" in tables else []
    mentions = _read_mentions(folder / tables["mentions"], by_key, problems) if "mentions" in tables else []
    translations = _read_translations(folder / tables["translations_en"], problems) if "translations_en" in tables else {}
    source_text = None
    if config.get("document", {}).get("source_text"):
        source_file = folder / config["document"]["source_text"]
        if not source_file.is_file():
            problems.append(Problem(str(sidecar), f"source_text file {source_file.name!r} does not exist", f"lähdetekstiä {source_file.name!r} ei löydy"))
        else:
            source_text = source_file.read_text(encoding="utf-8")
    if problems:
        raise InputError(problems, table.warnings)
    return Document(info, goals, numbers, mentions, translations, source_text, folder, warnings=table.warnings)


def read_goal_table(path: Path, info: DocumentInfo, *, sheet: str | None = None, mapping: Mapping[str, str | None] | None = None,
                    limits: Limits = DEFAULT_LIMITS) -> list[Goal]:
    """Read the goal table; fill the column dates of `info` from its headers. A table without goals is an error."""
    return _with_goals(read_goals(path, info, sheet=sheet, mapping=mapping, limits=limits)).goals


def _with_goals(table: GoalTable) -> GoalTable:
    """The table, if it has goals: an empty one cannot be built into a document."""
    if not table.goals:
        raise InputError([Problem(table.file, "the table has no goal rows", "taulukossa ei ole tavoiterivejä", sheet=table.sheet)], table.warnings)
    return table


def read_goals(path: Path, info: DocumentInfo, *, sheet: str | None = None, mapping: Mapping[str, str | None] | None = None,
               limits: Limits = DEFAULT_LIMITS) -> GoalTable:
    """Read a goal table from an Excel workbook (.xlsx, .xlsm) or a CSV file (.csv, .tsv, .txt).

    `sheet`: the worksheet to read (default: the first visible one).
    `mapping`: {header as written in the file → field} for layouts whose headers
    the reader does not recognise; fields are the keys of `HEADERS` (goal,
    persons, status, theme, metric, …); a field of None or "" leaves that column
    unread. Headers are matched ignoring case and runs of whitespace; headers
    not in the mapping are still recognised as usual.
    `limits`: sizes beyond which a file is refused (`spreadsheet.Limits`).

    Fills the column dates of `info` from the headers. Returns the goals and
    warnings; raises `InputError` with every error (and the warnings) found.
    An empty table gives no goals and no error.
    """
    return goals_from_sheet(read_sheet(path, sheet=sheet, limits=limits), info, mapping=mapping)


def goals_from_sheet(sheet: Sheet, info: DocumentInfo, *, mapping: Mapping[str, str | None] | None = None) -> GoalTable:
    """Interpret the rows of a sheet as a goal table: the one reading of goal tables, for CSV and Excel alike."""
    return _SheetReading(sheet, info, mapping).goals()


class _SheetReading:
    """One reading of a sheet as a goal table: the header first, then row after row; every problem is
    noted where it is found (file, sheet, row, line, column, cell) and all are raised together."""

    def __init__(self, sheet: Sheet, info: DocumentInfo, mapping: Mapping[str, str | None] | None):
        self.sheet, self.info, self.file = sheet, info, sheet.file
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = list(sheet.warnings)
        self.wanted = _check_mapping(mapping, sheet.file)
        self.headers: list[str] = []
        self.columns: dict[str, int] = {}
        self.seen_keys: dict[str, int] = {}
        self.seen_texts: dict[str, int] = {}

    def at(self, row: int | None, line: int | None, index: int | None, en: str, fi: str, value: str | None = None,
           severity: Severity = "error") -> None:
        column = self.headers[index] if index is not None and index < len(self.headers) else None
        cell = self.sheet.cell_ref(row, index) if row is not None and index is not None else None
        (self.warnings if severity == "warning" else self.problems).append(
            Problem(self.file, en, fi, row=row, line=line, column=column or None, value=value, sheet=self.sheet.name,
                    cell=cell, severity=severity))

    def goals(self) -> GoalTable:
        if not self.sheet.rows:
            raise InputError([Problem(self.file, "the table is empty: it has no header row", "taulukko on tyhjä: siinä ei ole otsikkoriviä",
                                      sheet=self.sheet.name)], self.warnings)
        header = self._header()
        goals: list[Goal] = []
        theme = ""
        for row in self.sheet.rows:
            if row.number > header.number:
                theme = self._row(row, theme, goals)
        self.warnings.sort(key=lambda w: w.row or 0)  # in the order of the sheet
        if self.problems:
            raise InputError(self.problems, self.warnings)
        return GoalTable(goals, self.warnings, self.file, self.sheet.name, {f: self.headers[i] for f, i in self.columns.items()},
                         header.number)

    # The header ---------------------------------------------------------------------------------
    def _header(self):
        """Find the header row and its columns; raise if a required column is missing or ambiguous."""
        header, self.headers, self.columns, ambiguous = _find_header(self.sheet.rows, self.wanted)
        headers, columns = self.headers, self.columns
        for field_name, indexes in ambiguous.items():
            names = " and ".join(repr(headers[i]) for i in indexes)
            self.at(header.number, header.line, None, f"columns {names} could both be '{field_name}'; say which in a column mapping",
                    f"sarakkeet {names} voisivat kumpikin olla '{field_name}'; kerro kumpi sarakevastaavuudessa")
        for index, (en, fi) in sorted(header.faults.items()):
            self.at(header.number, header.line, index, en, fi)
        missing = [f for f in REQUIRED if f not in columns]
        if missing:
            found = ", ".join(repr(h) for h in headers if h) or "none"
            found_fi = ", ".join(repr(h) for h in headers if h) or "ei yhtään"
            for field_name in missing:
                fi_header, en_header = (h.format(year="VVVV", baseline="VVVV") for h in FIELD_HEADERS[field_name])
                self.at(header.number, header.line, None,
                        f"no column for '{field_name}' (a header such as {fi_header!r} or {en_header!r}); the headers found are: {found}",
                        f"sarake '{field_name}' puuttuu (otsikko kuten {fi_header!r} tai {en_header!r}); löytyneet otsikot: {found_fi}")
        if self.problems:
            raise InputError(self.problems, self.warnings)
        self._header_warnings(header)
        _dates_from_headers({f: headers[i] for f, i in columns.items()}, self.info)
        return header

    def _header_warnings(self, header) -> None:
        """Mapped headers the table lacks, columns nobody reads, rows above the header."""
        for key in self.wanted:
            if not any(_fold(h) == key for h in self.headers):
                self.at(header.number, header.line, None, f"the column mapping names {key!r}, which is not a header of the table",
                        f"sarakevastaavuus nimeää otsikon {key!r}, jota taulukossa ei ole", severity="warning")
        known = {h for pattern in FIELD_HEADERS.values() for h in pattern}
        for index, name in enumerate(self.headers):
            if name and index not in self.columns.values() and _fold(name) not in self.wanted:
                nearest = difflib.get_close_matches(name, [h.format(year=self.info.year, baseline=self.info.year - 2) for h in known],
                                                    n=1, cutoff=0.6)
                hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
                hint_fi = f"; tarkoititko {nearest[0]!r}?" if nearest else ""
                self.at(header.number, header.line, index, f"the column is not one the reader knows, so its cells are not read{hint}",
                        f"sarake ei ole lukijan tuntema, joten sen soluja ei lueta{hint_fi}", severity="warning")
        above = [r.number for r in self.sheet.rows if r.number < header.number]
        if above:
            self.at(above[0], None, None, f"rows above the header row are not read: {', '.join(map(str, above))}",
                    f"otsikkorivin yläpuolisia rivejä ei lueta: {', '.join(map(str, above))}", severity="warning")

    # The rows -----------------------------------------------------------------------------------
    def _row(self, row, theme: str, goals: list[Goal]) -> str:
        """Read one row below the header (a goal, a theme heading, or nothing); the theme that follows it."""
        values, headers, columns = row.values, self.headers, self.columns
        beyond = [i for i in range(len(headers), len(values)) if values[i].strip() and i not in row.copied]
        if beyond and self.sheet.kind == "csv":  # a delimiter too many: the row's cells may have shifted
            self.at(row.number, row.line, None, f"the row has {len(values)} cells but the header has {len(headers)}",
                    f"rivillä on {len(values)} solua, otsikkorivillä {len(headers)}", values[beyond[0]])
            return theme
        if beyond:  # in a workbook cells cannot shift: a note beside the table
            self.at(row.number, row.line, beyond[0], "the cell is to the right of the last header, so it is not read",
                    "solu on viimeisen otsikon oikealla puolella, joten sitä ei lueta", values[beyond[0]], "warning")
        filled = [i for i, v in enumerate(values[: len(headers)]) if v.strip()]
        if not filled:
            return theme
        faulty = [i for i in sorted(row.faults) if i in columns.values()]
        for index in faulty:
            en, fi = row.faults[index]
            self.at(row.number, row.line, index, en, fi, values[index] if index < len(values) else None)
        if faulty:
            return theme
        cell = {field_name: row.value(index).strip() for field_name, index in columns.items()}
        originals = [i for i in filled if i not in row.copied]
        if ("theme" not in columns and len(originals) == 1 and originals[0] != columns.get("status")
                and all(values[i] == values[originals[0]] for i in filled)):
            return tidy(values[originals[0]])  # a theme heading between goal rows, as in the source (maybe merged across)
        if "theme" in columns and cell["theme"]:
            theme = tidy(cell["theme"])
        goal = self._goal(row, cell, theme)
        if goal is not None:
            goals.append(goal)
        return theme

    def _problem(self, row, field_name: str, en: str, fi: str, value: str | None = None, severity: Severity = "error") -> None:
        self.at(row.number, row.line, self.columns.get(field_name), en, fi, value, severity)

    def _goal(self, row, cell: dict[str, str], theme: str) -> Goal | None:
        text = tidy(cell.get("goal", ""))
        if not text:
            self._problem(row, "goal", "the goal cell is empty", "tavoitesolu on tyhjä")
            return None
        if not theme:
            self._problem(row, "theme", "the goal has no theme (no theme column value and no theme heading row above it)",
                          "tavoitteella ei ole teemaa (ei teemasaraketta eikä teemaotsikkoriviä sen yläpuolella)", text)
        status = self._status(row, tidy(cell.get("status", "")))
        key = slug(cell.get("key") or "") or slug(text, max_words=6)
        if key in self.seen_keys:
            self._problem(row, "key" if cell.get("key") else "goal", f"the same goal key {key!r} is already used on row {self.seen_keys[key]}",
                          f"sama tavoitteen tunniste {key!r} on jo rivillä {self.seen_keys[key]}", key)
        if text.casefold() in self.seen_texts:
            self._problem(row, "goal", f"the same goal appears already on row {self.seen_texts[text.casefold()]}",
                          f"sama tavoite on jo rivillä {self.seen_texts[text.casefold()]}", text)
        self.seen_keys.setdefault(key, row.number)
        self.seen_texts.setdefault(text.casefold(), row.number)
        texts = {c: _paragraphs(cell[c]) for c in TEXT_COLUMNS if cell.get(c, "").strip()}
        return Goal(key, row.number, theme, text, status or "", texts, self._responsible(row, cell), self._pages(row, cell.get("pages", "")))

    def _status(self, row, status_text: str):
        status = statuses().get(status_text.casefold())
        if status is None:
            allowed = status_labels("fi")
            nearest = difflib.get_close_matches(status_text, allowed + status_labels("en"), n=1, cutoff=0.4)
            hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
            hint_fi = f"; tarkoititko {nearest[0]!r}?" if nearest else ""
            what = "the status is empty" if not status_text else "unknown status"
            what_fi = "tila puuttuu" if not status_text else "tuntematon tila"
            self._problem(row, "status", f"{what}; allowed: {', '.join(allowed)}{hint}", f"{what_fi}; sallitut: {', '.join(allowed)}{hint_fi}",
                          status_text or None)
        return status

    def _responsible(self, row, cell: dict[str, str]) -> list[Responsible]:
        responsible: list[Responsible] = []
        persons_part, bodies = split_responsibility_cell(cell.get("persons", ""))
        bodies += split_bodies(cell.get("body", ""))
        for names, role, field_name in ((persons_part, "person", "persons"), (bodies, "body", "body" if "body" in self.columns else "persons")):
            for name in names:
                kind = classify(name)
                if kind is None:
                    self._problem(row, field_name, f"cannot tell whether {name!r} is a person, a post or a group",
                                  f"ei voi päätellä, onko {name!r} henkilö, nimike vai ryhmä", name)
                    continue
                if any(name_key(r.name) == name_key(name) for r in responsible):
                    continue
                responsible.append(Responsible(name, kind, role))
        if cell.get("persons", "").strip() and not persons_part and not bodies:
            self._problem(row, "persons", "the cell names nobody", "solussa ei ole nimeä", cell.get("persons"))
        elif not cell.get("persons") and not cell.get("body"):
            self._problem(row, "persons", "the goal names nobody responsible (no person and no body)",
                          "tavoitteelle ei ole nimetty vastuuhenkilöä eikä vastuutahoa", severity="warning")
        return responsible

    def _pages(self, row, written: str) -> list[int]:
        pages: list[int] = []
        for part in re.split(r"[,\s]+", written):
            if not part:
                continue
            if "-" in part or "–" in part:
                bounds = re.split(r"[-–]", part)
                if len(bounds) == 2 and all(b.isdigit() for b in bounds) and int(bounds[0]) <= int(bounds[1]):
                    pages.extend(range(int(bounds[0]), int(bounds[1]) + 1))
                    continue
            if part.isdigit() and int(part) > 0:
                pages.append(int(part))
            else:
                self._problem(row, "pages", "a page must be a positive whole number (or several: '2, 3')",
                              "sivun on oltava positiivinen kokonaisluku (tai useita: '2, 3')", written)
                break
        return pages


def _paragraphs(text: str) -> str:
    """Paragraphs kept as single line breaks; runs of whitespace within them collapsed."""
    paragraphs = [tidy(p) for p in re.split(r"\n", text)]
    return "\n".join(p for p in paragraphs if p)


def _fold(header: str) -> str:
    return tidy(header).casefold()


def _check_mapping(mapping: Mapping[str, str | None] | None, file: str) -> dict[str, str | None]:
    """The mapping with its headers folded; an unknown field is an error."""
    wanted: dict[str, str | None] = {}
    problems = []
    for header, field_name in (mapping or {}).items():
        field_name = field_name or None  # "" (TOML has no null) leaves the column unread, as None does
        if field_name is not None and field_name not in HEADERS:
            problems.append(Problem(file, f"the column mapping gives {header!r} the unknown field {field_name!r}; the fields are: {', '.join(HEADERS)}",
                                    f"sarakevastaavuus antaa otsikolle {header!r} tuntemattoman kentän {field_name!r}; kentät ovat: {', '.join(HEADERS)}"))
        wanted[_fold(header)] = field_name
    targets = [f for f in wanted.values() if f is not None]
    for field_name in sorted({f for f in targets if targets.count(f) > 1}):
        problems.append(Problem(file, f"the column mapping gives several headers the field {field_name!r}",
                                f"sarakevastaavuus antaa kentän {field_name!r} usealle otsikolle"))
    if problems:
        raise InputError(problems)
    return wanted


def _match_headers(headers: list[str], wanted: Mapping[str, str | None]) -> tuple[dict[str, int], dict[str, list[int]]]:
    """(field → column index, field → indexes of several columns that match it). The mapping comes first."""
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        folded = _fold(header)
        if folded in wanted and wanted[folded] is not None and wanted[folded] not in columns:
            columns[wanted[folded]] = index
    candidates: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        folded = _fold(header)
        if not folded or folded in wanted:
            continue
        for field_name, patterns in HEADERS.items():
            if field_name not in columns and any(re.fullmatch(p, folded) for p in patterns):
                candidates.setdefault(field_name, []).append(index)
                break
    ambiguous = {f: i for f, i in candidates.items() if len(i) > 1}
    columns.update({f: i[0] for f, i in candidates.items()})
    return columns, ambiguous


def _find_header(rows: list[SheetRow], wanted: Mapping[str, str | None]) -> tuple[SheetRow, list[str], dict[str, int], dict[str, list[int]]]:
    """The header row: of the first rows with content, the first with every required column, else the best match."""
    best = None
    for row in rows[:HEADER_SEARCH_ROWS]:
        headers = [tidy(v) for v in row.values]
        columns, ambiguous = _match_headers(headers, wanted)
        score = (sum(f in columns for f in REQUIRED), len(columns))
        if best is None or score > best[0]:
            best = (score, row, headers, columns, ambiguous)
        if score[0] == len(REQUIRED):
            break
    _, row, headers, columns, ambiguous = best
    return row, headers, columns, ambiguous


def _dates_from_headers(columns: dict[str, str], info: DocumentInfo) -> None:
    """'Lähtötaso v:n 2019 loppu' → 2019-12-31; 'Tavoitetaso 2021' → 2021; 'Toteuma 12/2021' → 2021-12."""
    if info.baseline_date is None and (m := re.search(r"(\d{4})", columns.get("baseline", ""))):
        info.baseline_date = date(int(m.group(1)), 12, 31)
    if info.target_period is None and (m := re.search(r"(\d{4})", columns.get("target", ""))):
        info.target_period = int(m.group(1))
    if info.outcome_month is None and (m := re.search(r"(\d{1,2})\s*/\s*(\d{4})", columns.get("outcome", ""))):
        info.outcome_month = (int(m.group(2)), int(m.group(1)))


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise InputError([Problem(str(path), f"malformed TOML: {error}", f"virheellinen TOML: {error}",
                                  line=int(line.group(1)) if line else None)]) from None


def _document_info(config: dict, path: Path) -> DocumentInfo:
    document = config.get("document", {})
    organisation = config.get("organisation", {})
    dataset = config.get("dataset", {})
    problems = []
    for section, key, value in (("document", "id", document.get("id")), ("document", "title", document.get("title")),
                                ("document", "year", document.get("year")), ("organisation", "city", organisation.get("city")),
                                ("organisation", "division", organisation.get("division"))):
        if not value:
            problems.append(Problem(str(path), f"[{section}] {key} is missing", f"[{section}] {key} puuttuu"))
    if document.get("id") and slug(str(document["id"])) != document["id"]:
        problems.append(Problem(str(path), "[document] id must be lower-case letters, digits and '-' (it goes into IRIs)",
                                "[document] id saa sisältää vain pieniä kirjaimia, numeroita ja '-'", value=str(document["id"])))
    if problems:
        raise InputError(problems)
    return DocumentInfo(
        id=document["id"], title=document["title"], language=document.get("language", "fi"), year=int(document["year"]),
        city=organisation["city"], division=organisation["division"],
        division_abbreviation=organisation.get("division_abbreviation", ""), pages=document.get("pages"),
        publisher=dataset.get("publisher", "kasograph project"), license=dataset.get("license", ""),
        rights=" ".join(dataset.get("rights", "").split()), source_url=document.get("source_url", ""),
    )


def _read_table(path: Path) -> tuple[list[str], list[_Row]]:
    """A companion table (numbers, mentions, translations): headers on its first row, cells by header."""
    sheet = read_sheet(path)
    if not sheet.rows:
        raise InputError([Problem(str(path), "the file is empty", "tiedosto on tyhjä")])
    first, *body = sheet.rows
    headers = [tidy(h) for h in first.values]
    rows: list[_Row] = []
    for row in body:
        values = row.values
        if len(values) > len(headers):
            raise InputError([Problem(str(path), f"the row has {len(values)} cells but the header has {len(headers)}",
                                      f"rivillä on {len(values)} solua, otsikkorivillä {len(headers)}", row=row.number, line=row.line)])
        rows.append(_Row(row.number, row.line, dict(zip(headers, values + ("",) * (len(headers) - len(values))))))
    return headers, rows


def _companion_rows(path: Path, required: tuple[str, ...], problems: list[Problem]) -> list[_Row]:
    try:
        headers, rows = _read_table(path)
    except InputError as error:
        problems.extend(error.problems)
        return []
    missing = [h for h in required if h not in headers]
    if missing:
        problems.append(Problem(str(path), f"missing columns {missing}", f"sarakkeet puuttuvat: {missing}", row=1))
        return []
    return rows


def _check_quote(path: Path, row: _Row, goals: dict[str, Goal], problems: list[Problem]) -> Goal | None:
    cells = row.cells
    goal = goals.get(cells["goal"].strip())
    if goal is None:
        problems.append(Problem(str(path), "no goal has this key in the goal table", "tavoitetaulukossa ei ole tätä tunnistetta",
                                row=row.number, line=row.line, column="goal", value=cells["goal"]))
        return None
    column = cells["column"].strip()
    if column not in TEXT_COLUMNS:
        problems.append(Problem(str(path), f"column must be one of {', '.join(TEXT_COLUMNS)}", f"sarakkeen on oltava jokin näistä: {', '.join(TEXT_COLUMNS)}",
                                row=row.number, line=row.line, column="column", value=column))
        return None
    if tidy(cells["quote"]) not in tidy(goal.texts.get(column, "")):
        problems.append(Problem(str(path), f"the quote does not appear in the goal's {column} text", f"lainausta ei löydy tavoitteen sarakkeesta {column}",
                                row=row.number, line=row.line, column="quote", value=cells["quote"]))
        return None
    return goal


def _read_numbers(path: Path, goals: dict[str, Goal], problems: list[Problem]) -> list[StatedNumber]:
    numbers: list[StatedNumber] = []
    first_of_measure: dict[str, StatedNumber] = {}
    fields = ("goal", "column", "quote", "value", "unit", "period", "comparator", "measure", "measure_en")
    for row in _companion_rows(path, fields, problems):
        c = {k: row.cells[k].strip() for k in fields}

        def bad(column: str, en: str, fi: str) -> None:
            problems.append(Problem(str(path), en, fi, row=row.number, line=row.line, column=column, value=c[column]))

        if _check_quote(path, row, goals, problems) is None:
            continue
        value: int | Decimal | str
        if c["unit"] not in UNITS:
            bad("unit", f"unit must be one of {', '.join(UNITS)}", f"yksikön on oltava jokin näistä: {', '.join(UNITS)}")
            continue
        if c["unit"] == "date":
            if not _ISO_PERIOD.match(c["value"]):
                bad("value", "a date must be written YYYY, YYYY-MM or YYYY-MM-DD", "päivämäärä muodossa VVVV, VVVV-KK tai VVVV-KK-PP")
                continue
            value = c["value"]
        else:
            try:
                number = Decimal(c["value"])
            except InvalidOperation:
                bad("value", "the value is not a number (use a dot for decimals)", "arvo ei ole luku (desimaalierotin on piste)")
                continue
            value = int(number) if "." not in c["value"] else number
            if re.search(r"\d", c["quote"]) and c["value"].replace(".", ",") not in c["quote"] and c["value"] not in c["quote"]:
                bad("value", "the quote does not state this value", "lainauksessa ei ole tätä arvoa")
                continue
        if not _ISO_PERIOD.match(c["period"]):
            bad("period", "the period must be written YYYY, YYYY-MM or YYYY-MM-DD", "ajankohta muodossa VVVV, VVVV-KK tai VVVV-KK-PP")
            continue
        if c["comparator"] not in COMPARATORS:
            bad("comparator", f"comparator must be one of {', '.join(COMPARATORS)}", f"vertailun on oltava jokin näistä: {', '.join(COMPARATORS)}")
            continue
        earlier = first_of_measure.get(slug(c["measure"]))  # a dict: a table of thousands of numbers stays linear
        if earlier and earlier.measure_en != c["measure_en"]:
            bad("measure_en", f"measure {c['measure']!r} is described differently on row {earlier.row}",
                f"mittari {c['measure']!r} on kuvattu eri tavalla rivillä {earlier.row}")
            continue
        numbers.append(StatedNumber(c["goal"], c["column"], tidy(c["quote"]), value, c["unit"], c["period"], c["comparator"],
                                    slug(c["measure"]), c["measure_en"], row.number))
        first_of_measure.setdefault(numbers[-1].measure, numbers[-1])
    return numbers


def _read_mentions(path: Path, goals: dict[str, Goal], problems: list[Problem]) -> list[Mention]:
    mentions = []
    fields = ("goal", "column", "quote", "name", "name_en", "kind", "refers_to")
    for row in _companion_rows(path, fields, problems):
        c = {k: tidy(row.cells[k]) for k in fields}
        goal = _check_quote(path, row, goals, problems)
        if goal is None:
            continue
        if c["refers_to"]:
            units = {name_key(r.name) for g in goals.values() for r in g.responsible}
            if name_key(c["refers_to"]) not in units:
                problems.append(Problem(str(path), "refers_to must name a party of the goal table", "refers_to ei nimeä tavoitetaulukon tahoa",
                                        row=row.number, line=row.line, column="refers_to", value=c["refers_to"]))
                continue
        elif c["kind"] not in MENTION_KINDS or not (c["name"] or c["name_en"]):
            problems.append(Problem(str(path), f"a mention needs a name (or name_en) and a kind among {', '.join(MENTION_KINDS)}",
                                    f"maininnalla on oltava nimi ja laji ({', '.join(MENTION_KINDS)})", row=row.number, line=row.line, column="kind", value=c["kind"]))
            continue
        mentions.append(Mention(c["goal"], c["column"], c["quote"], c["name"], c["name_en"], c["kind"], c["refers_to"], row.number))
    return mentions


def _read_translations(path: Path, problems: list[Problem]) -> dict[str, str]:
    return {tidy(r.cells["fi"]): tidy(r.cells["en"]) for r in _companion_rows(path, ("fi", "en"), problems) if r.cells["fi"].strip()}
