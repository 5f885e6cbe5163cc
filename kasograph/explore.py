"""What each page of the viewer shows, read from the store with SPARQL.

The web layer renders these records; it holds no data logic of its own. Every
record names the sources of its facts, and every label is chosen in a fixed
order: the requested language, then Finnish (the source's language), then a
text without a language tag, then any other — never a random one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph

from .namespaces import KG, VOCABULARY_GRAPH
from .store import GoalStore, to_python

LABEL_PROPERTIES = "skos:prefLabel|foaf:name|dct:title|rdfs:label"

# The kind of a resource, by its most specific type (first match wins).
KINDS = [
    ("goal", "https://w3id.org/kasograph/def#Goal"),
    ("person", "http://xmlns.com/foaf/0.1/Person"),
    ("post", "http://www.w3.org/ns/org#Post"),
    ("group", "https://w3id.org/kasograph/def#DevelopmentGroup"),
    ("group", "https://w3id.org/kasograph/def#ManagementTeam"),
    ("division", "https://w3id.org/kasograph/def#Division"),
    ("unit", "http://www.w3.org/ns/org#OrganizationalUnit"),
    ("organisation", "http://www.w3.org/ns/org#Organization"),
    ("number", "http://purl.org/linked-data/cube#Observation"),
    ("dataset", "http://www.w3.org/ns/dcat#Dataset"),
    ("document", "http://xmlns.com/foaf/0.1/Document"),
    ("project", "http://xmlns.com/foaf/0.1/Project"),
    ("system", "https://schema.org/SoftwareApplication"),
    ("survey", "https://w3id.org/kasograph/def#Survey"),
    ("scheme", "http://www.w3.org/2004/02/skos/core#ConceptScheme"),
    ("concept", "http://www.w3.org/2004/02/skos/core#Concept"),
]
AGENT_KINDS = ("person", "post", "group", "division", "unit", "organisation")
STATUSES = {
    "FullyAchieved": str(KG.FullyAchieved),
    "PartiallyAchieved": str(KG.PartiallyAchieved),
    "NotAchieved": str(KG.NotAchieved),
}


@dataclass(frozen=True)
class Text:
    """A literal with its language ('' when untagged)."""

    value: str
    lang: str = ""


@dataclass
class Item:
    """A resource as a link: its IRI, its label and its kind."""

    iri: str
    label: Text
    kind: str = ""
    status: "Item | None" = None
    extra: dict = field(default_factory=dict)


@dataclass
class Source:
    """Where facts come from: a document, its title, the pages and the verbatim text."""

    document: Item
    pages: list[int] = field(default_factory=list)
    text_iri: str | None = None


@dataclass
class StatedNumber:
    iri: str
    value: object
    unit: str | None
    period: str
    comparator: Item | None
    quote: Text
    column: str
    measure: Item | None


@dataclass
class GoalPage:
    goal: Item
    texts: dict[str, list[Text]]  # goal | metric | baseline | target | outcome → texts by language
    theme: Item | None
    status: Item | None
    responsible: list[Item]  # extra["role"]: "person" | "body"
    numbers: list[StatedNumber]
    mentions: list[Item]
    sources: list[Source]
    earlier: list[Item] = field(default_factory=list)  # the goal this one carries over (prov:wasRevisionOf), with status
    later: list[Item] = field(default_factory=list)  # goals of later documents that carry this one over


@dataclass
class AgentPage:
    agent: Item
    parent: Item | None
    units: list[Item]
    goals: list[Item]  # extra["role"], status
    shares_goals_with: list[Item]  # extra["shared"]: number of goals
    mentioned_in: list[Item]
    sources: list[Source]


@dataclass
class GoalListPage:
    subject: Item
    goals: list[Item]  # with status and extra["theme"]
    sources: list[Source]


@dataclass
class DatasetSummary:
    dataset: Item
    description: Text | None
    document: Item | None
    publisher: Item | None
    period: tuple[str, str] | None
    place: Item | None
    license: str | None
    rights: Text | None


@dataclass
class HomePage:
    datasets: list[DatasetSummary]
    counts: dict[str, int]
    themes: list[tuple[Item, list[Item]]]  # theme → its goals with status
    statuses: list[tuple[Item, int]]


@dataclass
class ResourcePage:
    """Any resource: its properties and values, labelled."""

    resource: Item
    properties: list[tuple[Item, list["Item | Text"]]]
    referenced_by: list[tuple[Item, Item]]  # (property, subject)
    sources: list[Source]


@dataclass(frozen=True)
class _Blank:
    blank: str


class Explorer:
    """Reads page records from a store; `lang` picks the labels."""

    def __init__(self, store: GoalStore, lang: str = "fi"):
        self.store = store
        self.lang = lang

    # labels and kinds ---------------------------------------------------------------------
    def _rows(self, sparql: str) -> list[dict]:
        results = self.store.query(sparql)
        names = [v.value for v in results.variables]
        return [{n: row[n] for n in names} for row in results]

    def labels(self, iris: list[str]) -> dict[str, Text]:
        """The best label of each IRI (requested language → fi → untagged → any); the IRI's end if none."""
        iris = sorted({i for i in iris if i and not i.startswith("_:")})
        if not iris:
            return {}
        values = " ".join(f"<{i}>" for i in iris)
        found: dict[str, dict[str, str]] = {}
        for row in self._rows(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s {LABEL_PROPERTIES} ?l }}"):
            label = row["l"]
            lang = label.language or "" if isinstance(label, pyoxigraph.Literal) else ""
            found.setdefault(row["s"].value, {}).setdefault(lang, label.value)
        return {iri: self._choose(found.get(iri, {}), iri) for iri in iris}

    def _choose(self, by_lang: dict[str, str], iri: str) -> Text:
        for lang in (self.lang, "fi", ""):
            if lang in by_lang:
                return Text(by_lang[lang], lang)
        if by_lang:
            lang = sorted(by_lang)[0]
            return Text(by_lang[lang], lang)
        return Text(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])

    def kinds(self, iris: list[str]) -> dict[str, str]:
        iris = sorted({i for i in iris if i and not i.startswith("_:")})
        if not iris:
            return {}
        values = " ".join(f"<{i}>" for i in iris)
        types: dict[str, set[str]] = {}
        for row in self._rows(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"):
            types.setdefault(row["s"].value, set()).add(row["t"].value)
        themes = {r["t"].value for r in self._rows(f"SELECT DISTINCT ?t WHERE {{ VALUES ?t {{ {values} }} ?g kg:theme ?t }}")}
        kinds = {}
        for iri in iris:
            if iri in themes:
                kinds[iri] = "theme"
            elif iri in STATUSES.values():
                kinds[iri] = "status"
            else:
                kinds[iri] = next((k for k, t in KINDS if t in types.get(iri, ())), "resource")
        return kinds

    def kind(self, iri: str) -> str | None:
        """The page kind of a resource, or None when the store knows nothing about it."""
        if not bool(self.store.query(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")):
            return None
        return self.kinds([iri])[iri]

    def items(self, iris: list[str]) -> list[Item]:
        labels, kinds = self.labels(iris), self.kinds(iris)
        return [Item(i, labels.get(i, Text(i)), kinds.get(i, "")) for i in iris]

    def item(self, iri: str) -> Item:
        return self.items([iri])[0]

    def with_status(self, goals: list[Item]) -> list[Item]:
        if not goals:
            return goals
        values = " ".join(f"<{g.iri}>" for g in goals)
        status = {r["g"].value: r["s"].value for r in self._rows(f"SELECT ?g ?s WHERE {{ VALUES ?g {{ {values} }} ?g kg:status ?s }}")}
        theme = {r["g"].value: r["t"].value for r in self._rows(f"SELECT ?g ?t WHERE {{ VALUES ?g {{ {values} }} ?g kg:theme ?t }}")}
        labels = self.labels(list(status.values()) + list(theme.values()))
        for goal in goals:
            if goal.iri in status:
                goal.status = Item(status[goal.iri], labels[status[goal.iri]], "status")
            if goal.iri in theme:
                goal.extra["theme"] = Item(theme[goal.iri], labels[theme[goal.iri]], "theme")
        return goals

    def sources(self, iris: list[str]) -> list[Source]:
        """The documents the resources were derived from, with the pages where known."""
        values = " ".join(f"<{i}>" for i in iris)
        rows = self._rows(f"""
            SELECT ?doc ?page ?text WHERE {{
              VALUES ?s {{ {values} }} ?s prov:wasDerivedFrom ?doc .
              OPTIONAL {{ ?s kg:sourcePage ?page }}
              OPTIONAL {{ ?doc dct:hasFormat ?text }}
            }}""")
        by_doc: dict[str, Source] = {}
        docs = self.labels([r["doc"].value for r in rows])
        for row in rows:
            doc = row["doc"].value
            source = by_doc.setdefault(doc, Source(Item(doc, docs[doc], "document"), [],
                                                   row["text"].value if row["text"] is not None else None))
            if row["page"] is not None and int(row["page"].value) not in source.pages:
                source.pages.append(int(row["page"].value))
        for source in by_doc.values():
            source.pages.sort()
        return sorted(by_doc.values(), key=lambda s: s.document.iri)

    # pages -----------------------------------------------------------------------------------
    def home(self) -> HomePage:
        datasets = []
        for row in self._rows("""
            SELECT ?d ?doc ?publisher ?start ?end ?place ?license ?rights WHERE {
              ?d a dcat:Dataset .
              OPTIONAL { ?d dct:source ?doc }
              OPTIONAL { ?d dct:publisher ?publisher }
              OPTIONAL { ?d dct:temporal [ dcat:startDate ?start ; dcat:endDate ?end ] }
              OPTIONAL { ?d dct:spatial ?place }
              OPTIONAL { ?d dct:license ?license }
              OPTIONAL { ?d dct:rights [ rdfs:label ?rights ] }
            } ORDER BY ?d"""):
            iris = [row[k].value for k in ("d", "doc", "publisher", "place") if row[k] is not None]
            labels = self.labels(iris)
            pick = lambda k, kind: Item(row[k].value, labels[row[k].value], kind) if row[k] is not None else None  # noqa: E731
            descriptions = self._texts(row["d"].value, "dct:description")
            datasets.append(DatasetSummary(
                dataset=pick("d", "dataset"), description=descriptions[0] if descriptions else None,
                document=pick("doc", "document"), publisher=pick("publisher", "agent"),
                period=(row["start"].value, row["end"].value) if row["start"] is not None else None,
                place=pick("place", "place"), license=row["license"].value if row["license"] is not None else None,
                rights=Text(row["rights"].value, row["rights"].language or "") if row["rights"] is not None else None,
            ))
        counts = {}
        for name, type_ in (("goals", "kg:Goal"), ("persons", "foaf:Person"), ("posts", "org:Post"),
                            ("groups", "kg:DevelopmentGroup"), ("documents", "foaf:Document")):
            counts[name] = int(self._rows(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {type_} }}")[0]["n"].value)
        counts["themes"] = int(self._rows("SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?g kg:theme ?t }")[0]["n"].value)
        themes = []
        rows = self._rows("SELECT ?t ?g WHERE { ?g a kg:Goal ; kg:theme ?t }")
        goals = self.with_status(self._sorted(self.items(sorted({r["g"].value for r in rows}))))
        by_theme: dict[str, list[Item]] = {}
        for goal in goals:
            by_theme.setdefault(goal.extra["theme"].iri, []).append(goal)
        for theme in self._sorted(self.items(list(by_theme))):
            themes.append((theme, by_theme[theme.iri]))
        statuses = [(Item(r["s"].value, Text(""), "status"), int(r["n"].value))
                    for r in self._rows("SELECT ?s (COUNT(?g) AS ?n) WHERE { ?g kg:status ?s } GROUP BY ?s ORDER BY ?s")]
        labels = self.labels([s.iri for s, _ in statuses])
        for status, _ in statuses:
            status.label = labels[status.iri]
        return HomePage(datasets, counts, themes, statuses)

    def _texts(self, iri: str, prop: str) -> list[Text]:
        rows = self._rows(f"SELECT ?o WHERE {{ <{iri}> {prop} ?o FILTER(isLiteral(?o)) }}")
        texts = [Text(r["o"].value, r["o"].language or "") for r in rows]
        order = {self.lang: 0, "fi": 1, "": 2}
        return sorted(texts, key=lambda t: (order.get(t.lang, 3), t.lang))

    def _sorted(self, items: list[Item]) -> list[Item]:
        return sorted(items, key=lambda i: i.label.value.casefold())

    def goal(self, iri: str) -> GoalPage:
        texts = {"goal": self._texts(iri, "skos:prefLabel")}
        for column in ("metric", "baseline", "target", "outcome"):
            texts[column] = self._texts(iri, f"kg:{column}")
        theme = self._one(iri, "kg:theme")
        status = self._one(iri, "kg:status")
        rows = self._rows(f"""
            SELECT ?agent ?role WHERE {{
              <{iri}> prov:qualifiedAttribution ?a . ?a prov:agent ?agent ; dcat:hadRole ?role .
            }}""")
        roles = {r["agent"].value: ("body" if r["role"].value == str(KG.ResponsibleBody) else "person") for r in rows}
        responsible = self.items(sorted(roles))
        for agent in responsible:
            agent.extra["role"] = roles[agent.iri]
        order = {"person": 0, "post": 1, "group": 2, "division": 3, "unit": 3, "organisation": 4}
        responsible.sort(key=lambda a: (a.extra["role"] == "body", order.get(a.kind, 9), a.label.value.casefold()))
        numbers = []
        for row in self._rows(f"""
            SELECT ?n ?value ?unit ?period ?comparator ?quote ?column ?measure WHERE {{
              ?n kg:goal <{iri}> ; sdmx-measure:obsValue ?value ; sdmx-dimension:refPeriod ?period ;
                 kg:quote ?quote ; kg:column ?column .
              OPTIONAL {{ ?n sdmx-attribute:unitMeasure ?unit }}
              OPTIONAL {{ ?n kg:comparator ?comparator }}
              OPTIONAL {{ ?n kg:measure ?measure }}
            }} ORDER BY ?n"""):
            labels = self.labels([row[k].value for k in ("comparator", "measure") if row[k] is not None])
            numbers.append(StatedNumber(
                iri=row["n"].value, value=to_python(row["value"]),
                unit=row["unit"].value.rsplit("/", 1)[-1] if row["unit"] is not None else None,
                period=row["period"].value,
                comparator=Item(row["comparator"].value, labels[row["comparator"].value]) if row["comparator"] is not None else None,
                quote=Text(row["quote"].value, row["quote"].language or ""),
                column=row["column"].value.rsplit("#", 1)[-1],
                measure=Item(row["measure"].value, labels[row["measure"].value], "measure") if row["measure"] is not None else None,
            ))
        mentions = self._sorted(self.items([r["m"].value for r in self._rows(f"SELECT ?m WHERE {{ <{iri}> kg:mentions ?m }}")]))
        return GoalPage(
            goal=self.item(iri), texts=texts,
            theme=self.item(theme) if theme else None,
            status=Item(status, self.labels([status])[status], "status") if status else None,
            responsible=responsible, numbers=numbers, mentions=mentions, sources=self.sources([iri]),
            earlier=self._with_year(self.with_status(self.items([r["o"].value for r in self._rows(f"SELECT ?o WHERE {{ <{iri}> prov:wasRevisionOf ?o }}")]))),
            later=self._with_year(self.with_status(self.items([r["s"].value for r in self._rows(f"SELECT ?s WHERE {{ ?s prov:wasRevisionOf <{iri}> }}")]))),
        )

    def _with_year(self, goals: list[Item]) -> list[Item]:
        """extra["year"]: the target year of the document each goal comes from."""
        if goals:
            values = " ".join(f"<{g.iri}>" for g in goals)
            years = {r["g"].value: r["year"].value for r in self._rows(
                f"SELECT ?g ?year WHERE {{ VALUES ?g {{ {values} }} ?g prov:wasDerivedFrom ?doc . ?doc kg:targetPeriod ?year }}")}
            for goal in goals:
                goal.extra["year"] = years.get(goal.iri, "")
        return goals

    def _one(self, iri: str, prop: str) -> str | None:
        rows = self._rows(f"SELECT ?o WHERE {{ <{iri}> {prop} ?o }} LIMIT 1")
        return rows[0]["o"].value if rows else None

    def agent(self, iri: str) -> AgentPage:
        parent = self._one(iri, "org:unitOf|org:postIn")
        units = self._sorted(self.items([r["u"].value for r in self._rows(f"SELECT DISTINCT ?u WHERE {{ <{iri}> org:hasUnit ?u }}")]))
        rows = self._rows(f"""
            SELECT ?goal ?role WHERE {{
              ?goal prov:qualifiedAttribution ?a . ?a prov:agent <{iri}> ; dcat:hadRole ?role .
            }}""")
        roles = {r["goal"].value: ("body" if r["role"].value == str(KG.ResponsibleBody) else "person") for r in rows}
        goals = self.with_status(self._sorted(self.items(sorted(roles))))
        for goal in goals:
            goal.extra["role"] = roles[goal.iri]
        shared = {r["other"].value: int(r["n"].value) for r in self._rows(f"""
            SELECT ?other (COUNT(DISTINCT ?goal) AS ?n) WHERE {{
              ?goal prov:wasAttributedTo <{iri}>, ?other . FILTER (?other != <{iri}>)
            }} GROUP BY ?other""")}
        partners = self.items(sorted(shared))
        for partner in partners:
            partner.extra["shared"] = shared[partner.iri]
        partners.sort(key=lambda p: (-p.extra["shared"], p.label.value.casefold()))
        mentioned = self.with_status(self._sorted(self.items(
            [r["g"].value for r in self._rows(f"SELECT DISTINCT ?g WHERE {{ ?g kg:mentions <{iri}> }}")])))
        return AgentPage(self.item(iri), self.item(parent) if parent else None, units, goals, partners, mentioned,
                         self.sources([iri]))

    def theme(self, iri: str) -> GoalListPage:
        goals = [r["g"].value for r in self._rows(f"SELECT ?g WHERE {{ ?g kg:theme <{iri}> }}")]
        return GoalListPage(self.item(iri), self.with_status(self._sorted(self.items(goals))), self.sources([iri]))

    def status(self, iri: str) -> GoalListPage:
        goals = [r["g"].value for r in self._rows(f"SELECT ?g WHERE {{ ?g kg:status <{iri}> }}")]
        items = self.with_status(self._sorted(self.items(goals)))
        items.sort(key=lambda g: g.extra["theme"].label.value.casefold() if "theme" in g.extra else "")
        return GoalListPage(self.item(iri), items, self.sources(goals) if goals else [])

    def resource(self, iri: str) -> ResourcePage:
        # A blank node's own properties come with it: it has no page of its own.
        rows = self._rows(f"""
            SELECT ?p ?o ?bp ?bo WHERE {{
              <{iri}> ?p ?o . OPTIONAL {{ FILTER (isBlank(?o)) ?o ?bp ?bo }}
            }} ORDER BY ?p ?o ?bp""")
        iris = [r["p"].value for r in rows] + [r[k].value for r in rows for k in ("o", "bp", "bo")
                                               if isinstance(r[k], pyoxigraph.NamedNode)]
        labels, kinds = self.labels(iris), self.kinds(iris)
        properties: dict[str, list] = {}
        blanks: dict[str, list[str]] = {}
        for row in rows:
            o = row["o"]
            if isinstance(o, pyoxigraph.BlankNode):
                if row["bp"] is not None:
                    shown = labels[row["bo"].value].value if isinstance(row["bo"], pyoxigraph.NamedNode) else row["bo"].value
                    blanks.setdefault(o.value, []).append(f"{labels[row['bp'].value].value}: {shown}")
                if o.value not in [getattr(v, "blank", None) for v in properties.get(row["p"].value, [])]:
                    properties.setdefault(row["p"].value, []).append(_Blank(o.value))
                continue
            if isinstance(o, pyoxigraph.NamedNode):
                value = Item(o.value, labels[o.value], kinds.get(o.value, ""))
            else:
                value = Text(o.value, o.language or "")
            if value not in properties.setdefault(row["p"].value, []):
                properties[row["p"].value].append(value)
        for values in properties.values():
            values[:] = [Text("; ".join(blanks.get(v.blank, []))) if isinstance(v, _Blank) else v for v in values]
        inbound = self._rows(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} ORDER BY ?p ?s LIMIT 200")
        in_labels = self.labels([r["s"].value for r in inbound] + [r["p"].value for r in inbound])
        in_kinds = self.kinds([r["s"].value for r in inbound])
        return ResourcePage(
            resource=self.item(iri),
            properties=[(Item(p, labels[p], "property"), values) for p, values in properties.items()],
            referenced_by=[(Item(r["p"].value, in_labels[r["p"].value], "property"),
                            Item(r["s"].value, in_labels[r["s"].value], in_kinds.get(r["s"].value, ""))) for r in inbound],
            sources=self.sources([iri]),
        )

    def all_resources(self) -> list[str]:
        """Every IRI the data describes (not the vocabulary): what a static site publishes."""
        return [r["s"].value for r in self._rows(f"""
            SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (isIRI(?s) && ?g != <{VOCABULARY_GRAPH}>) }} ORDER BY ?s""")]
