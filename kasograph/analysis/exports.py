"""Graphs as files for network tools: GraphML and GEXF (Gephi), node-link and Cytoscape.js JSON, DOT (Graphviz).

Node and edge attributes travel along; lists (the goals on a collaboration edge)
become '; '-separated text in GraphML, GEXF and DOT, which take only scalar values.
"""

from __future__ import annotations

import io
import json

import networkx as nx

FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    "cytoscape": "application/json",
    "dot": "text/vnd.graphviz",
}


def _scalar(graph: nx.Graph) -> nx.Graph:
    """A copy whose attribute values are all str, int, float or bool."""
    copy = graph.copy()
    for _, data in copy.nodes(data=True):
        for key, value in list(data.items()):
            if isinstance(value, (list, tuple, set)):
                data[key] = "; ".join(map(str, value))
            elif value is None:
                data[key] = ""
    for _, _, data in copy.edges(data=True):
        for key, value in list(data.items()):
            if isinstance(value, (list, tuple, set)):
                data[key] = "; ".join(map(str, value))
            elif value is None:
                data[key] = ""
    copy.graph = {k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float, bool))}
    return copy


def export(graph: nx.Graph, fmt: str) -> bytes:
    """The graph serialised in `fmt` (see FORMATS)."""
    if fmt == "graphml":
        out = io.BytesIO()
        nx.write_graphml(_scalar(graph), out, encoding="utf-8")
        return out.getvalue()
    if fmt == "gexf":
        out = io.BytesIO()
        nx.write_gexf(_scalar(graph), out, encoding="utf-8")
        return out.getvalue()
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="links"), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "cytoscape":
        return json.dumps(nx.cytoscape_data(graph), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "dot":
        return _dot(_scalar(graph)).encode("utf-8")
    raise ValueError(f"unknown graph format {fmt!r}; known: {', '.join(FORMATS)}")


def _dot(graph: nx.Graph) -> str:
    """Graphviz DOT, written here rather than through pydot (one dependency less, same output)."""

    def quote(value) -> str:
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    def attributes(data: dict) -> str:
        return ", ".join(f"{quote(k)}={quote(v)}" for k, v in sorted(data.items()))

    kind, arrow = ("digraph", "->") if graph.is_directed() else ("graph", "--")
    lines = [f"{kind} {quote(graph.graph.get('name', 'kasograph'))} {{"]
    for node, data in graph.nodes(data=True):
        lines.append(f"  {quote(node)} [{attributes({**data, 'label': data.get('label', node)})}];")
    for a, b, data in graph.edges(data=True):
        lines.append(f"  {quote(a)} {arrow} {quote(b)} [{attributes(data)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
