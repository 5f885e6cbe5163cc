"""Search over labels and texts that understands Finnish inflection and compounds.

Finnish inflects and compounds: "mielenterveys" must find "mielenterveysosaamista",
"huoltaja" must find "huoltajien", "opintopolku" must find "opintopolkuja". Words
are reduced with the Snowball Finnish stemmer; a query word matches a text word
when one stem begins the other (allowing the last letters to differ, for consonant
gradation: "opintopolku" / "opintopolut") or when the text word, a compound,
contains it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from .store import GoalStore

FIELD_WEIGHTS = {"label": 5.0, "name": 5.0, "metric": 2.0, "target": 2.0, "baseline": 1.0, "outcome": 1.0, "hidden": 2.0}
MIN_STEM = 4

_INDEX_QUERY = """
SELECT ?s ?field ?text WHERE {
  {
    ?s a kg:Goal .
    VALUES (?p ?field) { (skos:prefLabel "label") (kg:metric "metric") (kg:baseline "baseline")
                         (kg:target "target") (kg:outcome "outcome") }
    ?s ?p ?text .
  } UNION {
    ?s a ?type .
    VALUES ?type { foaf:Person org:Post org:OrganizationalUnit org:Organization foaf:Project schema:SoftwareApplication kg:Survey }
    VALUES (?p ?field) { (foaf:name "name") (skos:prefLabel "label") (skos:altLabel "label") (skos:hiddenLabel "hidden") }
    ?s ?p ?text .
  } UNION {
    ?g kg:theme ?s .
    ?s skos:prefLabel ?text . BIND ("label" AS ?field)
  }
}
"""


@dataclass
class Hit:
    iri: str
    score: float
    fields: list[str] = field(default_factory=list)
    snippet: str = ""


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("finnish")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def matches(query_stem: str, text_word: str, text_stem: str) -> bool:
    if len(query_stem) < MIN_STEM:
        return text_stem == query_stem or text_word == query_stem
    if text_stem.startswith(query_stem) or query_stem in text_word:
        return True
    shorter = min(len(query_stem), len(text_stem))
    common = len(_common_prefix(query_stem, text_stem))
    return shorter >= MIN_STEM + 1 and common >= max(MIN_STEM + 1, shorter - 2)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


class SearchIndex:
    """An in-memory index of the store's goals, parties, themes and named things."""

    def __init__(self, store: GoalStore):
        self.entries: list[tuple[str, str, str, list[str], list[str]]] = []  # iri, field, text, words, stems
        results = store.query(_INDEX_QUERY)
        for row in results:
            text = row["text"].value
            ws = words(text)
            self.entries.append((row["s"].value, row["field"].value, text, ws, _stemmer().stemWords(ws)))

    def texts(self) -> dict[str, list[tuple[str, str]]]:
        """Every indexed resource's (field, text) pairs: what a static site's search works from."""
        by_iri: dict[str, list[tuple[str, str]]] = {}
        for iri, field_name, text, _, _ in self.entries:
            by_iri.setdefault(iri, []).append((field_name, text))
        return by_iri

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Resources whose texts match every word of the query, best first."""
        query_stems = [s for s in stems(query) if s]
        if not query_stems:
            return []
        hits: dict[str, Hit] = {}
        found: dict[str, set[int]] = {}
        for iri, field_name, text, ws, ss in self.entries:
            matched = {i for i, q in enumerate(query_stems) if any(matches(q, w, s) for w, s in zip(ws, ss))}
            if not matched:
                continue
            found.setdefault(iri, set()).update(matched)
            hit = hits.setdefault(iri, Hit(iri, 0.0))
            hit.score += FIELD_WEIGHTS.get(field_name, 1.0) * len(matched)
            if field_name not in hit.fields:
                hit.fields.append(field_name)
            if not hit.snippet or field_name not in ("label", "name"):
                hit.snippet = hit.snippet or _snippet(text, query_stems)
        complete = [h for iri, h in hits.items() if len(found[iri]) == len(query_stems)]
        complete.sort(key=lambda h: (-h.score, h.iri))
        return complete[:limit]


def _snippet(text: str, query_stems: list[str], width: int = 160) -> str:
    """The part of `text` around its first matching word."""
    for match in re.finditer(r"\w+", text):
        word = match.group().casefold()
        stem = _stemmer().stemWord(word)
        if any(matches(q, word, stem) for q in query_stems):
            start = max(0, match.start() - width // 3)
            end = min(len(text), start + width)
            return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")
    return " ".join(text[:width].split()) + ("…" if len(text) > width else "")
