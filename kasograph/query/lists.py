"""Lists of goals, people, posts, groups and themes — filtered, sorted, paged and counted by facet, in
the manner of Datasette: each filter is a value in the address, each facet the values the matching rows
have, with how many rows have each (adding that filter leaves exactly that many).

A row of a list other than goals stands for its goals: the people list filtered by theme and year is
the people responsible for a goal of that theme in that year, with how many such goals each has.

The goals, with their theme, status, year and responsible parties and the labels of all of these,
are read from the store with SPARQL once per state of the data (`ListIndex`: a few scans, about
0.1 s for two thousand goals and 6–10 s for a hundred thousand), and every list, count and facet is
answered from that in milliseconds: SPARQL that joins a hundred thousand goals to their labels and
facets takes 20 s on an on-disk store. A visitor's value is checked (a year, a status or group type
of the vocabulary, a path that continues an IRI under the base) and looked up: it never becomes
part of a query. Also here: the known values of a saved question's parameters (`parameter_choices`), and
each value's key in the address of its published answer (`choice_keys`).
"""

from __future__ import annotations

import re
import sys
import threading
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph

from kasograph.errors import InputError, Problem
from kasograph.namespaces import KG
from kasograph.query.explore import Explorer, Item, Text
from kasograph.source.names import slug
from kasograph.store.engine import GoalStore
from kasograph.vocabulary import status_names

PAGE_SIZE = 50  # rows a page shows unless asked (?size=)
MAX_PAGE_SIZE = 500
FACET_SIZE = 20  # values a facet shows, the most frequent first
CHOICES = 1000  # known values a saved question's parameter offers, those with the most goals
GROUP_TYPES = ("DevelopmentGroup", "ManagementTeam")
#: Filters whose value is a path under the IRI base, and what it continues.
PATH_FILTERS = {"theme": "theme/", "person": "person/", "post": "post/", "group": "group/"}
#: Facets that list their values in their own order, not by count.
ORDERED = ("year", "status", "type")
_YEAR = re.compile(r"[12][0-9]{3}")
#: Finnish (and Swedish) alphabetical order puts å, ä and ö after z.
_COLLATION = str.maketrans({"å": "z\x01", "ä": "z\x02", "ö": "z\x03"})


@dataclass(frozen=True)
class ListKind:
    """One list: its rows' kind, the filters it takes (each also a facet), its columns and sorts."""

    name: str
    row_kind: str  # "goal", "person", …: what link() and the templates call a row
    filters: tuple[str, ...]
    columns: tuple[str, ...]  # shown after the row's label
    sorts: tuple[str, ...]


LISTS = {k.name: k for k in (
    ListKind("goals", "goal", ("year", "theme", "status", "person", "post", "group"), ("theme", "status", "year"),
             ("label", "theme", "status", "year")),
    ListKind("people", "person", ("year", "theme", "status", "group"), ("goals",), ("label", "goals")),
    ListKind("posts", "post", ("year", "theme", "status", "group"), ("goals",), ("label", "goals")),
    ListKind("groups", "group", ("type", "year", "theme", "status", "person"), ("type", "goals"), ("label", "goals")),
    ListKind("themes", "theme", ("year", "status", "person", "group"), ("goals",), ("label", "goals")),
)}
#: The list whose rows a party filter names (person → people).
PARTY_LISTS = {"person": "people", "post": "posts", "group": "groups"}


