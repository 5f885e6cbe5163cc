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

from pathlib import Path

import pyoxigraph

from kasograph.goaldata import GoalData
from kasograph.namespaces import DEFAULT_BASE
from kasograph.query import saved as saved_questions
from kasograph.store.engine import GoalStore, to_python
from kasograph.store.remote import RemoteGoalStore, RemoteSettings, RemoteStore


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


class Local:
    """Data to ask: opened in this process (the embedded Oxigraph store answers), or a SPARQL endpoint's
    (kasograph.store.remote answers, the one SPARQL client kasograph has)."""

    def __init__(self, data: GoalData | GoalStore):
        self.data = data if isinstance(data, GoalData) else None
        self.store = data.store if isinstance(data, GoalData) else data

    def query(self, sparql: str, **params) -> Rows:
        results = self.store.query(sparql, params=params or None)
        if isinstance(results, pyoxigraph.QueryBoolean):
            return Rows([{"boolean": bool(results)}], ["boolean"])
        columns = [v.value for v in results.variables]
        return Rows([{c: to_python(row[c]) for c in columns} for row in results], columns)

    def saved(self, name: str, **params) -> Rows:
        question = saved_questions.get(name)
        return self.query(question.sparql, **question.bind(params))


class Endpoint(Local):
    """A SPARQL 1.1 endpoint (kasograph's /sparql or any other), queried over the SPARQL Protocol."""

    def __init__(self, url: str, timeout: float = 60.0):
        super().__init__(RemoteGoalStore(RemoteStore(RemoteSettings.for_endpoint(url, timeout))))
        self.url = url


def open(source: str | Path | None = None, base: str = DEFAULT_BASE) -> Local:  # noqa: A001 - mirrors the builtin on purpose
    """Open the bundled data (no source), a document folder, goal table or RDF file, or an endpoint URL."""
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return Endpoint(source)
    return Local(GoalData.open(Path(source) if source else None, base))
