"""The check's reading of a query against two complete parsers, on generated queries.

Hypothesis writes queries from SPARQL's grammar with every kind of terminal (IRIs with escapes,
prefixed names with dots, escapes and keyword-like prefixes, the four string forms, comments,
language tags, numbers, blank nodes, variables) and joins their tokens with nothing, spaces,
line breaks or comments between them, keywords in any case — so that terminals and keywords
meet in every way. For each query:

* rdflib's SPARQL parser (pyparsing, the grammar of the W3C recommendation): when it reads a
  query, the SERVICE targets, the graph-naming and the update keywords the check sees are the
  ones in rdflib's parse tree — unless the check refuses the query as one engines read
  differently (`Reading.ambiguous`).
* Oxigraph, the engine that runs the queries: every SERVICE target in the generated queries is a
  listener on 127.0.0.1; Oxigraph runs each query (unsealed, in this process), and when any
  connection arrives, the check must have seen a SERVICE or refused the query.

KASOGRAPH_READING_EXAMPLES sets how many queries are tried (3,000 by default).
"""

from __future__ import annotations

import os

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kasograph import lexer

from .servers import Listener

EXAMPLES = int(os.environ.get("KASOGRAPH_READING_EXAMPLES", "3000"))
LISTENER = Listener()  # one for the whole run: the queries are generated before any fixture could run
L = LISTENER.url


def keyword(word: str) -> st.SearchStrategy[str]:
    """A keyword in some case (the grammar matches keywords case-insensitively, `a` apart)."""
    mixed = "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(word))
    return st.sampled_from([word.upper(), word.lower(), mixed])


NUMBERED = st.integers(min_value=1, max_value=99)
IRI = st.one_of(
    NUMBERED.map(lambda n: f"<{L}/{n}>"),
    NUMBERED.map(lambda n: f"<{L}/\\u0031{n}>"),  # an escape inside the IRI
    st.sampled_from(["<x>", "<>", "<#SERVICE>", "<?a&&b>", "<http://example.org/a#b>"]),
)
PREFIXES = ["", "x", "ex", "kg", "service", "SERVICE", "graph", "GRAPH", "from", "a.b", "trueSERVICE", "é", "a_b", "x1"]
LOCALS = ["", "a", "SERVICE", "graph", "a.b", "a.b.c", "o.a.SERVICE", "\\.x", "%41", "1", ":x", "a-b", "a\\~b", "_x", "a.",
          "a..b"]
PNAME = st.builds(lambda p, l: f"{p}:{l}", st.sampled_from(PREFIXES), st.sampled_from(LOCALS))
VAR = st.sampled_from(["?x", "$y", "?SERVICE", "?graph", "?from", "?1", "?a_b"])
BLANK = st.sampled_from(["_:b", "_:SERVICE", "[]", "[ ]", "_:a.b", "_:1"])
STRING_BODY = st.lists(st.sampled_from(list("ab {}<>#SERVICE:") + ["\\n", "\\'", '\\"', "\\\\", "\\u0041"]),
                       max_size=8).map("".join)
STRING = st.one_of(
    STRING_BODY.map(lambda b: f"'{b}'"), STRING_BODY.map(lambda b: f'"{b}"'),
    STRING_BODY.map(lambda b: f"'''{b}'''"), STRING_BODY.map(lambda b: f'"""{b}"""'),
)
LITERAL = st.one_of(
    STRING,
    st.builds(lambda s, t: s + t, STRING, st.sampled_from(["@en", "@SERVICE", "@en-GB", "^^xsd:string", "^^<http://x/d>"])),
    st.sampled_from(["1", "1.5", ".5", "1e3", "1.E-2", "-1", "+1.0", "true", "false", "TRUE"]),
)
TERM = st.one_of(IRI, PNAME, VAR, BLANK, LITERAL)
VAR_OR_IRI = st.one_of(IRI, PNAME, VAR)
GAP = st.sampled_from(["", " ", " ", " ", "\n", "\t", "\r\n", "  ", " #c SERVICE <x>\n", "#\n"])


