"""Search over labels and texts that understands Finnish inflection and compounds, forgives typos and
does not care whether ä, ö and å were typed.

Finnish inflects and compounds: "mielenterveys" must find "mielenterveysosaamista",
"huoltaja" must find "huoltajien", "opintopolku" must find "opintopolkuja". Words
are reduced with the Snowball Finnish stemmer; a query word matches a text word
when one stem begins the other (allowing the last letters to differ, for consonant
gradation: "opintopolku" / "opintopolut") or when the text word, a compound,
contains it. Words and stems are compared folded ("vehvilainen" finds "Vehviläinen",
"vikström" finds "Vikstrom"). A query word also matches, nearly, a word beginning
within one edit of it (two for long words: "hyvinvionti" finds "hyvinvointia");
such hits come after every exact one, and are looked for only when the exact ones
are fewer than a page. People, posts and groups are found also by the words for
their kind ("kehittämisryhmä", "nimike").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from kasograph.store.engine import GoalStore
from kasograph.vocabulary import ontology

FIELD_WEIGHTS = {"label": 5.0, "name": 5.0, "metric": 2.0, "target": 2.0, "baseline": 1.0, "outcome": 1.0, "hidden": 2.0,
                 "kind": 2.0}
MIN_STEM = 4
#: A near (not exact) match of a query word counts this much of an exact one in a hit's score.
NEAR_WEIGHT = 0.5
#: Query words longer than this get no typo tolerance (nothing real is that long; a hostile one is costly).
MAX_NEAR_WORD = 40
#: At most this much of a query is read, and at most so many of its distinct words: enough for any
#: sentence a person types, and a bound on a hostile query's cost.
MAX_QUERY = 500
MAX_TERMS = 12
#: Fields a suggestion is made from: what a resource is called, not what a goal's texts say about it.
SUGGEST_FIELDS = ("label", "name", "hidden")

SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
KG = "https://w3id.org/kasograph/def#"
#: What is indexed, field by field: the goals' texts; the names and labels of parties and of the things
#: goals name; the strategy themes' labels.
GOAL_FIELDS = ((SKOS + "prefLabel", "label"), (KG + "metric", "metric"), (KG + "baseline", "baseline"),
               (KG + "target", "target"), (KG + "outcome", "outcome"))
NAMED_TYPES = (FOAF + "Person", ORG + "Post", ORG + "OrganizationalUnit", ORG + "Organization", FOAF + "Project",
               "https://schema.org/SoftwareApplication", KG + "Survey")
NAMED_FIELDS = ((FOAF + "name", "name"), (SKOS + "prefLabel", "label"), (SKOS + "altLabel", "label"),
                (SKOS + "hiddenLabel", "hidden"))
KIND_FIELD = ("", "kind")  # the words for a resource's kind: ours, not the data's, so no property
#: The words a visitor may search a kind of party or thing by, in Finnish and English (ours, as the
#: viewer's names of kinds are); the vocabulary's own labels of its classes are added to them.
KIND_WORDS = {
    FOAF + "Person": ("henkilö", "person"),
    ORG + "Post": ("nimike", "virka", "post", "title"),
    KG + "DevelopmentGroup": ("ryhmä", "group"),
    KG + "ManagementTeam": ("ryhmä", "group"),
    KG + "Division": ("toimiala", "division"),
    ORG + "OrganizationalUnit": ("yksikkö", "unit"),
    ORG + "Organization": ("organisaatio", "organisation", "organization"),
    FOAF + "Project": ("hanke", "project"),
    "https://schema.org/SoftwareApplication": ("järjestelmä", "system"),
    KG + "Survey": ("kysely", "survey"),
}


@dataclass
class Hit:
    iri: str
    score: float
    fields: list[str] = field(default_factory=list)
    snippet: str = ""
    near: bool = False  # some query word matched only a word within an edit or two of it


@dataclass(frozen=True)
class Term:
    """A word of a query, folded: its stem, the edits forgiven, and whether it is still being typed."""

    word: str
    stem: str
    edits: int
    prefix: bool = False


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


def indexed_words(text: str) -> list[str]:
    """The words of a text as indexed: its words, and each hyphenated compound also written as one word
    ("sote-keskus" is searched as "sotekeskus" too, "well-being" as "wellbeing")."""
    found = words(text)
    if "-" in text:
        found += [w.replace("-", "") for w in re.findall(r"\w+(?:-\w+)+", unicodedata.normalize("NFC", text).casefold())]
    return found


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """`word` without its diacritics: "vehviläinen" → "vehvilainen", "å" → "a" (people type Finnish
    on keyboards without ä and ö, and names are written both ways). Kept for the words seen most: a search
    page folds every word of every snippet's text, some hundreds."""
    if word.isascii():
        return word
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)))


