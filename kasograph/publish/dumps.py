"""Whole-dataset serialisations (dumps): the one path every dump takes, from the CLI (`kasograph build`,
`export`) and from the viewer's downloads alike, serialised by the engine.

A dump is deterministic: the same statements give the same bytes, whatever store holds them and
however often it was loaded, so that two releases can be diffed. Blank nodes get canonical labels
(RDFC-1.0, the W3C's RDF Dataset Canonicalization, as pyoxigraph's `Dataset.canonicalize` computes
them: `_:c14n0`, `_:c14n1`, …) and every graph's statements are sorted. Canonical labels rather than
skolem IRIs: the dump holds the very graph the store holds (a blank node stays blank; no IRI is
minted under the base that would then have to dereference), and any RDFC-1.0 implementation gives
the same labels. Their limit: adding a blank node may renumber others, so a diff between releases can
show relabelled blank nodes (periods, rights statements, the vocabulary's structure) besides the
changes themselves.

Only statements that mention a blank node are canonicalised (the labels depend on nothing else), in
memory; the rest is read graph by graph from the engine, as N-Triples text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph

from kasograph import formats
from kasograph.files import write_atomically
from kasograph.formats import Format
from kasograph.namespaces import PREFIXES, VOCABULARY_GRAPH
from kasograph.publish.jsonld import Shortener, compact_document, context
from kasograph.store.engine import GoalStore

DUMP_NAME = "kasograph"
PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}
CANONICALIZATION = pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0
_NT = pyoxigraph.RdfFormat.N_TRIPLES
Graph = pyoxigraph.NamedNode | pyoxigraph.DefaultGraph


def dump(source: GoalStore | Iterable[pyoxigraph.Quad], fmt: Format, *, vocabulary: bool = True, stable: bool = True) -> bytes:
    """A store's statements (or any quads) in `fmt`: formats with named graphs keep them (TriG, N-Quads,
    JSON-LD); the others get their union. `vocabulary=False` leaves the vocabulary's graph out. Always
    deterministic (`stable` is kept for callers that still say so)."""
    return write(CanonicalQuads(source, vocabulary=vocabulary), fmt)


class CanonicalQuads:
    """A store's statements graph by graph, as sorted N-Triples lines whose blank nodes carry their
    canonical labels. Graphs in the order of their names; a store's default graph only when it has no
    named graphs (a GoalStore keeps the union there) or, for loose quads, when it holds any. Read from
    the engine once and kept (about the size of the N-Triples dump), for every format made from them."""

    def __init__(self, source: GoalStore | Iterable[pyoxigraph.Quad], *, vocabulary: bool = True):
        engine, self.graphs = _engine_and_graphs(source)
        if not vocabulary:
            self.graphs = [g for g in self.graphs if getattr(g, "value", None) != VOCABULARY_GRAPH]
        self._lines: dict[Graph, list[bytes]] = {}
        blank: list[pyoxigraph.Quad] = []
        for graph in self.graphs:
            lines = (engine.dump(format=_NT, from_graph=graph) or b"").splitlines(keepends=True)
            self._lines[graph] = [line for line in lines if b"_:" not in line]
            blank += _quads([line for line in lines if b"_:" in line], graph)
        for graph, lines in _canonical_lines(blank).items():
            self._lines[graph] += lines
        for lines in self._lines.values():
            lines.sort()

    def lines(self, graph: Graph) -> list[bytes]:
        """The statements of `graph`, one N-Triples line each, sorted."""
        return self._lines[graph]

    def union(self) -> list[bytes]:
        """Every graph's statements merged (each once), sorted."""
        return sorted({line for graph in self.graphs for line in self._lines[graph]})


def _quads(lines: list[bytes], graph: Graph) -> Iterator[pyoxigraph.Quad]:
    """N-Triples lines as quads of `graph` (parsed as N-Quads: no Python object per statement is remade)."""
    return pyoxigraph.parse(b"".join(_in_graph(lines, graph)), format=pyoxigraph.RdfFormat.N_QUADS)


