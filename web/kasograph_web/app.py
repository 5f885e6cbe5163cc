"""The Flask app: every route in one place; views render what the library reads.

URLs follow the IRIs: the resource `{base}goal/x` is served at `/goal/x`, with
content negotiation, and at explicit document URLs — `/goal/x.html` (Finnish),
`/goal/x.en.html` (English), `/goal/x.ttl`, `.jsonld`, `.nt`, `.rdf`. Pages link
to each other with relative URLs to those documents, so that the very same
HTML works live and as a static site on any web host.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import threading
from pathlib import Path

import pyoxigraph
from flask import Flask, Response, abort, g, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from kasograph.errors import InputError, Problem
from kasograph.goaldata import GoalData
from kasograph.namespaces import KG
from kasograph.publish.linked_data import BY_MEDIA_TYPE, BY_SUFFIX, RESOURCE_FORMATS, description, local_path, serialize
from kasograph.query import saved
from kasograph.query.sparql import service_allowlist
from kasograph_web import i18n
from kasograph_web.settings import DEFAULTS
from kasograph_web.views import compare as compare_views
from kasograph_web.views import dataset as dataset_views
from kasograph_web.views import graphs as graph_views
from kasograph_web.views import pages, vocabulary
from kasograph_web.views import sparql as sparql_views

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
ERROR_TEXTS = {
    "fi": ("Palvelussa tapahtui virhe", "Sivua ei voitu näyttää. Virhe on kirjattu palvelimen lokiin; yritä myöhemmin uudelleen."),
    "en": ("Something went wrong", "The page could not be shown. The error has been logged on the server; please try again later."),
}
HTML = "text/html"
_NOT_IN_AN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
OFFERED = [HTML, "application/xhtml+xml", *[f.media_type for f in RESOURCE_FORMATS], "application/json"]
PAGE_SUFFIXES = {".en.html": "en", ".fi.html": "fi", ".html": "fi"}


def create_app(config: dict | None = None, data: GoalData | None = None) -> Flask:
    """Build the viewer on the configured data (or on an already opened `data`)."""
    app = Flask(__name__)
    app.config.update({**DEFAULTS, **(config or {})})
    base = app.config["BASE"]
    if not base.endswith(("/", "#")):
        app.config["BASE"] = base = base + "/"
    try:
        app.config["SPARQL_SERVICE_ALLOWLIST"] = service_allowlist(app.config["SPARQL_SERVICE_ALLOWLIST"])
    except ValueError as error:
        raise InputError([Problem("SPARQL_SERVICE_ALLOWLIST", str(error), str(error))]) from None
    app.extensions["kasograph"] = data or GoalData.open(Path(app.config["DATA"]) if app.config["DATA"] else None, base,
                                                        app.config["STORE"] or None)
    app.jinja_env.globals.update(t=lambda key: i18n.TEXTS[g.lang].get(key, key), href=href, link_to=link_to,
                                 static_href=static_href, file_href=_relative, variant_href=variant_href, show=show,
                                 link=link, status_badge=status_badge)
    app.jinja_env.filters["jsonld"] = lambda data: Markup(data.decode("utf-8").replace("</", "<\\/"))

    @app.before_request
    def _defaults():
        g.lang = i18n.DEFAULT
        g.page_path = "index"
        _follow_imports(app)
        g.etag = _etag()
        if g.etag and g.etag in request.if_none_match:  # the visitor has this very answer: nothing to render
            return Response(status=304, headers={"ETag": f'"{g.etag}"', "Vary": "Accept, Accept-Language"})

    @app.route("/")
    def home():
        return page("index", lambda: pages.home(goal_data()), explicit_lang=request.args.get("lang"))

    @app.route("/<path:path>")
    def resource(path: str):
        return dispatch(path)

    @app.route("/sparql", methods=["GET", "POST", "OPTIONS"])
    def sparql():
        g.lang = i18n.choose_language(request.args.get("lang"), request.accept_languages)
        return sparql_views.endpoint()

    @app.route("/favicon.ico")
    def favicon():
        return app.send_static_file("favicon.svg")

    @app.errorhandler(404)
    def not_found(_):
        return render_template("error.html", title=i18n.TEXTS[g.lang]["not_found"],
                               text=i18n.TEXTS[g.lang]["not_found_text"]), 404

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """400, 405, 413 …: a short page with the reason, never the server's internals."""
        if error.code in (404, 406) or error.code is None or error.code < 400:
            return error
        response = error.get_response()
        response.set_data(_error_page(f"{error.code} {error.name}", error.description or ""))
        response.mimetype = "text/html"
        return response

    @app.errorhandler(500)
    def server_error(_):
        """Anything a view raised (Flask has logged it with its traceback): a friendly page, and no
        traceback unless the app runs in debug mode (then Werkzeug's debugger answers instead)."""
        try:
            g.lang = i18n.choose_language(request.args.get("lang"), request.accept_languages)
        except Exception:  # noqa: BLE001 - the request itself may be what failed
            g.lang = i18n.DEFAULT
        title, text = ERROR_TEXTS.get(g.lang, ERROR_TEXTS["en"])
        return _error_page(title, text), 500

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if getattr(g, "etag", None) and response.status_code == 200 and "ETag" not in response.headers:
            response.headers["ETag"] = f'"{g.etag}"'
            response.headers.setdefault("Cache-Control", "no-cache")  # keep it, but ask again: an import changes it
        return response

    @app.errorhandler(406)
    def not_acceptable(_):
        offered = ", ".join(["text/html", *[f.media_type for f in RESOURCE_FORMATS]])
        return Response(f"406 Not Acceptable: this resource is available as {offered}.\n", 406, mimetype="text/plain")

    if app.config["SPARQL_WARM_UP"]:
        sparql_views.warm_up(app)
    return app


