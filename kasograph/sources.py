"""Turn what a user points at — nothing, a document folder, a goal table or an
RDF file — into an rdflib dataset, with errors that say where the input is bad."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from rdflib import Dataset

from . import resources
from .build import build_dataset
from .errors import InputError, Problem
from .namespaces import DEFAULT_BASE, bind_prefixes
from .table import read_document

#: RDF serialisations by file suffix: rdflib's format name and pyoxigraph's format.
RDF_FORMATS = {
    ".ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE),
    ".trig": ("trig", pyoxigraph.RdfFormat.TRIG),
    ".nq": ("nquads", pyoxigraph.RdfFormat.N_QUADS),
    ".nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ".jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD),
    ".rdf": ("xml", pyoxigraph.RdfFormat.RDF_XML),
    ".owl": ("xml", pyoxigraph.RdfFormat.RDF_XML),
}


def is_table_source(path: Path) -> bool:
    from .spreadsheet import SUFFIXES

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
    formats = RDF_FORMATS.get(path.suffix.lower())
    if formats is None:
        known = ", ".join(sorted(RDF_FORMATS))
        raise InputError([Problem(str(path), f"unknown file type {path.suffix!r}; expected a goal table (.csv), a document folder or RDF ({known})",
                                  f"tuntematon tiedostotyyppi {path.suffix!r}")])
    rdflib_format, oxigraph_format = formats
    # pyoxigraph parses fast and reports positions precisely; rdflib then holds the result.
    try:
        quads = list(pyoxigraph.parse(path=str(path), format=oxigraph_format))
    except SyntaxError as error:
        raise InputError([Problem(str(path), f"not valid {oxigraph_format.name}: {error.msg}", f"virheellinen {oxigraph_format.name}: {error.msg}",
                                  line=error.lineno)]) from None
    except (UnicodeDecodeError, ValueError, OSError) as error:
        raise InputError([Problem(str(path), f"cannot read the file: {error}", f"tiedostoa ei voi lukea: {error}")]) from None
    dataset = Dataset()
    bind_prefixes(dataset)
    if quads:
        dataset.parse(data=pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return dataset


def load_rdf_store(path: Path):
    """An RDF file straight into an Oxigraph store (no rdflib objects: fast for millions of triples)."""
    from .store import GoalStore

    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "the file does not exist", "tiedostoa ei ole")])
    formats = RDF_FORMATS.get(path.suffix.lower())
    if formats is None:
        raise InputError([Problem(str(path), f"unknown file type {path.suffix!r}", f"tuntematon tiedostotyyppi {path.suffix!r}")])
    store = GoalStore()
    try:
        store.load_file(path, formats[1])
    except SyntaxError as error:
        raise InputError([Problem(str(path), f"not valid {formats[1].name}: {error.msg}", f"virheellinen {formats[1].name}: {error.msg}",
                                  line=error.lineno)]) from None
    return store


def dataset_from_store(store, *, vocabulary: bool = True) -> Dataset:
    """An rdflib dataset of what a store holds (its named graphs, as a dump has them)."""
    from .namespaces import VOCABULARY_GRAPH

    quads = (q for q in store.quads() if vocabulary or getattr(q.graph_name, "value", None) != VOCABULARY_GRAPH)
    dataset = Dataset()
    bind_prefixes(dataset)
    dataset.parse(data=pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"", format="nquads")
    return dataset
