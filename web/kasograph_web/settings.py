"""The viewer's settings, each declared once: name, default, type and what it means.

`create_app(config)` starts from `DEFAULTS`, `kasograph serve --setting NAME VALUE` reads a value
with `setting_value`, and the settings table of docs/viewer.md is `markdown_table()` (a test
checks it: edit the text here, then paste `python -m kasograph_web.settings` into the page).
"""

from __future__ import annotations

from dataclasses import dataclass

from kasograph.namespaces import DEFAULT_BASE


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    type: type  # what a value given as text is read as: str, int, float, bool or tuple (a space-separated list)
    help: str  # what it means, as the manual says it (Markdown)
    shown_default: str | None = None  # the default as the manual says it, where its value alone says too little
    option: str | None = None  # a command-line option of its own, which `--setting` leaves to it
    zero_means_something: bool = False  # 0 is a value (keep every answer, or none), not a mistake
    none_means_something: bool = False  # `none` is a value, although the default is not None

    def default_text(self) -> str:
        return self.shown_default if self.shown_default is not None else f"`{self.default}`"


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("BASE", DEFAULT_BASE, str, "IRI base of the data (`--base`, `$KASOGRAPH_BASE`)", option="--base"),
    Setting("DATA", None, str, "a document folder, goal table or RDF file to serve (`--data`)",
            "the store, else the bundled documents", option="--data"),
    Setting("STORE", None, str,
            "the store directory that `kasograph import` writes (`--store`); served when it holds any document, and "
            "followed: a page asked after an import shows the new data. A SPARQL server's URL or a settings file is a "
            "[remote store](remote.md), always served",
            "`$KASOGRAPH_STORE`, else `kasograph/store` in the user's data folder", option="--store"),
    Setting("SITE_URL", None, str, "public URL of the viewer, used for the dump links in the VoID description (`--site-url`)",
            "the request's host"),
    Setting("SPARQL_ENDPOINT_URL", None, str,
            "the endpoint the VoID description names (`void:sparqlEndpoint`); `kasograph publish` names none unless "
            "given `--sparql-endpoint URL`", "this server's `/sparql`"),
    Setting("CONTACT_POINT", None, str,
            "who answers questions about the publication, named in the VoID/DCAT description (`dcat:contactPoint`): "
            "an e-mail address or a web page, after a name if you like (`Open data team <opendata@example.org>`); "
            "`kasograph publish --contact`. None is invented", "none"),
    Setting("SPARQL_TIMEOUT", 10.0, float,
            "seconds a query may run; past it the query is stopped and answered with `503` (`--timeout`); with a "
            "remote store, the HTTP timeout of the forwarded query"),
    Setting("SPARQL_WORKERS", 2, int,
            "worker processes that run queries, each with its own copy of the store (an on-disk store is opened "
            "read-only, not copied) (`--workers`, in each of `serve`'s processes: a slow query leaves another worker "
            "free for the next); none with a remote store"),
    Setting("SPARQL_HTML_ROW_LIMIT", 1000, int, "rows a results page shows; downloads have every row"),
    Setting("SPARQL_MAX_QUERY_BYTES", 100_000, int, "the longest query or request body accepted; longer ones get `413`"),
    Setting("SPARQL_SERVICE_ALLOWLIST", (), tuple,
            "`SERVICE` IRIs a query may call (`--allow-service IRI`, repeatable); any other `SERVICE` gets `403`", "none"),
    Setting("SPARQL_MAX_RESULT_BYTES", 50_000_000, int,
            "the largest answer, serialised; a larger one gets `400` with the limit (a saved question's own files, "
            "`/questions/NAME.csv` …, have none)"),
    Setting("SPARQL_MAX_PENDING", 6, int,
            "queries held at once, running or waiting for a worker; more get `503` with `Retry-After`",
            "`6` (`serve`: `--threads` less two)"),
    Setting("SPARQL_ANSWERS_MIN_SECONDS", 0.2, float,
            "an answer that took at least this long is kept for the store's generation and the same query is answered "
            "from it, in any format (see [Kept answers](sparql.md#kept-answers)); `None`: nothing kept",
            zero_means_something=True, none_means_something=True),
    Setting("SPARQL_ANSWERS_MAX_BYTES", 512 * 1024 * 1024, int,
            "at most this much kept per generation; past it answers are computed and not kept", zero_means_something=True),
    Setting("PAGE_CACHE_BYTES", 64 * 1024 * 1024, int,
            "pages kept (compressed) in each server process for the next visitor who asks for the same page, until the "
            "data changes (see [Kept pages](viewer.md#kept-pages)); `0`: none", zero_means_something=True),
    Setting("SPARQL_WARM_UP", False, bool,
            "answer every saved question in the background when data is opened, so that its first visitor finds the "
            "answer kept (`serve --no-warm-up` to turn off)", "off (`serve`: on, in its first process)"),
]}

#: Every setting with its default: what `create_app` starts from.
DEFAULTS: dict[str, object] = {name: setting.default for name, setting in SETTINGS.items()}
#: Settings with a command-line option of their own (the store and the IRI base are shared by every command).
OWN_OPTIONS: dict[str, str] = {name: setting.option for name, setting in SETTINGS.items() if setting.option}
_TRUE, _FALSE = {"1", "true", "on", "yes"}, {"0", "false", "off", "no"}


def setting_value(name: str, text: str) -> object:
    """A setting given as text (`kasograph serve --setting NAME VALUE`), read as its type: a number,
    on/off, a space-separated list, or `none` where nothing is a meaningful value."""
    if name not in SETTINGS:
        raise ValueError(f"unknown setting {name!r}; the settings are: {', '.join(n for n in SETTINGS if n not in OWN_OPTIONS)}")
    setting, word = SETTINGS[name], text.strip()
    if setting.option:
        raise ValueError(f"{name} is set with {setting.option}")
    if word.casefold() == "none" and (setting.default is None or setting.none_means_something):
        return None
    try:
        if setting.type is bool:
            if word.casefold() not in _TRUE | _FALSE:
                raise ValueError
            return word.casefold() in _TRUE
        if setting.type in (int, float):
            value = setting.type(word)
            if not (value >= 0 if setting.zero_means_something else value > 0):  # also refuses nan
                raise ValueError
            return value
    except ValueError:
        kind = ("on or off" if setting.type is bool else
                "a number of 0 or more" if setting.zero_means_something else "a number above 0")
        raise ValueError(f"{name} must be {kind}, not {text!r}") from None
    if setting.type is tuple:
        return tuple(word.split())
    return word


def markdown_table() -> str:
    """The settings table of docs/viewer.md."""
    rows = [f"| `{s.name}` | {s.default_text()} | {s.help} |" for s in SETTINGS.values()]
    return "\n".join(["| setting | default | meaning |", "|---|---|---|", *rows])


if __name__ == "__main__":
    print(markdown_table())
