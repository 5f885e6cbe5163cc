"""What a view needs besides its own page: the data being served (following imports), the language
of the answer, links relative to the page being rendered, and the pages rendered once per state of
the data.

Links are relative so that the very same HTML works live and as a static site on any web host.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, current_app, g, render_template, request
from markupsafe import Markup, escape

from kasograph.goaldata import GoalData
from kasograph.model.iris import local_path, path_iri
from kasograph_web import i18n, workers


# The data ------------------------------------------------------------------------------------------
def goal_data() -> GoalData:
    """The data the app serves now."""
    return current_app.extensions["kasograph"]


def iri_of(path: str) -> str:
    """The IRI a viewer path names ("goal/x", "status/FullyAchieved")."""
    return path_iri(path, goal_data().base)


def follow_imports(app: Flask) -> None:
    """Serve a generation an import published since the last request (a file read; nothing when the
    data did not come from a store directory)."""
    if app.extensions["kasograph"].is_current():
        return
    with workers.pool_lock(app):  # one request swaps the data and its workers; the others wait for it
        data = app.extensions["kasograph"]
        newer = data.fresh()
        if newer is data:  # another request got here first
            return
        app.extensions["kasograph"] = newer
        old = app.extensions.pop("kasograph_pool", None)
    workers.retire(app, old)


class RenderedPages:
    """Answers that are the same for every visitor (the home page, the search index), made once per
    state of the data. An import replaces the GoalData the app serves, and with it what was made here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: GoalData | None = None
        self._made: dict[tuple, str] = {}

    def get(self, key: tuple, make: Callable[[], str]) -> str:
        data = goal_data()
        with self._lock:
            if self._data is not data:
                self._data, self._made = data, {}
            made = self._made
        if key not in made:  # made outside the lock: two first visitors may both make it, as before
            made[key] = make()
        return made[key]


def rendered(key: tuple, make: Callable[[], str]) -> str:
    """`make()`'s answer for `key`, made once per state of the data."""
    return current_app.extensions["kasograph_rendered"].get(key, make)


