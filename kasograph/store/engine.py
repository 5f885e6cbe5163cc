"""The store that answers queries: Oxigraph (pyoxigraph), embedded.

rdflib builds the graphs; Oxigraph answers SPARQL, tens of times faster than
rdflib's own engine on goal-shaped data (see DESIGN.md). Results can be
serialized by the engine itself, without turning every term into a Python object.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Dataset

from kasograph import lexer
from kasograph.errors import InputError, Problem
from kasograph.formats import for_file
from kasograph.model.sources import check_before_parsing, parse_error
from kasograph.namespaces import VOCABULARY_GRAPH, bind_prefixes, sparql_prefixes


@dataclass
class Snapshot:
    """What a store holds at one moment, opened for reading: the engine that answers queries, the
    documents' verbatim texts by IRI, the name of this state (a generation; a remote store's catalogue
    version) and a version for HTTP validators that every process serving it computes alike."""

    store: "GoalStore"
    source_texts: dict[str, str]
    generation: str | None
    version: str | None


class GoalStore:
    """A read interface over an Oxigraph store holding one named graph per document.

    A query without GRAPH sees the union of all graphs, which is what analysts
    expect; known prefixes (kg:, skos:, prov:, …) may be left out of queries.

    The union is kept as the store's default graph, written once after each load
    (`refresh_union`), rather than asked of Oxigraph with `use_default_graph_as_union`:
    Oxigraph's union repeats a triple once per graph that holds it, so a person named
    in two documents would be counted twice. A materialised union is a set, as in an
    RDF merge (and as Fuseki's union graph). When the store holds no named graphs
    (a plain Turtle file), the default graph is the data itself.

    In memory, the union is also kept in a store of its own, which answers every
    query that names no graph: Oxigraph's memory store looks a subject up across all
    graphs, so an entity that many documents name (the publisher, a city's theme)
    costs a step per document; without the named graphs it costs one (1.2-2x faster
    on the saved questions at 1M triples, 12x on one). An on-disk store keeps the
    default graph in indexes of its own and needs no copy.
    """

    def __init__(self, store: pyoxigraph.Store | None = None, path: Path | None = None):
        self.store = store if store is not None else pyoxigraph.Store()
        self.path = path  # the on-disk store (read-only) this was opened from; None in memory
        self.union: pyoxigraph.Store | None = None  # in memory: the union alone (see above)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> "GoalStore":
        store = cls()
        store.load_dataset(dataset)
        return store

    def load_dataset(self, dataset: Dataset) -> None:
        data = dataset.serialize(format="nquads")
        self.store.bulk_load(data.encode("utf-8") if isinstance(data, str) else data, format=pyoxigraph.RdfFormat.N_QUADS)
        self.refresh_union()

    def load_file(self, path: str, format: pyoxigraph.RdfFormat) -> None:
        """An RDF file straight into the store (no rdflib objects: fast for millions of triples)."""
        self.store.bulk_load(path=str(path), format=format)
        self.refresh_union()

    def refresh_union(self) -> None:
        """Write the union of the named graphs into the default graph (a set: each triple once)."""
        if self.has_named_graphs():
            self.store.update("CLEAR DEFAULT; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        self.copy_union()

    def copy_union(self) -> None:
        """In memory: copy the default graph (the union) into a store of its own."""
        if self.path is None:
            self.union = pyoxigraph.Store()
            self.union.bulk_extend(pyoxigraph.Quad(q.subject, q.predicate, q.object)
                                   for q in self.store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))

    def engine_for(self, sparql: str, *, graphs_given: bool = False) -> pyoxigraph.Store:
        """The store to run a query on: the union alone, unless the query reads named graphs."""
        if self.union is None or graphs_given or lexer.reads_named_graphs(sparql):
            return self.store
        return self.union

    def has_named_graphs(self) -> bool:
        return next(iter(self.store.named_graphs()), None) is not None

    def quads(self) -> Iterator[pyoxigraph.Quad]:
        """The stored quads: those of the named graphs (the default graph is only their union),
        or the default graph's when there are no named graphs."""
        if not self.has_named_graphs():
            return iter(self.store)
        return (q for q in self.store if not isinstance(q.graph_name, pyoxigraph.DefaultGraph))

    def triples(self) -> Iterator[pyoxigraph.Triple]:
        """The distinct triples of all graphs (the union)."""
        return (q.triple for q in self.store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))

    def __len__(self) -> int:
        """Quads in the documents' graphs, as a dump holds them."""
        return sum(1 for _ in self.quads())

    def query(self, sparql: str, *, params: dict[str, object] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None):
        """Run a SPARQL query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

        `params` fixes variables before the query runs (``{"lang": "fi"}`` puts ``"fi"`` for
        ``?lang``); str, int and float values become literals, pyoxigraph terms stay as they are.
        Raises SyntaxError with the parser's message for a malformed query.
        """
        options: dict[str, object] = {}
        if params:
            sparql = bind_parameters(sparql, params)
        if default_graph:
            options["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graph]
        if named_graphs:
            options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]
        return self.engine_for(sparql, graphs_given=bool(options)).query(sparql, prefixes=PREFIX_MAP, **options)

    def select(self, sparql: str, **kwargs) -> list[dict[str, object]]:
        """SELECT rows as dicts of Python values (str for IRIs and texts, int/float for numbers)."""
        results = self.query(sparql, **kwargs)
        names = [v.value for v in results.variables]
        return [{name: to_python(row[name]) for name in names} for row in results]

    def graphs(self) -> Iterator[str]:
        return (g.value for g in self.store.named_graphs())

    def graph_triples(self, graph: str) -> list[pyoxigraph.Triple]:
        """The triples of one named graph."""
        return [q.triple for q in self.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))]


