"""The SPARQL endpoint (SPARQL 1.1 Protocol, read-only), the query page and the saved questions."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes, urlencode

from flask import Blueprint, Response, abort, current_app, g, redirect, request

from kasograph import formats
from kasograph.errors import InputError
from kasograph.namespaces import PREFIXES
from kasograph.publish.linked_data import serialize_graph
from kasograph.publish.service_description import service_description
from kasograph.query import saved
from kasograph.query.completion import editor_terms
from kasograph.query.lists import choice_keys, parameter_choices
from kasograph.query.sparql import (
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryWorkerLost,
    columns_in_order,
)
from kasograph.query.syntax import explain
from kasograph.store.engine import bind_parameters
from kasograph_web import i18n
from kasograph_web.context import goal_data, href, language, number, static_site
from kasograph_web.documents import serve_page, split_variant
from kasograph_web.workers import QueryBusy, run_query

bp = Blueprint("sparql", __name__)
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept"}
SELECT_TYPES = {f.media_type: name for name, f in formats.RESULTS.items()} | {"application/json": "json", "application/xml": "xml"}
GRAPH_TYPES = {f.media_type: name for name, f in formats.GRAPHS.items()}
FORMAT_NAMES = {"turtle": "ttl", "json-ld": "jsonld", "n-triples": "nt", "rdfxml": "rdf"}
# The example opens with kasograph's own prefix alone (what kg: is); the endpoint knows it and the others.
EXAMPLE = """PREFIX kg: <https://w3id.org/kasograph/def#>

SELECT ?goal ?text ?status WHERE {
  ?goal a kg:Goal ; skos:prefLabel ?text ; kg:status/skos:prefLabel ?status .
  FILTER (lang(?text) = "fi" && lang(?status) = "fi")
} ORDER BY ?text"""


#: The files of a saved question's answer: `questions/NAME.csv` …
QUESTION_FILES = ("csv", "json", "tsv", "xml")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    g.lang = language()
    return endpoint()


@bp.get("/query<variant:as_>")
def query_document(as_: str) -> Response:
    return serve_page("query", as_, query_page, keep=False)


@bp.get("/query-terms.json")
def query_terms() -> Response:
    """What the query page's editor completes: the endpoint's prefixes and the vocabulary's terms (from the
    ontology and the shapes), with their labels."""
    return Response(json.dumps(editor_terms(), ensure_ascii=False), mimetype="application/json")


@bp.get("/questions<variant:as_>")
def questions_document(as_: str) -> Response:
    return serve_page("questions", as_, questions_page)


@bp.get("/questions/<iri_path:rest>")
def question_document(rest: str) -> Response:
    """A saved question's page (`questions/NAME.html`) or its answer as a file (`questions/NAME.csv`), for the
    values the query string gives; and the same for one known value of its parameter, each at an address of
    its own (`questions/NAME/KEY.html`, `questions/NAME/KEY.csv`), which a static site can publish."""
    path, dot, ext = rest.rpartition(".")
    if dot and ext in QUESTION_FILES:
        name, key, values = _question_at(path)
        return question_results(name, ext, values)
    stem, variant = split_variant(f"questions/{rest}")
    name, key, values = _question_at(stem[len("questions/"):])
    return serve_page(stem, variant, lambda: question_page(name, key, values), keep=False)


def _question_at(path: str) -> tuple[str, str | None, dict[str, str] | None]:
    """(question, key, values) of `NAME` (no key; the query string gives the values) or of `NAME/KEY`, the answer
    for one known value of the question's one parameter; 404 for any other path."""
    name, slash, key = path.partition("/")
    if name not in saved.catalogue():
        abort(404)
    if not slash:
        return name, None, None
    question = saved.get(name)
    if len(question.parameters) != 1:
        abort(404)
    parameter = question.parameters[0].name
    choice = choice_keys(parameter_choices(goal_data().explorer(), [parameter]).get(parameter, [])).get(key)
    if choice is None:
        abort(404)
    return name, key, {parameter: choice.value}