def _etag() -> str | None:
    """An entity tag for a GET of the viewer: what it answers depends only on the data's version, this
    kasograph, the address and the headers that negotiate it. None where that is not so (the SPARQL
    endpoint's time limits, data that has no version)."""
    from kasograph import __version__

    version = goal_data().version
    if request.method not in ("GET", "HEAD") or version is None or request.path.startswith("/sparql"):
        return None
    parts = [version, __version__, request.full_path, request.headers.get("Accept", ""), request.headers.get("Accept-Language", "")]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def _error_page(title: str, text: str) -> str:
    """The error template; plain HTML if even that cannot be rendered (the failure may be in it)."""
    from markupsafe import escape

    try:
        return render_template("error.html", title=title, text=text)
    except Exception:  # noqa: BLE001 - an error page must always be given
        return f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(text)}</p>"


def _follow_imports(app: Flask) -> None:
    """Serve a generation an import published since the last request (a file read; nothing when the
    data did not come from a store directory). The old query workers finish what they run, then stop."""
    if app.extensions["kasograph"].is_current():
        return
    with app.extensions.setdefault("kasograph_pool_lock", threading.Lock()):
        data = app.extensions["kasograph"]
        newer = data.fresh()
        if newer is data:  # another request got here first
            return
        app.extensions["kasograph"] = newer
        old = app.extensions.pop("kasograph_pool", None)
    if old is not None:
        threading.Timer(app.config["SPARQL_TIMEOUT"] + 1, old.close).start()
    if app.config["SPARQL_WARM_UP"]:
        sparql_views.warm_up(app)


def goal_data() -> GoalData:
    from flask import current_app

    return current_app.extensions["kasograph"]


