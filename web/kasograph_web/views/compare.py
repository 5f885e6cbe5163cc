"""The comparison pages: which documents can be compared, and what changed from one to another."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request

from kasograph.analysis.compare import UnknownDocument, diff_documents, document_pairs, documents
from kasograph_web.context import goal_data, language
from kasograph_web.documents import document, page, serve_page, split_variant

bp = Blueprint("compare", __name__)


@bp.get("/compare<variant:as_>")
def index_document(as_: str) -> Response:
    """The list of documents and pairs; the form's choice (?earlier=&later=) redirects to its pair."""

    def html(lang: str | None) -> Response:
        return chosen_pair(lang or language()) or page("compare", index_page, lang)

    return document("compare", as_, html)


@bp.get("/compare/<iri_path:rest>")
def pair_document(rest: str) -> Response:
    stem, variant = split_variant(f"compare/{rest}")
    if not known(stem):
        abort(404)
    return serve_page(stem, variant, lambda: pair_page(stem))


def known(path: str) -> bool:
    """`compare/{earlier}/{later}` for two different documents in the store."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "compare" or parts[1] == parts[2]:
        return False
    ids = {d.id for d in documents(goal_data().store)}
    return parts[1] in ids and parts[2] in ids


def chosen_pair(lang: str) -> Response | None:
    """The form's choice as a redirect to the pair's own page (a static site has the listed pairs), or None."""
    chosen = request.args.get("earlier", ""), request.args.get("later", "")
    if not all(chosen):
        return None
    if not known(f"compare/{chosen[0]}/{chosen[1]}"):
        abort(404)
    return redirect(f"compare/{chosen[0]}/{chosen[1]}{'.en.html' if lang == 'en' else '.html'}", code=303)


def index_page() -> tuple[str, dict]:
    docs, pairs = document_pairs(goal_data().store)
    return "compare.html", {"documents": docs, "pairs": pairs, "diff": None, "jsonld": None}


def pair_page(path: str) -> tuple[str, dict]:
    _, earlier, later = path.split("/")
    try:
        diff = diff_documents(goal_data().store, earlier, later)
    except UnknownDocument:
        abort(404)
    docs, pairs = document_pairs(goal_data().store)
    return "compare.html", {"documents": docs, "pairs": pairs, "diff": diff, "jsonld": None}
