"""Compare two documents' goals: what a data steward asks when next year's table arrives.

Everything is read with SPARQL from the two documents' named graphs in a
`GoalStore` — the same graphs the endpoint serves — never from the tables, so a
comparison works as well on graphs loaded from RDF dumps.

How goals are paired (the earlier document's goal with the later one's):

1. **by key** — two goals with the same key (the table's "Tunniste" column, or
   the slug of the goal's first words when the table has none; the last
   segment of the goal IRI ``goal/{document}/{key}``) are the same goal,
   whatever their texts say: keeping the key is the steward's statement that
   it is the same goal;
2. **by text** — among the goals still unpaired, the two texts most alike are
   paired when their similarity is at least `TEXT_THRESHOLD`; then the next
   most alike, and so on (each goal is paired at most once). Similarity is
   difflib's `SequenceMatcher.ratio()` on the texts with case folded and
   whitespace collapsed: 1.0 for the same text, 0.0 for nothing in common.

The threshold, 0.75, was chosen on the bundled 2021 document: no two of its
different goals are more alike than 0.51, while a goal with a few words added
or changed stays above 0.85 ("Luodaan oppijoiden monikielisyyttä hyödyntävät
opintopolut" → "Luodaan ja vakiinnutetaan oppijoiden …": 0.87).

A paired goal is *carried over*. For each one the comparison reports whether
it was reworded (its text differs), its status changed, its theme changed, or
its responsible parties (persons, posts, groups, each with its role:
vastuuhenkilö or vastuutaho) were added or removed. Parties are compared by
IRI, so the same person is the same party in both years (see
`kasograph.analysis.reconcile` for names that are nearly, but not exactly, the same).
Unpaired goals of the earlier document were *dropped*; of the later one, *added*.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from rdflib import URIRef
from rdflib.namespace import SKOS

from kasograph.namespaces import KG
from kasograph.store.engine import GoalStore
from kasograph.vocabulary import ontology

#: Goals whose texts are at least this alike (difflib ratio, 0–1) are paired when their keys differ.
TEXT_THRESHOLD = 0.75

MatchedBy = Literal["key", "text"]
ROLES = {str(KG.ResponsiblePerson): "person", str(KG.ResponsibleBody): "body"}


class UnknownDocument(LookupError):
    """A document id or graph IRI that the store does not hold."""


# --- what is compared ----------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRef:
    """A source document held in the store as a named graph."""

    id: str
    graph: str
    iri: str
    title: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "graph": self.graph, "iri": self.iri, "title": self.title}

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentRef":
        return cls(data["id"], data["graph"], data["iri"], data.get("title", ""))


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


@dataclass(frozen=True)
class GoalMatch:
    """A goal carried over from the earlier document to the later one, and what changed."""

    earlier: GoalRef
    later: GoalRef
    matched_by: MatchedBy
    similarity: float
    status_from: Term | None = None  # set only when the status changed
    status_to: Term | None = None
    theme_from: Term | None = None  # set only when the theme changed
    theme_to: Term | None = None
    parties_added: tuple[Party, ...] = ()
    parties_removed: tuple[Party, ...] = ()

    @property
    def reworded(self) -> bool:
        return self.earlier.text != self.later.text

    @property
    def status_changed(self) -> bool:
        return self.status_from is not None

    @property
    def theme_changed(self) -> bool:
        return self.theme_from is not None

    @property
    def responsibility_changed(self) -> bool:
        return bool(self.parties_added or self.parties_removed)

    @property
    def changed(self) -> bool:
        return self.reworded or self.status_changed or self.theme_changed or self.responsibility_changed


@dataclass(frozen=True)
class DocumentDiff:
    """What changed from the `earlier` document to the `later` one."""

    earlier: DocumentRef
    later: DocumentRef
    added: tuple[GoalRef, ...] = ()
    dropped: tuple[GoalRef, ...] = ()
    matches: tuple[GoalMatch, ...] = ()  # every carried-over goal, changed or not
    threshold: float = TEXT_THRESHOLD

    @property
    def reworded(self) -> list[GoalMatch]:
        return [m for m in self.matches if m.reworded]

    @property
    def status_changed(self) -> list[GoalMatch]:
        return [m for m in self.matches if m.status_changed]

    @property
    def theme_changed(self) -> list[GoalMatch]:
        return [m for m in self.matches if m.theme_changed]

    @property
    def responsibility_changed(self) -> list[GoalMatch]:
        return [m for m in self.matches if m.responsibility_changed]

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.dropped or any(m.changed for m in self.matches))

    def to_dict(self) -> dict:
        """A JSON-ready dict; `DocumentDiff.from_dict` reads it back."""

        def pair(m: GoalMatch) -> dict:
            return {"earlier": m.earlier.to_dict(), "later": m.later.to_dict()}

        return {
            "earlier": self.earlier.to_dict(),
            "later": self.later.to_dict(),
            "threshold": self.threshold,
            "summary": {
                "earlier_goals": len(self.dropped) + len(self.matches),
                "later_goals": len(self.added) + len(self.matches),
                "carried_over": len(self.matches),
                "added": len(self.added),
                "dropped": len(self.dropped),
                "reworded": len(self.reworded),
                "status_changed": len(self.status_changed),
                "theme_changed": len(self.theme_changed),
                "responsibility_changed": len(self.responsibility_changed),
            },
            "added": [g.to_dict() for g in self.added],
            "dropped": [g.to_dict() for g in self.dropped],
            "reworded": [{**pair(m), "matched_by": m.matched_by, "similarity": m.similarity} for m in self.reworded],
            "status_changed": [{**pair(m), "from": m.status_from.to_dict(), "to": m.status_to.to_dict()}
                               for m in self.status_changed],
            "theme_changed": [{**pair(m), "from": m.theme_from.to_dict(), "to": m.theme_to.to_dict()}
                              for m in self.theme_changed],
            "responsibility_changed": [{**pair(m), "added": [p.to_dict() for p in m.parties_added],
                                        "removed": [p.to_dict() for p in m.parties_removed]}
                                       for m in self.responsibility_changed],
            "carried_over": [{**pair(m), "matched_by": m.matched_by, "similarity": m.similarity} for m in self.matches],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentDiff":
        def ids(entry: dict) -> tuple[str, str]:
            return entry["earlier"]["iri"], entry["later"]["iri"]

        status = {ids(e): e for e in data.get("status_changed", [])}
        theme = {ids(e): e for e in data.get("theme_changed", [])}
        parties = {ids(e): e for e in data.get("responsibility_changed", [])}
        matches = []
        for entry in data.get("carried_over", []):
            key = ids(entry)
            s, t, p = status.get(key), theme.get(key), parties.get(key)
            matches.append(GoalMatch(
                GoalRef.from_dict(entry["earlier"]), GoalRef.from_dict(entry["later"]), entry["matched_by"], entry["similarity"],
                status_from=Term.from_dict(s["from"]) if s else None, status_to=Term.from_dict(s["to"]) if s else None,
                theme_from=Term.from_dict(t["from"]) if t else None, theme_to=Term.from_dict(t["to"]) if t else None,
                parties_added=tuple(Party.from_dict(x) for x in p["added"]) if p else (),
                parties_removed=tuple(Party.from_dict(x) for x in p["removed"]) if p else (),
            ))
        return cls(DocumentRef.from_dict(data["earlier"]), DocumentRef.from_dict(data["later"]),
                   tuple(GoalRef.from_dict(g) for g in data.get("added", [])),
                   tuple(GoalRef.from_dict(g) for g in data.get("dropped", [])),
                   tuple(matches), data.get("threshold", TEXT_THRESHOLD))


# --- reading the graphs ------------------------------------------------------------------------


def documents(store: GoalStore) -> list[DocumentRef]:
    """The source documents the store holds, one per named graph that describes a foaf:Document."""
    rows = store.select("""
        SELECT ?g ?doc (SAMPLE(?t) AS ?title) WHERE {
          GRAPH ?g { ?doc a foaf:Document . OPTIONAL { ?doc dct:title ?t FILTER(!langMatches(lang(?t), "en")) } }
        } GROUP BY ?g ?doc ORDER BY ?g ?doc""")
    return [DocumentRef(_last_segment(r["doc"]), r["g"], r["doc"], r["title"] or "") for r in rows]


def find_document(store: GoalStore, ref: str) -> DocumentRef:
    """A document by its id ("vantaa-kaso-2021"), its graph IRI or its document IRI."""
    known = documents(store)
    for document in known:
        if ref in (document.id, document.graph, document.iri):
            return document
    names = ", ".join(d.id for d in known) or "none"
    raise UnknownDocument(f"no document {ref!r} in the store (documents: {names})")


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
            GoalRef(row["goal"], _last_segment(row["goal"]), row["text"]),
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
        name = labels.get(row["agent"], ("", ""))[0] or labels.get(row["agent"], ("", ""))[1] or _last_segment(row["agent"])
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


def _status_term(iri: str) -> Term:
    """A status concept with its labels from the vocabulary (the same for every document)."""
    if not iri:
        return Term("")
    source, english = "", ""
    for label in ontology().objects(URIRef(iri), SKOS.prefLabel):
        if label.language == "fi" and not source:
            source = str(label)
        elif label.language == "en" and not english:
            english = str(label)
    return Term(iri, source, english)


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


# --- pairing ---------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """A goal text as it is compared: case folded, whitespace collapsed."""
    return " ".join(text.split()).casefold()


def text_similarity(a: str, b: str) -> float:
    """difflib's ratio of two goal texts after `normalise_text` (1.0: the same text)."""
    return difflib.SequenceMatcher(None, normalise_text(a), normalise_text(b), autojunk=False).ratio()


