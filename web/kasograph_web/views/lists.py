"""The lists of goals, people, posts, groups and themes (`goals.html`, `people.en.html`, …), filtered,
sorted and paged by their address, with facet counts, and the same rows as CSV and JSON
(`goals.csv?theme=…`). The rows, counts and facets are kasograph.query.lists'; this renders them."""

from __future__ import annotations

import csv
import io
import json
import threading
from urllib.parse import unquote_to_bytes, urlencode

from flask import Blueprint, Response, abort, g, request

from kasograph.errors import InputError
from kasograph.query.lists import (
    LISTS,
    ListPage,
    ListRequest,
    goals_args,
    list_index,
    list_request,
    read_list,
    read_records,
)
from kasograph_web.context import goal_data, href, language, number, relative
from kasograph_web.documents import serve_page

bp = Blueprint("lists", __name__)
KINDS = ",".join(LISTS)
#: Open data: a script or a notebook on another site may read the files.
OPEN = {"Access-Control-Allow-Origin": "*"}


@bp.record_once
def warm_up(state) -> None:
    """With SPARQL_WARM_UP (kasograph serve's first process), read the lists' index in the background
    at start: at a hundred thousand goals that takes seconds the first visitor would otherwise wait."""
    app = state.app
    if not app.config["SPARQL_WARM_UP"]:
        return

    def read() -> None:
        try:
            list_index(app.extensions["kasograph"].store)
        except Exception:  # the first list asked reads it again, and says what failed
            app.logger.warning("the lists' index could not be read in advance", exc_info=True)

    threading.Thread(target=read, name="kasograph-lists-index", daemon=True).start()


@bp.get(f"/<any({KINDS}):kind><variant:as_>")
def list_document(kind: str, as_: str) -> Response:
    asked = _asked(kind)
    return serve_page(kind, as_, lambda: list_page(asked))


@bp.get(f"/<any({KINDS}):kind>.<any(csv,json):fmt>")
def list_file(kind: str, fmt: str) -> Response:
    """Every row the filters leave (not one page), in the order asked: CSV (with a byte-order mark for
    Excel unless ?bom=0) or JSON."""
    asked = _asked(kind, text=True)
    columns, records = read_records(goal_data().explorer(_file_language()), goal_data().base, asked)
    if fmt == "json":
        body = json.dumps({"list": kind, "filters": asked.filters, "sort": asked.sort, "count": len(records),
                           "columns": columns, "rows": records}, ensure_ascii=False, indent=1)
        return Response(body, mimetype="application/json", headers=OPEN)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    bom = "" if request.args.get("bom") == "0" else "\ufeff"
    return Response(bom + out.getvalue(), headers={**OPEN, "Content-Type": "text/csv; charset=utf-8"})


def _file_language() -> str:
    """The labels' language in a file: ?lang=en, else Finnish (the source's)."""
    return "en" if request.args.get("lang") == "en" else "fi"


def _asked(kind: str, *, text: bool = False) -> ListRequest:
    """The list the address asks for; 400 (a page, or plain text for a file) when a value is not one
    the list takes or the address is not UTF-8 (Werkzeug would put U+FFFD in place of the bytes)."""
    try:
        unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
        return list_request(kind, request.args, goal_data().base)
    except UnicodeDecodeError:
        message = "The address is not UTF-8."
    except InputError as error:
        message = "\n".join(problem.text(language()) for problem in error.problems)
    if text:
        abort(Response(message + "\n", 400, mimetype="text/plain"))
    abort(400, description=message)


def list_page(asked: ListRequest) -> tuple[str, dict]:
    page = read_list(goal_data().explorer(g.lang), goal_data().base, asked)
    return "list.html", {"page": page, "kind": asked.kind, "jsonld": None, "numbers": _numbers(page),
                         "downloads": _downloads(asked), "pages": _page_links(page), "goal_links": _goal_links(page)}


def _goal_links(page: ListPage) -> dict[str, str]:
    """Each row's goals that meet the filters, as the goals list: a count links to the rows it counts."""
    links = {}
    for row in page.rows:
        args = goals_args(page.request, row, goal_data().base)
        if args is not None:
            links[row.item.iri] = href("goals", **args)
    return links


def _numbers(page: ListPage) -> dict[str, str]:
    first = (page.request.page - 1) * page.request.size + 1
    return {"count": number(page.count), "first": number(first), "last": number(first + len(page.rows) - 1),
            "page": number(page.request.page), "pages": number(page.pages)}


def _downloads(asked: ListRequest) -> list[tuple[str, str]]:
    """The files of these rows: the filters and the order of the page, every page."""
    args = asked.args(page=None, size=None)
    if g.lang == "en":
        args["lang"] = "en"
    query = f"?{urlencode(args)}" if args else ""
    return [(fmt.upper(), relative(f"{asked.kind}.{fmt}") + query) for fmt in ("csv", "json")]


def _page_links(page: ListPage) -> dict[str, str]:
    """The first, previous, next and last page's addresses (those that exist)."""
    at, last = page.request.page, page.pages
    wanted = {"first": 1, "previous": at - 1, "next": at + 1, "last": last}
    return {name: href(page.request.kind, **page.request.args(page=n)) for name, n in wanted.items()
            if 1 <= n <= last and n != at}