def tokens(*parts):
    """A strategy for a list of tokens: each part a string (a keyword, written in any case), a strategy
    of a token, or a strategy of token lists."""
    strategies = []
    for part in parts:
        if isinstance(part, str):
            strategies.append(keyword(part).map(lambda t: [t]) if part[:1].isalpha() else st.just([part]))
        else:
            strategies.append(part)
    return st.tuples(*strategies).map(lambda lists: [t for tokens_ in lists for t in tokens_])


def one(strategy):
    return strategy.map(lambda t: [t])


def optional(strategy):
    return st.one_of(st.just([]), strategy)


def expression(patterns):
    leaf = one(TERM)
    return st.recursive(leaf, lambda inner: st.one_of(
        tokens("(", inner, ")"),
        tokens(inner, st.sampled_from(["<", ">", "<=", "=", "!=", "&&", "||", "+", "-", "*", "/"]).map(lambda t: [t]), inner),
        tokens(st.sampled_from(["STR", "BOUND", "isIRI", "LANG", "REGEX", "STRSTARTS"]).flatmap(keyword).map(lambda t: [t]),
               "(", inner, ")"),
        tokens("EXISTS", patterns),
        tokens("NOT", "EXISTS", patterns),
    ), max_leaves=4)


def group(depth: int):
    if depth == 0:
        return tokens("{", optional(tokens(one(TERM), one(TERM), one(TERM))), "}")
    inner = group(depth - 1)
    triple = tokens(one(TERM), st.one_of(one(VAR_OR_IRI), st.just(["a"])), one(TERM), optional(st.just(["."])))
    element = st.one_of(
        triple, triple,
        tokens("OPTIONAL", inner),
        tokens(inner, "UNION", inner),
        tokens("MINUS", inner),
        tokens("GRAPH", one(VAR_OR_IRI), inner),
        tokens("SERVICE", optional(keyword("SILENT").map(lambda t: [t])), one(VAR_OR_IRI), inner),
        tokens("FILTER", "(", expression(inner), ")"),
        tokens("BIND", "(", expression(inner), "AS", one(VAR), ")"),
        tokens("VALUES", one(VAR), "{", st.lists(TERM, max_size=2), "}"),
        tokens("{", "SELECT", "*", "WHERE", inner, "}"),
        one(st.sampled_from(["trueSERVICE", "SERVICEx", "GRAPHS", "ſERVICE"])),  # words no grammar has
    )
    return tokens("{", st.lists(element, max_size=3).map(lambda items: [t for item in items for t in item]), "}")


PROLOGUE = st.lists(st.one_of(
    tokens("BASE", one(IRI)),
    tokens("PREFIX", st.sampled_from(PREFIXES).map(lambda p: [p + ":"]), one(IRI)),
), max_size=2).map(lambda items: [t for item in items for t in item])
DATASET = st.lists(st.one_of(tokens("FROM", one(IRI)), tokens("FROM", "NAMED", one(VAR_OR_IRI))), max_size=2).map(
    lambda items: [t for item in items for t in item])


def query_tokens():
    where = group(2)
    return st.one_of(
        tokens(PROLOGUE, "SELECT", st.one_of(st.just(["*"]), st.lists(VAR, min_size=1, max_size=2)), DATASET,
               optional(keyword("WHERE").map(lambda t: [t])), where, optional(tokens("LIMIT", "1"))),
        tokens(PROLOGUE, "ASK", DATASET, where),
        tokens(PROLOGUE, "CONSTRUCT", group(0), DATASET, "WHERE", where),
        tokens(PROLOGUE, "DESCRIBE", st.lists(VAR_OR_IRI, min_size=1, max_size=2), DATASET, optional(where)),
        tokens(PROLOGUE, st.sampled_from(["INSERT", "DELETE"]).flatmap(keyword).map(lambda t: [t]), group(0), "WHERE", where),
        tokens(PROLOGUE, "LOAD", one(IRI)),
        st.lists(st.one_of(TERM, st.sampled_from(sorted(lexer.KEYWORDS)).flatmap(keyword),
                           st.sampled_from(list("{}()[].;,*")), st.sampled_from(["trueSERVICE", "SERVICE:x", "x:a.b.SERVICE"])),
                 max_size=12),  # tokens of anything, in any order
    )


