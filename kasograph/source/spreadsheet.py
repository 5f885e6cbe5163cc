"""Read the cells of a table as data stewards keep it: an Excel workbook or a CSV file.

This module knows files and cells, not goals: `read_sheet` turns a `.xlsx`,
`.xlsm`, `.csv`, `.tsv` or `.txt` file into numbered rows of cell texts, and
`kasograph.source.table` interprets those rows the same way whatever the file was.

What it does with what stewards do:

* **CSV encodings**: a byte-order mark decides (UTF-8, UTF-16 LE/BE); without
  one the text is read as UTF-8 if it is valid UTF-8, otherwise as Windows-1252
  (what Excel on Windows writes for "CSV (comma delimited)"). Text with NUL
  characters is refused (it is binary, or UTF-16 without a byte-order mark).
* **CSV delimiters**: comma, semicolon or tab, whichever occurs most in the
  first line outside quotes (ties: comma); an Excel `sep=;` first line is obeyed
  and not counted as a row.
* **Excel**: the first visible worksheet, or the one named. Formulas give the
  value Excel saved with them (`data_only`); a formula saved without a value
  (a file written by a program and never opened in Excel) or an Excel error
  value (`#REF!`, `#N/A`, …) is marked on its cell, and the table reader
  refuses it if the cell is one it reads. Macros are never run (openpyxl runs
  none, and `.xlsm` is read without its VBA part).
* **Merged cells**: the value of a merged range's top-left cell applies to every
  cell of the range (a theme heading merged across the columns, a person
  merged down over several goals); the copies are marked so that a heading
  merged across a row is still one heading.
* **Hidden rows** are not read: stewards hide rows they do not want published.
  Each hidden row that has content is named in a warning, so that nothing
  disappears silently. Hidden columns are read.
* **Refused** before anything is parsed: an empty file, a file over
  `Limits.max_file_bytes`, a file whose contents are not what its name says (a
  PNG named `.xlsx`, an old `.xls`, a password-protected workbook), and a zip
  archive that would unpack to more than `Limits.max_unpacked_bytes`, or any of
  whose parts unpacks to more than `Limits.max_ratio` times its packed size, or
  holds more than it declares. Every part is unpacked once, in small pieces, to
  check that, and XML with a DTD is refused, all before openpyxl opens the file,
  so a zip bomb never reaches memory.

Every refusal is an `InputError` whose problems name the file (and sheet, row,
cell) and say why, in English and Finnish.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import warnings
import xml.parsers.expat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from kasograph.errors import InputError, Problem

MB = 1024 * 1024

#: File names the reader takes, by how it reads them.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES


@dataclass(frozen=True)
class Limits:
    """How big an input may be. A goal table is kilobytes; these leave room and stop abuse.

    `max_file_bytes` holds for every file; the others for workbooks (the zip
    checks) and for both (rows, columns).
    """

    max_file_bytes: int = 50 * MB
    max_unpacked_bytes: int = 256 * MB  # all parts of an .xlsx together, unpacked
    max_ratio: float = 100.0  # unpacked / packed size of one part (real workbooks: under 30)
    ratio_applies_above: int = 1 * MB  # small parts may compress very well and are harmless
    max_parts: int = 2_000  # files inside the .xlsx
    max_rows: int = 10_000  # rows with content (a goal table has tens or hundreds)
    max_columns: int = 100  # a row's last filled cell may be at most this column
    max_merged_ranges: int = 10_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class SheetRow:
    """One row with content, as the spreadsheet shows it.

    `values[i]` is the text of column i+1 ("" for an empty cell), with trailing
    empty cells left off. `copied` holds the indexes whose value was copied from
    the top-left cell of a merged range above or to the left; `faults` the
    indexes whose cell has no usable value, with why (English, Finnish).
    """

    number: int  # spreadsheet row number (what Excel shows; CSV: the record's number)
    values: tuple[str, ...]
    line: int | None = None  # CSV: the first physical line of the record
    copied: frozenset[int] = frozenset()
    faults: dict[int, tuple[str, str]] = field(default_factory=dict)

    def value(self, index: int) -> str:
        return self.values[index] if 0 <= index < len(self.values) else ""


@dataclass
class Sheet:
    """The cells of one table: from a worksheet, or from a CSV file."""

    file: str
    name: str | None  # the worksheet's name; None for CSV
    rows: list[SheetRow]  # rows with content, in order; empty and hidden rows are left out
    warnings: list[Problem] = field(default_factory=list)
    kind: str = "csv"  # "csv" or "xlsx"
    encoding: str | None = None  # CSV: the encoding the text was read in
    delimiter: str | None = None  # CSV

    def cell_ref(self, row: int, index: int) -> str | None:
        """The Excel reference of a cell ("J4"); None for CSV, which has none."""
        return f"{column_letter(index + 1)}{row}" if self.kind == "xlsx" else None


def read_sheet(path: Path, *, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """Read the cells of a workbook's sheet (.xlsx, .xlsm) or of a CSV file (.csv, .tsv, .txt).

    `sheet` names the worksheet (exact name, or the same ignoring case); by
    default the first visible one. CSV files have one table and refuse a sheet
    name. Raises `InputError` when the file cannot be read safely or at all.
    """
    path = Path(path)
    file = str(path)

    def refuse(en: str, fi: str) -> InputError:
        return InputError([Problem(file, en, fi)])

    if not path.is_file():
        raise refuse("the file does not exist", "tiedostoa ei ole")
    suffix = path.suffix.lower()
    if suffix in _OTHER_FORMATS:
        en, fi = _OTHER_FORMATS[suffix]
        raise refuse(en, fi)
    if suffix not in SUFFIXES:
        raise refuse(f"unknown file type {path.suffix!r}; a goal table is .xlsx, .xlsm or .csv",
                     f"tuntematon tiedostotyyppi {path.suffix!r}; tavoitetaulukko on .xlsx-, .xlsm- tai .csv-tiedosto")
    size = path.stat().st_size
    if size == 0:
        raise refuse("the file is empty", "tiedosto on tyhjä")
    if size > limits.max_file_bytes:
        raise refuse(f"the file is {_mb(size)}, over the limit of {_mb(limits.max_file_bytes)}; a goal table is far smaller",
                     f"tiedosto on {_mb(size)}, yli rajan {_mb(limits.max_file_bytes)}; tavoitetaulukko on paljon pienempi")
    with path.open("rb") as f:
        head = f.read(8)
    kind = _sniff(head)
    if suffix in WORKBOOK_SUFFIXES:
        if kind != "zip":
            en, fi = _NOT_A_WORKBOOK.get(kind, ("the contents are not an Excel workbook (an .xlsx file is a zip archive)",
                                                "sisältö ei ole Excel-työkirja (.xlsx-tiedosto on zip-paketti)"))
            raise refuse(f"not a spreadsheet: {en}", f"ei taulukkotiedosto: {fi}")
        return _read_workbook(path, sheet, limits)
    if kind == "zip":
        raise refuse(f"the file is a zip archive (an Excel workbook?), not {suffix[1:].upper()} text; name it .xlsx",
                     f"tiedosto on zip-paketti (Excel-työkirja?), ei {suffix[1:].upper()}-tekstiä; nimeä se .xlsx-päätteiseksi")
    if kind in _NOT_A_WORKBOOK:
        en, fi = _NOT_A_WORKBOOK[kind]
        raise refuse(f"not a text table: {en}", f"ei tekstitaulukko: {fi}")
    if sheet is not None:
        raise refuse("a CSV file has no sheets; leave the sheet name out", "CSV-tiedostossa ei ole välilehtiä; jätä välilehden nimi pois")
    return _read_text(path, limits)


def column_letter(number: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- what a file really is ------------------------------------------------------------

_OTHER_FORMATS = {
    ".xls": ("an Excel 97–2003 workbook (.xls) cannot be read; save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'",
             "Excel 97–2003 -työkirjaa (.xls) ei voi lukea; tallenna se muodossa 'Excel-työkirja (.xlsx)' tai 'CSV UTF-8'"),
    ".xlsb": ("a binary Excel workbook (.xlsb) cannot be read; save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'",
              "binaarista Excel-työkirjaa (.xlsb) ei voi lukea; tallenna se muodossa 'Excel-työkirja (.xlsx)' tai 'CSV UTF-8'"),
    ".ods": ("an OpenDocument spreadsheet (.ods) cannot be read; save it as .xlsx or CSV (UTF-8)",
             "OpenDocument-laskentataulukkoa (.ods) ei voi lukea; tallenna se .xlsx- tai CSV (UTF-8) -muodossa"),
}

_MAGIC = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"),  # a zip archive (an empty one ends at once)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"), (b"Rar!", "rar"), (b"7z\xbc\xaf", "7z"),
)

_NOT_A_WORKBOOK = {
    "ole2": ("the file is an Excel 97–2003 workbook (.xls) or a password-protected workbook; save it as .xlsx without a password, or as CSV UTF-8",
             "tiedosto on Excel 97–2003 -työkirja (.xls) tai salasanalla suojattu työkirja; tallenna se .xlsx-muodossa ilman salasanaa tai CSV UTF-8 -muodossa"),
    "png": ("the file is a PNG image", "tiedosto on PNG-kuva"),
    "jpeg": ("the file is a JPEG image", "tiedosto on JPEG-kuva"),
    "gif": ("the file is a GIF image", "tiedosto on GIF-kuva"),
    "pdf": ("the file is a PDF document", "tiedosto on PDF-asiakirja"),
    "gzip": ("the file is a gzip archive", "tiedosto on gzip-paketti"),
    "rar": ("the file is a RAR archive", "tiedosto on RAR-paketti"),
    "7z": ("the file is a 7-Zip archive", "tiedosto on 7-Zip-paketti"),
}


def _sniff(head: bytes) -> str:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return "text"


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{size} bytes"


# --- CSV ------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DELIMITERS = (",", ";", "\t")  # in order of preference when the first line has as many of each


def _read_text(path: Path, limits: Limits) -> Sheet:
    file = str(path)
    raw = path.read_bytes()
    text, encoding = _decode(raw, file)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError([Problem(file, "the file holds NUL characters: it is not a text table (UTF-16 without a byte-order mark? save it as 'CSV UTF-8')",
                                  "tiedostossa on NUL-merkkejä: se ei ole tekstitaulukko (UTF-16 ilman BOM-merkkiä? tallenna muodossa 'CSV UTF-8')", line=line)])
    if not text.strip():
        raise InputError([Problem(file, "the file is empty", "tiedosto on tyhjä")])
    delimiter, skipped_lines = _sniff_delimiter(text)
    if skipped_lines:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[SheetRow] = []
    number = 0
    line = 1 + skipped_lines
    try:
        for values in reader:
            number += 1
            cells = [_newlines(v) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            if cells:
                if len(cells) > limits.max_columns:
                    raise InputError([Problem(file, f"the row has {len(cells)} cells, over the limit of {limits.max_columns}",
                                              f"rivillä on {len(cells)} solua, yli rajan {limits.max_columns}", row=number, line=line)])
                rows.append(SheetRow(number, tuple(cells), line))
                if len(rows) > limits.max_rows:
                    raise InputError([Problem(file, f"the file has more than {limits.max_rows} rows", f"tiedostossa on yli {limits.max_rows} riviä",
                                              row=number, line=line)])
            line = reader.line_num + 1 + skipped_lines
    except csv.Error as error:
        raise InputError([Problem(file, f"the CSV is malformed: {error}", f"CSV-tiedosto on virheellinen: {error}",
                                  line=reader.line_num + skipped_lines)]) from None
    return Sheet(file, None, rows, kind="csv", encoding=encoding, delimiter=delimiter)


def _decode(raw: bytes, file: str) -> tuple[str, str]:
    """Decode by the byte-order mark; without one as UTF-8, then as Windows-1252."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            order = [encoding]
            break
    else:
        order = ["utf-8", "cp1252"]
    for encoding in order:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as failed:
            error = failed
    line = raw[: error.start].count(b"\n") + 1
    if len(order) == 1:
        en, fi = "the file is not UTF-16 text, though it starts with a UTF-16 byte-order mark", "tiedosto ei ole UTF-16-tekstiä, vaikka se alkaa UTF-16:n BOM-merkillä"
        if order[0] == "utf-8-sig":
            en, fi = "the file is not UTF-8 text, though it starts with a UTF-8 byte-order mark", "tiedosto ei ole UTF-8-tekstiä, vaikka se alkaa UTF-8:n BOM-merkillä"
    else:
        en, fi = "the file is neither UTF-8 nor Windows-1252 text", "tiedosto ei ole UTF-8- eikä Windows-1252-tekstiä"
    raise InputError([Problem(file, f"{en} (byte {error.start + 1}); save it as 'CSV UTF-8'", f"{fi} (tavu {error.start + 1}); tallenna muodossa 'CSV UTF-8'",
                              line=line)]) from None