def _in_graph(lines: Iterable[bytes], graph: Graph) -> Iterable[bytes]:
    """N-Triples lines as N-Quads lines: "<s> <p> <o> .\\n" → "<s> <p> <o> <g> .\\n"."""
    if isinstance(graph, pyoxigraph.DefaultGraph):
        return lines
    name = f" <{graph.value}> .\n".encode("utf-8")
    return (line[:-3] + name for line in lines)


def _canonical_lines(quads: list[pyoxigraph.Quad]) -> dict[Graph, list[bytes]]:
    """Statements that mention a blank node (or only seem to: "_:" in a literal, which come back as they
    were), relabelled together — a blank node may be in several graphs — as N-Triples lines by graph."""
    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(CANONICALIZATION)
    by_graph: dict[Graph, list[pyoxigraph.Triple]] = {}
    for quad in dataset:
        by_graph.setdefault(quad.graph_name, []).append(quad.triple)
    return {graph: _ntriples_lines(triples) for graph, triples in by_graph.items()}


def _engine_and_graphs(source) -> tuple[pyoxigraph.Store, list[Graph]]:
    """The engine to read from, and the graphs that hold the statements (see CanonicalQuads)."""
    if isinstance(source, GoalStore) and source.store is not None:
        names = sorted(source.store.named_graphs(), key=lambda g: g.value)
        return source.store, names or [pyoxigraph.DefaultGraph()]
    engine = pyoxigraph.Store()  # loose quads, or a remote store's (read in one query: blank nodes keep their identity)
    engine.bulk_extend(source.quads() if isinstance(source, GoalStore) else source)
    names = sorted(engine.named_graphs(), key=lambda g: g.value)
    has_default = next(iter(engine.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None) is not None
    return engine, names + [pyoxigraph.DefaultGraph()] * (has_default or not names)


def _ntriples_lines(triples: Iterable[pyoxigraph.Triple]) -> list[bytes]:
    return (pyoxigraph.serialize(triples, format=_NT) or b"").splitlines(keepends=True)


# Formats -------------------------------------------------------------------------------------------
def write(quads: CanonicalQuads, fmt: Format) -> bytes:
    """The canonical statements in `fmt`."""
    if fmt.name == "nq":
        return b"".join(_nquads(quads))
    if fmt.name == "jsonld":
        return _jsonld(quads)
    if fmt.keeps_graphs:  # TriG: streamed from the lines, graph by graph
        return pyoxigraph.serialize(_parsed_quads(quads), format=fmt.engine, prefixes=PREFIX_MAP) or b""
    union = b"".join(quads.union())
    if fmt.name == "nt":
        return union
    return pyoxigraph.serialize(pyoxigraph.parse(union, format=_NT), format=fmt.engine, prefixes=used_prefixes(union)) or b""


def _nquads(quads: CanonicalQuads) -> Iterator[bytes]:
    for graph in quads.graphs:
        yield from _in_graph(quads.lines(graph), graph)


def _parsed_quads(quads: CanonicalQuads) -> Iterator[pyoxigraph.Quad]:
    for graph in quads.graphs:
        yield from _quads(quads.lines(graph), graph)


def _jsonld(quads: CanonicalQuads) -> bytes:
    """`{"@context": the prefixes, "@graph": [each named graph …]}`, written graph by graph with one node
    a line (a diff shows the nodes that changed; the engine's JSON writer is fast without indentation)."""
    shortener = Shortener(PREFIX_MAP)
    items = []
    for graph in quads.graphs:
        expanded = pyoxigraph.serialize(_quads(quads.lines(graph), graph), format=pyoxigraph.RdfFormat.JSON_LD)
        for item in json.loads(expanded or b"[]"):
            item = shortener.node(item)
            if "@graph" not in item:
                items.append(_line(item))
                continue
            nodes = ",\n      ".join(_line(node) for node in item["@graph"])
            items.append(f'{{"@id": {_line(item["@id"])}, "@graph": [\n      {nodes}\n    ]}}')
    context_lines = ",\n    ".join(f"{_line(p)}: {_line(ns)}" for p, ns in context(PREFIX_MAP).items())
    body = ",\n    ".join(items)
    return f'{{\n  "@context": {{\n    {context_lines}\n  }},\n  "@graph": [\n    {body}\n  ]\n}}\n'.encode("utf-8")


def _line(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# Small documents -----------------------------------------------------------------------------------
def serialize(triples: Iterable[pyoxigraph.Triple], fmt: Format, *, prefixes: dict[str, str] | None = None) -> bytes:
    """A small graph (a resource's description, the VoID description, the vocabulary) in `fmt`, as a
    dump is: canonical blank-node labels and sorted. Turtle and RDF/XML declare only the prefixes they
    use; JSON-LD is compacted with them (kasograph.publish.jsonld)."""
    dataset = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(CANONICALIZATION)
    lines = b"".join(sorted(_ntriples_lines(q.triple for q in dataset)))
    if fmt.name == "nt":
        return lines
    used = used_prefixes(lines, {**PREFIX_MAP, **(prefixes or {})})
    if fmt.name == "jsonld":
        expanded = pyoxigraph.serialize(pyoxigraph.parse(lines, format=_NT), format=fmt.engine) or b"[]"
        return compact_document(expanded, used)
    return pyoxigraph.serialize(pyoxigraph.parse(lines, format=_NT), format=fmt.engine, prefixes=used) or b""


def used_prefixes(ntriples: bytes, prefixes: dict[str, str] = PREFIX_MAP) -> dict[str, str]:
    """The prefixes whose namespace an IRI of the N-Triples text starts with (a datatype's too)."""
    return {p: ns for p, ns in prefixes.items() if b"<" + ns.encode("utf-8") in ntriples}


# The viewer's downloads ----------------------------------------------------------------------------
class Dumps:
    """The downloads of one state of the data, made together on first use (one canonical pass for every
    format) and kept: as files in `folder` (a store generation's, which every process serving it shares
    and which never changes) or, without one, in memory."""

    def __init__(self, source: GoalStore, folder: Path | None = None, offered: dict[str, Format] = formats.DUMPS):
        self.source, self.folder, self.offered = source, folder, offered
        self._lock = threading.Lock()
        self._made: dict[str, bytes] | None = None

    def path(self, fmt: Format) -> Path | None:
        """The file of a download, when they are kept as files."""
        return None if self.folder is None else self.folder / f"{DUMP_NAME}.{fmt.name}"

    def content(self, fmt: Format) -> bytes | Path:
        """A download: its file, or its bytes."""
        made = self._make()
        return self.path(fmt) if self.folder is not None else made[fmt.name]

    def sizes(self) -> dict[str, int]:
        """Bytes of each download, by format name."""
        made = self._make()
        if self.folder is None:
            return {name: len(data) for name, data in made.items()}
        return {name: self.path(fmt).stat().st_size for name, fmt in self.offered.items()}

    def _make(self) -> dict[str, bytes]:
        with self._lock:  # one request makes them; the others wait for it
            if self._made is None:
                self._made = self._kept() or self._write()
            return self._made

    def _kept(self) -> dict[str, bytes] | None:
        if self.folder is None or not all(self.path(fmt).is_file() for fmt in self.offered.values()):
            return None
        return {}  # another process made them: they are read from the files

    def _write(self) -> dict[str, bytes]:
        quads = CanonicalQuads(self.source)
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                for fmt in self.offered.values():  # one at a time: a dump of millions of statements is large
                    write_atomically(self.path(fmt), write(quads, fmt))
                return {}
            except OSError:  # a store this process may only read: kept in memory instead
                self.folder = None
        return {name: write(quads, fmt) for name, fmt in self.offered.items()}
