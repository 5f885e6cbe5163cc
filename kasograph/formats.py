"""Every serialisation kasograph reads or writes, in one table.

Each is one of pyoxigraph's format enums (`RdfFormat`, `QueryResultsFormat`), which carry their
media type and file extension — as pyoxigraph's own API does — with the short name kasograph
uses for it (in addresses such as `goal/x.ttl`, in `--format` and `?format=`) and a label for
people. Everything else is derived: which formats keep named graphs, which file suffix means
which format, what content negotiation offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph


@dataclass(frozen=True)
class Format:
    name: str  # the short name: a suffix of explicit addresses and dump files, a --format value
    engine: pyoxigraph.RdfFormat | pyoxigraph.QueryResultsFormat
    label: str

    @property
    def media_type(self) -> str:
        return self.engine.media_type.split(";")[0]  # the bare type, as Accept headers name it

    @property
    def keeps_graphs(self) -> bool:
        """Whether the format holds named graphs (TriG, N-Quads, JSON-LD); the others hold the union."""
        return isinstance(self.engine, pyoxigraph.RdfFormat) and self.engine.supports_datasets


def _table(*formats: Format) -> dict[str, Format]:
    return {f.name: f for f in formats}


#: RDF, by short name.
RDF = _table(
    Format("ttl", pyoxigraph.RdfFormat.TURTLE, "Turtle"),
    Format("trig", pyoxigraph.RdfFormat.TRIG, "TriG"),
    Format("nq", pyoxigraph.RdfFormat.N_QUADS, "N-Quads"),
    Format("nt", pyoxigraph.RdfFormat.N_TRIPLES, "N-Triples"),
    Format("jsonld", pyoxigraph.RdfFormat.JSON_LD, "JSON-LD"),
    Format("rdf", pyoxigraph.RdfFormat.RDF_XML, "RDF/XML"),
)
#: SPARQL results of SELECT and ASK, by short name.
RESULTS = _table(
    Format("json", pyoxigraph.QueryResultsFormat.JSON, "SPARQL JSON"),
    Format("xml", pyoxigraph.QueryResultsFormat.XML, "SPARQL XML"),
    Format("csv", pyoxigraph.QueryResultsFormat.CSV, "CSV"),
    Format("tsv", pyoxigraph.QueryResultsFormat.TSV, "TSV"),
)
#: A single resource's description, and the triples of CONSTRUCT and DESCRIBE: in the order content negotiation prefers.
GRAPHS = _table(*(RDF[name] for name in ("ttl", "jsonld", "nt", "rdf")))
#: The whole dataset, as the viewer offers it for download (Turtle holds the union of the graphs).
DUMPS = _table(Format("ttl", pyoxigraph.RdfFormat.TURTLE, "Turtle (all graphs merged)"), *(RDF[name] for name in ("trig", "nq", "jsonld")))
#: What `kasograph build` and `export` write.
FILES = _table(*(RDF[name] for name in ("trig", "nq", "jsonld", "ttl", "nt")))

_SUFFIXES = {"." + f.engine.file_extension: f for f in RDF.values()} | {".owl": RDF["rdf"]}


def for_file(path: Path | str) -> Format | None:
    """The RDF format a file's suffix names (`.owl` is RDF/XML), or None."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def by_media_type(media_type: str, formats: dict[str, Format] = RDF) -> Format | None:
    return next((f for f in formats.values() if f.media_type == media_type), None)
