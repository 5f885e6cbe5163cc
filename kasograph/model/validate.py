"""SHACL validation: the gate every document's graph passes before it is stored.

Validation runs per document graph (the cost follows the document, not the
store), with the vocabulary mixed in, so that status concepts and class
hierarchies are known to the shapes.

Two engines give the same report. pyshacl-turbo (a Rust engine with pyshacl's
interface) is the default: about 30 times faster on a goal table (6 ms where
pyshacl takes 190 ms), which is what makes importing a whole country's tables
possible. pyshacl, the reference implementation, stays available
(`engine="pyshacl"`, or `$KASOGRAPH_VALIDATOR=pyshacl`), and the tests hold
both to the same findings on every kind of broken graph.

A graph given as N-Triples (`validate_ntriples`: what the import builds and what
a store holds) goes to pyshacl-turbo as text, beside it the vocabulary's triples that
the shapes can read, without an rdflib graph: handing it an rdflib graph cost about as much as
the validation itself (it copies the graph's terms out one by one). pyshacl is given an rdflib
graph of the same triples, blank-node labels kept, so both report the same nodes.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ReadOnlyGraphAggregate
from rdflib.namespace import RDF, RDFS

from kasograph import resources
from kasograph.model.build import build_dataset, ntriples_graph
from kasograph.model.fidelity import unquoted_literals
from kasograph.model.iris import Iris
from kasograph.model.sources import is_table_source, read_rdf
from kasograph.namespaces import DEFAULT_BASE, SH, VOCABULARY_GRAPH, bind_prefixes
from kasograph.source.table import read_document
from kasograph.vocabulary import ontology, ontology_ntriples, shapes

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
ENGINES = ("pyshacl-turbo", "pyshacl")
ENGINE_VARIABLE = "KASOGRAPH_VALIDATOR"


def default_engine() -> str:
    """$KASOGRAPH_VALIDATOR if it names an engine, else pyshacl-turbo (pyshacl where it is not installed:
    a platform without its wheels)."""
    fallback = ENGINES[0] if _turbo_installed() else ENGINES[1]
    chosen = os.environ.get(ENGINE_VARIABLE, "").strip() or fallback
    if chosen not in ENGINES:
        raise ValueError(f"${ENGINE_VARIABLE} is {chosen!r}; it may be one of: {', '.join(ENGINES)}")
    return chosen


@lru_cache(maxsize=1)
def _turbo_installed() -> bool:
    """Looked up once: asked for every document an import validates, and it took a millisecond."""
    import importlib.util

    return importlib.util.find_spec("pyshacl_turbo") is not None


@dataclass(frozen=True)
class Finding:
    """One validation result, in words a person can act on."""

    severity: str
    focus_node: str
    path: str | None
    value: str | None
    messages: dict[str, str]
    shape: str | None
    graph: str | None = None

    def message(self, lang: str = "en") -> str:
        return (self.messages.get(lang) or self.messages.get("en") or self.messages.get("")
                or next(iter(self.messages.values()), ""))


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when nothing is a violation (warnings and notes do not block)."""
        return not self.violations

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    def text(self, lang: str = "en") -> str:
        lines = []
        for f in self.findings:
            lines.append(f"{f.severity}: {f.message(lang)}")
            lines.append(f"  focus node: {f.focus_node}")
            if f.path:
                lines.append(f"  path:       {f.path}")
            if f.value is not None:
                lines.append(f"  value:      {f.value}")
            if f.graph:
                lines.append(f"  graph:      {f.graph}")
        counts = f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"{len(self.graphs)} graph(s) checked against the kasograph shapes: {verdict} ({counts}).")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "graphs": self.graphs,
            "findings": [f.__dict__ for f in self.findings],
        }