QUERY_TOKENS = query_tokens()


@st.composite
def queries(draw) -> str:
    found = draw(QUERY_TOKENS)
    gaps = draw(st.lists(GAP, min_size=len(found), max_size=len(found)))
    return "".join(token + gap for token, gap in zip(found, gaps))


# What the complete parsers see ------------------------------------------------------------------------
UPDATE_OPERATIONS = {"Load", "Clear", "Drop", "Create", "Add", "Move", "Copy", "InsertData", "DeleteData", "DeleteWhere",
                     "Modify"}


def rdflib_reading(sparql: str) -> dict | None:
    """SERVICE targets, graph-naming and update-ness in rdflib's parse tree; None when it reads nothing."""
    try:
        tree = parseQuery(sparql)
        update = False
    except Exception:  # noqa: BLE001 - any failure of rdflib's parser is "not a query"
        try:
            tree = parseUpdate(sparql)
            update = True
        except Exception:  # noqa: BLE001
            return None
    services, names_graphs, operations = [], False, 0

    def walk(node) -> None:
        nonlocal names_graphs, operations
        if isinstance(node, CompValue):
            operations += node.name in UPDATE_OPERATIONS
            if node.name == "ServiceGraphPattern":
                services.append(_rdflib_term(node["term"]))
            elif node.name in ("GraphGraphPattern", "DatasetClause"):
                names_graphs = True
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            for value in node:
                walk(value)

    walk(tree)
    return {"services": sorted(services), "names_graphs": names_graphs, "update": update and operations > 0}


def _rdflib_term(term) -> str:
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    if type(term).__name__ == "Variable":
        return "?" + str(term)
    return f"<{term}>"


def check_terms(reading: lexer.Reading) -> list[str]:
    """The check's SERVICE targets in the form `_rdflib_term` gives (IRIs and names unescaped, variables as ?name)."""
    written = []
    for token in reading.services:
        text = lexer.unescaped(token.text)
        if token.kind == "var":
            text = "?" + text[1:]
        elif token.kind == "pname":
            prefix, _, local = text.partition(":")
            text = f"{prefix}:{local}"
        written.append(text)
    return sorted(written)


def oxigraph_connects(store: pyoxigraph.Store, sparql: str) -> bool:
    """Whether Oxigraph, running the query (at most a few rows), opened a connection to the listener."""
    before = len(LISTENER.connections)
    try:
        results = store.query(sparql)
        if not isinstance(results, pyoxigraph.QueryBoolean):
            for _, _row in zip(range(3), results):
                pass
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    # No wait is needed: the engine waits for the listener's answer, which comes after the listener recorded it.
    return len(LISTENER.connections) > before


@pytest.fixture(scope="module")
def engine():
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{L}/s"), pyoxigraph.NamedNode(f"{L}/p"), pyoxigraph.Literal("o")))
    yield store
    LISTENER.close()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(sparql=queries())
def test_the_check_reads_as_the_parsers_do(engine, sparql):
    reading = lexer.read(sparql)
    parsed = rdflib_reading(sparql)
    if parsed is not None and not reading.ambiguous:
        assert sorted(set(check_terms(reading))) == sorted(set(parsed["services"])), sparql
        assert bool(reading.updates) == parsed["update"], sparql
        # a prefix holding GRAPH or FROM counts as naming graphs, which Oxigraph may read it as
        conservative = any(t.kind == "pname" and ("graph" in t.text.split(":")[0].lower() or "from" in t.text.split(":")[0].lower())
                           for t in lexer.tokens(sparql))
        assert reading.names_graphs == parsed["names_graphs"] or (conservative and reading.names_graphs), sparql
    if oxigraph_connects(engine, sparql):
        assert reading.services or reading.ambiguous, sparql