def _strict_utf8() -> bool:
    """Whether the query string and a form or query body are UTF-8 (Werkzeug would quietly put U+FFFD
    in place of the bytes that are not, and run a query nobody wrote)."""
    raw = [unquote_to_bytes(request.query_string.replace(b"+", b" "))]
    content_type = (request.mimetype or "").lower()
    if request.method == "POST" and content_type in ("application/x-www-form-urlencoded", "application/sparql-query"):
        body = request.get_data(cache=True)  # the form is parsed from these cached bytes afterwards
        raw.append(unquote_to_bytes(body.replace(b"+", b" ")) if content_type.endswith("urlencoded") else body)
    try:
        for part in raw:
            part.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _filename(name: str) -> str:
    """A download name safe to put in a header: letters, digits, dot, dash and underscore."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "results"
    return safe[:100]


def _text(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status, mimetype="text/plain", headers=CORS)


def _formats() -> tuple[str, str]:
    """(results format, graph format) from `format` or Accept; JSON and Turtle when nothing is said."""
    asked = request.values.get("format", "").strip().lower()
    asked = FORMAT_NAMES.get(asked, asked)
    if asked in formats.RESULTS or asked in SELECT_TYPES:
        return SELECT_TYPES.get(asked, asked), "ttl"
    if asked in formats.GRAPHS or asked in GRAPH_TYPES:
        return "json", GRAPH_TYPES.get(asked, asked)
    accept = request.accept_mimetypes
    select = SELECT_TYPES.get(accept.best_match(list(SELECT_TYPES)) or "", "json")
    graph = GRAPH_TYPES.get(accept.best_match(list(GRAPH_TYPES)) or "", "ttl")
    return select, graph


def endpoint() -> Response:
    """GET ?query=, POST form-encoded, POST application/sparql-query; updates are refused with 403."""
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    config = current_app.config
    content_type = (request.mimetype or "").lower()
    if request.content_length and request.content_length > config["SPARQL_MAX_QUERY_BYTES"]:
        return _text(413, f"The request is larger than {config['SPARQL_MAX_QUERY_BYTES']} bytes.")
    if not _strict_utf8():
        return _text(400, "The request is not UTF-8: a query must be sent as UTF-8 text.")
    if content_type == "application/sparql-update" or "update" in request.values:
        if "query" in request.values:
            return _text(400, "A request holds one operation: a query or an update, not both.")
        return _text(403, "This endpoint is read-only: SPARQL updates are refused.")
    if len(request.values.getlist("query")) + (content_type == "application/sparql-query" and request.method == "POST") > 1:
        return _text(400, "A request holds one query: this one holds more than one.")
    if request.method == "POST" and content_type == "application/sparql-query":
        query = request.get_data(as_text=True)
    else:
        query = request.values.get("query")
    if query is None and request.method == "POST":
        return _text(400, "No query: send it as the form field query=… or as an application/sparql-query body.")
    if query is None:
        return service_description_or_page()
    if len(query.encode("utf-8")) > config["SPARQL_MAX_QUERY_BYTES"]:
        return _text(413, f"The query is longer than {config['SPARQL_MAX_QUERY_BYTES']} bytes.")
    select_format, graph_format = _formats()
    try:
        answer = run_query(query, select_format=select_format, graph_format=graph_format,
                           default_graph=request.values.getlist("default-graph-uri") or None,
                           named_graphs=request.values.getlist("named-graph-uri") or None)
    except QueryRefused as error:
        return _text(403, str(error))
    except QuerySyntaxError as error:
        return _text(400, syntax_error_text(query, str(error)))
    except QueryBusy as error:
        response = _text(503, f"{error}.")
        response.headers["Retry-After"] = "1"
        return response
    except QueryTimeout as error:
        return _text(503, f"{error}. Narrow the query (LIMIT, more specific patterns) and try again.")
    except QueryWorkerLost as error:
        if error.crashed:
            return _text(400, f"The query could not be answered: {error}")
        response = _text(503, f"The query could not be answered: {error}")  # the store's server is down: not for long
        response.headers["Retry-After"] = "30"
        return response
    except QueryFailed as error:  # the engine could not evaluate it, or the answer is too large
        return _text(400, f"The query could not be answered: {error}")
    body = answer.body
    headers = dict(CORS)
    if answer.media_type == "text/csv":
        if request.values.get("bom") in ("1", "true", "yes"):
            body = b"\xef\xbb\xbf" + body  # Excel reads UTF-8 CSV correctly only with a byte-order mark
        headers["Content-Type"] = "text/csv; charset=utf-8"
    if request.values.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="{_filename(request.values["download"])}"'
    return Response(body, mimetype=answer.media_type, headers=headers)


def syntax_error_text(query: str, message: str) -> str:
    """A syntax error in plain words at its line and column, then the engine's own message."""
    problem = explain(query, message)
    if problem is None:
        return f"Syntax error: {message}"
    return f"Syntax error at {problem.in_plain_text()}\n\nThe engine's message: {message}"