def _sniff_delimiter(text: str) -> tuple[str, int]:
    """(delimiter, number of lines to skip): an Excel 'sep=' line decides; else the first line's counts."""
    first = text.split("\n", 1)[0].rstrip("\r")
    hint = re.fullmatch(r'"?sep=(.)"?', first)
    if hint:
        return hint.group(1), 1
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d))), 0


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- Excel: the zip checks ---------------------------------------------------------------

_CHUNK = 64 * 1024
_OTHER_OFFICE = {"word/": ("a Word document", "Word-asiakirja"), "ppt/": ("a PowerPoint presentation", "PowerPoint-esitys")}


class _Refused(Exception):
    def __init__(self, en: str, fi: str, row: int | None = None, cell: str | None = None):
        super().__init__(en)
        self.en, self.fi, self.row, self.cell = en, fi, row, cell


def check_workbook_archive(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a workbook whose zip archive is damaged, encrypted or a zip bomb, before anything parses it.

    Checks, in order: the archive's directory (it is a zip with an
    `[Content_Types].xml`, at most `max_parts` parts), the sizes the parts
    declare (together at most `max_unpacked_bytes`, each at most `max_ratio`
    times its packed size when over `ratio_applies_above`), then unpacks every
    part in 64 KiB pieces to check that none holds more than it declares (a
    declared size is only a claim) and that no part, whatever its name, has a
    DTD (entity expansion, external entities). Memory use stays at a few
    pieces whatever the archive holds.
    """
    file = str(path)
    try:
        _check_archive(path, limits)
    except _Refused as refused:
        raise InputError([Problem(file, f"not a readable Excel workbook: {refused.en}", f"ei luettava Excel-työkirja: {refused.fi}")]) from None


def _check_archive(path: Path, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _Refused("the zip archive is damaged", "zip-paketti on vioittunut") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            raise _Refused(f"the archive has {len(parts)} parts, over the limit of {limits.max_parts}",
                           f"paketissa on {len(parts)} osaa, yli rajan {limits.max_parts}")
        names = {p.filename for p in parts}
        if "[Content_Types].xml" not in names:
            if "mimetype" in names:
                raise _Refused("it is an OpenDocument file; save it as .xlsx or CSV (UTF-8)", "se on OpenDocument-tiedosto; tallenna se .xlsx- tai CSV (UTF-8) -muodossa")
            raise _Refused("the zip archive is not an Office document (no [Content_Types].xml)",
                           "zip-paketti ei ole Office-asiakirja ([Content_Types].xml puuttuu)")
        if not any(name.startswith("xl/") for name in names):
            other = next((kinds for folder, kinds in _OTHER_OFFICE.items() if any(n.startswith(folder) for n in names)), None)
            en, fi = other or ("an Office document", "Office-asiakirja")
            raise _Refused(f"it is {en}, not an Excel workbook", f"se on {fi}, ei Excel-työkirja")
        declared = sum(p.file_size for p in parts)
        if declared > limits.max_unpacked_bytes:
            raise _Refused(f"it would unpack to {_mb(declared)}, over the limit of {_mb(limits.max_unpacked_bytes)} (a zip bomb?)",
                           f"se purkautuisi {_mb(declared)}:ksi, yli rajan {_mb(limits.max_unpacked_bytes)} (zip-pommi?)")
        for part in parts:
            if part.flag_bits & 0x1:
                raise _Refused("it is encrypted (password-protected); save it without a password",
                               "se on salattu (salasanalla suojattu); tallenna se ilman salasanaa")
            if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _Refused(f"part {part.filename!r} is packed with method {part.compress_type}, which Excel does not use",
                               f"osa {part.filename!r} on pakattu menetelmällä {part.compress_type}, jota Excel ei käytä")
            if part.file_size > limits.ratio_applies_above and part.file_size > limits.max_ratio * max(part.compress_size, 1):
                ratio = part.file_size / max(part.compress_size, 1)
                raise _Refused(f"part {part.filename!r} would unpack to {ratio:.0f} times its packed size, over the limit of {limits.max_ratio:.0f} (a zip bomb?)",
                               f"osa {part.filename!r} purkautuisi {ratio:.0f}-kertaiseksi, yli rajan {limits.max_ratio:.0f} (zip-pommi?)")
        with path.open("rb") as raw:
            for part in parts:
                # Every part, whatever its name: openpyxl finds parts by their content type, so a DTD in
                # `xl/styles.dat` is read as well as one in `xl/styles.xml`. (A part that is no XML fails
                # expat at its first byte and costs nothing more.)
                prolog = _PrologCheck(part.filename)
                for piece in _unpack(raw, part):
                    if prolog is not None and not prolog.feed(piece):
                        prolog = None  # the root element has started: no DTD can follow


def _unpack(raw, part: zipfile.ZipInfo):
    """The part's unpacked bytes in pieces, refusing more than it declares."""
    raw.seek(part.header_offset)
    header = raw.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise _Refused("the zip archive is damaged", "zip-paketti on vioittunut")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(part.header_offset + 30 + name_length + extra_length)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if part.compress_type == zipfile.ZIP_DEFLATED else None
    left = part.compress_size
    produced = 0
    while True:
        if inflater is not None and inflater.unconsumed_tail:
            packed = inflater.unconsumed_tail
        else:
            if left <= 0:
                break
            packed = raw.read(min(_CHUNK, left))
            if not packed:
                raise _Refused("the zip archive is damaged (cut short)", "zip-paketti on vioittunut (katkennut)")
            left -= len(packed)
        try:
            piece = inflater.decompress(packed, _CHUNK) if inflater is not None else packed
        except zlib.error:
            raise _Refused(f"part {part.filename!r} is damaged", f"osa {part.filename!r} on vioittunut") from None
        produced += len(piece)
        if produced > part.file_size:
            raise _Refused(f"part {part.filename!r} holds more than the {part.file_size} bytes it declares (a zip bomb?)",
                           f"osassa {part.filename!r} on enemmän kuin sen ilmoittamat {part.file_size} tavua (zip-pommi?)")
        if piece:
            yield piece
        if inflater is not None and inflater.eof:
            break