# The request: what the address asks for, checked ------------------------------------------------------
@dataclass(frozen=True)
class ListRequest:
    """A list as the address asks for it: filters (name → value as written there), sort, page, size."""

    kind: str
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "label"  # a column; "-goals": descending
    page: int = 1
    size: int = PAGE_SIZE

    def args(self, **changes: object) -> dict[str, str]:
        """The address's parameters, with `changes` (None removes one); defaults are left out."""
        args: dict[str, str | None] = {**self.filters, "sort": self.sort, "page": str(self.page), "size": str(self.size)}
        args.update({k: (None if v is None else str(v)) for k, v in changes.items()})
        defaults = {"sort": "label", "page": "1", "size": str(PAGE_SIZE)}
        return {k: v for k, v in args.items() if v not in (None, "") and defaults.get(k) != v}

    def adding(self, name: str, value: str) -> dict[str, str]:
        """The address of this list with one more filter (back on its first page)."""
        return self.args(**{name: value, "page": None})

    def removing(self, name: str) -> dict[str, str]:
        return self.args(**{name: None, "page": None})

    def sorted_by(self, column: str) -> dict[str, str]:
        """The address sorted by `column`: ascending, or descending when it is sorted ascending now."""
        return self.args(sort=f"-{column}" if self.sort == column else column, page=None)


def _problem(what: str, english: str, finnish: str, value: str) -> InputError:
    return InputError([Problem(what, english, finnish, value=value)])


def list_request(kind: str, args: Mapping[str, str], base: str) -> ListRequest:
    """The request an address makes of list `kind` (other parameters are ignored; an empty one means no
    filter); InputError names a value that is not one this list takes."""
    spec = LISTS[kind]
    filters = {}
    for name in spec.filters:
        value = (args.get(name) or "").strip()
        if value:
            _check_value(name, value, base)
            filters[name] = value
    sort = args.get("sort") or "label"
    if sort.lstrip("-") not in spec.sorts:
        raise _problem("sort", f"not a column of this list; it sorts by {', '.join(spec.sorts)}",
                       f"listaa ei voi järjestää tämän mukaan; sarakkeet: {', '.join(spec.sorts)}", sort)
    page, size = _number("page", args.get("page"), 1), _number("size", args.get("size"), PAGE_SIZE)
    return ListRequest(kind, filters, sort, page, min(size, MAX_PAGE_SIZE))


def _number(name: str, value: str | None, default: int) -> int:
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < 1 or len(value) > 9:
        raise _problem(name, "must be a whole number from 1", "pitää olla kokonaisluku 1:stä ylöspäin", value)
    return int(value)


def _check_value(name: str, value: str, base: str) -> None:
    """InputError unless `value` can be a value of filter `name`: a year, a status or group type of the
    vocabulary, or a path that continues an IRI under the base."""
    if name == "year":
        ok = bool(_YEAR.fullmatch(value))
    elif name == "status":
        ok = value in status_names()
    elif name == "type":
        ok = value in GROUP_TYPES
    else:
        ok = _is_iri(base + PATH_FILTERS[name] + value)
    if not ok:
        raise _problem(name, "not a value of this filter", "ei ole tämän rajauksen arvo", value)


def _is_iri(text: str) -> bool:
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def key_of(name: str, value: str, base: str) -> str:
    """A checked value of filter `name` as the index knows it: a year as written, anything else its IRI."""
    if name == "year":
        return value
    if name in ("status", "type"):
        return str(KG) + value
    return base + PATH_FILTERS[name] + value


def value_of(name: str, key: str, base: str) -> str | None:
    """`key_of` the other way: what the address writes for an index key (None: no value it can write)."""
    if name == "year":
        return key if _YEAR.fullmatch(key) else None
    start = str(KG) if name in ("status", "type") else base + PATH_FILTERS[name]
    return key[len(start):] if key.startswith(start) and len(key) > len(start) else None


