"""Read a document's goal table (and its small companion tables) into records.

A document is a folder with a `document.toml` that names its tables. The goal
table is laid out as the city publishes it: the Finnish headers as written in
the source ("Toimialan tavoite", "Lähtötaso v:n 2019 loppu", …) or their English
equivalents, theme headings either as a column or as rows between goal rows,
and "Vastuutaho:" either inside the persons cell or in a column of its own.

Every problem is collected and reported with file, row, column and value; if
there is any, nothing is returned.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import InputError, Problem
from .names import classify, name_key, slug, split_bodies, split_responsibility_cell, tidy
from .records import Document, DocumentInfo, Goal, Mention, Responsible, StatedNumber, TEXT_COLUMNS
from .vocabulary import COMPARATORS, status_labels, statuses

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


@dataclass
class _Row:
    number: int  # spreadsheet row (the header is row 1)
    line: int  # first physical line in the file
    cells: dict[str, str]


def read_document(path: Path) -> Document:
    """Read a document folder (or its document.toml, or a goal table inside it)."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), "the file does not exist", "tiedostoa ei ole")])
    folder = path if path.is_dir() else path.parent
    sidecar = folder / "document.toml"
    if not sidecar.is_file():
        raise InputError([Problem(str(path), "no document.toml found beside the table; it names the document (id, title, year, city, division)",
                                  "taulukon vierestä puuttuu document.toml, joka nimeää asiakirjan")])
    config = _read_toml(sidecar)
    info = _document_info(config, sidecar)
    tables = config.get("tables", {})
    goals_file = folder / tables.get("goals", "goals.csv")
    if path.is_file() and path.suffix.lower() == ".csv":
        goals_file = path
    goals = read_goal_table(goals_file, info)
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
        raise InputError(problems)
    return Document(info, goals, numbers, mentions, translations, source_text, folder)


def read_goal_table(path: Path, info: DocumentInfo) -> list[Goal]:
    """Read the goal table; fill the column dates of `info` from its headers."""
    headers, rows = _read_csv(path)
    file = str(path)
    problems: list[Problem] = []
    columns = _match_headers(headers)
    for required in REQUIRED:
        if required not in columns:
            problems.append(Problem(file, f"no column for '{required}' among the headers {headers}",
                                    f"otsikoista {headers} puuttuu sarake '{required}'", row=1))
    if problems:
        raise InputError(problems)
    _dates_from_headers(columns, info)

    known_statuses = statuses()
    goals: list[Goal] = []
    seen_keys: dict[str, int] = {}
    seen_texts: dict[str, int] = {}
    theme = ""
    for row in rows:
        cell = {field: row.cells.get(header, "").strip() for field, header in columns.items()}
        filled = [v for v in row.cells.values() if v.strip()]
        if not filled:
            continue
        if "theme" not in columns and len(filled) == 1 and not cell.get("status"):
            theme = tidy(filled[0])  # a theme heading between goal rows, as in the source
            continue

        def problem(field: str, en: str, fi: str, value: str | None = None) -> None:
            problems.append(Problem(file, en, fi, row=row.number, line=row.line, column=columns.get(field), value=value))

        if "theme" in columns and cell["theme"]:
            theme = tidy(cell["theme"])
        text = tidy(cell.get("goal", ""))
        if not text:
            problem("goal", "the goal cell is empty", "tavoitesolu on tyhjä")
            continue
        if not theme:
            problem("theme", "the goal has no theme (no theme column value and no theme heading row above it)",
                    "tavoitteella ei ole teemaa (ei teemasaraketta eikä teemaotsikkoriviä sen yläpuolella)", text)
        status_text = tidy(cell.get("status", ""))
        status = known_statuses.get(status_text.casefold())
        if status is None:
            allowed = status_labels("fi")
            nearest = difflib.get_close_matches(status_text, allowed + status_labels("en"), n=1, cutoff=0.4)
            hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
            hint_fi = f"; tarkoititko {nearest[0]!r}?" if nearest else ""
            what = "the status is empty" if not status_text else "unknown status"
            what_fi = "tila puuttuu" if not status_text else "tuntematon tila"
            problem("status", f"{what}; allowed: {', '.join(allowed)}{hint}", f"{what_fi}; sallitut: {', '.join(allowed)}{hint_fi}", status_text or None)
        key = slug(cell.get("key") or "") or slug(text, max_words=6)
        if key in seen_keys:
            problem("key" if cell.get("key") else "goal", f"the same goal key {key!r} is already used on row {seen_keys[key]}",
                    f"sama tavoitteen tunniste {key!r} on jo rivillä {seen_keys[key]}", key)
        if text.casefold() in seen_texts:
            problem("goal", f"the same goal appears already on row {seen_texts[text.casefold()]}",
                    f"sama tavoite on jo rivillä {seen_texts[text.casefold()]}", text)
        seen_keys.setdefault(key, row.number)
        seen_texts.setdefault(text.casefold(), row.number)

        responsible: list[Responsible] = []
        persons_part, bodies = split_responsibility_cell(cell.get("persons", ""))
        bodies += split_bodies(cell.get("body", ""))
        for names, role, field in ((persons_part, "person", "persons"), (bodies, "body", "body" if "body" in columns else "persons")):
            for name in names:
                kind = classify(name)
                if kind is None:
                    problem(field, f"cannot tell whether {name!r} is a person, a post or a group",
                            f"ei voi päätellä, onko {name!r} henkilö, nimike vai ryhmä", name)
                    continue
                if any(name_key(r.name) == name_key(name) for r in responsible):
                    continue
                responsible.append(Responsible(name, kind, role))
        if cell.get("persons", "").strip() and not persons_part and not bodies:
            problem("persons", "the cell names nobody", "solussa ei ole nimeä", cell.get("persons"))

        pages: list[int] = []
        for part in re.split(r"[,\s]+", cell.get("pages", "")):
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
                problem("pages", "a page must be a positive whole number (or several: '2, 3')",
                        "sivun on oltava positiivinen kokonaisluku (tai useita: '2, 3')", cell.get("pages"))
                break
        texts = {c: _paragraphs(cell[c]) for c in TEXT_COLUMNS if cell.get(c, "").strip()}
        goals.append(Goal(key, row.number, theme, text, status or "", texts, responsible, pages))
    if not goals and not problems:
        problems.append(Problem(file, "the table has no goal rows", "taulukossa ei ole tavoiterivejä"))
    if problems:
        raise InputError(problems)
    return goals


