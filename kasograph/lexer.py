"""The few facts about a SPARQL text that are needed before it runs, found by a lexical scan.

A scan, not a parse: it takes microseconds where a parse in Python takes tens of
milliseconds. Comments, strings, IRIs and language tags are skipped whole, so
that a keyword inside them is not taken for one; a word with a colon is a
prefixed name, and one after ? or $ a variable, so neither is a keyword.
"""

from __future__ import annotations

import re

TOKENS = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'{3}(?:[^'\\]|\\.|'(?!''))*'{3} | "{3}(?:[^"\\]|\\.|"(?!""))*"{3}
              | '(?:[^'\\\n\r]|\\.)*' | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<variable>[?$]\w+)
  | (?P<word>[^\W\d]?[\w.\-\u00b7]*:[^\s{}()\[\];,<>"'\#|/^*+?!=&]*|[^\W\d][\w\-]*)
  | (?P<other>\S)
""", re.VERBOSE)
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _codepoint(match: re.Match) -> str:
    number = int(match.group(1) or match.group(2), 16)
    return chr(number) if number <= 0x10FFFF else match.group()  # no such character: the parser will say so


def tokens(sparql: str) -> list[tuple[str, str]]:
    """(kind, text) of every token but comments; kinds: string, iri, langtag, variable, word, other.
    SPARQL applies \\u escapes before parsing, everywhere (Oxigraph too): so does the scan."""
    text = CODEPOINT.sub(_codepoint, sparql)
    return [(m.lastgroup, m.group()) for m in TOKENS.finditer(text) if m.lastgroup != "comment"]


def keywords(sparql: str) -> set[str]:
    """The words of a query that may be keywords, upper-cased."""
    return {value.upper() for kind, value in tokens(sparql) if kind == "word"}


def reads_named_graphs(sparql: str) -> bool:
    """Whether a query names graphs (GRAPH, FROM, FROM NAMED): if not, the union alone answers it."""
    return bool(keywords(sparql) & {"GRAPH", "FROM"})