# The index: every goal and what it has, read once per state of the data ----------------------------------
#: Scans of one property each: Oxigraph reads a property's triples in order fast, where a join looks
#: every goal up again (at a hundred thousand goals, seconds for each property joined).
_SCANS = {
    "goal": "SELECT ?s ?o WHERE { ?s a ?o VALUES ?o { kg:Goal } }",
    "theme": "SELECT ?s ?o WHERE { ?s kg:theme ?o }",
    "status": "SELECT ?s ?o WHERE { ?s kg:status ?o }",
    "year": "SELECT ?s ?o WHERE { ?s a kg:Goal ; prov:wasDerivedFrom ?doc . ?doc kg:targetPeriod ?o }",
    "party": "SELECT ?s ?o WHERE { ?s prov:wasAttributedTo ?o }",
    "kind": "SELECT ?s ?o WHERE { VALUES ?o { foaf:Person org:Post kg:DevelopmentGroup kg:ManagementTeam } ?s a ?o }",
    "skos:prefLabel": "SELECT ?s ?o WHERE { ?s skos:prefLabel ?o FILTER (isLiteral(?o)) }",
    "foaf:name": "SELECT ?s ?o WHERE { ?s foaf:name ?o FILTER (isLiteral(?o)) }",
}
_TYPE_KINDS = {"http://xmlns.com/foaf/0.1/Person": "person", "http://www.w3.org/ns/org#Post": "post",
               str(KG.DevelopmentGroup): "group", str(KG.ManagementTeam): "group"}
#: The filter whose values are a list's rows: a person's goals are the goals the person filter finds.
ROW_FILTERS = {"people": "person", "posts": "post", "groups": "group", "themes": "theme"}
DIMENSIONS = ("year", "theme", "status", "person", "post", "group")


