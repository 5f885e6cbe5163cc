"""The comparison pages: which documents can be compared, and what changed from one to another."""

from __future__ import annotations

from flask import abort, current_app, redirect, request

from kasograph.analysis.compare import UnknownDocument, diff_documents, documents

_SERIES = """
    SELECT ?doc ?creator ?year WHERE {
      ?doc a foaf:Document ; dct:creator ?creator .
      OPTIONAL { ?doc kg:targetPeriod ?year }
    }"""


def _data():
    return current_app.extensions["kasograph"]


def document_pairs(store) -> tuple[list, list]:
    """(documents, consecutive pairs): documents of the same division follow each other by target year."""
    docs = documents(store)
    by_iri = {d.iri: d for d in docs}
    series: dict[str, list] = {}
    for row in store.select(_SERIES):
        if row["doc"] in by_iri:
            series.setdefault(row["creator"], []).append((str(row["year"] or ""), by_iri[row["doc"]].id, by_iri[row["doc"]]))
    pairs = []
    for members in series.values():
        members.sort()
        pairs += [(a[2], b[2]) for a, b in zip(members, members[1:])]
    return sorted(docs, key=lambda d: d.id), sorted(pairs, key=lambda p: (p[0].id, p[1].id))


def known(path: str) -> bool:
    """`compare` and `compare/{earlier}/{later}` for two different documents in the store."""
    if path == "compare":
        return True
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "compare" or parts[1] == parts[2]:
        return False
    ids = {d.id for d in documents(_data().store)}
    return parts[1] in ids and parts[2] in ids


def chosen_pair(lang: str):
    """The form's choice as a redirect to the pair's own page (a static site has the listed pairs), or None."""
    chosen = request.args.get("earlier", ""), request.args.get("later", "")
    if not all(chosen):
        return None
    if not known(f"compare/{chosen[0]}/{chosen[1]}"):
        abort(404)
    return redirect(f"compare/{chosen[0]}/{chosen[1]}{'.en.html' if lang == 'en' else '.html'}", code=303)


def index_page():
    docs, pairs = document_pairs(_data().store)
    return "compare.html", {"documents": docs, "pairs": pairs, "diff": None, "jsonld": None}


def pair_page(path: str):
    _, earlier, later = path.split("/")
    try:
        diff = diff_documents(_data().store, earlier, later)
    except UnknownDocument:
        abort(404)
    docs, pairs = document_pairs(_data().store)
    return "compare.html", {"documents": docs, "pairs": pairs, "diff": diff, "jsonld": None}
