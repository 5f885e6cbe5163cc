"""Revisions: which goal of a division's year carries over which goal of the year before, and the
`prov:wasRevisionOf` links that say so, kept up to date by every import and removal.

Both backends (a store directory and a SPARQL server) call these functions; `kasograph diff`
(kasograph.analysis.compare) pairs goals the same way. How goals are paired (the earlier
document's goal with the later one's):

1. **by key** — two goals with the same key (the table's "Tunniste" column, or the slug of the
   goal's first words when the table has none; the last segment of the goal IRI
   ``goal/{document}/{key}``) are the same goal, whatever their texts say: keeping the key is the
   steward's statement that it is the same goal;
2. **by text** — among the goals still unpaired, the two texts most alike are paired when their
   similarity is at least `TEXT_THRESHOLD`; then the next most alike, and so on (each goal is paired
   at most once). Similarity is difflib's `SequenceMatcher.ratio()` on the texts with case folded
   and whitespace collapsed: 1.0 for the same text, 0.0 for nothing in common.

The threshold, 0.75, was chosen on the bundled 2021 document: no two of its different goals are
more alike than 0.51, while a goal with a few words added or changed stays above 0.85.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import pyoxigraph
from rdflib import URIRef
from rdflib.namespace import SKOS

from kasograph.namespaces import KG
from kasograph.store.engine import PREFIX_MAP, GoalStore
from kasograph.store.manifest import Manifest
from kasograph.vocabulary import ontology

#: Goals whose texts are at least this alike (difflib ratio, 0–1) are paired when their keys differ.
TEXT_THRESHOLD = 0.75

MatchedBy = Literal["key", "text"]
ROLES = {str(KG.ResponsiblePerson): "person", str(KG.ResponsibleBody): "body"}



# --- what is compared ------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRef:
    """A goal of one document: its IRI, key and text (in the document's language)."""

    iri: str
    key: str
    text: str

    def to_dict(self) -> dict:
        return {"iri": self.iri, "key": self.key, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict) -> "GoalRef":
        return cls(data["iri"], data["key"], data["text"])


@dataclass(frozen=True)
class Term:
    """A concept (status, theme): its IRI, its label in the source's language and in English."""

    iri: str
    label: str = ""
    label_en: str = ""

    def display(self, lang: str = "en") -> str:
        if lang == "en" and self.label_en:
            return self.label_en
        return self.label or self.label_en or self.iri

    def to_dict(self) -> dict:
        return {"iri": self.iri, "label": self.label, "label_en": self.label_en}

    @classmethod
    def from_dict(cls, data: dict) -> "Term":
        return cls(data["iri"], data.get("label", ""), data.get("label_en", ""))


@dataclass(frozen=True)
class Party:
    """A party responsible for a goal, in one role.

    `kind` is "person", "post" or "group"; `role` is "person" (named in the
    vastuuhenkilö part of the cell) or "body" (vastuutaho), "" when the graph
    does not say.
    """

    iri: str
    name: str
    kind: str
    role: str

    def to_dict(self) -> dict:
        return {"iri": self.iri, "name": self.name, "kind": self.kind, "role": self.role}

    @classmethod
    def from_dict(cls, data: dict) -> "Party":
        return cls(data["iri"], data["name"], data["kind"], data["role"])


@dataclass
class GoalState:
    """What is compared of one goal: its text, status, theme and responsible parties."""

    ref: GoalRef
    status: Term
    theme: Term
    parties: dict[tuple[str, str], Party] = field(default_factory=dict)  # (agent IRI, role) → party


def goal_states(store: GoalStore, graph_iri: str) -> list[GoalState]:
    """The goals of one document's graph as they are compared, in key order."""
    graph = f"<{graph_iri}>"
    labels = _labels(store, graph)
    states: dict[str, GoalState] = {}
    for row in store.select(f"""
            SELECT ?goal ?text ?status ?theme WHERE {{ GRAPH {graph} {{
              ?goal a kg:Goal ; skos:prefLabel ?text .
              FILTER(!langMatches(lang(?text), "en"))
              OPTIONAL {{ ?goal kg:status ?status }}
              OPTIONAL {{ ?goal kg:theme ?theme }}
            }} }} ORDER BY ?goal ?text"""):
        if row["goal"] in states:
            continue  # a second source-language label: the first (in order) stands for the goal
        theme = row["theme"] or ""
        states[row["goal"]] = GoalState(
            GoalRef(row["goal"], last_segment(row["goal"]), row["text"]),
            _status_term(row["status"] or ""),
            Term(theme, *labels.get(theme, ("", ""))),
        )
    kinds = _kinds(store, graph)
    qualified = store.select(f"""
        SELECT ?goal ?agent ?role WHERE {{ GRAPH {graph} {{
          ?goal a kg:Goal ; prov:qualifiedAttribution ?q . ?q prov:agent ?agent .
          OPTIONAL {{ ?q dcat:hadRole ?role }}
        }} }}""")
    plain = store.select(f"""
        SELECT ?goal ?agent WHERE {{ GRAPH {graph} {{ ?goal a kg:Goal ; prov:wasAttributedTo ?agent . }} }}""")
    for row in qualified + [dict(r, role=None) for r in plain]:
        state = states.get(row["goal"])
        if state is None:
            continue
        role = ROLES.get(row["role"] or "", "")
        if not role and any(agent == row["agent"] for agent, _ in state.parties):
            continue  # an unqualified attribution repeats a qualified one
        name = labels.get(row["agent"], ("", ""))[0] or labels.get(row["agent"], ("", ""))[1] or last_segment(row["agent"])
        state.parties[(row["agent"], role)] = Party(row["agent"], name, kinds.get(row["agent"], "group"), role)
    return sorted(states.values(), key=lambda s: s.ref.key)


def _labels(store: GoalStore, graph: str) -> dict[str, tuple[str, str]]:
    """Every labelled thing of a graph → (label in the source's language, English label)."""
    found: dict[str, list[str]] = {}
    for row in store.select(f"""
            SELECT ?x ?label (lang(?label) AS ?lang) WHERE {{ GRAPH {graph} {{
              {{ ?x skos:prefLabel ?label }} UNION {{ ?x foaf:name ?label }}
            }} }} ORDER BY ?x ?label"""):
        slot = found.setdefault(row["x"], ["", ""])
        english = (row["lang"] or "").lower().startswith("en")
        if not slot[1 if english else 0]:
            slot[1 if english else 0] = row["label"]
    return {iri: (source, english) for iri, (source, english) in found.items()}


def _kinds(store: GoalStore, graph: str) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for row in store.select(f"""
            SELECT ?x ?type WHERE {{ GRAPH {graph} {{
              ?goal a kg:Goal ; prov:wasAttributedTo ?x . ?x a ?type FILTER(?type IN (foaf:Person, org:Post))
            }} }}"""):
        kinds[row["x"]] = "person" if row["type"].endswith("Person") else "post"
    return kinds


@lru_cache(maxsize=64)
def _status_term(iri: str) -> Term:
    """A status concept with its labels from the vocabulary (the same for every document; looked up once)."""
    if not iri:
        return Term("")
    source, english = "", ""
    for label in ontology().objects(URIRef(iri), SKOS.prefLabel):
        if label.language == "fi" and not source:
            source = str(label)
        elif label.language == "en" and not english:
            english = str(label)
    return Term(iri, source, english)


def last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


# --- pairing ----------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """A goal text as it is compared: case folded, whitespace collapsed."""
    return " ".join(text.split()).casefold()


def text_similarity(a: str, b: str) -> float:
    """difflib's ratio of two goal texts after `normalise_text` (1.0: the same text)."""
    return difflib.SequenceMatcher(None, normalise_text(a), normalise_text(b), autojunk=False).ratio()


def pair_goals(earlier: list[GoalState], later: list[GoalState], threshold: float, *,
          scored: bool = True) -> list[tuple[GoalState, GoalState, MatchedBy, float]]:
    """Pairs (earlier, later, how, similarity); `scored=False` leaves the similarity of goals paired by
    key out (1.0): it is only shown, and costs a text comparison per goal."""
    pairs: list[tuple[GoalState, GoalState, MatchedBy, float]] = []
    later_by_key = {s.ref.key: s for s in later}
    unpaired_earlier, paired_later = [], set()
    for state in earlier:
        twin = later_by_key.get(state.ref.key)
        if twin is not None:
            similarity = round(text_similarity(state.ref.text, twin.ref.text), 4) if scored else 1.0
            pairs.append((state, twin, "key", similarity))
            paired_later.add(twin.ref.iri)
        else:
            unpaired_earlier.append(state)
    unpaired_later = [s for s in later if s.ref.iri not in paired_later]
    scored = []
    for a in unpaired_earlier:
        for b in unpaired_later:
            matcher = difflib.SequenceMatcher(None, normalise_text(a.ref.text), normalise_text(b.ref.text), autojunk=False)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                scored.append((-ratio, a.ref.key, b.ref.key, a, b, ratio))
    taken_a: set[str] = set()
    taken_b: set[str] = set()
    for _, _, _, a, b, ratio in sorted(scored, key=lambda s: s[:3]):
        if a.ref.iri in taken_a or b.ref.iri in taken_b:
            continue
        taken_a.add(a.ref.iri)
        taken_b.add(b.ref.iri)
        pairs.append((a, b, "text", round(ratio, 4)))
    return sorted(pairs, key=lambda p: (p[1].ref.key, p[0].ref.key))


def carried_over(earlier: list[GoalState], later: list[GoalState], *, threshold: float = TEXT_THRESHOLD) -> list[tuple[str, str]]:
    """`revision_links` from the two documents' goal states (`goal_states`), read beforehand: an import
    of many documents reads each document's states once and pairs the years without a store."""
    return [(new.ref.iri, old.ref.iri) for old, new, _, _ in pair_goals(earlier, later, threshold, scored=False)]


# --- the links --------------------------------------------------------------------------------


#: The predicates goal_states reads: the only triples states_in loads (a test holds the two to the same states).
STATE_PREDICATES = frozenset(f"<{iri}>".encode() for iri in (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://xmlns.com/foaf/0.1/name", f"{KG}status", f"{KG}theme", "http://www.w3.org/ns/prov#qualifiedAttribution",
    "http://www.w3.org/ns/prov#agent", "http://www.w3.org/ns/dcat#hadRole", "http://www.w3.org/ns/prov#wasAttributedTo"))


def states_in(ntriples: bytes, graph: str) -> list[GoalState]:
    """The goals of a document's graph (N-Triples) as the years are paired, read from a store of
    their own holding only the triples they are read from: the import asks this of every document,
    and loading the whole graph cost more than the questions (~650 triples: 3.4 ms, now 2 ms)."""
    wanted = b"".join(line for line in ntriples.splitlines(keepends=True) if _predicate(line) in STATE_PREDICATES)
    holder = pyoxigraph.Store()
    holder.load(wanted, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(graph))
    return goal_states(GoalStore(holder), graph)


def _predicate(line: bytes) -> bytes | None:
    """The predicate of an N-Triples line (subject and predicate hold no whitespace); None for no triple."""
    terms = line.split(None, 2)
    return terms[1] if len(terms) == 3 else None


def relinked(states: Callable[[str], list[GoalState]], manifest: Manifest,
              touched: set[tuple[str, str, int]]) -> dict[str, list[tuple[str, str]]]:
    """The links of the pairs of years that a change at `touched` (city, division, year) affects."""
    return links_of(affected_pairs(manifest, touched), states)


def revision_ntriples(pairs: list[tuple[str, str]]) -> bytes:
    return "".join(f"<{new}> <http://www.w3.org/ns/prov#wasRevisionOf> <{old}> .\n" for new, old in pairs).encode("utf-8")


def link_revisions(store: pyoxigraph.Store, series: list[tuple[int, str]], around: int | None = None) -> int:
    """Link each goal of a city division's document to the goal it carries over from the year before
    (`prov:wasRevisionOf`, in the later document's graph and the union), for every pair of consecutive
    years. `series`: (year, graph IRI) of the division's documents. Goals are paired as `kasograph diff`
    pairs them. With `around` (the year a document was imported or removed), only the pairs that year
    can have changed: the one ending at it, the one starting at it, or the one now spanning it.
    Returns the number of links."""
    goals = GoalStore(store)
    links = links_of(spanning(sorted(series), None if around is None else {around}), lambda graph: goal_states(goals, graph))
    if links:
        store.update(relink_update(links), prefixes=PREFIX_MAP)
    return sum(len(pairs) for pairs in links.values())


def affected_pairs(manifest: Manifest, touched: set[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """(earlier graph, later graph) of every pair of consecutive years that a change of the documents
    at `touched` (city, division, year) can have changed, in every division it touched."""
    years: dict[tuple[str, str], set[int]] = {}
    for city, division, year in touched:
        if year:
            years.setdefault((city, division), set()).add(year)
    series: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for d in manifest.documents.values():  # every division's years at once: one pass, however many divisions
        if d.year and (d.city, d.division) in years:
            series.setdefault((d.city, d.division), []).append((d.year, d.graph))
    pairs = []
    for division, around in sorted(years.items()):
        pairs.extend(spanning(sorted(series.get(division, [])), around))
    return pairs


def spanning(series: list[tuple[int, str]], around: set[int] | None) -> list[tuple[str, str]]:
    """Consecutive pairs of a sorted series; with `around`, those whose span holds one of its years."""
    return [(earlier, later) for (first, earlier), (last, later) in zip(series, series[1:])
            if around is None or any(first <= year <= last for year in around)]


def links_of(pairs: list[tuple[str, str]], states: Callable[[str], list[GoalState]]) -> dict[str, list[tuple[str, str]]]:
    """For each pair's later graph, its (later goal, earlier goal) revision links; each graph's goals read once."""
    cache: dict[str, list[GoalState]] = {}

    def of(graph: str) -> list[GoalState]:
        if graph not in cache:
            cache[graph] = states(graph)
        return cache[graph]

    return {later: carried_over(of(earlier), of(later)) for earlier, later in pairs}


def relink_update(links: dict[str, list[tuple[str, str]]]) -> str:
    """One SPARQL update that replaces the revision links of each graph (and their copies in the union)."""
    operations = []
    for graph, pairs in links.items():
        triples = "\n".join(f"<{new}> prov:wasRevisionOf <{old}> ." for new, old in pairs)
        operations.append(f"""DELETE {{ GRAPH <{graph}> {{ ?x prov:wasRevisionOf ?y }} ?x prov:wasRevisionOf ?y }}
                              WHERE {{ GRAPH <{graph}> {{ ?x prov:wasRevisionOf ?y }} }}""")
        if triples:
            operations.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} {triples} }}")
    return " ;\n".join(operations)


def series_of(manifest: Manifest, city: str, division: str) -> list[tuple[int, str]]:
    return [(d.year, d.graph) for d in manifest.documents.values() if d.year and (d.city, d.division) == (city, division)]




def unlink_update(graph: str, union_graph: str | None = None) -> str:
    """The SPARQL update that takes out every link to a goal of `graph` (in any graph and in the union, which
    is the default graph or `union_graph`), before the graph itself goes."""
    union = f"GRAPH <{union_graph}> {{ ?later prov:wasRevisionOf ?goal }}" if union_graph else "?later prov:wasRevisionOf ?goal"
    return f"""DELETE {{ GRAPH ?g {{ ?later prov:wasRevisionOf ?goal }} {union} }}
WHERE {{ GRAPH <{graph}> {{ ?goal a kg:Goal }} GRAPH ?g {{ ?later prov:wasRevisionOf ?goal }} }}"""
