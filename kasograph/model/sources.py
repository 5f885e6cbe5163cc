"""Turn what a user points at — nothing, a document folder, a goal table or an
RDF file — into an rdflib dataset, with errors that say where the input is bad."""

from __future__ import annotations

import json
import xml.parsers.expat
from pathlib import Path

import pyoxigraph
from rdflib import Dataset

from kasograph import resources
from kasograph.errors import InputError, Problem
from kasograph.formats import RDF, for_file
from kasograph.model.build import build_dataset
from kasograph.namespaces import DEFAULT_BASE, bind_prefixes
from kasograph.source.table import read_document


def is_table_source(path: Path) -> bool:
    from kasograph.source.spreadsheet import SUFFIXES

    return path.is_dir() or path.suffix.lower() in (*SUFFIXES, ".toml")


def bundled_documents() -> list:
    """The documents that ship with kasograph (Vantaa KASO 2021), read from their tables."""
    return [read_document(p) for p in resources.bundled_documents()]


def bundled_dataset(base: str = DEFAULT_BASE, *, vocabulary: bool = True) -> Dataset:
    """The bundled documents built into a dataset."""
    return build_dataset(bundled_documents(), base, vocabulary=vocabulary)


def load_dataset(path: Path | None = None, base: str = DEFAULT_BASE, *, vocabulary: bool = True) -> Dataset:
    """The bundled dataset (no path), a document built from its tables, or an RDF file."""
    if path is None:
        return bundled_dataset(base, vocabulary=vocabulary)
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), "the file does not exist", "tiedostoa ei ole")])
    if is_table_source(path):
        return build_dataset([read_document(path)], base, vocabulary=vocabulary)
    return read_rdf(path)


def read_rdf(path: Path) -> Dataset:
    """Parse an RDF file; a syntax error is reported with its line and column."""
    if not path.is_file():
        raise InputError([Problem(str(path), "the file does not exist", "tiedostoa ei ole")])
    found = for_file(path)
    if found is None:
        known = ", ".join(sorted({"." + f.engine.file_extension for f in RDF.values()} | {".owl"}))
        raise InputError([Problem(str(path), f"unknown file type {path.suffix!r}; expected a goal table (.csv), a document folder or RDF ({known})",
                                  f"tuntematon tiedostotyyppi {path.suffix!r}")])
    oxigraph_format = found.engine
    # pyoxigraph parses fast and reports positions precisely; rdflib then holds the result.
    # (Never rdflib's own parsers on a user's file: its JSON-LD parser fetches remote contexts.)
    check_before_parsing(path, oxigraph_format)
    try:
        quads = list(pyoxigraph.parse(path=str(path), format=oxigraph_format))
    except (SyntaxError, UnicodeDecodeError, ValueError, OSError) as error:
        raise parse_error(path, oxigraph_format, error) from None
    dataset = Dataset()
    bind_prefixes(dataset)
    if quads:
        dataset.parse(data=pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return dataset


# Nothing a file says makes kasograph fetch anything ------------------------------------------------
#
# RDF files are parsed by pyoxigraph alone, which has no way to load anything a file refers to: its
# JSON-LD parser refuses a context given by reference (it has no document loader), and its RDF/XML
# parser loads neither an external DTD nor an external entity. (rdflib's JSON-LD parser would fetch
# remote contexts: it never reads a user's file.) What follows turns those refusals into messages that
# say what to do, and refuses what pyoxigraph would take but should not: entities in RDF/XML, which it
# expands without limit (a 1 KB file of nested entities became a 1 GB literal: "billion laughs").

#: The JSON-LD files whose references to contexts are looked for (read whole, so only files of a size to read).
JSON_LD_SCAN_LIMIT = 64 * 1024 * 1024
#: Text that entities may add to an RDF/XML file: this much, or four times the file's own size.
ENTITY_EXPANSION_LIMIT = 16 * 1024 * 1024


def check_before_parsing(path: Path, fmt: pyoxigraph.RdfFormat) -> None:
    """Refuse an RDF/XML file whose DTD could make a parser fetch or expand without limit (InputError)."""
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        _check_xml_entities(path)


def parse_error(path: Path, fmt: pyoxigraph.RdfFormat, error: Exception) -> InputError:
    """The InputError for a file pyoxigraph could not parse: a JSON-LD context given by reference is
    named as such (the parser only says it has no loader), other errors with their line."""
    if fmt == pyoxigraph.RdfFormat.JSON_LD and isinstance(error, SyntaxError):
        references = context_references(path)
        if references:
            shown = ", ".join(repr(r) for r in references[:3]) + (f" and {len(references) - 3} more" if len(references) > 3 else "")
            return InputError([Problem(
                str(path),
                f"the JSON-LD refers to a context elsewhere ({shown}), and kasograph loads no contexts, remote or "
                "local: put the context's JSON object in the file in place of the reference (inline the context)",
                f"JSON-LD viittaa muualla olevaan kontekstiin ({shown}), eikä kasograph lataa konteksteja: kirjoita "
                "kontekstin JSON-olio tiedostoon viittauksen paikalle")])
    if isinstance(error, SyntaxError):
        return InputError([Problem(str(path), f"not valid {fmt.name}: {error.msg}", f"virheellinen {fmt.name}: {error.msg}",
                                   line=error.lineno)])
    return InputError([Problem(str(path), f"cannot read the file: {error}", f"tiedostoa ei voi lukea: {error}")])


def context_references(path: Path) -> list[str]:
    """The contexts a JSON-LD document names by reference rather than holding them: a string as (or
    in an array of) `@context`, at any depth (scoped contexts of terms too), and every `@import`.
    Found by parsing the JSON, not by looking for words in its text; [] when it is no JSON to read."""
    try:
        if path.stat().st_size > JSON_LD_SCAN_LIMIT:
            return []
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return []
    found: list[str] = []

    def walk(node: object, in_context: bool) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, in_context)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    context(value)
                elif key == "@import" and in_context:
                    found.append(str(value))
                else:
                    walk(value, in_context)

    def context(value: object) -> None:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                found.append(item)
            else:
                walk(item, True)  # a context object: its terms may hold scoped contexts, and @import

    walk(document, False)
    return found


