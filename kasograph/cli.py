"""The `kasograph` command: thin wrappers over the library, one function per command."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
import pyoxigraph

from kasograph import formats
from kasograph.errors import InputError, Problem
from kasograph.files import write_atomically
from kasograph.goaldata import GoalData
from kasograph.model.sources import load_dataset
from kasograph.namespaces import DEFAULT_BASE
from kasograph.output import compact, table
from kasograph.publish.dumps import dump
from kasograph.store.engine import GoalStore, quads_of, to_python
from kasograph.store.interface import DocumentStore, open_store

SOURCE_HELP = ("A document folder, a goal table (.csv) or an RDF file; when left out, the store "
               "(if anything was imported), else the bundled dataset.")


class Context:
    def __init__(self, base: str, store: str | None):
        self.base = base
        self.store_location = store or None

    @property
    def directory(self) -> DocumentStore:
        """The store: --store or $KASOGRAPH_STORE (a folder, a SPARQL server's URL, or a TOML file naming
        one: kasograph.store.remote), or the folder in the user's data folder."""
        return open_store(self.store_location, self.base)

    def dataset(self, source: Path | None, *, vocabulary: bool = True):
        """An rdflib dataset of a source; without one, of the store if it holds anything, else of the bundled data."""
        if source is None and self.directory.exists():
            from kasograph.store.engine import dataset_from_store

            return dataset_from_store(self.goal_data(None).store, vocabulary=vocabulary)
        return load_dataset(source, self.base, vocabulary=vocabulary)

    def goal_data(self, source: Path | None) -> GoalData:
        return GoalData.open(source, self.base, self.store_location)

    def goal_store(self, source: Path | None) -> GoalStore:
        return self.goal_data(source).store


def _file_format(path: Path) -> str:
    """The format a file's suffix names, of those `build` and `export` write (TriG otherwise)."""
    found = formats.for_file(path)
    return found.name if found is not None and found.name in formats.FILES else "trig"


def _fail(error: InputError) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(1)


class Commands(click.Group):
    """The commands, each ending a problem with the input or the store (a server down, refusing, timing out)
    in `error:` lines and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as error:
            _fail(error)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--base", envvar="KASOGRAPH_BASE", default=DEFAULT_BASE, show_default=True,
              help="IRI base of the data (also from $KASOGRAPH_BASE).")
@click.option("--store", envvar="KASOGRAPH_STORE", metavar="DIR|URL|FILE.toml",
              help="The store that `import` writes and every command reads (also from $KASOGRAPH_STORE): a store "
                   "directory, a SPARQL server's URL (http://host:7878 for `oxigraph serve`), or a TOML file naming a "
                   "server's query, update and graph store URLs [default: kasograph/store in the user's data folder].")
@click.version_option(package_name="kasograph")
@click.pass_context
def main(ctx: click.Context, base: str, store: str | None) -> None:
    """kasograph: a city division's goals, metrics and responsible parties as a validated knowledge graph."""
    ctx.obj = Context(base, store)


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write [default: kasograph.trig].")
@click.option("--format", "fmt", type=click.Choice(sorted(formats.FILES)), help="Serialisation [default: from the file suffix].")
@click.option("--no-vocabulary", is_flag=True, help="Leave the vocabulary graph out.")
@click.option("--no-validate", is_flag=True, help="Write even if the graph breaks the shapes.")
@click.pass_obj
def build(obj: Context, source: Path | None, output: Path | None, fmt: str | None, no_vocabulary: bool, no_validate: bool) -> None:
    """Build RDF from a goal table (one named graph per document) and write it.

    The graph is validated first; if it breaks the shapes nothing is written.
    """
    from kasograph.model.validate import validate_dataset

    started = time.perf_counter()
    try:
        dataset = obj.dataset(source, vocabulary=not no_vocabulary)
    except InputError as error:
        _fail(error)
    output = output or Path("kasograph.trig")
    fmt = fmt or _file_format(output)
    if not no_validate:
        report = validate_dataset(dataset)
        if not report.conforms:
            click.echo(report.text(), err=True)
            click.echo(f"error: nothing written to {output}", err=True)
            sys.exit(1)
    write_atomically(output, dump(quads_of(dataset), formats.FILES[fmt], stable=True))
    quads = len(dataset)
    click.echo(f"wrote {quads} triples in {sum(1 for g in dataset.graphs() if len(g))} graph(s) to {output} "
               f"({fmt}, {time.perf_counter() - started:.2f} s)", err=True)


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["en", "fi"]), default="en", show_default=True, help="Language of the messages.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--engine", type=click.Choice(["pyshacl-turbo", "pyshacl"]), envvar="KASOGRAPH_VALIDATOR",
              help="SHACL engine: pyshacl-turbo (fast) or pyshacl (the reference); the same findings  [default: pyshacl-turbo]")