def dispatch(path: str):
    """Route a path to a page, a document in a given format, or content negotiation."""
    if _NOT_IN_AN_IRI.search(path):  # no resource has such a name, and it could not be put in a query
        abort(404)
    data = goal_data()
    try:  # nor has a path that makes no IRI (an address that was not UTF-8 decodes to U+FFFD, which no IRI holds)
        pyoxigraph.NamedNode(data.base + path)
    except ValueError:
        abort(404)
    if path.startswith("download/"):
        return dataset_views.download(path[len("download/"):])
    if path.startswith("questions/"):
        name, dot, ext = path[len("questions/"):].rpartition(".")
        if dot and ext in ("csv", "json", "tsv", "xml") and name in saved.catalogue():
            return sparql_views.question_results(name, ext)
    if path.startswith("graphs/") and not path.endswith(".html") and "." in path.rsplit("/", 1)[-1]:
        return graph_views.download(path)
    if path == "search-index.json":  # the same for everyone, and it reads every label: made once per version of the data
        if ("search-index.json",) not in data.rendered:
            data.rendered[("search-index.json",)] = json.dumps(pages.search_index(data), ensure_ascii=False)
        return Response(data.rendered[("search-index.json",)], mimetype="application/json")
    for suffix, lang in PAGE_SUFFIXES.items():
        if path.endswith(suffix):
            name = path[: -len(suffix)]
            return html_for(name, lang)
    stem, dot, ext = path.rpartition(".")
    if dot and ext in BY_SUFFIX and "/" not in ext and stem:
        return rdf_for(stem, BY_SUFFIX[ext])
    if path in data.source_texts_paths():
        return Response(data.source_text_at(path), mimetype="text/plain", headers={"Content-Language": "fi"})
    if not known(path):
        abort(404)
    best = request.accept_mimetypes.best_match(OFFERED) if request.accept_mimetypes else HTML
    if best is None:
        abort(406)
    if best in (HTML, "application/xhtml+xml"):
        return html_for(path, None)
    if not has_rdf(path):
        abort(406)
    fmt = BY_MEDIA_TYPE.get(best, BY_SUFFIX["jsonld"])
    return rdf_for(path, fmt)


SPECIAL_PAGES = {
    "index": lambda: pages.home(goal_data()),
    "search": lambda: pages.search(goal_data(), request.args.get("q", "")),
    "query": lambda: sparql_views.query_page(),
    "questions": lambda: sparql_views.questions_page(),
    "def": lambda: vocabulary.page(),
    "shapes": lambda: vocabulary.shapes_page(),
    "void": lambda: dataset_views.void_page(goal_data()),
}


def iri_of(path: str) -> str:
    if path.startswith("status/"):
        return str(KG) + path[len("status/"):]
    return goal_data().base + path


def known(path: str) -> bool:
    if path in SPECIAL_PAGES:
        return True
    if path.startswith("questions/"):
        return path[len("questions/"):] in saved.catalogue()
    if path.startswith("graphs/") or path == "analytics":
        return graph_views.known(path)
    if path == "compare" or path.startswith("compare/"):
        return compare_views.known(path)
    if path.startswith("status/") and path[len("status/"):] in ("FullyAchieved", "PartiallyAchieved", "NotAchieved"):
        return True
    return goal_data().explorer().kind(iri_of(path)) is not None


def html_for(path: str, lang: str | None):
    if not known(path):
        abort(404)
    if path in SPECIAL_PAGES:
        return page(path, SPECIAL_PAGES[path], lang)
    if path.startswith("questions/"):
        return page(path, lambda: sparql_views.question_page(path[len("questions/"):]), lang)
    if path.startswith("graphs/") or path == "analytics":
        return page(path, lambda: graph_views.page(path), lang)
    if path == "compare":
        chosen = compare_views.chosen_pair(lang or i18n.choose_language(request.args.get("lang"), request.accept_languages))
        return chosen or page(path, compare_views.index_page, lang)
    if path.startswith("compare/"):
        return page(path, lambda: compare_views.pair_page(path), lang)
    return page(path, lambda: pages.resource(goal_data(), iri_of(path)), lang)


def rdf_for(path: str, fmt):
    if path == "def":
        return vocabulary.rdf(fmt)
    if path == "shapes":
        return vocabulary.shapes_rdf(fmt)
    if path == "void":
        return dataset_views.void_rdf(goal_data(), fmt)
    if not known(path) or not has_rdf(path):
        abort(404)
    body = serialize(description(goal_data().store, iri_of(path)), fmt)
    return Response(body, mimetype=fmt.media_type, headers=alternates(path))


def has_rdf(path: str) -> bool:
    """Whether a page also exists as RDF: resources, the vocabulary, the shapes, the VoID description."""
    return path in ("def", "shapes", "void") or not (path in SPECIAL_PAGES or path.startswith(("questions/", "graphs/", "compare/"))
                                                     or path in ("analytics", "compare"))