class _Refused(Exception):
    def __init__(self, en: str, fi: str, line: int | None):
        super().__init__(en)
        self.en, self.fi, self.line = en, fi, line


#: What to do about an entity kasograph refuses, appended to each reason.
_WRITE_IT_OUT = ("write the text (or IRI) in full where the entity is used, or save the file as Turtle",
                 "kirjoita teksti (tai IRI) kokonaan entiteetin paikalle tai tallenna tiedosto Turtle-muodossa")


def _check_xml_entities(path: Path) -> None:
    """Refuse an RDF/XML file whose DTD is external (SYSTEM or PUBLIC), declares an external or a
    parameter entity, or an entity whose text refers to another (nesting is what turns a few bytes
    into gigabytes); or whose entities add more text than ENTITY_EXPANSION_LIMIT (or four times the
    file's size). Plain internal entities, as Protégé writes for namespaces (`<!ENTITY owl "http://…#">`),
    are kept.

    expat reads the file: up to its root element when no entity is declared before it (the usual
    case: a few kilobytes), else through the whole file, counting the text the references add. expat
    fetches nothing (no handler for external entities is set). A file expat cannot parse is left to
    pyoxigraph, which says where it is wrong, unless it declared entities: then it is refused."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            _scan_entities(file, max(ENTITY_EXPANSION_LIMIT, 4 * size))
    except _Refused as refused:
        raise InputError([Problem(str(path), f"{refused.en}: {_WRITE_IT_OUT[0]}", f"{refused.fi}: {_WRITE_IT_OUT[1]}",
                                  line=refused.line)]) from None
    except OSError:
        return  # pyoxigraph will say why the file cannot be read


def _scan_entities(file, limit: int) -> None:
    parser = xml.parsers.expat.ParserCreate()
    entities: dict[str, str] = {}  # the internal entities declared, by name
    seen = {"root": False, "added": 0}

    def refuse(en: str, fi: str) -> None:
        raise _Refused(en, fi, parser.CurrentLineNumber)

    def doctype(_name, system_id, public_id, _internal) -> None:
        if system_id or public_id:
            refuse(f"the DOCTYPE names an external DTD ({system_id or public_id}), which kasograph never loads",
                   f"DOCTYPE nimeää ulkoisen DTD:n ({system_id or public_id}), jota kasograph ei koskaan lataa")

    def entity(name, is_parameter, value, _base, system_id, public_id, _notation) -> None:
        if is_parameter:
            refuse(f"the DTD declares a parameter entity ({name}), which kasograph does not expand",
                   f"DTD määrittelee parametrientiteetin ({name}), jota kasograph ei laajenna")
        if value is None:
            refuse(f"the DTD declares an external entity &{name}; ({system_id or public_id}), which kasograph never loads",
                   f"DTD määrittelee ulkoisen entiteetin &{name}; ({system_id or public_id}), jota kasograph ei koskaan lataa")
        if "&" in value:
            refuse(f"the entity &{name}; refers to another entity; nested entities can expand a small file to gigabytes",
                   f"entiteetti &{name}; viittaa toiseen entiteettiin; sisäkkäiset entiteetit voivat laajentaa pienen tiedoston gigatavuiksi")
        entities[name] = value

    def add(count: int) -> None:
        seen["added"] += count
        if seen["added"] > limit:
            refuse(f"its entities expand to more than {limit:,} characters", f"sen entiteetit laajenevat yli {limit:,} merkiksi")

    def start(_name, attributes) -> None:
        seen["root"] = True
        if entities:  # attribute values arrive expanded: all of their text is counted
            add(sum(len(v) for v in attributes.values()))

    def unexpanded(text: str) -> None:  # with a default handler, expat hands over references in text unexpanded
        if text.startswith("&") and text.endswith(";") and text[1:-1] in entities:
            add(len(entities[text[1:-1]]))

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.DefaultHandler = unexpanded
    try:
        while piece := file.read(64 * 1024):
            parser.Parse(piece, False)
            if seen["root"] and not entities:
                return  # nothing declared before the root element: nothing to expand
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as error:
        if entities:
            raise _Refused(f"its entities could not be checked ({error})", f"sen entiteettejä ei voitu tarkistaa ({error})",
                           error.lineno) from None