@click.option("--stored", is_flag=True, help="Check every document graph the store holds, as stored (in one process per core).")
@click.pass_obj
def validate(obj: Context, source: Path | None, lang: str, fmt: str, engine: str | None, stored: bool) -> None:
    """Check a graph against the SHACL shapes (and a table's texts against its source).

    Without SOURCE the bundled tables are checked; with --stored, what the store holds.
    Exits 1 when anything is a violation; warnings are shown but do not fail.
    """
    from kasograph.model.validate import validate_source
    from kasograph.store.validation import validate_stored

    if stored and source is not None:
        raise click.UsageError("give SOURCE or --stored, not both")
    try:
        if stored:
            directory = obj.directory
            if not directory.exists():
                raise InputError([Problem(str(directory.path), "the store holds no documents: nothing to validate",
                                          "tietovarastossa ei ole asiakirjoja: ei mitään tarkistettavaa")])
            report = validate_stored(directory, engine)
        else:
            report = validate_source(source, obj.base, engine)
    except InputError as error:
        _fail(error)
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else report.text(lang))
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file ('-' for stdin).")
@click.option("--saved", help="Run a saved question by name (see `kasograph questions`).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A saved question's parameter; repeatable.")
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", *formats.RESULTS, *formats.GRAPHS]),
              help="table/csv/tsv/json/xml for SELECT and ASK; ttl/nt/jsonld/rdf for CONSTRUCT and DESCRIBE.")
@click.option("--full", is_flag=True, help="Do not shorten long cells in the table.")
@click.pass_obj
def query(obj: Context, sparql: str | None, query_file, saved: str | None, params: tuple[str, ...],
          data: Path | None, fmt: str, full: bool) -> None:
    """Run a SPARQL query. Common prefixes (kg:, skos:, prov:, foaf:, org:, dct:, …) may be left out.

    Without GRAPH, a query sees all documents' graphs together.
    """
    from kasograph.query import saved as saved_questions

    bindings: dict[str, str] = {}
    try:
        if saved:
            question = saved_questions.get(saved)
            sparql = question.sparql
            given = {}
            for param in params:
                name, equals, value = param.partition("=")
                if not equals:
                    raise click.UsageError(f"--param takes NAME=VALUE, not {param!r}")
                given[name.strip()] = value
            bindings = question.bind(given)
        elif params:
            raise click.UsageError("--param goes with --saved")
        if query_file is not None:
            sparql = query_file.read()
        if not sparql:
            raise click.UsageError("give a query as an argument, with -f FILE or with --saved NAME")
        store = obj.goal_store(data)
    except InputError as error:
        _fail(error)
    try:
        results = store.query(sparql, params=bindings or None)
    except SyntaxError as error:
        click.echo(f"error: the query is not valid SPARQL: {error}", err=True)
        sys.exit(1)
    if isinstance(results, pyoxigraph.QueryBoolean):
        if fmt in formats.RESULTS:
            click.echo(results.serialize(format=formats.RESULTS[fmt].engine), nl=False)
        else:
            click.echo("true" if bool(results) else "false")
    elif isinstance(results, pyoxigraph.QueryTriples):
        graph_format = formats.GRAPHS.get(fmt, formats.RDF["ttl"]).engine
        click.echo(results.serialize(format=graph_format) or b"", nl=False)
    elif fmt in formats.RESULTS:
        click.echo(results.serialize(format=formats.RESULTS[fmt].engine), nl=False)
    elif fmt == "table":
        columns = [v.value for v in results.variables]
        rows = [[_cell(row[c], obj.base) for c in columns] for row in results]
        click.echo(table(columns, rows, max_width=None if full or not sys.stdout.isatty() else 60))
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    else:
        raise click.UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def questions(fmt: str) -> None:
    """List the saved questions: name, parameters with their defaults, title."""
    from kasograph.query.saved import catalogue

    listed = catalogue().values()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "title_fi": q.title_fi, "description": q.description,
                                "description_fi": q.description_fi, "parameters": {p.name: p.default for p in q.parameters}}
                               for q in listed],
                              ensure_ascii=False, indent=2))
        return
    rows = [[q.name, ", ".join(f'{p.name}="{p.default}"' for p in q.parameters), q.title] for q in listed]
    click.echo(table(["name", "parameters (default)", "title"], rows))