class ListIndex:
    """Every goal with its theme, status, document year and responsible parties, every person, post,
    group and theme, and the labels of them all (by language), read from the store in eight scans."""

    def __init__(self, store: GoalStore):
        self.goals: list[str] = [sys.intern(s.value) for s, _ in store.query(_SCANS["goal"])]
        ids = {goal: number for number, goal in enumerate(self.goals)}
        self.kind_of: dict[str, str] = {}  # party → "person" | "post" | "group"
        self.type_of: dict[str, str] = {}  # group → its type's IRI
        for thing, type_ in store.query(_SCANS["kind"]):
            self.kind_of[sys.intern(thing.value)] = _TYPE_KINDS[type_.value]
            if _TYPE_KINDS[type_.value] == "group":
                self.type_of[thing.value] = type_.value
        #: dimension → for each goal (by number) the values it has: of[name][goal] is a tuple
        self.of: dict[str, list[tuple[str, ...]]] = self._read_values(store, ids)
        self.by: dict[str, dict[str, array]] = {name: self._inverted(name) for name in DIMENSIONS}
        self.members = {"themes": sorted(self.by["theme"]),
                        **{PARTY_LISTS[k]: sorted(p for p, kind in self.kind_of.items() if kind == k) for k in PARTY_LISTS}}
        self.labels: dict[str, dict[str, str]] = {}  # language → IRI → label
        statuses = {str(KG) + name for name in status_names()}
        self._read_labels(store, set(self.goals) | set(self.kind_of) | set(self.by["theme"]) | statuses)
        self._orders: dict[str, list[int]] = {}
        self.kept = _Kept()

    def _read_values(self, store: GoalStore, ids: dict[str, int]) -> dict[str, list[tuple[str, ...]]]:
        found: dict[str, list[list[str]]] = {name: [[] for _ in self.goals] for name in DIMENSIONS}
        for scan in ("theme", "status", "year", "party"):
            for subject, value in store.query(_SCANS[scan]):
                goal = ids.get(subject.value)
                name = scan if scan != "party" else self.kind_of.get(value.value)
                if goal is not None and name is not None and value.value not in found[name][goal]:
                    found[name][goal].append(sys.intern(value.value))
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple for each distinct value (a theme's, …)
        return {name: [shared.setdefault(tuple(v), tuple(v)) for v in values] for name, values in found.items()}

    def _read_labels(self, store: GoalStore, wanted: set[str]) -> None:
        """The labels of goals, themes, parties and statuses: skos:prefLabel first, then foaf:name
        (the order kasograph.query.explore takes them in), the first of each language."""
        for prop in ("skos:prefLabel", "foaf:name"):
            for thing, label in store.query(_SCANS[prop]):
                if thing.value in wanted:  # keyed by the IRI's one (interned) copy, not a copy per label
                    self.labels.setdefault(label.language or "", {}).setdefault(sys.intern(thing.value), label.value)

    def _inverted(self, name: str) -> dict[str, array]:
        """Each value → the numbers of the goals that have it (arrays: 4 bytes a goal, not 36)."""
        inverted: dict[str, array] = {}
        for goal, values in enumerate(self.of[name]):
            for value in values:
                inverted.setdefault(value, array("I")).append(goal)
        return inverted

    def values(self, name: str, goal: int) -> tuple[str, ...]:
        """What goal number `goal` has of dimension `name` (its theme, its people, …)."""
        return self.of[name][goal]

    def attribute(self, name: str, goal: int) -> str | None:
        """The goal's theme, status or year (the first, where the data gives more than one)."""
        values = self.of[name][goal]
        return values[0] if values else None

    def label(self, iri: str, lang: str) -> Text:
        """The label in `lang`, else Finnish, else untagged, else any (as kasograph.query.explore chooses)."""
        for choice in (lang, "fi", ""):
            text = self.labels.get(choice, {}).get(iri)
            if text is not None:
                return Text(text, choice)
        for other in sorted(self.labels):
            if iri in self.labels[other]:
                return Text(self.labels[other][iri], other)
        return Text(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])

    def sort_key(self, iri: str | None, lang: str) -> str:
        return self.label(iri, lang).value.casefold().translate(_COLLATION) if iri else ""

    # What a list holds ----------------------------------------------------------------------------
    def matching(self, filters: dict[str, str]) -> set[int] | None:
        """The goals that meet every goal filter (name → key); None when no filter is about goals."""
        found = sorted((self.by[name].get(key, ()) for name, key in filters.items() if name != "type"), key=len)
        if not found:
            return None
        goals = set(found[0])
        for other in found[1:]:
            goals.intersection_update(other)
        return goals

    def counted_rows(self, kind: str, filters: dict[str, str]) -> dict[str, int]:
        """The rows of list `kind` (not goals) that have a matching goal, each with how many it has;
        every row of the kind, with all its goals, when no filter is about goals."""
        row_filter = ROW_FILTERS[kind]
        goals = self.matching(filters)
        if goals is None:
            rows = {row: len(self.by[row_filter].get(row, ())) for row in self.members[kind]}
        else:
            rows = dict(Counter(row for goal in goals for row in self.values(row_filter, goal)))
        if "type" in filters:
            rows = {row: n for row, n in rows.items() if self.type_of.get(row) == filters["type"]}
        return rows

    def facet(self, kind: str, filters: dict[str, str], name: str) -> Counter:
        """Each value of `name` among the matching rows, with how many rows have it (for a list of
        parties or themes: have a goal that meets the filters and has that value)."""
        goals = self.matching(filters)
        every = range(len(self.goals)) if goals is None else goals
        if kind == "goals":
            return Counter(value for goal in every for value in self.values(name, goal))
        rows = self.counted_rows(kind, filters)
        if name == "type":
            return Counter(self.type_of[row] for row in rows if row in self.type_of)
        row_filter = ROW_FILTERS[kind]
        pairs = {(value, row) for goal in every for row in self.values(row_filter, goal) if row in rows
                 for value in self.values(name, goal)}
        return Counter(value for value, _ in pairs)

    def sorted_goals(self, filters: dict[str, str], sort: str, lang: str) -> list[int]:
        """The matching goals in the order asked, ties by label (every column's order is stable)."""
        goals = self.matching(filters)
        order = self._label_order(lang)
        ids = order if goals is None else [goal for goal in order if goal in goals]
        column, descending = sort.lstrip("-"), sort.startswith("-")
        if column == "label":
            return ids[::-1] if descending else list(ids)
        statuses = {str(KG) + name: i for i, name in enumerate(status_names())}
        key: Callable[[int], object] = {
            "theme": lambda goal: self.sort_key(self.attribute("theme", goal), lang),
            "status": lambda goal: statuses.get(self.attribute("status", goal) or "", len(statuses)),
            "year": lambda goal: self.attribute("year", goal) or "",
        }[column]
        return sorted(ids, key=key, reverse=descending)

    def _label_order(self, lang: str) -> list[int]:
        """Every goal by its label in `lang` (kept: sorting a hundred thousand labels takes a while)."""
        if lang not in self._orders:
            self._orders[lang] = sorted(range(len(self.goals)), key=lambda g: (self.sort_key(self.goals[g], lang), self.goals[g]))
        return self._orders[lang]

    def sorted_rows(self, rows: dict[str, int], sort: str, lang: str) -> list[str]:
        ordered = sorted(rows, key=lambda row: (self.sort_key(row, lang), row))
        column, descending = sort.lstrip("-"), sort.startswith("-")
        if column == "goals":
            return sorted(ordered, key=rows.__getitem__, reverse=descending)
        return ordered[::-1] if descending else ordered


