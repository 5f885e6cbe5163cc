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
import threading
import unicodedata
from array import array
from dataclasses import dataclass, field

import snowballstemmer

from kasograph.store.engine import GoalStore

FIELD_WEIGHTS = {"label": 5.0, "name": 5.0, "metric": 2.0, "target": 2.0, "baseline": 1.0, "outcome": 1.0, "hidden": 2.0}
MIN_STEM = 4

SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
KG = "https://w3id.org/kasograph/def#"
#: What is indexed, field by field: the goals' texts; the names and labels of parties and of the things
#: goals name; the strategy themes' labels.
GOAL_FIELDS = ((SKOS + "prefLabel", "label"), (KG + "metric", "metric"), (KG + "baseline", "baseline"),
               (KG + "target", "target"), (KG + "outcome", "outcome"))
NAMED_TYPES = (FOAF + "Person", "http://www.w3.org/ns/org#Post", "http://www.w3.org/ns/org#OrganizationalUnit",
               "http://www.w3.org/ns/org#Organization", FOAF + "Project", "https://schema.org/SoftwareApplication",
               KG + "Survey")
NAMED_FIELDS = ((FOAF + "name", "name"), (SKOS + "prefLabel", "label"), (SKOS + "altLabel", "label"),
                (SKOS + "hiddenLabel", "hidden"))


@dataclass
class Hit:
    iri: str
    score: float
    fields: list[str] = field(default_factory=list)
    snippet: str = ""


_local = threading.local()