def _cell(term, base: str) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return compact(term.value, base)
    return str(to_python(term))


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True, help="Language of the labels.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def stats(obj: Context, data: Path | None, lang: str, fmt: str) -> None:
    """Counts: things per class, goals per status, goals per theme."""
    from kasograph.query.stats import statistics

    try:
        store = obj.goal_store(data)
    except InputError as error:
        _fail(error)
    counts = statistics(store, lang)
    if fmt == "json":
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    click.echo(table(["class", "count"], [[compact(r["class"], obj.base), str(r["count"])] for r in counts["classes"]]))
    click.echo()
    click.echo(table(["status", "goals"], [[r["label"] or compact(r["status"]), str(r["goals"])] for r in counts["status"]]))
    click.echo()
    click.echo(table(["theme", "goals"], [[r["label"] or compact(r["theme"], obj.base), str(r["goals"])] for r in counts["theme"]]))


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted(formats.FILES)), default="trig", show_default=True,
              help="ttl and nt merge the graphs; trig, nq and jsonld keep one named graph per document.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write [default: standard output].")
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--no-vocabulary", is_flag=True, help="Leave the vocabulary graph out.")
@click.pass_obj
def export(obj: Context, fmt: str, output: Path | None, data: Path | None, no_vocabulary: bool) -> None:
    """Write the whole dataset as one file (standard output by default)."""
    try:
        dataset = obj.dataset(data, vocabulary=not no_vocabulary)
    except InputError as error:
        _fail(error)
    payload = dump(quads_of(dataset), formats.FILES[fmt], stable=True)
    if output is None:
        click.echo(payload, nl=False)
    else:
        write_atomically(output, payload)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--site-url", help="Public URL of the viewer, for the dump links of the VoID description.")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads of each server process.")
@click.option("--processes", type=int, help="Server processes that share the port (POSIX; each answers pages on a core of its "
                                             "own) [default: one per core, at most 4; 1 on Windows].")
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Seconds a SPARQL query may run.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Processes that run SPARQL queries, in each server process (so that a slow query there leaves "
                   "another free for the next).")
@click.option("--allow-service", "services", multiple=True, metavar="IRI", help="A SERVICE IRI queries may call (repeatable).")
@click.option("--no-warm-up", is_flag=True, help="Do not answer the saved questions in the background when the data is opened.")
@click.option("--setting", "settings", multiple=True, type=(str, str), metavar="NAME VALUE",
              help="Any setting of the app (README: Settings), e.g. --setting SPARQL_MAX_RESULT_BYTES 200000000; "
                   "repeatable; over the options above.")