class _PrologCheck:
    """Feeds an XML part's beginning to expat until its root element starts; refuses a DTD."""

    def __init__(self, name: str):
        self.name = name
        self.started = False
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.parser.StartElementHandler = self._start

    def _doctype(self, *_args) -> None:
        raise _Refused(f"part {self.name!r} has a document type declaration, which no Excel file has (entity expansion?)",
                       f"osassa {self.name!r} on dokumenttityypin määrittely, jota Excel-tiedostoissa ei ole (entiteettien laajennus?)")

    def _start(self, *_args) -> None:
        self.started = True

    def feed(self, piece: bytes) -> bool:
        """False once the root element has started (nothing more to check)."""
        try:
            self.parser.Parse(piece, False)
        except xml.parsers.expat.ExpatError:
            return False  # not well-formed: openpyxl will say so; nothing here can expand
        return not self.started


# --- Excel: reading a sheet ---------------------------------------------------------------

def _read_workbook(path: Path, sheet_name: str | None, limits: Limits) -> Sheet:
    file = str(path)
    check_workbook_archive(path, limits)
    import openpyxl  # only workbooks need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about parts it drops (extensions, VBA)
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
    except MemoryError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a malformed workbook
        raise InputError([Problem(file, f"not a readable Excel workbook: {type(error).__name__}: {error}",
                                  f"ei luettava Excel-työkirja: {type(error).__name__}: {error}")]) from None
    try:
        worksheet = _choose_sheet(workbook, sheet_name, file)
        layout = _scan_sheet(path, worksheet._worksheet_path, worksheet.title, limits)  # hidden rows, merges, faults
        return _sheet_rows(worksheet, layout, file, limits)
    finally:
        workbook.close()