def service_description_or_page() -> Response:
    graph_type = request.accept_mimetypes.best_match(["text/html", *GRAPH_TYPES])
    if graph_type in GRAPH_TYPES:
        fmt = formats.GRAPHS[GRAPH_TYPES[graph_type]]
        return Response(serialize_graph(service_description(goal_data().store, request.base_url), fmt), mimetype=fmt.media_type,
                        headers={**CORS, "Vary": "Accept"})
    return redirect("query.html" if g.lang == "fi" else "query.en.html", code=303)


# The query page and the saved questions -----------------------------------------------------------
#: What each kind of failure is called on a page (the library's message, or the problem, follows).
FAILURES = ((QuerySyntaxError, "syntax"), (QueryRefused, "refused"), (QueryTimeout, "timeout"), (QueryFailed, "failed"))


def run_for_page(query: str, page: int = 1) -> dict:
    """Run a query for an HTML page: one page of rows (SPARQL_HTML_ROW_LIMIT), the count of all, labels for
    IRIs; or the failure to show beside the kept query (a syntax error at its line and column)."""
    limit = current_app.config["SPARQL_HTML_ROW_LIMIT"]
    result = {"columns": [], "rows": [], "boolean": None, "graph": None, "error": None, "truncated": False, "seconds": None}
    try:
        answer = run_query(query, select_format="json", graph_format="ttl", row_limit=limit, row_offset=(page - 1) * limit)
    except (QueryRefused, QuerySyntaxError, QueryTimeout, QueryFailed) as error:
        result["failure"] = next(name for kind, name in FAILURES if isinstance(error, kind))
        result["error"] = str(error)
        result["problem"] = explain(query, str(error)) if isinstance(error, QuerySyntaxError) else None
        return result
    result["seconds"] = answer.seconds
    result["cached"] = answer.cached
    if answer.kind == "graph":
        result["graph"] = answer.body.decode("utf-8")
        return result
    parsed = json.loads(answer.body)
    if answer.kind == "boolean":
        result["boolean"] = parsed["boolean"]
        return result
    result["columns"] = columns_in_order(query, parsed["head"]["vars"])
    bindings = parsed["results"]["bindings"]
    iris = [b[c]["value"] for b in bindings for c in b if b[c]["type"] == "uri"]
    labels = goal_data().explorer(g.lang).labels(iris)
    result["rows"] = [[_cell(b.get(c), labels) for c in result["columns"]] for b in bindings]
    result["truncated"] = answer.truncated
    result.update(_page_of_rows(answer, page, limit, len(bindings)))
    return result