def _paragraphs(text: str) -> str:
    """Paragraphs kept as single line breaks; runs of whitespace within them collapsed."""
    paragraphs = [tidy(p) for p in re.split(r"\n", text)]
    return "\n".join(p for p in paragraphs if p)


def _read_csv(path: Path) -> tuple[list[str], list[_Row]]:
    file = str(path)
    if not path.is_file():
        raise InputError([Problem(file, "the file does not exist", "tiedostoa ei ole")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError([Problem(file, "the file is not UTF-8 text (save it as 'CSV UTF-8')",
                                  "tiedosto ei ole UTF-8-tekstiä (tallenna muodossa 'CSV UTF-8')", line=line)]) from None
    if not text.strip():
        raise InputError([Problem(file, "the file is empty", "tiedosto on tyhjä")])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        headers = [tidy(h) for h in next(reader)]
        rows: list[_Row] = []
        number = 1
        line = reader.line_num + 1
        for values in reader:
            number += 1
            if len(values) > len(headers) and any(v.strip() for v in values[len(headers):]):
                raise InputError([Problem(file, f"the row has {len(values)} cells but the header has {len(headers)}",
                                          f"rivillä on {len(values)} solua, otsikkorivillä {len(headers)}", row=number, line=line)])
            rows.append(_Row(number, line, dict(zip(headers, values))))
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputError([Problem(file, f"the CSV is malformed: {error}", f"CSV-tiedosto on virheellinen: {error}", line=reader.line_num)]) from None
    return headers, rows


def _match_headers(headers: list[str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for header in headers:
        folded = header.casefold()
        for field, patterns in HEADERS.items():
            if field not in columns and any(re.fullmatch(p, folded) for p in patterns):
                columns[field] = header
                break
    return columns


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
        rights=" ".join(dataset.get("rights", "").split()),
    )


def _companion_rows(path: Path, required: tuple[str, ...], problems: list[Problem]) -> list[_Row]:
    try:
        headers, rows = _read_csv(path)
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
    numbers = []
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
        earlier = next((n for n in numbers if n.measure == slug(c["measure"])), None)
        if earlier and earlier.measure_en != c["measure_en"]:
            bad("measure_en", f"measure {c['measure']!r} is described differently on row {earlier.row}",
                f"mittari {c['measure']!r} on kuvattu eri tavalla rivillä {earlier.row}")
            continue
        numbers.append(StatedNumber(c["goal"], c["column"], tidy(c["quote"]), value, c["unit"], c["period"], c["comparator"],
                                    slug(c["measure"]), c["measure_en"], row.number))
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