def _pair(earlier: list[GoalState], later: list[GoalState], threshold: float, *,
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


def diff_documents(store: GoalStore, a: str, b: str, *, threshold: float = TEXT_THRESHOLD) -> DocumentDiff:
    """What changed from document `a` (the earlier) to document `b` (the later).

    `a` and `b` are document ids ("vantaa-kaso-2021"), graph IRIs or document
    IRIs. Raises `UnknownDocument` for one the store does not hold.
    """
    earlier_doc, later_doc = find_document(store, a), find_document(store, b)
    earlier, later = goal_states(store, earlier_doc.graph), goal_states(store, later_doc.graph)
    pairs = _pair(earlier, later, threshold)
    matches = []
    for old, new, matched_by, similarity in pairs:
        status = old.status.iri != new.status.iri
        theme = old.theme.iri != new.theme.iri
        matches.append(GoalMatch(
            old.ref, new.ref, matched_by, similarity,
            status_from=old.status if status else None, status_to=new.status if status else None,
            theme_from=old.theme if theme else None, theme_to=new.theme if theme else None,
            parties_added=tuple(new.parties[k] for k in sorted(new.parties.keys() - old.parties.keys())),
            parties_removed=tuple(old.parties[k] for k in sorted(old.parties.keys() - new.parties.keys())),
        ))
    paired_earlier = {old.ref.iri for old, _, _, _ in pairs}
    paired_later = {new.ref.iri for _, new, _, _ in pairs}
    return DocumentDiff(
        earlier_doc, later_doc,
        added=tuple(s.ref for s in later if s.ref.iri not in paired_later),
        dropped=tuple(s.ref for s in earlier if s.ref.iri not in paired_earlier),
        matches=tuple(matches),
        threshold=threshold,
    )


def revision_links(store: GoalStore, earlier: str, later: str, *, threshold: float = TEXT_THRESHOLD) -> list[tuple[str, str]]:
    """(later goal IRI, earlier goal IRI) for every carried-over goal: the pairs for
    ``<later> prov:wasRevisionOf <earlier>``. Goals that were added or dropped have none."""
    diff = diff_documents(store, earlier, later, threshold=threshold)
    return [(m.later.iri, m.earlier.iri) for m in diff.matches]


def carried_over(earlier: list[GoalState], later: list[GoalState], *, threshold: float = TEXT_THRESHOLD) -> list[tuple[str, str]]:
    """`revision_links` from the two documents' goal states (`goal_states`), read beforehand: an import
    of many documents reads each document's states once and pairs the years without a store."""
    return [(new.ref.iri, old.ref.iri) for old, new, _, _ in _pair(earlier, later, threshold, scored=False)]


# --- for the terminal ----------------------------------------------------------------------------

_WORDS = {
    "en": {
        "compare": "Comparing {a} with {b}",
        "counts": "{n_a} goal(s) → {n_b} goal(s): {carried} carried over, {added} added, {dropped} dropped",
        "none": "No differences.",
        "added": "Added goals", "dropped": "Dropped goals", "reworded": "Reworded goals",
        "status": "Status changed", "theme": "Theme changed", "responsibility": "Responsibility changed",
        "by_key": "same key", "by_text": "similar text", "similarity": "similarity",
        "was": "was", "now": "now",
        "roles": {"person": "responsible person", "body": "responsible body", "": "responsible"},
        "kinds": {"person": "person", "post": "post", "group": "group"},
    },
    "fi": {
        "compare": "Vertailu: {a} → {b}",
        "counts": "{n_a} tavoite(tta) → {n_b} tavoite(tta): {carried} jatkuu, {added} uutta, {dropped} poistunut",
        "none": "Ei eroja.",
        "added": "Uudet tavoitteet", "dropped": "Poistuneet tavoitteet", "reworded": "Uudelleen muotoillut tavoitteet",
        "status": "Tila muuttunut", "theme": "Teema muuttunut", "responsibility": "Vastuut muuttuneet",
        "by_key": "sama tunniste", "by_text": "samankaltainen teksti", "similarity": "samankaltaisuus",
        "was": "oli", "now": "nyt",
        "roles": {"person": "vastuuhenkilö", "body": "vastuutaho", "": "vastuussa"},
        "kinds": {"person": "henkilö", "post": "nimike", "group": "ryhmä"},
    },
}


def format_text(diff: DocumentDiff, lang: str = "en") -> str:
    """The comparison as plain text for the terminal, in English ("en") or Finnish ("fi").

    Goal texts and names are quoted as the documents write them; statuses and
    themes are shown in English when `lang` is "en" and the graph has an English label.
    """
    w = _WORDS.get(lang, _WORDS["en"])

    def doc(d: DocumentRef) -> str:
        return f"{d.id} ({d.title})" if d.title else d.id

    def key(m: GoalMatch) -> str:
        return m.later.key if m.earlier.key == m.later.key else f"{m.earlier.key} → {m.later.key}"

    lines = [w["compare"].format(a=doc(diff.earlier), b=doc(diff.later))]
    summary = diff.to_dict()["summary"]
    lines.append(w["counts"].format(n_a=summary["earlier_goals"], n_b=summary["later_goals"], carried=summary["carried_over"],
                                    added=summary["added"], dropped=summary["dropped"]))
    if not diff.has_changes:
        lines.append(w["none"])
        return "\n".join(lines)

    def section(title: str, count: int) -> None:
        lines.append("")
        lines.append(f"{title} ({count}):")

    if diff.added:
        section(w["added"], len(diff.added))
        lines.extend(f"  + {g.key}: {g.text}" for g in diff.added)
    if diff.dropped:
        section(w["dropped"], len(diff.dropped))
        lines.extend(f"  - {g.key}: {g.text}" for g in diff.dropped)
    if diff.reworded:
        section(w["reworded"], len(diff.reworded))
        for m in diff.reworded:
            how = w["by_key"] if m.matched_by == "key" else w["by_text"]
            lines.append(f"  ~ {key(m)} ({how}, {w['similarity']} {m.similarity:.2f})")
            lines.append(f"      {w['was']}: {m.earlier.text}")
            lines.append(f"      {w['now']}: {m.later.text}")
    if diff.status_changed:
        section(w["status"], len(diff.status_changed))
        lines.extend(f"  {key(m)}: {m.status_from.display(lang)} → {m.status_to.display(lang)}" for m in diff.status_changed)
    if diff.theme_changed:
        section(w["theme"], len(diff.theme_changed))
        lines.extend(f"  {key(m)}: {m.theme_from.display(lang)} → {m.theme_to.display(lang)}" for m in diff.theme_changed)
    if diff.responsibility_changed:
        section(w["responsibility"], len(diff.responsibility_changed))
        for m in diff.responsibility_changed:
            lines.append(f"  {key(m)}:")
            for sign, parties in (("-", m.parties_removed), ("+", m.parties_added)):
                for p in parties:
                    lines.append(f"      {sign} {p.name} ({w['kinds'].get(p.kind, p.kind)}, {w['roles'].get(p.role, p.role)})")
    return "\n".join(lines)
