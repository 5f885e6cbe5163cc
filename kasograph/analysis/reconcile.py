"""Parties whose names are nearly the same: a list for a person to check, never a merge.

Identity rules (how kasograph decides that two mentions are one party):

* A responsible party's IRI is made from its scope and its normalised name
  (`kasograph.model.iris`, `kasograph.source.names.slug`): a person is
  ``person/{city}/{name}``, a post ``post/{city}/{division}/{name}``, a group
  ``group/{city}/{division}/{name}``. The name is normalised by folding case
  and accents and keeping only letters and digits, words joined by "-"; so
  "Anders Vikström", "anders  vikström" and "Anders Vikstrom" are one node, in
  every document of the same city (and division). `merged_spellings` lists
  the nodes that were given more than one spelling this way.
* Anything else is a different party: "Tuija Harakka" and "Tuija Harakkaa", or
  the same name in another city. kasograph does not guess further, because
  a guess that merges two people is worse than a duplicate.

`near_matches` lists the pairs that a person should look at — parties of the
same kind (person, post or group) and the same scope whose IRIs differ but
whose names are close:

* ``spelling`` — the normalised names are one edit apart (insert, delete,
  change or swap one letter), or at most `MAX_DISTANCE` edits apart with the
  differing words alike (below), e.g. a typo;
* ``similar`` — the names share a word, and difflib's ratio of the normalised
  names is at least `MIN_RATIO` with the differing words alike, e.g. an
  inflected form ("Opiskeluhuollon ja hyvinvoinnin kehittämisryhmä");
* ``initial`` (persons) — the same surname, and one's first name is the
  other's initial ("T. Harakka", "Tuija Harakka");
* ``surname-changed`` (persons) — the same first name(s) and a different
  surname, never both named in the same document (a changed surname is
  replaced, not repeated), and sharing a co-responsible party somewhere (a
  person with a new surname keeps the colleagues and groups of the old one);
  without that last condition every pair of namesakes ("Anna …") would be listed.

"The differing words alike" means a ratio of at least `MIN_PART_RATIO` once
the words both names share at their start and end are set aside:
"tvt-kehittämisryhmä" and "ict-kehittämisryhmä" are two edits apart and share
a long ending, but "tvt" and "ict" are not alike, so they are not listed.

The score of a candidate is the difflib ratio of the two normalised names
(0–1). Nothing is changed in the store: what to do with a candidate (fix the
table, or state ``owl:sameAs`` in a document of one's own) is a person's call.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from kasograph.store.engine import GoalStore
from kasograph.texts import words

MAX_DISTANCE = 2
MIN_RATIO = 0.85
MIN_PART_RATIO = 0.75
#: Names shorter than this (normalised) are too short for the `spelling` rule to mean anything.
MIN_SPELLING_LENGTH = 6
REASONS = ("spelling", "similar", "initial", "surname-changed")


@dataclass(frozen=True)
class PartySeen:
    """A responsible party as the store holds it: its IRI, names and the documents that name it."""

    iri: str
    kind: str  # person | post | group
    name: str
    documents: tuple[str, ...]  # document ids, sorted
    names: tuple[str, ...] = ()  # every spelling the graphs give this IRI (usually just `name`)
    partners: frozenset[str] = frozenset()  # IRIs of the parties named with it on some goal

    @property
    def scope(self) -> str:
        """What an IRI of this kind is scoped by: the IRI without its last segment."""
        return self.iri.rstrip("/").rsplit("/", 1)[0]

    def to_dict(self) -> dict:
        return {"iri": self.iri, "kind": self.kind, "name": self.name, "names": list(self.names or (self.name,)),
                "documents": list(self.documents)}


@dataclass(frozen=True)
class Candidate:
    """Two parties that may be one: for a person to check."""

    a: PartySeen
    b: PartySeen
    reason: str  # one of REASONS: the first rule that holds
    score: float  # difflib ratio of the normalised names, 0–1
    distance: int  # edits between the normalised names

    @property
    def kind(self) -> str:
        return self.a.kind

    def to_dict(self) -> dict:
        return {"kind": self.kind, "reason": self.reason, "score": self.score, "distance": self.distance,
                "a": self.a.to_dict(), "b": self.b.to_dict()}


def normalise_name(name: str) -> str:
    """A name as it is compared: accents and case folded, only letters and digits, single spaces
    (the same folding as the IRI's slug, with spaces instead of "-")."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`.

    With `limit`, any answer above it is returned as ``limit + 1``, and only the
    cells within `limit` of the diagonal are worked out (quick for long lists of names).
    """
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    band = max(len(a), len(b)) if limit is None else limit
    over = band + 1  # stands for "more than the band allows"
    previous2: list[int] = []
    previous = [j if j <= band else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [over] * (len(b) + 1)
        if i <= band:
            current[0] = i
        for j in range(max(1, i - band), min(len(b), i + band) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = min(value, over)
        if limit is not None and min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], over) if limit is not None else previous[-1]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _differing_parts(a: str, b: str) -> tuple[str, str]:
    """The words of two names without the words both share at their start and at their end."""
    wa, wb = a.split(), b.split()
    while wa and wb and wa[0] == wb[0]:
        wa, wb = wa[1:], wb[1:]
    while wa and wb and wa[-1] == wb[-1]:
        wa, wb = wa[:-1], wb[:-1]
    return " ".join(wa), " ".join(wb)


def compare_names(a: PartySeen, b: PartySeen) -> Candidate | None:
    """The rule under which two parties of the same kind and scope may be one, if any."""
    return _compare(_Prepared(a), _Prepared(b))


class _Prepared:
    """A party with its normalised name worked out once (a long list compares each name many times)."""

    __slots__ = ("party", "name", "words", "letters")

    def __init__(self, party: PartySeen):
        self.party = party
        self.name = normalise_name(party.name)
        self.words = self.name.split()
        self.letters = len(self.name)


def _compare(pa: _Prepared, pb: _Prepared, spelling_possible: bool = True) -> Candidate | None:
    na, nb = pa.name, pb.name
    if not na or not nb or na == nb:
        return None  # the same normalised name is the same IRI: nothing to decide
    a, b = pa.party, pb.party
    reason = None
    shorter, longer = sorted((pa.letters, pb.letters))
    # Cheap bounds first: most pairs of a long list are far apart.
    if spelling_possible and shorter >= MIN_SPELLING_LENGTH and longer - shorter <= MAX_DISTANCE:
        distance = edit_distance(na, nb, limit=MAX_DISTANCE)
        if distance == 1 or (distance <= MAX_DISTANCE and _parts_alike(na, nb)):
            reason = "spelling"
    if reason is None and 2 * shorter / (shorter + longer) >= MIN_RATIO and set(pa.words) & set(pb.words):
        matcher = difflib.SequenceMatcher(None, na, nb, autojunk=False)
        if matcher.quick_ratio() >= MIN_RATIO and matcher.ratio() >= MIN_RATIO and _parts_alike(na, nb):
            reason = "similar"
    if reason is None and a.kind == "person" and len(pa.words) >= 2 and len(pb.words) >= 2:
        wa, wb = pa.words, pb.words
        if wa[-1] == wb[-1] and wa[:-1] != wb[:-1] and _initials_fit(wa[:-1], wb[:-1]):
            reason = "initial"
        elif (wa[:-1] == wb[:-1] and wa[-1] != wb[-1] and not set(a.documents) & set(b.documents)
              and (a.partners & b.partners)):
            reason = "surname-changed"
    if reason is None:
        return None
    first, second = sorted((a, b), key=lambda p: p.iri)
    return Candidate(first, second, reason, round(_ratio(na, nb), 4), edit_distance(na, nb))


def _parts_alike(na: str, nb: str) -> bool:
    part_a, part_b = _differing_parts(na, nb)
    return bool(part_a and part_b) and _ratio(part_a, part_b) >= MIN_PART_RATIO


def _initials_fit(given_a: list[str], given_b: list[str]) -> bool:
    """'t' fits 'tuija'; 'tuija m' fits 'tuija maria' — one side is an abbreviation of the other."""
    if len(given_a) != len(given_b):
        return False
    short = [x for x, y in zip(given_a, given_b) if x != y]
    return bool(short) and all(
        (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
        for x, y in zip(given_a, given_b) if x != y
    )


def parties(store: GoalStore) -> list[PartySeen]:
    """Every party a goal is attributed to, with its names, the documents whose goals
    name it and the parties named with it.

    Read from the union of the graphs: a goal's document is its ``prov:wasDerivedFrom``.
    """
    rows = store.select("""
        SELECT DISTINCT ?x ?name ?type ?doc WHERE {
          ?goal a kg:Goal ; prov:wasAttributedTo ?x .
          OPTIONAL { ?goal prov:wasDerivedFrom ?doc . ?doc a foaf:Document }
          { ?x foaf:name ?name } UNION { ?x skos:prefLabel ?name FILTER(!langMatches(lang(?name), "en")) }
          OPTIONAL { ?x a ?type FILTER(?type IN (foaf:Person, org:Post)) }
        }""")
    seen: dict[str, dict] = {}
    for row in rows:
        entry = seen.setdefault(row["x"], {"names": set(), "docs": set(), "kind": "group", "partners": set()})
        entry["names"].add(row["name"])
        if row["doc"]:
            entry["docs"].add(row["doc"].rstrip("/").rsplit("/", 1)[-1])
        if row["type"]:
            entry["kind"] = "person" if row["type"].endswith("Person") else "post"
    for row in store.select("""
            SELECT DISTINCT ?x ?y WHERE { ?goal a kg:Goal ; prov:wasAttributedTo ?x, ?y . FILTER(?x != ?y) }"""):
        if row["x"] in seen:
            seen[row["x"]]["partners"].add(row["y"])
    found = []
    for iri, entry in sorted(seen.items()):
        names = tuple(sorted(entry["names"]))
        found.append(PartySeen(iri, entry["kind"], names[0], tuple(sorted(entry["docs"])), names,
                               frozenset(entry["partners"])))
    return found


def merged_spellings(store: GoalStore) -> list[PartySeen]:
    """Parties that the identity rules made one node although the documents spell them
    differently ("Anders Vikström" and "Anders Vikstrom"): `names` holds every spelling."""
    return [p for p in parties(store) if len(p.names) > 1]


def near_matches(store: GoalStore) -> list[Candidate]:
    """Pairs of responsible parties (persons, posts, groups) whose names are near each other
    but whose IRIs differ, best score first. Nothing is merged or changed.

    Only parties of the same kind and scope (city for persons, city and division for
    posts and groups) are compared: there, a different IRI means a different normalised name.
    """
    return find_near_matches(parties(store))


def find_near_matches(seen: list[PartySeen]) -> list[Candidate]:
    """`near_matches` on a list of parties (for parties read from elsewhere, and for tests).

    Not every pair is compared: only those that share a word (every rule but
    ``spelling`` needs one) or that are at most two deletions from a common
    string on each side (which every pair within two edits is): 2,000 persons of
    one city, many of them sharing a first name, take about a second and a half.
    """
    groups: dict[tuple[str, str], list[_Prepared]] = {}
    for party in seen:
        groups.setdefault((party.kind, party.scope), []).append(_Prepared(party))
    found = []
    for members in groups.values():
        for (i, j), spelling_possible in sorted(_pairs_to_compare(members).items()):
            a, b = members[i], members[j]
            if a.party.iri == b.party.iri:
                continue
            candidate = _compare(a, b, spelling_possible)
            if candidate is not None:
                found.append(candidate)
    return sorted(found, key=lambda c: (-c.score, c.kind, c.a.iri, c.b.iri))


def _pairs_to_compare(members: list[_Prepared]) -> dict[tuple[int, int], bool]:
    """Index pairs (i < j) worth comparing — names sharing a word, or near in spelling —
    each with whether the two may be within `MAX_DISTANCE` edits."""
    buckets: dict[str, list[int]] = {}
    for i, member in enumerate(members):
        for word in set(member.words):
            buckets.setdefault("w:" + word, []).append(i)
        if member.letters >= MIN_SPELLING_LENGTH:
            for variant in _deletions(member.name, MAX_DISTANCE):
                buckets.setdefault("d:" + variant, []).append(i)
    pairs: dict[tuple[int, int], bool] = {}
    for bucket, indices in buckets.items():
        near = bucket.startswith("d:")
        for x in range(len(indices)):
            for y in range(x + 1, len(indices)):
                i, j = indices[x], indices[y]
                if i != j:
                    key = (min(i, j), max(i, j))
                    pairs[key] = pairs.get(key, False) or near
    return pairs


def _deletions(text: str, depth: int) -> set[str]:
    """`text` with up to `depth` characters deleted: two strings within `depth` edits
    (insert, delete, change or swap) share one of these (the "symmetric delete" method)."""
    found = {text}
    frontier = {text}
    for _ in range(depth):
        frontier = {s[:k] + s[k + 1:] for s in frontier for k in range(len(s))}
        found |= frontier
    return found




def format_candidates(candidates: list[Candidate], lang: str = "en") -> str:
    """Candidates as plain text for the terminal, in English ("en") or Finnish ("fi")."""
    w = words("reconcile", lang)
    if not candidates:
        return w["none"]
    lines = [w["heading"].format(n=len(candidates))]
    for c in candidates:
        lines.append("")
        lines.append(f"{c.a.name} ~ {c.b.name} ({w['kinds'].get(c.kind, c.kind)}; {w['reasons'][c.reason]}; {w['score']} {c.score:.2f})")
        for p in (c.a, c.b):
            lines.append(f"  {p.iri}  {w['in']}: {', '.join(p.documents) or '-'}")
    return "\n".join(lines)