@click.option("--max-connections", default=4000, show_default=True, type=click.IntRange(min=1),
              help="Open connections each server process keeps (waitress alone: 100); more wait in the kernel's queue. "
                   "The open-files limit is raised to fit, up to its hard limit.")
@click.option("--max-client-connections", default=200, show_default=True, type=click.IntRange(min=0),
              help="Of each process's connections, how many one client address (an IPv6 /64) may hold; more are closed "
                   "at once. 0: no cap, for behind a reverse proxy, where every connection comes from the proxy.")
@click.option("--header-timeout", default=20.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds a request line and headers may take to arrive, from their first byte (a byte now and then "
                   "does not extend it).")
@click.option("--body-timeout", default=60.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds a request body may take to arrive, after its headers.")
@click.option("--idle-timeout", default=60, show_default=True, type=click.IntRange(min=1),
              help="Seconds a connection stays open with no request under way (waitress alone: 120).")
@click.option("--debug", is_flag=True, help="Flask's development server with reload and tracebacks (never in production).")
@click.pass_obj
def serve(obj: Context, host: str, port: int, data: Path | None, site_url: str | None, threads: int, processes: int | None,
          timeout: float, workers: int, services: tuple[str, ...], no_warm_up: bool, settings: tuple[tuple[str, str], ...],
          max_connections: int, max_client_connections: int, header_timeout: float, body_timeout: float,
          idle_timeout: int, debug: bool) -> None:
    """Serve the viewer, linked data and the SPARQL endpoint (waitress, a production WSGI server)."""
    from kasograph_web import create_app
    from kasograph_web.serving import CannotStart, Limits, default_processes
    from kasograph_web.serving import serve as serve_app
    from kasograph_web.settings import setting_value

    processes = 1 if debug else max(1, processes or default_processes())
    try:
        given = {name: setting_value(name, text) for name, text in settings}
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--setting'") from None
    warm_up = given.pop("SPARQL_WARM_UP", not no_warm_up)

    def make_app(index: int):
        try:
            return create_app({"BASE": obj.base, "DATA": str(data) if data else None, "STORE": str(obj.directory.path),
                               "SITE_URL": site_url, "SPARQL_TIMEOUT": timeout, "SPARQL_WORKERS": workers,
                               "SPARQL_SERVICE_ALLOWLIST": services,
                               "SPARQL_WARM_UP": index == 0 and warm_up,  # one process warms the answers all share
                               "SPARQL_MAX_PENDING": max(1, threads - 2),  # two threads always free for pages
                               **given})
        except InputError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            raise CannotStart() from None

    def ready() -> None:
        from kasograph.query.sealing import describe

        click.echo(f"kasograph: serving {obj.base} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
        click.echo(f"kasograph: {describe(remote_store=not data and obj.directory.server is not None)}"
                   + (f"; SERVICE allowed to {', '.join(services)}, in a worker with network" if services else ""), err=True)

    try:
        if debug:
            app = make_app(0)
            ready()
            app.run(host=host, port=port, debug=True, use_reloader=True)
            return
        limits = Limits(max_connections, max_client_connections, header_timeout, body_timeout, idle_timeout)
        serve_app(make_app, host, port, threads=threads, processes=processes, limits=limits, ready=ready,
                  say=lambda message: click.echo(f"kasograph: {message}", err=True))
    except CannotStart:
        sys.exit(1)


@main.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder to write the site into.")
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--site-url", help="Public URL the site will be served from (for the dump links of the VoID description "
                                  "and the links of 404.html).")
@click.option("--sparql-endpoint", default="", help="A live SPARQL endpoint to name in the VoID description and to send "
                                                    "the query page's queries to (a static site has none).")
@click.option("--contact", metavar="ADDRESS", help="Who answers questions about the data, named in the VoID description: an "
                                                   "e-mail address or a web page, after a name if you like ('Open data <a@b.fi>').")
@click.pass_obj
def publish(obj: Context, out: Path, data: Path | None, site_url: str | None, sparql_endpoint: str, contact: str | None) -> None:
    """Write the whole viewer as static files (HTML, RDF beside each page, dumps, VoID, vocabulary)."""
    from kasograph_web import create_app
    from kasograph_web.static_site import write_static_site

    from kasograph.publish.linked_data import contact_point

    try:
        contact_point(contact) if contact else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--contact'") from None
    try:
        app = create_app({"BASE": obj.base, "DATA": str(data) if data else None, "STORE": str(obj.directory.path),
                          "SITE_URL": site_url or "http://localhost/", "SPARQL_ENDPOINT_URL": sparql_endpoint,
                          "CONTACT_POINT": contact})
    except InputError as error:
        _fail(error)
    if not site_url:
        click.echo("warning: no --site-url given: the VoID description's download links will name http://localhost/ "
                   "and 404.html's links the web host's root; give --site-url https://… (the address the site is "
                   "served from) to fix them", err=True)
    export = write_static_site(app, out)
    for page, link in export.broken:
        click.echo(f"error: broken link {link!r} in {page}", err=True)
    click.echo(f"wrote {export.files} files ({export.bytes / 1e6:.1f} MB) to {out}", err=True)
    sys.exit(1 if export.broken else 0)


ANALYSES = ("workload", "centrality", "key-person-risk", "theme-coverage", "communities")


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True, help="Language of the labels.")
@click.option("--section", type=click.Choice(["all", *ANALYSES]), default="all", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="csv takes one --section (workload when none is given).")
@click.pass_obj
def analyse(obj: Context, data: Path | None, lang: str, section: str, fmt: str) -> None:
    """Who carries which goals: workload, centrality, key-person risk, theme coverage, communities."""
    import csv
    import io

    from kasograph.analysis.report import analyses

    try:
        store = obj.goal_store(data)
    except InputError as error:
        _fail(error)
    if fmt == "csv" and section == "all":
        section = "workload"
    results = analyses(store, obj.base, lang, None if section == "all" else section)
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = results[section]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["empty"], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("; ".join(map(str, v)) if isinstance(v, list) else json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v)
                          for k, v in row.items()} for row in rows)
        click.echo(out.getvalue(), nl=False)
    else:
        for name, rows in results.items():
            click.echo(f"== {name}")
            if rows:
                columns = [c for c in rows[0] if not c.endswith(("iri", "iris"))]
                click.echo(table(columns, [[_show(row[c]) for c in columns] for row in rows]))
            else:
                click.echo("(none)")
            click.echo()