def _choose_sheet(workbook, name: str | None, file: str):
    sheets = workbook.worksheets
    titles = ", ".join(repr(s.title) for s in sheets) or "none"
    if not sheets:
        raise InputError([Problem(file, "the workbook has no worksheets", "työkirjassa ei ole laskentataulukoita")])
    if name is None:
        return next((s for s in sheets if s.sheet_state == "visible"), sheets[0])
    for match in (lambda s: s.title == name, lambda s: s.title.casefold() == name.strip().casefold()):
        found = [s for s in sheets if match(s)]
        if found:
            return found[0]
    raise InputError([Problem(file, f"the workbook has no sheet {name!r}; its sheets are: {titles}",
                              f"työkirjassa ei ole välilehteä {name!r}; sen välilehdet ovat: {titles}")])


@dataclass
class _Layout:
    """What openpyxl's read-only mode does not tell: hidden rows, merged ranges, cells without a value."""

    hidden: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col), 1-based
    faults: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)  # row → column index (0-based) → (en, fi)


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_MAX_FAULTS = 10_000


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


_FORMULA_WITHOUT_VALUE = (
    "the cell has a formula but no saved value (the file was written by a program and never calculated); "
    "open it in Excel or LibreOffice and save it again",
    "solussa on kaava mutta ei tallennettua arvoa (tiedoston on kirjoittanut ohjelma eikä sitä ole laskettu); "
    "avaa se Excelissä tai LibreOfficessa ja tallenna uudelleen")