def _stemmer():
    """This thread's Finnish stemmer: a Snowball stemmer keeps the word it works on in itself, so two
    threads sharing one corrupt each other's words (wrong stems, IndexError: 500s under load)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("finnish")
    return stemmer


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
    """An in-memory index of the store's goals, parties, themes and named things.

    Read with one scan per property (a join of the properties with the types in one query took
    Oxigraph 3.5 s at a million triples, the scans 1 s), and kept as postings: each distinct word,
    stemmed once, with the entries it occurs in. A search tries the query's stems against the
    distinct words, not against every text, so it costs the size of the vocabulary, not of the store.
    An entry is a resource and a field, as numbers; the texts stay in the store, which gives back
    the few that results show (350 MB less at five million triples).
    """

    def __init__(self, store: GoalStore):
        self.store = store
        self.iris: list[str] = []
        self._iri_ids: dict[str, int] = {}
        self.fields: list[tuple[str, str]] = [*GOAL_FIELDS, *NAMED_FIELDS]  # (property, field name), by number
        self.entry_iri = array("I")  # entry → resource number
        self.entry_field = array("B")  # entry → field number
        # word → (its stem, the entries it is in): arrays of ints, 4 bytes each, not lists of int objects
        self.words: dict[str, tuple[str, array]] = {}
        goals = self._subjects(store, f"SELECT ?s WHERE {{ ?s a <{KG}Goal> }}")
        named = set().union(*(self._subjects(store, f"SELECT ?s WHERE {{ ?s a <{t}> }}") for t in NAMED_TYPES))
        themes = self._subjects(store, f"SELECT DISTINCT ?s WHERE {{ ?g <{KG}theme> ?s }}")
        # A scan gives each triple once; only a resource in two groups could give a text twice.
        twice = (goals & named) | (goals & themes) | (named & themes)
        seen: set[tuple[str, int, str]] = set()
        for members, fields in ((goals, GOAL_FIELDS), (named, NAMED_FIELDS), (themes, ((SKOS + "prefLabel", "label"),))):
            for prop, field_name in fields:
                field_id = self.fields.index((prop, field_name))
                for subject, text in store.query(f"SELECT ?s ?text WHERE {{ ?s <{prop}> ?text }}"):
                    iri = subject.value
                    if iri in members:
                        if iri in twice:
                            if (iri, field_id, text.value) in seen:
                                continue
                            seen.add((iri, field_id, text.value))
                        self._add(self._iri_id(iri), field_id, text.value)
        stems_of = dict(zip(self.words, _stemmer().stemWords(list(self.words))))
        self.words = {word: (stems_of[word], entries) for word, (_, entries) in self.words.items()}
        del self._iri_ids  # only for building

    @staticmethod
    def _subjects(store: GoalStore, sparql: str) -> set[str]:
        return {row[0].value for row in store.query(sparql)}

    def _iri_id(self, iri: str) -> int:
        found = self._iri_ids.get(iri)
        if found is None:
            found = self._iri_ids[iri] = len(self.iris)
            self.iris.append(iri)
        return found

    def _add(self, iri_id: int, field_id: int, text: str) -> None:
        index = len(self.entry_iri)
        self.entry_iri.append(iri_id)
        self.entry_field.append(field_id)
        for word in dict.fromkeys(words(text)):
            self.words.setdefault(word, ("", array("I")))[1].append(index)

    def _texts_of(self, iri: str, prop: str) -> list[str]:
        return [row[0].value for row in self.store.query(f"SELECT ?text WHERE {{ <{iri}> <{prop}> ?text }}")]

    def texts(self) -> dict[str, list[tuple[str, str]]]:
        """Every indexed resource's (field, text) pairs: what a static site's search works from. Read again
        with the scans that made the index (the index keeps no texts)."""
        indexed = set(zip(self.entry_iri, self.entry_field))
        ids = {iri: i for i, iri in enumerate(self.iris)}
        by_iri: dict[str, list[tuple[str, str]]] = {}
        for field_id, (prop, field_name) in enumerate(self.fields):
            for subject, text in self.store.query(f"SELECT ?s ?text WHERE {{ ?s <{prop}> ?text }}"):
                iri_id = ids.get(subject.value)
                if iri_id is not None and (iri_id, field_id) in indexed:
                    by_iri.setdefault(subject.value, []).append((field_name, text.value))
        return by_iri

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Resources whose texts match every word of the query, best first."""
        query_stems = [s for s in stems(query) if s]
        if not query_stems:
            return []
        matched_by: dict[int, set[int]] = {}  # entry → the query stems it matches
        for i, query_stem in enumerate(query_stems):
            for word, (stem, entries) in self.words.items():
                if matches(query_stem, word, stem):
                    for entry in entries:
                        matched_by.setdefault(entry, set()).add(i)
        hits: dict[str, Hit] = {}
        found: dict[str, set[int]] = {}
        first_field: dict[str, tuple[str, str]] = {}  # the field whose text gives the snippet
        for entry in sorted(matched_by):
            iri = self.iris[self.entry_iri[entry]]
            prop, field_name = self.fields[self.entry_field[entry]]
            matched = matched_by[entry]
            found.setdefault(iri, set()).update(matched)
            hit = hits.setdefault(iri, Hit(iri, 0.0))
            hit.score += FIELD_WEIGHTS.get(field_name, 1.0) * len(matched)
            if field_name not in hit.fields:
                hit.fields.append(field_name)
            first_field.setdefault(iri, (prop, field_name))
        complete = [h for iri, h in hits.items() if len(found[iri]) == len(query_stems)]
        complete.sort(key=lambda h: (-h.score, h.iri))
        for hit in complete[:limit]:
            texts = self._texts_of(hit.iri, first_field[hit.iri][0])
            hit.snippet = next((_snippet(t, query_stems, self._stem) for t in texts if _matching(t, query_stems, self._stem)),
                               _snippet(texts[0], query_stems, self._stem) if texts else "")
        return complete[:limit]

    def _stem(self, word: str) -> str:
        """A text word's stem: the index has stemmed every word of the texts once (stemming them again for
        the snippets took half of a search's time)."""
        known = self.words.get(word)
        return known[0] if known is not None else _stemmer().stemWord(word)


def _matching(text: str, query_stems: list[str], stem=None) -> bool:
    stem = stem or _stemmer().stemWord
    return any(matches(q, w, stem(w)) for w in words(text) for q in query_stems)


def _snippet(text: str, query_stems: list[str], stem=None, width: int = 160) -> str:
    """The part of `text` around its first matching word."""
    stem_of = stem or _stemmer().stemWord
    for match in re.finditer(r"\w+", text):
        word = unicodedata.normalize("NFC", match.group()).casefold()
        stem = stem_of(word)
        if any(matches(q, word, stem) for q in query_stems):
            start = max(0, match.start() - width // 3)
            end = min(len(text), start + width)
            return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")
    return " ".join(text[:width].split()) + ("…" if len(text) > width else "")