def _show(value) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


@main.command()
@click.argument("kind", type=click.Choice(["responsibility", "collaboration", "organisation"]))
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "cytoscape", "dot"]), default="graphml", show_default=True,
              help="json: networkx node-link; cytoscape: Cytoscape.js JSON.")
@click.option("--only", type=click.Choice(["all", "person", "group"]), default="all", show_default=True,
              help="Collaboration between everyone, people only or groups only.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write [default: standard output].")
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True, help="Language of the labels.")
@click.pass_obj
def graph(obj: Context, kind: str, fmt: str, only: str, output: Path | None, data: Path | None, lang: str) -> None:
    """Export a graph for Gephi, Cytoscape, Graphviz or your own code."""
    from kasograph.analysis.exports import export
    from kasograph.analysis.graphs import collaboration_graph, organisation_graph, responsibility_graph

    try:
        store = obj.goal_store(data)
    except InputError as error:
        _fail(error)
    if kind == "responsibility":
        built = responsibility_graph(store, obj.base, lang)
    elif kind == "collaboration":
        built = collaboration_graph(store, obj.base, lang, kind=only)
    else:
        built = organisation_graph(store, obj.base, lang)
    payload = export(built, fmt)
    if output is None:
        click.echo(payload, nl=False)
    else:
        write_atomically(output, payload)