@contextmanager
def _sparql_parsed_once():
    """pyshacl hands rdflib the text of a SPARQL-based constraint once per focus node, and rdflib
    parses it every time (about 19 ms each: 39 of 71 s when validating 1,000 goals). While
    validating, each text is parsed once and the prepared query reused, as rdflib's own
    prepareQuery does."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    prepared: dict = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 - rdflib's names
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


@lru_cache(maxsize=1)
def _shapes_for_pyshacl() -> Graph:
    """A copy of the shapes that pyshacl may change: it adds two axioms of its own to the graph it is given
    (owl:Class and owl:DatatypeProperty as subclasses), which would then be served as ours at /shapes."""
    copy = Graph()
    for prefix, namespace in shapes().namespaces():
        copy.bind(prefix, namespace)
    for triple in shapes():
        copy.add(triple)
    return copy


@lru_cache(maxsize=1)
def _compiled_shapes():
    """The shapes compiled once per process for pyshacl-turbo (15 ms; reused for every document)."""
    import pyshacl_turbo

    return pyshacl_turbo.CompiledShapes(shapes(), advanced=True)


def _results(graph: Graph, engine: str) -> Graph:
    """The SHACL results graph of one document graph, with the vocabulary beside it."""
    if engine == "pyshacl-turbo":
        # The engine reads both graphs in place: no copy of the document is made.
        _, results, _ = _compiled_shapes().validate(ReadOnlyGraphAggregate([graph, ontology()]),
                                                    inference="none", allow_warnings=True)
        return results
    if engine != "pyshacl":
        raise ValueError(f"no SHACL engine {engine!r}; the engines are: {', '.join(ENGINES)}")
    import pyshacl  # imported here: it costs a second, and most commands never validate

    # The vocabulary is mixed in by hand: the shapes need the status scheme and the
    # subclass axioms, and pyshacl only mixes an ont_graph in when it also infers.
    data = Graph()
    for triple in graph:
        data.add(triple)
    for triple in ontology():
        data.add(triple)
    with _sparql_parsed_once():
        _, results, _ = pyshacl.validate(
            data, shacl_graph=_shapes_for_pyshacl(), inference="none",
            allow_warnings=True, advanced=True, abort_on_first=False,
        )
    return results


def validate_graph(graph: Graph, engine: str | None = None) -> ValidationReport:
    """Validate one document's graph against the shapes (`engine`: one of ENGINES; default: `default_engine()`)."""
    results = _results(graph, engine or default_engine())
    named = isinstance(graph.identifier, URIRef) and graph.identifier != DATASET_DEFAULT_GRAPH_ID
    return _report(results, str(graph.identifier) if named else None)


