"""Counts that tell at a glance what a store holds."""

from __future__ import annotations

from kasograph.namespaces import VOCABULARY_GRAPH
from kasograph.store.engine import GoalStore

_CLASSES = f"""
SELECT ?class (COUNT(DISTINCT ?thing) AS ?count) WHERE {{
  GRAPH ?g {{ ?thing a ?class }}
  FILTER (?g != <{VOCABULARY_GRAPH}>)
}} GROUP BY ?class ORDER BY DESC(?count) ?class
"""

_BY_STATUS = """
SELECT ?status ?label (COUNT(DISTINCT ?goal) AS ?goals) WHERE {
  ?goal a kg:Goal ; kg:status ?status .
  OPTIONAL { ?status skos:prefLabel ?label FILTER (lang(?label) = ?lang) }
} GROUP BY ?status ?label ORDER BY DESC(?goals) ?label
"""

_BY_THEME = """
SELECT ?theme (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?goal) AS ?goals) WHERE {
  ?goal a kg:Goal ; kg:theme ?theme .
  OPTIONAL { ?theme skos:prefLabel ?l FILTER (lang(?l) = ?lang) }
} GROUP BY ?theme ORDER BY DESC(?goals) ?label
"""


def statistics(store: GoalStore, lang: str = "fi") -> dict[str, list[dict]]:
    """Things per class, goals per status and goals per theme (labels in `lang`)."""
    return {
        "classes": store.select(_CLASSES),
        "status": store.select(_BY_STATUS, params={"lang": lang}),
        "theme": store.select(_BY_THEME, params={"lang": lang}),
    }