@main.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--metadata", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A sidecar TOML file naming the document [default: TABLE.toml beside the table, or document.toml].")
@click.option("--id", "doc_id", help="Document id, used in IRIs [default: city-division-year].")
@click.option("--title", help="Title of the source document, as it is written.")
@click.option("--city", help="City (organisation) that publishes the goals.")
@click.option("--division", help="Division (toimiala), e.g. 'Kasvatus ja oppiminen'.")
@click.option("--abbreviation", help="The division's abbreviation, e.g. KASO.")
@click.option("--year", type=int, help="The year the goals are for.")
@click.option("--source-url", help="Where the source document is published.")
@click.option("--licence", "licence", help="IRI of the data's licence, e.g. https://creativecommons.org/licenses/by/4.0/.")
@click.option("--rights", help="A rights statement, when there is no licence.")
@click.option("--publisher", help="Who publishes the graph [default: kasograph project].")
@click.option("--sheet", help="The worksheet that holds the goals [default: the first visible one].")
@click.option("--column", "columns", multiple=True, metavar="HEADER=FIELD",
              help="Read a column under another header: FIELD is goal, theme, metric, baseline, target, persons, body, "
                   "outcome, status, key or pages (empty: ignore the column). Repeatable.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes that read, build and validate documents "
              "[default: one per core for 16 documents or more, else 1].")
@click.option("--engine", type=click.Choice(["pyshacl-turbo", "pyshacl"]), envvar="KASOGRAPH_VALIDATOR",
              help="SHACL engine [default: pyshacl-turbo].")
@click.option("--no-keep-answers", is_flag=True, help="Do not answer the saved questions after the import (then the "
              "viewer answers them in the background, and a visitor may be first to ask).")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only errors.")
@click.pass_obj
def import_(obj: Context, sources: tuple[Path, ...], metadata: Path | None, doc_id: str | None, title: str | None,
            city: str | None, division: str | None, abbreviation: str | None, year: int | None, source_url: str | None,
            licence: str | None, rights: str | None, publisher: str | None, sheet: str | None, columns: tuple[str, ...],
            jobs: int | None, engine: str | None, no_keep_answers: bool, quiet: bool) -> None:
    """Import documents into the store: read, build, validate, store — all or nothing.

    Each SOURCE is a document folder, a folder of document folders, or a goal
    table (.xlsx, .xlsm, .csv) with its description from a sidecar
    (document.toml, TABLE.toml or --metadata) or the options. Several documents
    are imported as one: if any fails, nothing is stored. Importing a document
    that is already stored (same id) replaces it.
    """
    from kasograph.store.importer import document_sources

    paths = document_sources(sources)
    options = _import_options(len(paths), metadata, columns, sheet,
                              {"document": {"id": doc_id, "title": title, "year": year, "source_url": source_url},
                               "organisation": {"city": city, "division": division, "division_abbreviation": abbreviation},
                               "dataset": {"license": licence, "rights": rights, "publisher": publisher}})
    try:
        directory = obj.directory
    except InputError as error:
        _fail(error)
    progress = _ImportProgress(not quiet and sys.stderr.isatty())
    if len(paths) > 1:
        _import_many(obj, paths, directory, progress, jobs=jobs, engine=engine, **options)
    else:
        _import_one(obj, paths[0], directory, progress, engine=engine, **options)
    if not no_keep_answers:
        _keep_answers(obj, directory, quiet)


def _keep_answers(obj: Context, directory, quiet: bool) -> None:
    """The saved questions answered on the new generation, so that the viewer's first visitor finds them kept."""
    from kasograph.goaldata import GoalData

    started = time.perf_counter()
    took = GoalData.from_directory(directory, obj.base).keep_answers()
    if took is not None and not quiet:
        slowest = max(took, key=took.get) if took else None
        seconds = took[slowest] if slowest else 0.0
        slowest_text = f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"
        click.echo(f"answered the {len(took)} saved questions in {time.perf_counter() - started:.1f} s"
                   + (f" (slowest {slowest}, {slowest_text})" if slowest else "")
                   + "; the slow answers are kept for the viewer", err=True)