class _SheetScan:
    """Expat handlers for one pass over a sheet's XML (element names without their prefix)."""

    def __init__(self, title: str, limits: Limits):
        self.title, self.limits, self.layout = title, limits, _Layout()
        self.row = self.col = self.rows_with_content = self.fault_count = 0
        self.row_hidden = self.row_counted = False
        self.in_cell = self.in_v = self.has_f = self.has_v = self.has_is = False
        self.kind, self.value = "n", ""

    def start(self, name: str, attrs: dict) -> None:
        local = name[name.find(":") + 1:]
        if local == "c":
            ref = _REF.match(attrs.get("r", ""))
            self.col = _column_number(ref.group(1)) if ref else self.col + 1
            self.in_cell, self.has_f, self.has_v, self.has_is = True, False, False, False
            self.kind, self.value = attrs.get("t", "n"), ""
        elif not self.in_cell:
            if local == "row":
                r = attrs.get("r", "")
                self.row = int(r) if r.isdigit() else self.row + 1
                self.col = 0
                self.row_hidden = attrs.get("hidden") in ("1", "true")
                self.row_counted = False
                if self.row_hidden:
                    self.layout.hidden.add(self.row)
            elif local == "mergeCell":
                bounds = _range(attrs.get("ref", ""))
                if bounds:
                    self.layout.merged.append(bounds)
                    if len(self.layout.merged) > self.limits.max_merged_ranges:
                        raise _Refused(f"sheet {self.title!r} has more than {self.limits.max_merged_ranges} merged ranges",
                                       f"välilehdellä {self.title!r} on yli {self.limits.max_merged_ranges} yhdistettyä solualuetta")
        elif local == "f":
            self.has_f = True
        elif local == "v":
            self.has_v = self.in_v = True
        elif local == "is":
            self.has_is = True

    def end(self, name: str) -> None:
        local = name[name.find(":") + 1:]
        if local == "v":
            self.in_v = False
        elif local == "c" and self.in_cell:
            self.in_cell = False
            fault = None
            if self.has_f and (not self.has_v or (not self.value and self.kind not in ("str", "inlineStr"))):
                fault = _FORMULA_WITHOUT_VALUE
            elif self.kind == "e":
                fault = (f"the cell holds the Excel error {self.value or '#?'}; correct the formula",
                         f"solussa on Excel-virhe {self.value or '#?'}; korjaa kaava")
            if fault and self.fault_count < _MAX_FAULTS:
                self.layout.faults.setdefault(self.row, {})[self.col - 1] = fault
                self.fault_count += 1
            if (self.value or self.has_is or self.has_f) and not self.row_hidden:
                self._content()

    def _content(self) -> None:
        """Refuse a sheet beyond the limits while scanning, before openpyxl reads a cell."""
        if self.col > self.limits.max_columns:
            cell = f"{column_letter(self.col)}{self.row}"
            raise _Refused(f"the cell is in column {column_letter(self.col)}, beyond the limit of {self.limits.max_columns} columns",
                           f"solu on sarakkeessa {column_letter(self.col)}, yli {self.limits.max_columns} sarakkeen rajan", self.row, cell)
        if not self.row_counted:
            self.row_counted = True
            self.rows_with_content += 1
            if self.rows_with_content > self.limits.max_rows:
                raise _Refused(f"the sheet has more than {self.limits.max_rows} rows", f"välilehdellä on yli {self.limits.max_rows} riviä", self.row)

    def text(self, data: str) -> None:
        if self.in_v:
            self.value += data

    def doctype(self, *_args) -> None:
        raise _Refused(f"sheet {self.title!r} has a document type declaration", f"välilehdellä {self.title!r} on dokumenttityypin määrittely")


