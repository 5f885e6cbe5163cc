"""The Python API for notebooks: `kasograph.open()` → `.query(sparql, **params)` → rows.

    import kasograph
    kg = kasograph.open()                                  # the bundled data
    kg = kasograph.open("data/vantaa-kaso-2021")           # a document folder, goal table or RDF file
    kg = kasograph.open("http://127.0.0.1:8080/sparql")    # a running endpoint (kasograph's or any SPARQL 1.1 server)
    rows = kg.query("SELECT ?name WHERE { ?p foaf:name ?name }")
    rows = kg.saved("goals-of-person", person="Ari Ranki")
    rows.to_dataframe()                                     # with pandas installed (pip install 'kasograph[pandas]')
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

from kasograph.goaldata import GoalData
from kasograph.namespaces import DEFAULT_BASE, sparql_prefixes
from kasograph.query import saved as saved_questions
from kasograph.store.engine import bind_parameters


class Rows(list):
    """Query results: a list of dicts of plain Python values, one per solution."""

    def __init__(self, rows: list[dict], columns: list[str]):
        super().__init__(rows)
        self.columns = columns

    def to_dataframe(self):
        """A pandas DataFrame with the query's columns in order (pandas is an optional extra)."""
        try:
            import pandas
        except ImportError as error:
            raise ImportError("to_dataframe needs pandas: pip install 'kasograph[pandas]'") from error
        return pandas.DataFrame(list(self), columns=self.columns)


class Endpoint:
    """A remote SPARQL 1.1 endpoint, queried over the SPARQL Protocol."""

    def __init__(self, url: str, timeout: float = 60.0):
        self.url = url
        self.timeout = timeout

    def query(self, sparql: str, **params) -> Rows:
        if params:
            sparql = bind_parameters(sparql, params)
        # Remote servers do not know kasograph's default prefixes: declare them.
        body = urllib.parse.urlencode({"query": sparql_prefixes() + sparql}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, headers={
            "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            answer = json.loads(response.read())
        if "boolean" in answer:
            return Rows([{"boolean": answer["boolean"]}], ["boolean"])
        columns = answer["head"]["vars"]
        return Rows([{c: _value(b.get(c)) for c in columns} for b in answer["results"]["bindings"]], columns)

    def saved(self, name: str, **params) -> Rows:
        question = saved_questions.get(name)
        return self.query(question.sparql, **question.bind(params))


class Local:
    """Data opened in this process; queries are answered by the embedded Oxigraph store."""

    def __init__(self, data: GoalData):
        self.data = data
        self.store = data.store

    def query(self, sparql: str, **params) -> Rows:
        results = self.store.query(sparql, params=params or None)
        if isinstance(results, bool) or results.__class__.__name__ == "QueryBoolean":
            return Rows([{"boolean": bool(results)}], ["boolean"])
        columns = [v.value for v in results.variables]
        from kasograph.store.engine import to_python

        return Rows([{c: to_python(row[c]) for c in columns} for row in results], columns)

    def saved(self, name: str, **params) -> Rows:
        question = saved_questions.get(name)
        return self.query(question.sparql, **question.bind(params))


def open(source: str | Path | None = None, base: str = DEFAULT_BASE) -> Local | Endpoint:  # noqa: A001 - mirrors the builtin on purpose
    """Open the bundled data (no source), a document folder, goal table or RDF file, or an endpoint URL."""
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return Endpoint(source)
    return Local(GoalData.open(Path(source) if source else None, base))


def _value(term: dict | None):
    if term is None:
        return None
    value = term["value"]
    datatype = term.get("datatype", "")
    if datatype.endswith(("#integer", "#int", "#long", "#nonNegativeInteger", "#positiveInteger")):
        return int(value)
    if datatype.endswith(("#decimal", "#double", "#float")):
        return float(value)
    if datatype.endswith("#boolean"):
        return value == "true"
    return value