def _page_of_rows(answer, page: int, limit: int, shown: int) -> dict:
    """Which rows a page shows (first, last, from 1) of how many (`total`, `total_exact`; a remote store
    that stopped reading knows only "more than"), and the pages before and after it."""
    first = (page - 1) * limit + 1
    last = first - 1 + shown
    total = answer.total if answer.total is not None else last  # a remote store's page: "more than" when truncated
    exact = answer.total_exact if answer.total is not None else not answer.truncated
    count = "exact" if exact else ("at_least" if answer.total is not None else "more_than")
    return {"page": page, "first": first, "last": last, "total": total, "total_exact": exact, "count": count,
            "numbers": {"first": number(first), "last": number(last), "total": number(total), "limit": number(limit)},
            "previous_page": page - 1 if page > 1 else None, "next_page": page + 1 if answer.truncated else None,
            "pages": -(-total // limit) if exact else None}


def _cell(term: dict | None, labels) -> dict:
    if term is None:
        return {"text": ""}
    if term["type"] == "uri":
        label = labels.get(term["value"])
        return {"iri": term["value"], "text": label.value if label else term["value"], "lang": label.lang if label else ""}
    datatype = term.get("datatype", "")
    # A number, a date or a truth value as the page's language writes it; `value` keeps the literal for sorting.
    return {"text": i18n.literal(term["value"], datatype, g.lang) if datatype else term["value"], "value": term["value"],
            "lang": term.get("xml:lang", ""), "number": datatype in i18n.NUMBER_TYPES}


def query_page() -> tuple[str, dict]:
    """The query page: the editor (the example when nothing was asked), one page of the answer, and its downloads.
    The query is `sparql` in the template: `query` is the header's search words."""
    query = request.args.get("query")
    # An empty or blank query (the form sent with the editor cleared) is not run: no answer, no downloads; nor
    # any on the static site, which has no server to run it (its form, if any, goes to the live server's endpoint).
    ran = bool(query and query.strip()) and not static_site()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10**6 else 1
    result = run_for_page(query, page) if ran else None
    context = {"sparql": query if query is not None else EXAMPLE, "ran": ran, "result": result,
               "prefixes": PREFIXES, "endpoint_url": _endpoint_url(),
               "downloads": _download_links(query) if ran and not result["error"] else [], "jsonld": None}
    return "query.html", context


def _endpoint_url() -> str | None:
    """This server's endpoint as a visitor reaches it (behind a proxy, SITE_URL says the public address); on the
    static site, which has none, the live server's that `kasograph publish --sparql-endpoint` names, if any."""
    if static_site():
        return current_app.config["SPARQL_ENDPOINT_URL"] or None
    return (current_app.config["SITE_URL"] or request.host_url).rstrip("/") + "/sparql"


def _download_links(query: str) -> list[tuple[str, str]]:
    names = ["json", "xml", "csv", "tsv"] if not query.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE")) else ["ttl", "nt", "jsonld", "rdf"]
    links = [(name, "sparql?" + urlencode({"query": query, "format": name})) for name in names]
    if "csv" in names:
        links.append(("csv (Excel)", "sparql?" + urlencode({"query": query, "format": "csv", "bom": "1"})))
    return links


def questions_page() -> tuple[str, dict]:
    return "questions.html", {"questions": list(saved.catalogue().values()), "jsonld": None}


def question_page(name: str, key: str | None = None, values: dict[str, str] | None = None) -> tuple[str, dict]:
    """A saved question's form and its answer: for the values the query string gives, or for one known value
    (`key`, `values`: questions/NAME/KEY.html). On the static site, the pages of every known value's answer."""
    question = saved.get(name)
    if values is None:
        values = {p.name: request.args.get(p.name, p.default) for p in question.parameters}
    bound = bind_parameters(question.sparql, values) if values else question.sparql
    params = urlencode(values) if key is None else ""
    stem = name if key is None else f"{name}/{key}"
    downloads = [(fmt, f"{stem}.{fmt}" + (f"?{params}" if params else "")) for fmt in QUESTION_FILES]
    choices = parameter_choices(goal_data().explorer(g.lang), values)
    static = static_site()
    return "question.html", {"question": question, "values": values, "result": run_for_page(bound), "bound": bound,
                             "downloads": downloads, "jsonld": None, "choices": choices,
                             "answers": _answer_pages(question, values, choices) if static else None,
                             "editor": not static or bool(current_app.config["SPARQL_ENDPOINT_URL"])}


def _answer_pages(question: saved.SavedQuery, values: dict[str, str], choices: dict) -> list[dict] | None:
    """The static site answers no form: there, each known value of a one-parameter question has its answer's
    page, which the form's script goes to and which are listed for a visitor without script. None for a
    question without a parameter; empty for one whose values are not known (or with more than one)."""
    if not question.parameters:
        return None
    if len(question.parameters) > 1:
        return []
    parameter = question.parameters[0].name
    return [{"value": c.value, "label": c.label, "href": href(f"questions/{question.name}/{key}"),
             "current": c.value == values[parameter]} for key, c in choice_keys(choices.get(parameter, [])).items()]


def question_results(name: str, fmt: str, values: dict[str, str] | None = None) -> Response:
    """A saved question's answer as a file (`questions/NAME.csv?param=…`, or `values` at a known value's own
    address): a stable URL for Excel and Power BI."""
    try:
        question = saved.get(name)
        if values is None:
            values = question.bind({k: v for k, v in request.args.items() if k != "bom"})
    except InputError as error:
        return _text(404 if "no saved question" in str(error) else 400, str(error))
    query = bind_parameters(question.sparql, values) if values else question.sparql
    try:
        # A saved question is ours, not a stranger's query: its whole answer is what Excel or Power BI asks for,
        # however large (the size limit is there to stop runaway queries).
        answer = run_query(query, select_format=fmt, max_bytes=None)
    except QueryRefused as error:  # the values given made it a query this server does not run
        return _text(400, str(error))
    except (QuerySyntaxError, QueryTimeout, QueryFailed) as error:  # a saved question that fails is our bug: 500
        busy = isinstance(error, QueryTimeout) or (isinstance(error, QueryWorkerLost) and not error.crashed)
        return _text(503 if busy else 500, str(error))
    body = answer.body
    if fmt == "csv" and request.args.get("bom", "1") != "0":
        body = b"\xef\xbb\xbf" + body
    mimetype = answer.media_type + ("; charset=utf-8" if fmt == "csv" else "")
    return Response(body, headers={**CORS, "Content-Type": mimetype})