def edits_forgiven(stem: str) -> int:
    """How many typing mistakes a query word may have: one from five letters on, two from nine."""
    if len(stem) > MAX_NEAR_WORD:
        return 0
    return 2 if len(stem) >= 9 else 1 if len(stem) >= 5 else 0


def terms(query: str, *, typing: bool = False) -> list[Term]:
    """The query's words as terms; `typing`: the last one is being typed (unless a space follows it)."""
    query = query[:MAX_QUERY]
    typed = words(query)
    found = [Term(fold(w), fold(s), edits_forgiven(s)) for w, s in zip(typed, _stemmer().stemWords(typed)) if s]
    if typing and found and not query[-1:].isspace():
        last = found[-1]
        found[-1] = Term(last.word, last.stem, edits_forgiven(last.word), prefix=True)
    return list(dict.fromkeys(found))[:MAX_TERMS]  # a word said twice is asked once


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


class Vocabulary:
    """The index's distinct words (folded) and their stems, in sorted lists that answer by bisection:
    which words a stem or a word begins, which contain a part (one string search over all of them),
    and which begin within a few edits of a word. A search so costs the words it finds, not all words."""

    def __init__(self, stem_of: dict[str, str]):
        self.stem_of = stem_of
        self.sorted = sorted(stem_of)
        by_stem = sorted((stem, word) for word, stem in stem_of.items())
        self.stems = [stem for stem, _ in by_stem]
        self.stem_words = [word for _, word in by_stem]
        self.text = "\n" + "\n".join(self.sorted) + "\n"  # every word, for one search of a part of a word
        self.starts = array("I", _starts(self.sorted))  # where each word begins in self.text

    def beginning(self, prefix: str) -> list[str]:
        return self.sorted[bisect_left(self.sorted, prefix):bisect_left(self.sorted, _after(prefix))]

    def with_stem_beginning(self, prefix: str) -> list[str]:
        return self.stem_words[bisect_left(self.stems, prefix):bisect_left(self.stems, _after(prefix))]

    def with_stem(self, stem: str) -> list[str]:
        return self.stem_words[bisect_left(self.stems, stem):bisect_right(self.stems, stem)]

    def containing(self, part: str) -> Iterator[str]:
        at = self.text.find(part)
        while at >= 0:
            i = bisect_right(self.starts, at) - 1
            yield self.sorted[i]
            at = self.text.find(part, self.starts[i] + len(self.sorted[i]) + 1)  # on from the next word

    def exact(self, term: Term) -> set[str]:
        """Words the term matches as typed (`matches`: by stem or as part of a compound; a word being
        typed also every word it begins)."""
        q = term.stem
        if term.prefix:
            typed = set(self.beginning(term.word))
            return typed | self.exact(Term(term.word, q, 0)) if len(q) >= MIN_STEM else typed
        if len(q) < MIN_STEM:
            return set(self.with_stem(q)) | ({q} if q in self.stem_of else set())
        candidates = set(self.with_stem_beginning(q[:MIN_STEM + 1])) | set(self.containing(q))
        return {w for w in candidates if matches(q, w, self.stem_of[w])}

    def near(self, term: Term) -> set[str]:
        """Words that begin within the term's forgiven edits of it (of its stem; of the word while typed)."""
        found: set[str] = set()
        if term.edits:
            for first, end in near_prefixes(self.sorted, term.word if term.prefix else term.stem, term.edits):
                found.update(self.sorted[first:end])
        return found


def _starts(sorted_words: list[str]) -> Iterator[int]:
    at = 1
    for word in sorted_words:
        yield at
        at += len(word) + 1