def validate_ntriples(graph: str, ntriples: bytes, engine: str | None = None) -> ValidationReport:
    """One named graph, given as N-Triples (as the import builds it, as a store holds it)."""
    engine = engine or default_engine()
    if engine != "pyshacl-turbo":
        return validate_graph(ntriples_graph(graph, ntriples), engine)
    text = ntriples.decode("utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    return _report(_turbo_results(text + _ontology_text()), graph)


@lru_cache(maxsize=1)
def _ontology_text() -> str:
    """The vocabulary's triples that a shape can read, as N-Triples text: those whose predicate the shapes
    name anywhere (a path, a target, a constraint's query) and the class hierarchy that `sh:class` follows.
    Its comments, definitions and the like no shape reaches; they were over half of what the engine read
    beside each document (351 triples, 155 of them read; ~0.6 ms a document less). A closed shape would see
    every predicate: then all."""
    lines = ontology_ntriples().decode("utf-8").splitlines(keepends=True)
    named = _shape_predicates()
    if named is None:
        return "".join(lines)
    return "".join(line for line in lines if line.split(" ", 2)[1][1:-1] in named)


def _shape_predicates() -> set[str] | None:
    """Every IRI the shapes mention; None where that cannot be told from the IRIs alone (a closed shape,
    a query with prefixes)."""
    graph = shapes()
    queries = [str(query) for query in graph.objects(None, SH.select)] + [str(query) for query in graph.objects(None, SH.ask)]
    if (None, SH.closed, None) in graph or (None, SH.prefixes, None) in graph or any("prefix" in q.lower() for q in queries):
        return None
    named = {str(term) for term in graph.objects() if isinstance(term, URIRef)}
    for query in queries:
        named.update(re.findall(r"<([^<>\s]+)>", query))
    return named | {str(RDF.type), str(RDFS.subClassOf)}


def _turbo_results(ntriples: str) -> Graph:
    """pyshacl-turbo's results for N-Triples text. The text goes to the engine as it is, blank-node labels
    kept (pyshacl_turbo.rdf.Input, as its own Store input does it); given plain text, pyshacl-turbo would
    build an rdflib graph of it first. Without that class (another version): the slower public way."""
    try:
        from pyshacl_turbo.rdf import Input
    except ImportError:  # pragma: no cover - a pyshacl-turbo without it
        data, data_format = ntriples, "nt"
    else:  # the prefixes a built graph binds: the engine's own messages name terms by them ("prov:agent")
        data, data_format = Input(ntriples, "nt", None, {}, _data_prefixes(), preserve_ids=True), None
    _, results, _ = _compiled_shapes().validate(data, data_graph_format=data_format, inference="none", allow_warnings=True)
    return results


@lru_cache(maxsize=1)
def _data_prefixes() -> dict:
    graph = Graph(store="SimpleMemory")
    bind_prefixes(graph)
    return dict(graph.namespaces())


def _report(results: Graph, name: str | None) -> ValidationReport:
    """The report of one graph (`name`; None: the default graph) from its SHACL results graph."""
    report = ValidationReport(graphs=[name or "(default graph)"])
    # Only the report's own results: nested sh:detail results explain them, and would repeat them.
    for result in results.objects(None, SH.result):
        report.findings.append(_finding(results, result, name))
    report.findings.sort(key=lambda f: (f.severity != "Violation", f.focus_node, f.path or "", f.value or "", f.shape or ""))
    return report


def validate_dataset(dataset: Dataset, engine: str | None = None) -> ValidationReport:
    """Validate every document graph of a dataset (the vocabulary graph is not data)."""
    report = ValidationReport()
    for graph in dataset.graphs():
        if str(graph.identifier) == VOCABULARY_GRAPH or len(graph) == 0:
            continue
        part = validate_graph(graph, engine)
        report.findings.extend(part.findings)
        report.graphs.extend(part.graphs)
    return report


def _finding(results: Graph, result, graph_name: str | None) -> Finding:
    def one(predicate):
        return results.value(result, predicate)

    messages: dict[str, str] = {}
    # pyshacl drops the language tags of a SPARQL constraint's messages; the constraint
    # itself (copied into the results, or in the shapes) still has them.
    candidates = list(results.objects(result, SH.resultMessage))
    for origin in (one(SH.sourceConstraint), one(SH.sourceShape)):
        if origin is not None:
            candidates += list(results.objects(origin, SH.message)) + list(shapes().objects(origin, SH.message))
    for message in sorted(candidates, key=str):  # the untagged copies come in the results graph's order: choose alike
        lang = message.language if isinstance(message, Literal) and message.language else ""
        messages.setdefault(lang, str(message))
    value = one(SH.value)
    path = one(SH.resultPath)
    return Finding(
        severity=SEVERITIES.get(one(SH.resultSeverity), str(one(SH.resultSeverity))),
        focus_node=str(one(SH.focusNode)),
        path=str(path) if path is not None else None,
        value=(value.n3() if isinstance(value, Literal) else str(value)) if value is not None else None,
        messages=messages,
        shape=str(one(SH.sourceShape)) if one(SH.sourceShape) is not None else None,
        graph=graph_name,
    )


def validate_source(path: Path | None = None, base: str = DEFAULT_BASE, engine: str | None = None) -> ValidationReport:
    """Validate what a user points at: the bundled data (None), a document's tables or an RDF file.

    A document built from tables is also held against its source text, if it has one:
    a Finnish text that the source does not contain is a violation.
    """
    if path is not None and not is_table_source(Path(path)):
        return validate_dataset(read_rdf(Path(path)), engine)
    documents = [read_document(p) for p in (resources.bundled_documents() if path is None else [Path(path)])]
    dataset = build_dataset(documents, base, vocabulary=False)
    report = validate_dataset(dataset, engine)
    for document in documents:
        if document.source_text is None:
            continue
        graph = dataset.graph(Iris.for_document(document.info, base).graph())
        for miss in unquoted_literals(graph, document.source_text):
            report.findings.append(Finding(
                severity="Violation", focus_node=str(miss.subject), path=str(miss.predicate), value=miss.literal.n3(),
                messages={"en": "The text does not appear in the source document: quote it exactly.",
                          "fi": "Tekstiä ei löydy lähdeasiakirjasta: lainaa se sanatarkasti."},
                shape=None, graph=str(graph.identifier)))
    return report



def merge_reports(report: ValidationReport, part: ValidationReport) -> None:
    """Add `part`'s findings and graphs to `report`."""
    report.findings.extend(part.findings)
    report.graphs.extend(part.graphs)