class _Kept:
    """Small answers made from one index (facets, choices), the `limit` most recently used kept."""

    def __init__(self, limit: int = 256):
        self.limit = limit
        self.answers: dict[tuple, object] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple, make: Callable[[], object]) -> object:
        with self.lock:
            if key in self.answers:
                self.answers[key] = self.answers.pop(key)  # the most recently used last
                return self.answers[key]
        answer = make()  # outside the lock: two first visitors may both make it
        with self.lock:
            while len(self.answers) >= self.limit:
                del self.answers[next(iter(self.answers))]
            self.answers[key] = answer
        return answer


_INDEXES: weakref.WeakKeyDictionary[GoalStore, ListIndex] = weakref.WeakKeyDictionary()
_READING = threading.Lock()


def list_index(store: GoalStore) -> ListIndex:
    """The index of a store, read on first use (a new generation of the data is a new store, so it
    never goes stale); one reader at a time, so that the first visitors do not all read it."""
    with _READING:
        index = _INDEXES.get(store)
        if index is None:
            index = _INDEXES[store] = ListIndex(store)
    return index


# The page ----------------------------------------------------------------------------------------------
@dataclass
class FacetValue:
    value: str  # as the address writes it
    label: Text
    count: int  # rows that have it: what adding the filter leaves
    selected: bool = False


@dataclass
class Facet:
    name: str
    values: list[FacetValue]
    others: int = 0  # values not shown (a facet shows the FACET_SIZE most frequent)


@dataclass
class ListRow:
    item: Item
    cells: dict[str, object]  # column → Item (theme, status, type), str (year), int (goals) or None


@dataclass
class ListPage:
    request: ListRequest
    columns: tuple[str, ...]
    sorts: tuple[str, ...]
    count: int  # the rows that match, on every page
    rows: list[ListRow]  # this page's
    facets: list[Facet]

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.request.size))


def read_list(explorer: Explorer, base: str, request: ListRequest) -> ListPage:
    """One page of a list, with how many rows match and the facets of those rows."""
    spec = LISTS[request.kind]
    index = list_index(explorer.store)
    keys = {name: key_of(name, value, base) for name, value in request.filters.items()}
    ordered = _ordered(index, request, keys, explorer.lang)
    start = (request.page - 1) * request.size
    rows = _rows(explorer, index, spec, ordered[start:start + request.size])
    facets = [_facet(explorer, index, base, request, keys, name) for name in spec.filters]
    return ListPage(request, spec.columns, spec.sorts, len(ordered), rows, facets)


