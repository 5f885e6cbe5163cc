"""What every answer has in common: the security headers, entity tags (and 304), pages kept for the next
visitor who asks for the same (kasograph_web.kept_pages), and the error pages.

Every response — pages, RDF, downloads, static files, SPARQL answers, errors — carries
SECURITY_HEADERS (SECURITY.md, *Headers and pages*); an error never shows the server's internals.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, g, render_template, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from kasograph import formats
from kasograph.store.remote import RemoteError
from kasograph.version import __version__
from kasograph_web import i18n
from kasograph_web.context import (
    follow_imports,
    goal_data,
    language,
    links_from_root,
    static_site,
)
from kasograph_web.documents import PAGE_SUFFIXES
from kasograph_web.kept_pages import KeptPages

#: Sent with every response. The pages use no inline script or style (JSON-LD data blocks are not
#: scripts to CSP), no other origin, and are never framed.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def install(app: Flask) -> None:
    """Register the hooks and error handlers every answer of `app` goes through."""
    app.extensions["kasograph_kept_pages"] = KeptPages(app.config["PAGE_CACHE_BYTES"])
    app.before_request(lambda: _before(app))
    app.after_request(_keep)  # registered first, runs last: the page is kept with every header
    app.after_request(_headers)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(406, _not_acceptable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
    app.register_error_handler(RemoteError, _store_unavailable)
    app.after_request(_store_answers_again)


def _before(app: Flask) -> Response | None:
    """Defaults for pages that do not choose (error pages), the newest data, and 304 when the visitor
    has this very answer already: then nothing is rendered."""
    g.lang = i18n.DEFAULT
    g.page_path = "index"
    follow_imports(app)
    g.etag = etag()
    if g.etag and g.etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{g.etag}"', "Vary": "Accept, Accept-Language"})
    if g.etag and request.method == "GET" and not static_site():
        g.kept = app.extensions["kasograph_kept_pages"].get(goal_data().version, _kept_key())
        return g.kept
    return None


def _kept_key() -> tuple[str, str]:
    # The address the visitor came by is part of what a page says (the endpoint's URL on the query page).
    return g.etag, request.url_root


def _keep(response: Response) -> Response:
    """Keep a page its view declared to depend only on the data and the request's tag (`serve_page`)."""
    if (g.get("keep") and g.get("kept") is None and g.get("etag") and request.method == "GET" and response.status_code == 200
            and not response.is_streamed and not response.direct_passthrough and not static_site()):
        current_app.extensions["kasograph_kept_pages"].keep(goal_data().version, _kept_key(), response)
    return response


def etag() -> str | None:
    """An entity tag for a GET of the viewer: what it answers depends only on the data's version, this
    kasograph, the address and the headers that negotiate it. None where that is not so (the SPARQL
    endpoint's time limits, data that has no version)."""
    version = goal_data().version
    if request.method not in ("GET", "HEAD") or version is None or request.path.startswith("/sparql"):
        return None
    parts = [version, __version__, request.full_path, request.headers.get("Accept", ""), request.headers.get("Accept-Language", "")]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def _headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if getattr(g, "etag", None) and response.status_code == 200 and "ETag" not in response.headers:
        response.headers["ETag"] = f'"{g.etag}"'
        response.headers.setdefault("Cache-Control", "no-cache")  # keep it, but ask again: an import changes it
    return response


def error_page(title: str, text: str, other: dict | None = None) -> str:
    """The error template, its links from the app's root (it answers at any depth, under any prefix); plain
    HTML if even that cannot be rendered (the failure may be in it). `other`: the same in another language."""
    links_from_root()
    try:
        return render_template("error.html", title=title, text=text, other=other)
    except Exception:  # noqa: BLE001 - an error page must always be given
        return f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(text)}</p>"


def _not_found(_) -> tuple[str, int]:
    """In the language the address names (".en.html"), else the visitor's. The static site's one 404.html
    answers every address, so it says it in both languages."""
    g.lang = language(next((lang for suffix, lang in PAGE_SUFFIXES.items() if request.path.endswith(suffix)), None))
    other = None
    if static_site():
        lang = next(lang for lang in i18n.LANGUAGES if lang != g.lang)
        texts = i18n.TEXTS[lang]
        other = {"lang": lang, "title": texts["not_found"], "text": texts["not_found_text"], "home": texts["home"]}
    return error_page(i18n.TEXTS[g.lang]["not_found"], i18n.TEXTS[g.lang]["not_found_text"], other), 404


def _not_acceptable(_) -> Response:
    offered = ", ".join(["text/html", *[f.media_type for f in formats.GRAPHS.values()]])
    return Response(f"406 Not Acceptable: this resource is available as {offered}.\n", 406, mimetype="text/plain")


def _http_error(error: HTTPException):
    """400, 405, 413 …: a short page with the reason, never the server's internals."""
    if error.code in (404, 406) or error.code is None or error.code < 400:
        return error
    response = error.get_response()
    response.set_data(error_page(f"{error.code} {error.name}", error.description or ""))
    response.mimetype = "text/html"
    return response


#: Seconds a visitor (or a client) is asked to wait when the store's server does not answer.
RETRY_AFTER = "30"


def _store_unavailable(error: RemoteError) -> Response:
    """The store's server is down, refusing or too slow: 503 with Retry-After, a friendly page (plain text at
    /sparql), and one log line when it starts, not a traceback per request (kasograph.store.remote)."""
    state = current_app.extensions.setdefault("kasograph_store_down", {"down": False})
    if not state["down"]:
        state["down"] = True
        current_app.logger.error("the store does not answer (pages answer 503 until it does): %s", error.problems[0].message)
    if request.path.startswith("/sparql"):
        response = Response("503 Service Unavailable: the store's SPARQL server does not answer; try again shortly.\n",
                            503, mimetype="text/plain", headers={"Access-Control-Allow-Origin": "*"})
    else:
        try:
            g.lang = language()
        except Exception:  # noqa: BLE001 - reading the language may need the store too
            g.lang = i18n.DEFAULT
        texts = i18n.TEXTS[g.lang]
        response = Response(error_page(texts["store_down_title"], texts["store_down_text"]), 503, mimetype="text/html")
    response.headers["Retry-After"] = RETRY_AFTER
    g.etag = None
    return response


def _store_answers_again(response: Response) -> Response:
    state = current_app.extensions.get("kasograph_store_down")
    if state and state["down"] and response.status_code < 500:
        state["down"] = False
        current_app.logger.warning("the store answers again")
    return response


def _server_error(_) -> tuple[str, int]:
    """Anything a view raised (Flask has logged it with its traceback): a friendly page, and no
    traceback unless the app runs in debug mode (then Werkzeug's debugger answers instead)."""
    try:
        g.lang = language()
    except Exception:  # noqa: BLE001 - the request itself may be what failed
        g.lang = i18n.DEFAULT
    title, text = i18n.TEXTS[g.lang]["error_title"], i18n.TEXTS[g.lang]["error_text"]
    return error_page(title, text), 500
