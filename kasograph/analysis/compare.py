"""Compare two documents' goals: what a data steward asks when next year's table arrives.

Everything is read with SPARQL from the two documents' named graphs in a
`GoalStore` — the same graphs the endpoint serves — never from the tables, so a
comparison works as well on graphs loaded from RDF dumps.

Goals are paired by key, then by text, as kasograph.store.revisions pairs the years on import.

A paired goal is *carried over*. For each one the comparison reports whether
it was reworded (its text differs), its status changed, its theme changed, or
its responsible parties (persons, posts, groups, each with its role:
vastuuhenkilö or vastuutaho) were added or removed. Parties are compared by
IRI, so the same person is the same party in both years (see
`kasograph.analysis.reconcile` for names that are nearly, but not exactly, the same).
Unpaired goals of the earlier document were *dropped*; of the later one, *added*.
"""

from __future__ import annotations

from dataclasses import dataclass

from kasograph.store.engine import GoalStore
from kasograph.store.revisions import (  # noqa: F401 - public here too
    TEXT_THRESHOLD,
    GoalRef,
    GoalState,
    MatchedBy,
    Party,
    Term,
    carried_over,
    goal_states,
    last_segment,
    normalise_text,
    pair_goals,
    text_similarity,
)
from kasograph.texts import words


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
    return [DocumentRef(last_segment(r["doc"]), r["g"], r["doc"], r["title"] or "") for r in rows]


def find_document(store: GoalStore, ref: str) -> DocumentRef:
    """A document by its id ("vantaa-kaso-2021"), its graph IRI or its document IRI."""
    known = documents(store)
    for document in known:
        if ref in (document.id, document.graph, document.iri):
            return document
    names = ", ".join(d.id for d in known) or "none"
    raise UnknownDocument(f"no document {ref!r} in the store (documents: {names})")


def diff_documents(store: GoalStore, a: str, b: str, *, threshold: float = TEXT_THRESHOLD) -> DocumentDiff:
    """What changed from document `a` (the earlier) to document `b` (the later).

    `a` and `b` are document ids ("vantaa-kaso-2021"), graph IRIs or document
    IRIs. Raises `UnknownDocument` for one the store does not hold.
    """
    earlier_doc, later_doc = find_document(store, a), find_document(store, b)
    earlier, later = goal_states(store, earlier_doc.graph), goal_states(store, later_doc.graph)
    pairs = pair_goals(earlier, later, threshold)
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


# --- for the terminal ----------------------------------------------------------------------------



def format_text(diff: DocumentDiff, lang: str = "en") -> str:
    """The comparison as plain text for the terminal, in English ("en") or Finnish ("fi").

    Goal texts and names are quoted as the documents write them; statuses and
    themes are shown in English when `lang` is "en" and the graph has an English label.
    """
    w = words("compare", lang)

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


_SERIES = """
    SELECT ?doc ?creator ?year WHERE {
      ?doc a foaf:Document ; dct:creator ?creator .
      OPTIONAL { ?doc kg:targetPeriod ?year }
    }"""


def document_pairs(store: GoalStore) -> tuple[list[DocumentRef], list[tuple[DocumentRef, DocumentRef]]]:
    """(documents by id, consecutive pairs): what can be compared. Documents of the same division follow
    each other by target year; each pair is (earlier, later)."""
    docs = documents(store)
    by_iri = {d.iri: d for d in docs}
    series: dict[str, list] = {}
    for row in store.select(_SERIES):
        if row["doc"] in by_iri:
            series.setdefault(row["creator"], []).append((str(row["year"] or ""), by_iri[row["doc"]].id, by_iri[row["doc"]]))
    pairs = []
    for members in series.values():
        members.sort()
        pairs += [(a[2], b[2]) for a, b in zip(members, members[1:])]
    return sorted(docs, key=lambda d: d.id), sorted(pairs, key=lambda p: (p[0].id, p[1].id))
