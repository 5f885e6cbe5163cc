"""URLs follow the IRIs: what a path names is served as documents, one per variant of its URL.

The resource `{base}goal/x` is served at `/goal/x` with content negotiation, and at explicit
document URLs — `/goal/x.html` (Finnish), `/goal/x.en.html` (English), `/goal/x.ttl`, `.jsonld`,
`.nt`, `.rdf`. Every kind of page (views/) declares its paths with the converters here and hands
the variant asked for to `document`, so that every page negotiates, names its alternates and
picks its language alike.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

import pyoxigraph
from flask import Response, abort, g, render_template, request
from werkzeug.routing import BaseConverter, PathConverter, ValidationError

from kasograph import formats
from kasograph.publish.dumps import serialize
from kasograph.query.explore import description
from kasograph_web.context import goal_data, iri_of, language, rendered

HTML = "text/html"
#: An HTML page in a language: a suffix of the URL → the language ("": the visitor's).
PAGE_SUFFIXES = {".en.html": "en", ".fi.html": "fi", ".html": "fi"}
#: What content negotiation offers, in the order it prefers them.
OFFERED = [HTML, "application/xhtml+xml", *[f.media_type for f in formats.GRAPHS.values()], "application/json"]
_NOT_IN_AN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')

RenderPage = Callable[[], tuple[str, dict]]  # a view's page: (template, context)
ServeHtml = Callable[[str | None], Response]  # the HTML of a path in a language (None: the visitor's)
ServeRdf = Callable[[object], Response]  # the RDF of a path in a format (kasograph.formats.Format)


# Paths ---------------------------------------------------------------------------------------------
def _is_iri_path(value: str) -> bool:
    """Whether `value` can be (part of) an IRI under the base: nothing else has a page, and a path that
    makes no IRI could not be put in a query (an address that was not UTF-8 decodes to U+FFFD, which
    no IRI holds)."""
    if _NOT_IN_AN_IRI.search(value):
        return False
    try:
        pyoxigraph.NamedNode(goal_data().base + value)
    except ValueError:
        return False
    return True


class IriPathConverter(PathConverter):
    """`<iri_path:name>`: one or more segments of a path that can be an IRI (others are not found)."""

    def to_python(self, value: str) -> str:
        if not _is_iri_path(value):
            raise ValidationError()
        return value


class VariantConverter(BaseConverter):
    """`<variant:as_>`: how a page is asked for — "" (negotiated), an HTML suffix or an RDF format's."""

    regex = "(?:" + "|".join(re.escape(s) for s in [*PAGE_SUFFIXES, *(f".{name}" for name in formats.GRAPHS)]) + ")?"


CONVERTERS = {"iri_path": IriPathConverter, "variant": VariantConverter}


def split_variant(path: str) -> tuple[str, str]:
    """(what the path names, the variant asked for): "goal/x.en.html" → ("goal/x", ".en.html")."""
    for suffix in PAGE_SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)], suffix
    stem, dot, ext = path.rpartition(".")
    if dot and ext in formats.GRAPHS and "/" not in ext and stem:
        return stem, dot + ext
    return path, ""


# Documents -----------------------------------------------------------------------------------------
def document(path: str, variant: str, html: ServeHtml, rdf: ServeRdf | None = None) -> Response:
    """`path` (a page the caller knows) as the variant asked for: HTML in a language, RDF in a format
    (404 where the page has none), or negotiated by Accept (406 when nothing offered fits)."""
    if variant in PAGE_SUFFIXES:
        return html(PAGE_SUFFIXES[variant])
    if variant:
        if rdf is None:
            abort(404)
        return rdf(formats.GRAPHS[variant[1:]])
    best = request.accept_mimetypes.best_match(OFFERED) if request.accept_mimetypes else HTML
    if best is None:
        abort(406)
    if best in (HTML, "application/xhtml+xml"):
        return html(None)
    if rdf is None:
        abort(406)
    return rdf(formats.by_media_type(best or "", formats.GRAPHS) or formats.GRAPHS["jsonld"])


def serve_page(path: str, variant: str, render: RenderPage, rdf: ServeRdf | None = None, *,
               same_for_everyone: bool = False, keep: bool = True) -> Response:
    """`document` for the common page: its HTML is `render`'s template, its RDF (if any) `rdf`. `keep`: the
    answer depends on nothing but the data and the request's entity tag, and may be kept for the next
    visitor (kasograph_web.kept_pages); False for an answer to a query, which runs under time limits."""
    g.keep = keep
    return document(path, variant, lambda lang: page(path, render, lang, has_rdf=rdf is not None,
                                                     same_for_everyone=same_for_everyone), rdf)


def page(path: str, render: RenderPage, lang: str | None = None, *, same_for_everyone: bool = False,
         has_rdf: bool = False) -> Response:
    """The HTML page of `path` in the chosen language, with its alternates. A page `same_for_everyone`
    (the home page) is rendered once per language and state of the data."""
    g.lang = language(lang)
    g.page_path = path
    g.request_dir = posixpath.dirname(request.path.lstrip("/"))

    def make() -> str:
        template, context = render()
        return render_template(template, **context)

    html = rendered((path, g.lang, g.request_dir), make) if same_for_everyone else make()
    response = Response(html, mimetype="text/html")
    response.headers.update(alternates(path) if has_rdf else {"Vary": "Accept, Accept-Language"})
    response.headers["Content-Language"] = g.lang
    return response


def alternates(path: str) -> dict[str, str]:
    """Headers that name the page's other documents: each RDF format and each language."""
    name = posixpath.basename(path)
    links = [f'<{name}.{f.name}>; rel="alternate"; type="{f.media_type}"' for f in formats.GRAPHS.values()]
    links.append(f'<{name}.html>; rel="alternate"; type="text/html"; hreflang="fi"')
    links.append(f'<{name}.en.html>; rel="alternate"; type="text/html"; hreflang="en"')
    return {"Vary": "Accept, Accept-Language", "Link": ", ".join(links)}


def resource_rdf(path: str, fmt) -> Response:
    """The description of the resource a path names, in `fmt`."""
    body = serialize(description(goal_data().store, iri_of(path)), fmt)
    return Response(body, mimetype=fmt.media_type, headers=alternates(path))


def embedded_jsonld(path: str, triples: list | None = None) -> bytes:
    """The page's resource as JSON-LD: its description, read again unless the page already holds it."""
    if triples is None:
        triples = description(goal_data().store, iri_of(path))
    return serialize(triples, formats.GRAPHS["jsonld"])