def _import_options(documents: int, metadata: Path | None, columns: tuple[str, ...], sheet: str | None, given: dict) -> dict:
    """The reading options of `kasograph import` (kasograph.source.table.read_document's)."""
    mapping = {}
    for column in columns:
        header, equals, field = column.rpartition("=")
        if not equals or not header:
            raise click.UsageError(f"--column takes HEADER=FIELD, not {column!r}")
        mapping[header] = field.strip() or None
    named = any(v for section in given.values() for v in section.values())
    if documents > 1 and (named or metadata):
        raise click.UsageError(f"{documents} documents are given: --metadata and the options that describe a "
                               "document (--id, --title, --year, …) apply to one document only")
    return {"metadata": given if named else None, "sheet": sheet, "mapping": mapping or None, "sidecar": metadata}


class _ImportProgress:
    """A progress bar on a terminal's standard error (nothing when it is not a terminal, or with --quiet)."""

    STEPS = ("reading", "building", "validating", "storing")

    def __init__(self, show: bool):
        self.show = show

    def __call__(self, step: str) -> None:
        if not self.show:
            return
        if step.startswith("prepared "):
            done, total = map(int, step.split()[1].split("/"))
            if done != total and done % 50:
                return
            filled = round(20 * done / total)
            click.echo(f"\r[{'#' * filled}{'-' * (20 - filled)}] {done}/{total} read, built and validated", err=True, nl=False)
            return
        done = self.STEPS.index(step) if step in self.STEPS else 0
        bar = "#" * (done * 5) + "-" * ((len(self.STEPS) - done) * 5)
        click.echo(f"\r[{bar}] {step}…{' ' * 24}", err=True, nl=False)

    def clear(self) -> None:
        if self.show:
            click.echo("\r" + " " * 70 + "\r", err=True, nl=False)


def _import_many(obj: Context, paths: list[Path], directory, progress: _ImportProgress, **options) -> None:
    from kasograph.store.importer import ImportFailed, import_documents

    try:
        batch = import_documents(paths, directory, obj.base, progress=progress, **options)
    except ImportFailed as failed:
        progress.clear()
        for failure in failed.failures:
            if failure.error is not None:
                for problem in failure.error.problems:
                    click.echo(f"error: {problem}", err=True)
            else:
                click.echo(f"{failure.source}:", err=True)
                click.echo(failure.report.text(), err=True)
        click.echo(f"error: {len(failed.failures)} of {failed.total} documents failed; nothing was stored in "
                   f"{directory.path}", err=True)
        sys.exit(1)
    progress.clear()
    for source, warning in batch.warnings:
        _warn(warning, obj.base, source)
    new = len(batch.documents) - len(batch.replaced)
    click.echo(f"imported {len(batch.documents)} documents ({new} new, {len(batch.replaced)} replaced): "
               f"{batch.triples:,} triples in {batch.seconds:.1f} s ({batch.triples / batch.seconds:,.0f} triples/s) "
               f"into {directory.path}", err=True)


def _import_one(obj: Context, source: Path, directory, progress: _ImportProgress, **options) -> None:
    from kasograph.store.importer import ValidationFailed, import_document

    try:
        result = import_document(source, directory, obj.base, progress=progress, **options)
    except InputError as error:
        progress.clear()
        _fail(error)
    except ValidationFailed as failure:
        progress.clear()
        click.echo(failure.report.text(), err=True)
        click.echo(f"error: {source} breaks the shapes; nothing was stored in {directory.path}", err=True)
        sys.exit(1)
    progress.clear()
    for warning in result.warnings:
        _warn(warning, obj.base)
    stored = result.document
    click.echo(f"{'replaced' if result.replaced else 'imported'} {stored.id} ({stored.title}, {stored.year}): "
               f"{stored.triples} triples in {result.seconds:.2f} s into {directory.path}", err=True)


