"""Hold a document's texts against its source: every quoted text must be found there.

The source is a PDF's text layer, so a cell's words may be interrupted by a
page break and by other cells printed at that height. A text therefore counts
as quoted when, with all whitespace removed, it is found in the source as at
most a few long runs, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

MIN_PIECE = 12  # shorter pieces would match by chance
MAX_PIECES = 3


@dataclass(frozen=True)
class Unquoted:
    subject: URIRef
    predicate: URIRef
    literal: Literal


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_quoted(text: str, source: str) -> bool:
    """Whether `text` appears in `source` (both already squeezed), allowing page-break interruptions."""
    if text in source:
        return True
    position, pieces, rest = 0, 0, text
    while rest:
        pieces += 1
        if pieces > MAX_PIECES:
            return False
        # the longest prefix of `rest` that occurs after `position`
        low, high = 0, len(rest)
        while low < high:
            mid = (low + high + 1) // 2
            if source.find(rest[:mid], position) >= 0:
                low = mid
            else:
                high = mid - 1
        if low < MIN_PIECE:
            return False
        position = source.find(rest[:low], position) + low
        rest = rest[low:]
    return True


def source_literals(graph: Graph):
    """The literals that claim to be the source's words: plain strings and every language but English."""
    for s, p, o in graph:
        if isinstance(o, Literal) and (
            (o.language and not o.language.lower().startswith("en"))
            or (o.language is None and o.datatype in (None, XSD.string))
        ):
            yield s, p, o


def unquoted_literals(graph: Graph, source_text: str) -> list[Unquoted]:
    """The source-language literals of `graph` that the source does not contain."""
    source = squeeze(source_text)
    return [Unquoted(s, p, o) for s, p, o in source_literals(graph) if not is_quoted(squeeze(str(o)), source)]