def alternates(path: str) -> dict[str, str]:
    links = [f'<{posixpath.basename(path)}.{f.name}>; rel="alternate"; type="{f.media_type}"' for f in RESOURCE_FORMATS]
    links.append(f'<{posixpath.basename(path)}.html>; rel="alternate"; type="text/html"; hreflang="fi"')
    links.append(f'<{posixpath.basename(path)}.en.html>; rel="alternate"; type="text/html"; hreflang="en"')
    return {"Vary": "Accept, Accept-Language", "Link": ", ".join(links)}


def page(path: str, render, explicit_lang: str | None = None):
    """Render an HTML page of `path` in the chosen language, with its alternates and embedded JSON-LD."""
    g.lang = i18n.choose_language(explicit_lang or request.args.get("lang"), request.accept_languages)
    g.page_path = path
    g.request_dir = posixpath.dirname(request.path.lstrip("/"))
    if path == "index":  # the same for every visitor: made once per language and version of the data
        rendered = goal_data().rendered
        key = (path, g.lang, g.request_dir)
        if key not in rendered:
            template, context = render()
            rendered[key] = render_template(template, **context)
        html = rendered[key]
    else:
        template, context = render()
        html = render_template(template, **context)
    response = Response(html, mimetype="text/html")
    response.headers.update(alternates(path) if has_rdf(path) else {"Vary": "Accept, Accept-Language"})
    response.headers["Content-Language"] = g.lang
    return response


# Template helpers: links are relative to the page being rendered. --------------------------------
def _relative(target: str) -> str:
    start = getattr(g, "request_dir", "") or "."
    folder, _, name = (target or "index.html").rpartition("/")
    up = _relative_folder(folder or ".", start)
    return name if up == "." else f"{up}/{name}"


def _relative_folder(folder: str, start: str) -> str:
    """posixpath.relpath for the viewer's own paths (relative, normalised, no '..'): a page has dozens of
    links, and relpath, which makes both paths absolute first, costs 20 µs a link."""
    if folder == start:
        return "."
    to = [] if folder == "." else folder.split("/")
    here = [] if start == "." else start.split("/")
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) or "."


def href(path: str, lang: str | None = None, **params) -> str:
    """The relative URL of a page in the current (or given) language."""
    lang = lang or g.lang
    suffix = ".en.html" if lang == "en" else ".html"
    url = _relative((path or "index") + suffix)
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def variant_href(suffix: str) -> str:
    """The current page as another document (".ttl", ".en.html", …)."""
    return _relative(g.page_path + suffix)


def static_href(name: str) -> str:
    return _relative(f"static/{name}")


def link_to(iri: str) -> str | None:
    """The page of an IRI, or None when the viewer does not serve it (an external IRI)."""
    path = local_path(iri, goal_data().base)
    if path is None:
        return None
    if path.startswith("def#"):
        return href("def") + "#" + path[4:]
    if path in goal_data().source_texts_paths():
        return _relative(path)
    return href(path)


def link(item) -> Markup:
    """An item's label, linked to its page when the viewer has one."""
    from markupsafe import escape

    url = link_to(item.iri)
    label = show(item.label)
    return Markup(f'<a href="{escape(url)}">{label}</a>') if url else label


def status_badge(status) -> Markup:
    """A status as a coloured badge linked to the page of all goals with it; nothing without a status."""
    from markupsafe import escape

    if not status:
        return Markup("")
    name = escape(status.iri.rsplit("#", 1)[-1])
    return Markup(f'<a class="status status-{name}" href="{escape(link_to(status.iri))}">{show(status.label)}</a>')


def show(text) -> Markup:
    """A text with its language marked; English data texts carry a 'translation' note."""
    from markupsafe import escape

    lang = getattr(text, "lang", "")
    value = escape(getattr(text, "value", text))
    if not lang:
        return Markup(f"{value}")
    if lang == "en":
        note = escape(i18n.TEXTS[g.lang]["translated"])
        return Markup(f'<span lang="en" class="translated" title="{note}">{value}</span>')
    return Markup(f'<span lang="{escape(lang)}">{value}</span>')


def embedded_jsonld(path: str, triples: list | None = None) -> bytes:
    """The page's resource as JSON-LD: its description, read again unless the page already holds it."""
    if triples is None:
        triples = description(goal_data().store, iri_of(path))
    return serialize(triples, BY_SUFFIX["jsonld"])