def _after(prefix: str) -> str:
    """The least string after every string that begins with `prefix`."""
    if not prefix or prefix[-1] == "\U0010ffff":
        return prefix + "\U0010ffff"
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def near_prefixes(sorted_words: list[str], query: str, edits: int) -> Iterator[tuple[int, int]]:
    """Spans of `sorted_words` whose words all begin with a prefix at most `edits` edits from `query`
    (insertions, deletions, substitutions and swaps of neighbours: optimal string alignment distance)
    and with its first letter: a typo there is rare, and forgiving it would read every word.

    A Levenshtein automaton walked over the sorted words as over a trie, a prefix's words being the
    span that bisection finds: a prefix too far from every beginning of the query is left with all its
    words unread, and one near the whole query gives its whole span at once."""
    first = query[:1]
    start, stop = bisect_left(sorted_words, first), bisect_left(sorted_words, _after(first))
    above = list(range(len(query) + 1))
    stack = [(first, start, stop, _next_row(query, above, above, first, "", edits, 1), above)]
    while stack:
        prefix, start, stop, row, above = stack.pop()
        for char, first_word, end in _next_letters(sorted_words, prefix, start, stop):
            new = _next_row(query, row, above, char, prefix[-1], edits, len(prefix) + 1)
            if new[-1] <= edits:
                yield first_word, end
            elif min(new) <= edits:
                stack.append((prefix + char, first_word, end, new, row))