def read_records(explorer: Explorer, base: str, request: ListRequest) -> tuple[list[str], list[dict]]:
    """Every row that matches (not one page), sorted as asked, as flat records for CSV and JSON: the
    row's IRI and label, then each column (an IRI column also with its label)."""
    spec = LISTS[request.kind]
    index = list_index(explorer.store)
    keys = {name: key_of(name, value, base) for name, value in request.filters.items()}
    rows = _rows(explorer, index, spec, _ordered(index, request, keys, explorer.lang))
    return record_columns(spec.columns), [record(row) for row in rows]


def _ordered(index: ListIndex, request: ListRequest, keys: dict[str, str], lang: str) -> list:
    """The matching rows in order: goal numbers for the goals list, (IRI, goals) for the others."""
    if request.kind == "goals":
        return index.sorted_goals(keys, request.sort, lang)
    counted = index.counted_rows(request.kind, keys)
    return [(row, counted[row]) for row in index.sorted_rows(counted, request.sort, lang)]


def _rows(explorer: Explorer, index: ListIndex, spec: ListKind, ordered: list) -> list[ListRow]:
    lang = explorer.lang
    if spec.name == "goals":
        rows = []
        for goal in ordered:
            theme, status, year = (index.attribute(c, goal) for c in ("theme", "status", "year"))
            cells = {"theme": Item(theme, index.label(theme, lang), "theme") if theme else None,
                     "status": Item(status, index.label(status, lang), "status") if status else None, "year": year}
            item = Item(index.goals[goal], index.label(index.goals[goal], lang), "goal", status=cells["status"])
            rows.append(ListRow(item, cells))
        return rows
    types = explorer.labels(list({index.type_of[row] for row, _ in ordered if row in index.type_of}))
    rows = []
    for row, goals in ordered:
        cells: dict[str, object] = {"goals": goals}
        if "type" in spec.columns:
            type_ = index.type_of.get(row)
            cells = {"type": Item(type_, types[type_], "class") if type_ else None, **cells}
        rows.append(ListRow(Item(row, index.label(row, lang), spec.row_kind), cells))
    return rows


def goals_args(request: ListRequest, row: ListRow, base: str) -> dict[str, str] | None:
    """The goals list's address for a row's goals that meet this list's filters: its `goals` count
    is that list's count (None where the address cannot name the row)."""
    name = ROW_FILTERS.get(request.kind)
    value = value_of(name, row.item.iri, base) if name else None
    if value is None:
        return None
    kept = {k: v for k, v in request.filters.items() if k in LISTS["goals"].filters}
    return {**kept, name: value}


def record_columns(columns: tuple[str, ...]) -> list[str]:
    names = ["iri", "label"]
    for column in columns:
        names += [column, f"{column}_label"] if column in ("theme", "status", "type") else [column]
    return names


def record(row: ListRow) -> dict[str, object]:
    """A row as a flat record: IRI, label, and each cell (an Item as its IRI and its label)."""
    flat: dict[str, object] = {"iri": row.item.iri, "label": row.item.label.value}
    for column, cell in row.cells.items():
        if isinstance(cell, Item) or (cell is None and column in ("theme", "status", "type")):
            flat[column] = cell.iri if cell else None
            flat[f"{column}_label"] = cell.label.value if cell else None
        else:
            flat[column] = cell
    return flat


def _facet(explorer: Explorer, index: ListIndex, base: str, request: ListRequest, keys: dict[str, str], name: str) -> Facet:
    """The values of `name` among the matching rows: the FACET_SIZE most frequent (years, statuses and
    group types in their order), and the value the list is filtered by, even where no row has it."""
    counted, others = index.kept.get(("facet", request.kind, tuple(sorted(keys.items())), name),
                                     lambda: _top(index.facet(request.kind, keys, name), name, base))
    selected = request.filters.get(name)
    if selected is not None and all(value != selected for _, value, _ in counted):
        counted = [(keys[name], selected, 0), *counted]
    labels = explorer.labels([key for key, _, _ in counted]) if name == "type" else {}
    values = [FacetValue(value, labels.get(key) or (Text(key) if name == "year" else index.label(key, explorer.lang)),
                         n, value == selected) for key, value, n in counted]
    return Facet(name, values, others)