PREFIX_MAP = {line.split()[1][:-1]: line.split()[2][1:-1] for line in sparql_prefixes().splitlines()}

_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#positiveInteger": int,
    "http://www.w3.org/2001/XMLSchema#nonNegativeInteger": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
    "http://www.w3.org/2001/XMLSchema#boolean": lambda v: v == "true",
}


def bind_parameters(sparql: str, params: dict[str, object]) -> str:
    """Put each parameter's term, written in SPARQL syntax, where its variable stands.

    Oxigraph's own substitutions only reach projected variables, and a parameter is
    often used in a FILTER inside OPTIONAL; the term's N-Triples form is safe to
    splice because it is escaped.
    """
    for name, value in params.items():
        if not re.fullmatch(r"\w+", name):
            raise ValueError(f"not a variable name: {name!r}")
        sparql = re.sub(rf"[?$]{name}\b", lambda _: str(to_term(value)), sparql)
    return sparql


def to_term(value: object):
    """A Python value as a pyoxigraph term (terms pass through)."""
    if isinstance(value, (pyoxigraph.NamedNode, pyoxigraph.Literal, pyoxigraph.BlankNode)):
        return value
    if isinstance(value, bool):
        return pyoxigraph.Literal(str(value).lower(), datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if isinstance(value, float):
        return pyoxigraph.Literal(repr(value), datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#double"))
    return pyoxigraph.Literal(str(value))


def to_python(term) -> object:
    """A term as a plain Python value: IRIs and texts as str, numbers as int/float, unbound as None."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        convert = _NUMERIC.get(term.datatype.value)
        if convert:
            try:
                return convert(term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return term.value


def replace_graphs_update(graphs: dict[str, str | None]) -> str:
    """One SPARQL update (one transaction) that replaces each named graph by the given N-Triples
    (None: drops it), taking out of the union graph what no other graph holds, and adding the new."""
    operations = []
    for graph, triples in graphs.items():
        operations.append(f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph}>) }}
}}""")
        operations.append(f"DROP SILENT GRAPH <{graph}>")
        if triples:
            operations.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}\n}} }}")
            operations.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return " ;\n".join(operations)


def load_rdf_store(path: Path) -> GoalStore:
    """An RDF file straight into an Oxigraph store (no rdflib objects: fast for millions of triples)."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "the file does not exist", "tiedostoa ei ole")])
    found = for_file(path)
    if found is None:
        raise InputError([Problem(str(path), f"unknown file type {path.suffix!r}", f"tuntematon tiedostotyyppi {path.suffix!r}")])
    check_before_parsing(path, found.engine)
    store = GoalStore()
    try:
        store.load_file(path, found.engine)
    except (SyntaxError, UnicodeDecodeError, ValueError, OSError) as error:
        raise parse_error(path, found.engine, error) from None
    return store


def quads_of(dataset: Dataset) -> Iterator[pyoxigraph.Quad]:
    """An rdflib dataset's quads as the engine's, blank nodes keeping their labels."""
    return pyoxigraph.parse(dataset.serialize(format="nquads", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)


def dataset_from_store(store, *, vocabulary: bool = True) -> Dataset:
    """An rdflib dataset of what a store holds (its named graphs, as a dump has them)."""
    quads = (q for q in store.quads() if vocabulary or getattr(q.graph_name, "value", None) != VOCABULARY_GRAPH)
    dataset = Dataset()
    bind_prefixes(dataset)
    dataset.parse(data=pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"", format="nquads")
    return dataset
