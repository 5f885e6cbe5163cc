"""Whole-dataset serialisations (dumps): the one path every dump takes, from the CLI (`kasograph build`,
`export`) and from the viewer's downloads alike, serialised by the engine."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph

from kasograph.formats import Format
from kasograph.namespaces import PREFIXES, VOCABULARY_GRAPH
from kasograph.store.engine import GoalStore

_PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}


def dump(source: GoalStore | Iterable[pyoxigraph.Quad], fmt: Format, *, vocabulary: bool = True, stable: bool = False) -> bytes:
    """A store's quads (or any quads) in `fmt`: formats with named graphs keep them (TriG, N-Quads,
    JSON-LD); the others get their union. `vocabulary=False` leaves the vocabulary's graph out. `stable`:
    the same quads give the same bytes (lines sorted, JSON-LD's unordered arrays sorted), for files people
    diff — give it quads whose blank nodes keep their labels (a store names them anew when it loads)."""
    store = source if isinstance(source, GoalStore) else None
    quads = store.quads() if store is not None else iter(source)
    if not vocabulary:
        quads = (q for q in quads if getattr(q.graph_name, "value", None) != VOCABULARY_GRAPH)
    if fmt.keeps_graphs:  # streamed by the engine: a dump of millions of quads is never a list of objects
        data = pyoxigraph.serialize(quads, format=fmt.engine, prefixes=_PREFIX_MAP if fmt.name == "trig" else None) or b""
    else:  # the union: the store keeps it; of loose quads, each triple once
        data = serialize(store.triples() if store is not None and vocabulary else dict.fromkeys(q.triple for q in quads), fmt)
    if stable and fmt.name in ("nq", "nt"):
        return b"".join(sorted(data.splitlines(keepends=True)))
    if stable and fmt.name == "jsonld":
        return json.dumps(_sorted_sets(json.loads(data)), ensure_ascii=False, indent=2).encode("utf-8")
    return data


def serialize(triples, fmt: Format) -> bytes:
    """Triples in `fmt`, by the engine; Turtle and RDF/XML declare only the prefixes they use."""
    triples = list(triples)
    prefixes = None
    if fmt.engine in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML):
        used = {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object)
                if isinstance(t, pyoxigraph.NamedNode)}
        used |= {triple.object.datatype.value for triple in triples if isinstance(triple.object, pyoxigraph.Literal)}
        prefixes = {p: ns for p, ns in _PREFIX_MAP.items() if any(iri.startswith(ns) for iri in used)}
    return pyoxigraph.serialize(triples, format=fmt.engine, prefixes=prefixes) or b""


def _sorted_sets(node, key: str = ""):
    if isinstance(node, dict):
        return {k: _sorted_sets(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_sets(v) for v in node]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node