def _top(counts: Counter, name: str, base: str) -> tuple[list[tuple[str, str, int]], int]:
    """[(key, value in the address, rows)] of a facet — the FACET_SIZE most frequent — and how many
    other values there are. A value the address cannot write (an IRI outside the base) is left out."""
    found = [(key, value, n) for key, n in counts.items() if (value := value_of(name, key, base)) is not None]
    found.sort(key=lambda v: (-v[2], v[1]))
    shown = found[:FACET_SIZE]
    if name in ORDERED:
        order = {"status": status_names(), "type": GROUP_TYPES}.get(name, ())
        shown.sort(key=lambda v: (order.index(v[1]) if v[1] in order else len(order), v[1]))
    return shown, len(found) - len(shown)


# The known values of a saved question's parameters -------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    value: str  # what the question compares: a name as the data writes it (in Finnish)
    label: str  # the same in the page's language, where the data has it there


def choice_keys(choices: Iterable[Choice]) -> dict[str, Choice]:
    """Each value's key in the address of its published answer (`questions/goals-of-person/tuija-harakka.html`):
    its slug, numbered from -2 where two values make the same one. Keys follow the values (in Finnish), in the
    order given, so every language's page names the same ones."""
    keys: dict[str, Choice] = {}
    for choice in choices:
        stem = slug(choice.value) or "value"
        key, n = stem, 1
        while key in keys:
            n += 1
            key = f"{stem}-{n}"
        keys[key] = choice
    return keys


_TITLES = "SELECT ?doc ?title WHERE { ?doc a foaf:Document ; dct:title ?title FILTER (isLiteral(?title)) }"
#: Parameters of the saved questions (queries/*.rq) whose values the data holds, and which rows name them.
CHOICE_ROWS = {"person": ("people",), "theme": ("themes",), "group": ("groups", "posts")}


def parameter_choices(explorer: Explorer, names: Iterable[str]) -> dict[str, list[Choice]]:
    """The values the data holds for each known parameter among `names` (person, theme, group, status,
    title): the CHOICES with the most goals, alphabetically (statuses in their order)."""
    index = list_index(explorer.store)
    return {name: index.kept.get(("choices", name, explorer.lang), lambda name=name: _choices(explorer, index, name))
            for name in names if name in (*CHOICE_ROWS, "status", "title")}


def _choices(explorer: Explorer, index: ListIndex, name: str) -> list[Choice]:
    lang = explorer.lang
    if name == "status":
        statuses = [str(KG) + s for s in status_names()]
        return [Choice(index.label(s, "fi").value, index.label(s, lang).value) for s in statuses]
    if name == "title":
        return _title_choices(explorer.store, lang)
    counted: Counter = Counter()
    for kind in CHOICE_ROWS[name]:
        counted.update(index.counted_rows(kind, {}))
    found: dict[str, str] = {}
    for iri, _ in counted.most_common():
        value = index.label(iri, "fi").value
        found.setdefault(value, index.label(iri, lang).value)
        if len(found) >= CHOICES:
            break
    return sorted((Choice(v, label) for v, label in found.items()), key=lambda c: c.value.casefold().translate(_COLLATION))


def _title_choices(store: GoalStore, lang: str) -> list[Choice]:
    """The documents' titles: the Finnish (or untagged) one as the value, the page's language's as its label."""
    titles: dict[str, dict[str, str]] = {}
    for doc, title in store.query(_TITLES):
        titles.setdefault(doc.value, {}).setdefault(title.language or "", title.value)
    found: dict[str, str] = {}
    for by_lang in titles.values():
        value = by_lang.get("fi") or by_lang.get("")
        if value is not None:
            found.setdefault(value, by_lang.get(lang, value))
    return sorted((Choice(v, label) for v, label in found.items()), key=lambda c: c.value.casefold())[:CHOICES]