def _next_letters(sorted_words: list[str], prefix: str, first: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The letters that follow `prefix` in the span (all of whose words begin with it), each with its span."""
    depth = len(prefix)
    if first < end and len(sorted_words[first]) == depth:
        first += 1  # the prefix itself is a word, sorted first
    while first < end:
        char = sorted_words[first][depth]
        stop = bisect_left(sorted_words, prefix + chr(ord(char) + 1), first, end) if char < "\U0010ffff" else end
        yield char, first, stop
        first = stop


def _next_row(query: str, row: list[int], above: list[int], char: str, last: str, edits: int, depth: int) -> list[int]:
    """The distances of each beginning of `query` from the prefix one `char` longer, `depth` letters long
    (row: from the prefix; above: from the prefix less its `last` letter). Only cells within `edits` of
    the diagonal can stay within `edits`: the others are left at edits + 1."""
    too_far = edits + 1
    new = [depth if depth < too_far else too_far] + [too_far] * len(query)
    for i in range(max(1, depth - edits), min(len(query), depth + edits) + 1):
        cost = row[i - 1] if query[i - 1] == char else row[i - 1] + 1
        if row[i] + 1 < cost:
            cost = row[i] + 1
        if new[i - 1] + 1 < cost:
            cost = new[i - 1] + 1
        if i > 1 and query[i - 1] == last and query[i - 2] == char and above[i - 2] + 1 < cost:
            cost = above[i - 2] + 1
        new[i] = cost if cost < too_far else too_far
    return new

class SearchIndex:
    """An in-memory index of the store's goals, parties, themes and named things.

    Read with one scan per property (a join of the properties with the types in one query took
    Oxigraph 3.5 s at a million triples, the scans 1 s), and kept as postings: each distinct word,
    folded and stemmed once, with the entries it occurs in. A search looks the query's stems up in
    the vocabulary (Vocabulary), so it costs the words it finds, not the size of the store.
    An entry is a resource and a field, as numbers; the texts stay in the store, which gives back
    the few that results show (350 MB less at five million triples).
    """

    def __init__(self, store: GoalStore):
        self.store = store
        self.iris: list[str] = []
        self._iri_ids: dict[str, int] = {}
        self.fields: list[tuple[str, str]] = [*GOAL_FIELDS, *NAMED_FIELDS, KIND_FIELD]  # (property, field name), by number
        self.entry_iri = array("I")  # entry → resource number
        self.entry_field = array("B")  # entry → field number
        # folded word → the entries it is in: arrays of ints, 4 bytes each, not lists of int objects
        self.postings: dict[str, array] = {}
        self._spelt: dict[str, str] = {}  # folded word → a spelling of it as written, to stem (while building)
        self._folded: dict[str, str] = {}  # word as written → folded (while building)
        for iri, field_id, text in self._texts(store):
            self._add(self._iri_id(iri), field_id, text)
        spellings = list(self._spelt.values())
        stem_of = {fold(w): fold(s) for w, s in zip(spellings, _stemmer().stemWords(spellings))}
        self.vocabulary = Vocabulary(stem_of)
        del self._iri_ids, self._spelt, self._folded  # only for building

    def _texts(self, store: GoalStore) -> Iterator[tuple[str, int, str]]:
        """(resource, field number, text) of everything indexed, the words for kinds last."""
        goals = _subjects(store, f"SELECT ?s WHERE {{ ?s a <{KG}Goal> }}")
        named = set().union(*(_subjects(store, f"SELECT ?s WHERE {{ ?s a <{t}> }}") for t in NAMED_TYPES))
        themes = _subjects(store, f"SELECT DISTINCT ?s WHERE {{ ?g <{KG}theme> ?s }}")
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
                        yield iri, field_id, text.value
        kind_id = self.fields.index(KIND_FIELD)
        for iri, text in kind_texts(store, named):
            yield iri, kind_id, text

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
        for word in dict.fromkeys(indexed_words(text)):
            folded = self._folded.get(word)
            if folded is None:
                folded = self._folded[word] = fold(word)
            postings = self.postings.get(folded)
            if postings is None:
                postings = self.postings[folded] = array("I")
                self._spelt[folded] = word
            if not postings or postings[-1] != index:  # "Vikström" and "Vikstrom" in one text: once
                postings.append(index)

    def _texts_of(self, iri: str, prop: str) -> list[str]:
        if not prop:
            return []
        return [row[0].value for row in self.store.query(f"SELECT ?text WHERE {{ <{iri}> <{prop}> ?text }}")]

    def texts(self) -> dict[str, list[tuple[str, str]]]:
        """Every indexed resource's (field, text) pairs: what a static site's search works from. Read again
        with the scans that made the index (the index keeps no texts)."""
        indexed = set(zip(self.entry_iri, self.entry_field))
        ids = {iri: i for i, iri in enumerate(self.iris)}
        by_iri: dict[str, list[tuple[str, str]]] = {}
        kind_id = self.fields.index(KIND_FIELD)
        for field_id, (prop, field_name) in enumerate(self.fields):
            rows = kind_texts(self.store, ids) if field_id == kind_id else (
                (s.value, t.value) for s, t in self.store.query(f"SELECT ?s ?text WHERE {{ ?s <{prop}> ?text }}"))
            for iri, text in rows:
                iri_id = ids.get(iri)
                if iri_id is not None and (iri_id, field_id) in indexed:
                    by_iri.setdefault(iri, []).append((field_name, text))
        return by_iri

    def stems_in(self, texts: Iterable[str]) -> dict[str, str]:
        """The indexed words of `texts` (folded) whose stems (folded) are not the words themselves: what a
        browser needs to match them as this index does, having no Finnish stemmer of its own."""
        stem_of = self.vocabulary.stem_of
        found = {fold(w) for text in texts for w in indexed_words(text)}
        return {w: stem_of[w] for w in sorted(found) if w in stem_of and stem_of[w] != w}

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Resources whose texts match every word of the query, best first; near matches (typos) after
        every exact one, looked for only when the exact ones are fewer than `limit`."""
        return self._find(terms(query), limit, None, snippets=True)

    def suggest(self, query: str, limit: int = 8) -> list[Hit]:
        """What a visitor typing `query` may be looking for: resources whose names or labels match it,
        the last word as the beginning of a word."""
        if len(query.strip()) < 2:
            return []  # one letter begins a twentieth of all words: nothing worth offering
        return self._find(terms(query, typing=True), limit, SUGGEST_FIELDS, snippets=False)

    def _find(self, query: list[Term], limit: int, fields: Iterable[str] | None, *, snippets: bool) -> list[Hit]:
        if not query:
            return []
        allowed = None if fields is None else {i for i, (_, name) in enumerate(self.fields) if name in fields}
        exact = [self.vocabulary.exact(t) for t in query]
        near: list[set[str]] = [set() for _ in query]
        hits = self._ranked(query, exact, near, allowed)
        if len(hits) < limit and any(t.edits for t in query):
            near = [self.vocabulary.near(t) - found for t, found in zip(query, exact)]
            if any(near):
                hits = self._ranked(query, exact, near, allowed)
        hits = hits[:limit]
        if snippets:
            self._add_snippets(hits, set().union(*exact, *near))
        return hits

    def _entries(self, found: list[set[str]], allowed: set[int] | None) -> dict[int, set[int]]:
        """Entry → the query words (by number) that one of its words matches."""
        by_entry: dict[int, set[int]] = {}
        for i, matched in enumerate(found):
            for word in matched:
                for entry in self.postings[word]:
                    if allowed is None or self.entry_field[entry] in allowed:
                        by_entry.setdefault(entry, set()).add(i)
        return by_entry

    def _ranked(self, query: list[Term], exact: list[set[str]], near: list[set[str]], allowed: set[int] | None) -> list[Hit]:
        """Resources matching every query word (exactly or nearly), those with fewer near matches first,
        then by score (the weights of the fields matched)."""
        hits: dict[str, Hit] = {}
        exactly: dict[str, set[int]] = {}
        nearly: dict[str, set[int]] = {}
        for found, weight, into in ((self._entries(exact, allowed), 1.0, exactly), (self._entries(near, allowed), NEAR_WEIGHT, nearly)):
            for entry in sorted(found):
                iri = self.iris[self.entry_iri[entry]]
                field_name = self.fields[self.entry_field[entry]][1]
                into.setdefault(iri, set()).update(found[entry])
                hit = hits.setdefault(iri, Hit(iri, 0.0))
                hit.score += FIELD_WEIGHTS.get(field_name, 1.0) * weight * len(found[entry])
                if field_name not in hit.fields:
                    hit.fields.append(field_name)
        complete = []
        for iri, hit in hits.items():
            missing = len(query) - len(exactly.get(iri, ()))
            if missing == 0 or len(exactly.get(iri, set()) | nearly.get(iri, set())) == len(query):
                hit.near = missing > 0
                complete.append((missing, -hit.score, iri, hit))
        return [hit for *_, hit in sorted(complete)]

    def _add_snippets(self, hits: list[Hit], matched: set[str]) -> None:
        """Each hit's snippet: around the first matched word of its weightiest field that has one. The
        texts are read a field at a time for every hit still without one (one query each: a query per
        hit and field took most of a search page's time), and most hits have theirs in the first."""
        by_weight = sorted(self.fields, key=lambda f: -FIELD_WEIGHTS.get(f[1], 1.0))
        props = {hit.iri: list(dict.fromkeys(p for p, name in by_weight if p and name in hit.fields)) for hit in hits}
        first_texts: dict[str, list[str]] = {}  # a hit with no matched word: the start of its first text
        waiting = [hit for hit in hits if props[hit.iri]]
        round_ = 0
        while waiting:
            texts_of = self._texts_of_each([(hit.iri, props[hit.iri][round_]) for hit in waiting])
            still = []
            for hit in waiting:
                texts = texts_of.get((hit.iri, props[hit.iri][round_]), [])
                if texts and hit.iri not in first_texts:
                    first_texts[hit.iri] = texts
                found = next((t for t in texts if _has_word(t, matched)), None)
                if found is not None:
                    hit.snippet = snippet(found, matched)
                elif round_ + 1 < len(props[hit.iri]):
                    still.append(hit)
                else:
                    hit.snippet = snippet(first_texts[hit.iri][0], matched) if hit.iri in first_texts else ""
            waiting, round_ = still, round_ + 1

    def _texts_of_each(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        """The texts of each (resource, property), in one query."""
        found: dict[tuple[str, str], list[str]] = {}
        if pairs:
            values = " ".join(f"(<{iri}> <{prop}>)" for iri, prop in pairs)
            for s, p, text in self.store.query(f"SELECT ?s ?p ?text WHERE {{ VALUES (?s ?p) {{ {values} }} ?s ?p ?text }}"):
                found.setdefault((s.value, p.value), []).append(text.value)
        return found


def _subjects(store: GoalStore, sparql: str) -> set[str]:
    return {row[0].value for row in store.query(sparql)}


def kind_texts(store: GoalStore, among: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(resource, the words for its kinds) for the resources `among` that have a kind with words."""
    among = among if isinstance(among, (set, dict, frozenset)) else set(among)
    labels = class_labels()
    kinds: dict[str, list[str]] = {}
    for type_iri, own in KIND_WORDS.items():
        for subject in _subjects(store, f"SELECT ?s WHERE {{ ?s a <{type_iri}> }}"):
            if subject in among:
                kinds.setdefault(subject, []).extend([*labels.get(type_iri, ()), *own])
    for iri, kind_words in kinds.items():
        yield iri, " ".join(dict.fromkeys(kind_words))


def class_labels() -> dict[str, list[str]]:
    """The vocabulary's labels of its classes ("Kehittämisryhmä", "Development group"), by class."""
    from rdflib.namespace import RDFS

    found: dict[str, list[str]] = {}
    for cls, label in ontology().subject_objects(RDFS.label):
        found.setdefault(str(cls), []).append(str(label))
    return found


def _has_word(text: str, matched: set[str]) -> bool:
    return any(fold(w) in matched for w in indexed_words(text))


def snippet(text: str, matched: set[str], width: int = 160) -> str:
    """The part of `text` around its first word that is one of the `matched` (folded) words."""
    for match in re.finditer(r"\w+(?:-\w+)*", text):
        found = unicodedata.normalize("NFC", match.group()).casefold()
        if any(fold(w) in matched for w in (found.replace("-", ""), *found.split("-"))):
            start = max(0, match.start() - width // 3)
            end = min(len(text), start + width)
            return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")
    return " ".join(text[:width].split()) + ("…" if len(text) > width else "")