def _warn(warning, base: str, source: str | None = None) -> None:
    """A Problem of a table, or a Finding of the shapes (which names its focus node), as one warning line."""
    if hasattr(warning, "text"):
        text = warning.text()
    else:
        text = f"{source + ': ' if source else ''}{warning.message()} ({compact(warning.focus_node, base)})"
    click.echo(f"warning: {text}", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def documents(obj: Context, fmt: str) -> None:
    """List the documents in the store: id, title, year, triples, when imported, from what."""
    try:
        directory = obj.directory
        stored = sorted(directory.manifest().documents.values(), key=lambda d: (d.year or 0, d.id))
    except InputError as error:
        _fail(error)
    if fmt == "json":
        click.echo(json.dumps([vars(d) for d in stored], ensure_ascii=False, indent=2))
        return
    if not stored:
        fallback = "" if directory.exists() else "; the commands use the bundled dataset"
        click.echo(f"(no documents in {directory.path}{fallback})", err=True)
        return
    click.echo(table(["id", "title", "year", "triples", "imported at", "source"],
                     [[d.id, d.title, str(d.year or ""), str(d.triples), d.imported_at, d.source] for d in stored]))


@main.command()
@click.argument("document_id")
@click.option("--no-keep-answers", is_flag=True, help="Do not answer the saved questions on what is left (see import).")
@click.pass_obj
def remove(obj: Context, document_id: str, no_keep_answers: bool) -> None:
    """Remove a document (by its id, see `kasograph documents`) from the store."""
    from kasograph.store.importer import remove_document

    try:
        removed = remove_document(obj.directory, document_id)
    except InputError as error:
        _fail(error)
    click.echo(f"removed {removed.id} ({removed.title}, {removed.triples} triples) from {obj.directory.path}", err=True)
    if not no_keep_answers and obj.directory.exists():
        _keep_answers(obj, obj.directory, quiet=False)


@main.command()
@click.argument("earlier")
@click.argument("later")
@click.option("--data", type=click.Path(path_type=Path), help="An RDF file holding both documents [default: the store].")
@click.option("--lang", type=click.Choice(["en", "fi"]), default="en", show_default=True, help="Language of the text output.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def diff(obj: Context, earlier: str, later: str, data: Path | None, lang: str, fmt: str) -> None:
    """Compare two documents (ids from `kasograph documents`): goals added, dropped, reworded,
    status, theme and responsibility changed."""
    from kasograph.analysis.compare import UnknownDocument, diff_documents, format_text

    try:
        result = diff_documents(obj.goal_store(data), earlier, later)
    except InputError as error:
        _fail(error)
    except UnknownDocument as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if fmt == "json" else format_text(result, lang))


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help=SOURCE_HELP)
@click.option("--lang", type=click.Choice(["en", "fi"]), default="en", show_default=True, help="Language of the text output.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def reconcile(obj: Context, data: Path | None, lang: str, fmt: str) -> None:
    """List names that may be the same person, post or group (a typo, a changed surname) for a
    person to check. Nothing is merged."""
    from kasograph.analysis.reconcile import format_candidates, near_matches

    try:
        candidates = near_matches(obj.goal_store(data))
    except InputError as error:
        _fail(error)
    if fmt == "json":
        click.echo(json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2))
    else:
        click.echo(format_candidates(candidates, lang))


@main.command()
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True, help="Language of the headers.")
@click.option("--year", type=int, help="The year the goals are for [default: this year].")
def template(output: Path, lang: str, year: int | None) -> None:
    """Write an empty goal table (.xlsx) to fill in: the headers, a drop-down for the status, instructions."""
    from kasograph.source.template import write_template

    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("the template is an Excel workbook: name it FILE.xlsx")
    written = write_template(output, lang, year=year)
    click.echo(f"wrote {written}; fill it in, then: kasograph import {written.name} --title … --city … --division … --year …",
               err=True)