class KeptPartials:
    """Partials that read nothing but the page's language and where its links start (the header's search
    form and tools, the footer): rendered once for each, not on every page. Bounded: they are few (a language
    times a folder of pages), and when full it starts again."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._made: dict[tuple, Markup] = {}

    def get(self, name: str) -> Markup:
        here = g._get_current_object()
        key = (name, here.lang, getattr(here, "link_root", None), getattr(here, "request_dir", ""))
        made = self._made.get(key)
        if made is None:
            made = Markup(render_template(name))
            if current_app.jinja_env.auto_reload:  # templates being edited (debug): each page shows the latest
                return made
            if len(self._made) >= self.LIMIT:
                self._made = {}
            self._made[key] = made
        return made


def kept_partial(name: str) -> Markup:
    """The partial `name` (one that reads only the page's language and links, see KeptPartials) for this page."""
    return current_app.extensions["kasograph_partials"].get(name)


# The static site -----------------------------------------------------------------------------------
#: Set in each request's WSGI environ by the static-site writer: the page is for a static copy, with no
#: server behind it. A visitor cannot set it (request headers reach the environ only as HTTP_*).
STATIC_SITE = "kasograph.static_site"


def static_site() -> bool:
    """Whether the page being rendered is for the static site (`kasograph publish`)."""
    return bool(request.environ.get(STATIC_SITE))


# The language --------------------------------------------------------------------------------------
def language(explicit: str | None = None) -> str:
    """The answer's language: an explicit choice (a page's suffix), else ?lang=, else Accept-Language."""
    return i18n.choose_language(explicit or request.args.get("lang"), request.accept_languages)


def text(key: str, n: int | float | None = None) -> str:
    """An interface text in the page's language; with `n`, the count and its word (see `plural`), for code that
    is handed this one function for its words (the pictures)."""
    if n is not None:
        return plural(key, n)
    return i18n.TEXTS[g.lang].get(key, key)


def plural(key: str, n: int | float | Decimal) -> str:
    """A count and its word in the page's language, in the form Babel's plural rules choose ("1 asiakirja",
    "2 asiakirjaa")."""
    return i18n.plural(key, n, g.lang)


def number(value: int | float | Decimal | str, places: int | None = None) -> str:
    """A number as the page's language writes it (28,4 and 1 200 in Finnish; 28.4 and 1,200 in English), with
    every digit it has or with `places` decimals."""
    return i18n.number(value, g.lang, places)


def date(value: str) -> str:
    """An ISO date, month or instant as the page's language writes it (31.12.2021; 31/12/2021)."""
    return i18n.date(value, g.lang)


def size(n_bytes: int) -> str:
    """A file's size in the page's language's units (67,1 kt; 67.1 kB)."""
    return i18n.size(n_bytes, g.lang)


def column(variable: str) -> str:
    """An answer's column on a page: the catalogue's name for a variable it knows, else the variable itself
    (downloads keep the variables, which are what a program reads)."""
    return i18n.TEXTS[g.lang].get(f"column.{variable}", variable)


def readable(text: object) -> bool:
    """Whether a text of the data can stand on this page: in the page's language, untagged, or Finnish (the
    source's language, which an English page shows where the data has no translation). An English-only text
    on a Finnish page is not: the page says in its own words where it is."""
    return getattr(text, "lang", "") in ("", "fi", g.lang)


# Links, relative to the page being rendered -----------------------------------------------------------
def relative(target: str) -> str:
    """A site path ("goal/x.html") as a link from the page being rendered (from the app's root on an
    error page: see `links_from_root`)."""
    return _from_page(g._get_current_object(), target)  # the request's globals looked up once, not per attribute


def _from_page(here, target: str) -> str:
    """`relative` with the request's globals (`g`) already looked up."""
    root = getattr(here, "link_root", None)
    if root is not None:
        return root + (target or "index.html")
    return _relative_link(target or "index.html", getattr(here, "request_dir", "") or ".")


@lru_cache(maxsize=32768)
def _relative_link(target: str, start: str) -> str:
    """`target` as a link from the folder `start` (pages link to the same statuses, themes, documents and
    header links again and again: made once, not at each of a page's dozens of links)."""
    folder, _, name = target.rpartition("/")
    up = _relative_folder(folder or ".", start)
    return name if up == "." else f"{up}/{name}"


def links_from_root() -> None:
    """Make the page's links absolute paths from the app's root (its SCRIPT_NAME prefix, if any). An error
    page answers any address, at any depth, and a static host serves the static site's 404.html for any
    address: a link relative to the address asked would miss."""
    g.link_root = request.script_root + "/"


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
    here = g._get_current_object()
    suffix = ".en.html" if (lang or here.lang) == "en" else ".html"
    url = _from_page(here, (path or "index") + suffix)
    if params:
        url += "?" + urlencode(params)
    return url


def variant_href(suffix: str) -> str:
    """The current page as another document (".ttl", ".en.html", …)."""
    return relative(g.page_path + suffix)


def language_href(lang: str) -> str:
    """The current page in `lang`, asked the same: the search words, a question's parameters, a list's
    filters and a query's text go along. `lang=` does not: the address's suffix says the language."""
    args = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
    url = variant_href(".en.html" if lang == "en" else ".html")
    return url + "?" + urlencode(args) if args else url


def static_href(name: str) -> str:
    return relative(f"static/{name}")


def link_to(iri: str) -> str | None:
    """The page of an IRI, or None when the viewer does not serve it (an external IRI)."""
    data = goal_data()
    path = local_path(iri, data.base)
    if path is None:
        return None
    if path.startswith("def#"):
        return href("def") + "#" + path[4:]
    if path in data.source_texts_paths():
        return relative(path)
    return href(path)


def show(text) -> Markup:
    """A text with its language marked; English data texts carry a 'translation' note. A typed literal (a
    number, a date) is written as the page's language writes it."""
    lang = getattr(text, "lang", "")
    value = getattr(text, "value", text)
    value = escape(i18n.literal(value, text.datatype, g.lang) if getattr(text, "datatype", "") else value)
    if not lang:
        return Markup(f"{value}")
    if lang == "en":
        note = escape(i18n.TEXTS[g.lang]["translated"])
        return Markup(f'<span lang="en" class="translated" title="{note}">{value}</span>')
    return Markup(f'<span lang="{escape(lang)}">{value}</span>')


def link(item) -> Markup:
    """An item's label, linked to its page when the viewer has one."""
    url = link_to(item.iri)
    label = show(item.label)
    return Markup(f'<a href="{escape(url)}">{label}</a>') if url else label


def status_badge(status) -> Markup:
    """A status as a coloured badge linked to the page of all goals with it; nothing without a status."""
    if not status:
        return Markup("")
    here = g._get_current_object()
    made = here.setdefault("status_badges", {})  # a page of fifty goals has three statuses: each made once
    key = (status.iri, status.label, here.lang, getattr(here, "link_root", None), getattr(here, "request_dir", ""))
    badge = made.get(key)
    if badge is None:
        name = escape(status.iri.rsplit("#", 1)[-1])
        badge = made[key] = Markup(f'<a class="status status-{name}" href="{escape(link_to(status.iri))}">{show(status.label)}</a>')
    return badge


#: What the templates call (a page has hundreds of links: Python functions, not Jinja macros).
TEMPLATE_GLOBALS = {"t": text, "href": href, "link_to": link_to, "static_href": static_href, "file_href": relative,
                    "variant_href": variant_href, "show": show, "link": link, "status_badge": status_badge,
                    "static_site": static_site, "kept_partial": kept_partial,
                    "plural": plural, "column": column, "readable": readable, "language_href": language_href}
#: Numbers and dates in the page's language (Babel), as filters: `{{ n.value|number }}`, `{{ d.period[0]|date }}`.
TEMPLATE_FILTERS = {"number": number, "date": date, "size": size}
