"""Whole-dataset serialisations (dumps) and writing them safely."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph

from kasograph.files import write_atomically  # noqa: F401 - kasograph.publish.dumps.write_atomically, as before
from kasograph.namespaces import bind_prefixes

#: format name → (rdflib serializer, media type, keeps named graphs)
DUMP_FORMATS = {
    "trig": ("trig", "application/trig", True),
    "nq": ("nquads", "application/n-quads", True),
    "jsonld": ("json-ld", "application/ld+json", True),
    "ttl": ("turtle", "text/turtle", False),
    "nt": ("nt", "application/n-triples", False),
}
SUFFIX_FORMATS = {".trig": "trig", ".nq": "nq", ".jsonld": "jsonld", ".ttl": "ttl", ".nt": "nt"}


def serialize_dataset(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in `fmt`; triple formats (ttl, nt) get the union of all graphs."""
    serializer, _, keeps_graphs = DUMP_FORMATS[fmt]
    if keeps_graphs:
        data = dataset.serialize(format=serializer, **({"auto_compact": True} if fmt == "jsonld" else {}))
    else:
        union = Graph()
        bind_prefixes(union)
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union.serialize(format=serializer)
    data = data.encode("utf-8") if isinstance(data, str) else data
    # The same data gives the same file (diffable dumps): line formats are sorted, and
    # JSON-LD's arrays, which are unordered sets unless they are @list, too.
    if fmt in ("nq", "nt"):
        data = b"".join(sorted(data.splitlines(keepends=True)))
    elif fmt == "jsonld":
        data = json.dumps(_sorted_sets(json.loads(data)), ensure_ascii=False, indent=2).encode("utf-8")
    return data


def _sorted_sets(node, key: str = ""):
    if isinstance(node, dict):
        return {k: _sorted_sets(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_sets(v) for v in node]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def format_for(path: Path, default: str = "trig") -> str:
    return SUFFIX_FORMATS.get(path.suffix.lower(), default)