def _scan_sheet(path: Path, member: str, title: str, limits: Limits) -> _Layout:
    """One streaming pass over the sheet's XML with expat: memory stays small whatever the size."""
    scan = _SheetScan(title, limits)
    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.StartDoctypeDeclHandler = scan.doctype
    parser.EntityDeclHandler = scan.doctype
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as source:
            while piece := source.read(_CHUNK):
                parser.Parse(piece, False)
            parser.Parse(b"", True)
    except _Refused as refused:
        raise InputError([Problem(str(path), f"not read: {refused.en}", f"ei luettu: {refused.fi}", sheet=title, row=refused.row,
                                  cell=refused.cell)]) from None
    except (xml.parsers.expat.ExpatError, KeyError, zipfile.BadZipFile) as error:
        raise InputError([Problem(str(path), f"the sheet cannot be read: {error}", f"välilehteä ei voi lukea: {error}", sheet=title)]) from None
    scan.layout.merged.sort()
    return scan.layout


def _range(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.partition(":")
    a, b = _REF.match(first), _REF.match(last or first)
    if not a or not b:
        return None
    return (int(a.group(2)), _column_number(a.group(1)), int(b.group(2)), _column_number(b.group(1)))


def _sheet_rows(worksheet, layout: _Layout, file: str, limits: Limits) -> Sheet:
    title = worksheet.title
    worksheet.reset_dimensions()  # never pad rows to a declared size: the sheet's own cells decide
    rows: list[SheetRow] = []
    hidden_with_content: list[int] = []
    active: list[list] = []  # [min_row, min_col, max_row, max_col, value] of merged ranges reached
    pending = layout.merged  # sorted by first row
    reached = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        texts = [_cell_text(v) for v in values]
        while reached < len(pending) and pending[reached][0] <= number:
            min_row, min_col, max_row, max_col = pending[reached]
            reached += 1
            top_left = texts[min_col - 1] if min_row == number and min_col - 1 < len(texts) else ""
            active.append([min_row, min_col, max_row, min(max_col, limits.max_columns), top_left])
        active = [m for m in active if m[2] >= number]
        copied: set[int] = set()
        for min_row, min_col, _max_row, max_col, value in active:
            if not value.strip():
                continue
            if len(texts) < max_col:
                texts.extend([""] * (max_col - len(texts)))
            for col in range(min_col, max_col + 1):
                if (number, col) != (min_row, min_col):
                    texts[col - 1] = value
                    copied.add(col - 1)
        while texts and not texts[-1].strip():
            texts.pop()
        if not texts:
            continue
        if number in layout.hidden:
            hidden_with_content.append(number)
            continue
        if len(texts) > limits.max_columns:
            raise InputError([Problem(file, f"the row has a value in column {column_letter(len(texts))}, beyond the limit of {limits.max_columns} columns",
                                      f"rivillä on arvo sarakkeessa {column_letter(len(texts))}, yli {limits.max_columns} sarakkeen rajan",
                                      row=number, sheet=title, cell=f"{column_letter(len(texts))}{number}")])
        rows.append(SheetRow(number, tuple(texts), None, frozenset(copied), layout.faults.get(number, {})))
        if len(rows) > limits.max_rows:
            raise InputError([Problem(file, f"the sheet has more than {limits.max_rows} rows", f"välilehdellä on yli {limits.max_rows} riviä",
                                      row=number, sheet=title)])
    found: list[Problem] = []
    if hidden_with_content:
        listed = _ranges(hidden_with_content)
        found.append(Problem(file, f"hidden rows are not read: {listed}", f"piilotettuja rivejä ei lueta: {listed}",
                             row=hidden_with_content[0], sheet=title, severity="warning"))
    return Sheet(file, title, rows, found, kind="xlsx")


def _ranges(numbers: list[int]) -> str:
    """[5, 9, 10, 11] → '5, 9–11'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _cell_text(value) -> str:
    """A cell's value as the text the table reader reads."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _newlines(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)
