"""`create_app`: the viewer as a Flask app, put together from its parts.

The routes live with their pages (views/, one blueprint per kind of page); how a path is served
as documents is in `documents`, what every answer shares (headers, 304, error pages) in
`responses`, and what views read besides their own page in `context`.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from markupsafe import Markup

from kasograph.errors import InputError, Problem
from kasograph.goaldata import GoalData
from kasograph.query.sparql import service_allowlist
from kasograph_web import responses, workers
from kasograph_web.context import TEMPLATE_FILTERS, TEMPLATE_GLOBALS, KeptPartials, RenderedPages
from kasograph_web.documents import CONVERTERS
from kasograph_web.settings import DEFAULTS
from kasograph_web.views import BLUEPRINTS


def create_app(config: dict | None = None, data: GoalData | None = None) -> Flask:
    """Build the viewer on the configured data (or on an already opened `data`)."""
    app = Flask(__name__)
    app.config.update(settings(config))
    app.extensions["kasograph"] = data or open_data(app.config)
    app.extensions["kasograph_rendered"] = RenderedPages()  # owned here, not by the data: it is HTML
    app.extensions["kasograph_partials"] = KeptPartials()
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    app.jinja_env.filters.update(TEMPLATE_FILTERS)  # numbers and dates in the page's language
    # JSON-LD sits in a <script> element: nothing in it may close the element.
    app.jinja_env.filters["jsonld"] = lambda data: Markup(data.decode("utf-8").replace("</", "<\\/"))
    app.url_map.converters.update(CONVERTERS)  # before the blueprints, whose paths use them
    responses.install(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if app.config["SPARQL_WARM_UP"]:
        workers.warm_up(app)
    return app


def settings(config: dict | None) -> dict:
    """The defaults with `config` over them, checked: an IRI base ends as IRIs can continue it, and
    a SERVICE allow-list that names no endpoint stops the app before it serves anything."""
    settings = {**DEFAULTS, **(config or {})}
    if not settings["BASE"].endswith(("/", "#")):
        settings["BASE"] += "/"
    try:
        settings["SPARQL_SERVICE_ALLOWLIST"] = service_allowlist(settings["SPARQL_SERVICE_ALLOWLIST"])
    except ValueError as error:
        raise InputError([Problem("SPARQL_SERVICE_ALLOWLIST", str(error), str(error))]) from None
    return settings


def open_data(config: dict) -> GoalData:
    """The data the settings name: a document folder, table or RDF file; else the store; else the bundled documents."""
    return GoalData.open(Path(config["DATA"]) if config["DATA"] else None, config["BASE"], config["STORE"] or None)
