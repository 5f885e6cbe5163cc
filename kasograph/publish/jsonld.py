"""Compacted JSON-LD: the engine writes JSON-LD with full IRIs and no `@context`; this shortens it with
kasograph's prefixes (`foaf:name`, `@type: ["kg:Goal"]`) and puts the prefixes in an inline `@context`,
so the document reads like the Turtle and still parses to the same quads in any JSON-LD processor.

Only what JSON-LD expands back exactly is shortened: property names, `@id` and `@type` values with a
known namespace and a local part that cannot be read as an IRI of its own (`//…`); a single value is
written without its array and a plain string without its object (as JSON-LD's compaction does), other
values stay as they are (`@value`, `@language`), and `rdf:type` becomes `@type` only when every value
is an IRI.
"""

from __future__ import annotations

import json

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def context(prefixes: dict[str, str]) -> dict[str, str]:
    """The `@context` of kasograph's JSON-LD: each prefix as a term (namespaces end in '/' or '#', so
    JSON-LD 1.1 takes each as a prefix of compact IRIs)."""
    return dict(sorted(prefixes.items()))


def compact_document(expanded: bytes, prefixes: dict[str, str]) -> bytes:
    """A JSON-LD document from the engine (a list of node objects) as `{"@context", "@graph"}`."""
    nodes = json.loads(expanded or b"[]")
    return dump_json({"@context": context(prefixes), "@graph": compact_nodes(nodes, prefixes)})


def compact_nodes(nodes: list, prefixes: dict[str, str]) -> list:
    """Node objects (or named graphs of them) with their IRIs shortened by `prefixes`."""
    shorten = _shortener(prefixes)
    return [shorten.node(node) for node in nodes]


_shorteners: dict[tuple, "Shortener"] = {}  # by prefixes: every page's JSON-LD uses one of a few sets of them


def _shortener(prefixes: dict[str, str]) -> "Shortener":
    """A Shortener for `prefixes`, kept with what it has shortened (one made per document had to learn
    each property and class again)."""
    key = tuple(prefixes.items())
    found = _shorteners.get(key)
    if found is None or len(found.known) > Shortener.LIMIT:
        if len(_shorteners) > 100:
            _shorteners.clear()
        found = _shorteners[key] = Shortener(prefixes)
    return found


def dump_json(value) -> bytes:
    """The same value gives the same bytes: keys in the engine's order, two spaces, UTF-8 kept — the bytes
    of `json.dumps(value, ensure_ascii=False, indent=2)`, written by `_indented` (json's own writer
    indents in Python, a generator step per value: most of the cost of a page's embedded JSON-LD)."""
    out: list[str] = []
    try:
        _indented(value, "\n", out)
    except TypeError:  # a key that is not a string: json converts it
        return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    out.append("\n")
    return "".join(out).encode("utf-8")


_string = json.encoder.encode_basestring  # the C encoder's, as json.dumps uses with ensure_ascii=False


def _indented(value, newline: str, out: list[str]) -> None:
    """`value` as json.dumps writes it with indent=2, `newline` being the line break and indent it is at."""
    if isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dict) and value:
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(key)
            if type(item) is str:  # most values: no call for them
                out.append(separator + _string(key) + ": " + _string(item))
            else:
                out.append(separator + _string(key) + ": ")
                _indented(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list) and value:
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            if type(item) is str:
                out.append(separator + _string(item))
            else:
                out.append(separator)
                _indented(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:  # numbers, true, false, null, {} and []
        out.append(json.dumps(value))


class Shortener:
    """Shortens the IRIs of the engine's JSON-LD node objects with a set of prefixes."""

    LIMIT = 50_000  # IRIs remembered, when kept from document to document (`_shortener`)

    def __init__(self, prefixes: dict[str, str]):
        # the longest namespace first: a namespace inside another gives the longer one's prefix
        self.namespaces = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda item: -len(item[0]))
        self.known: dict[str, str] = {}  # a dump names the same properties and classes again and again

    def iri(self, iri: str) -> str:
        if iri not in self.known:
            self.known[iri] = next((f"{prefix}:{iri[len(namespace):]}" for namespace, prefix in self.namespaces
                                    if iri.startswith(namespace) and not iri[len(namespace):].startswith("//")), iri)
        return self.known[iri]

    def node(self, node: dict) -> dict:
        out = {}
        types = node.get(RDF_TYPE)
        for key, value in node.items():
            if key == "@id":
                out[key] = value if value.startswith("_:") else self.iri(value)
            elif key == "@graph":
                out[key] = [self.node(n) for n in value]
            elif key == RDF_TYPE and all(_is_iri_reference(v) for v in types):
                out["@type"] = _single([self.iri(v["@id"]) for v in types])
            elif key == "@type":
                out[key] = _single([self.iri(v) for v in value]) if isinstance(value, list) else self.iri(value)
            elif key.startswith("@"):
                out[key] = value
            else:
                out[self.iri(key)] = _single([self.value(v) for v in value])
        return out

    def value(self, value: dict) -> dict | str:
        if "@id" in value:
            return {"@id": value["@id"] if value["@id"].startswith("_:") else self.iri(value["@id"])}
        if set(value) == {"@value"} and isinstance(value["@value"], str):
            return value["@value"]  # a plain string (xsd:string) reads back as one
        if "@type" in value and isinstance(value["@type"], str) and value["@type"] != "@json":
            return {**value, "@type": self.iri(value["@type"])}
        return value


def _single(values: list):
    return values[0] if len(values) == 1 else values


def _is_iri_reference(value: dict) -> bool:
    return set(value) == {"@id"} and not value["@id"].startswith("_:")
