"""Time every stage of kasograph at a chosen size, each with a baseline measured in the same run.

    python -m benchmarks [--size bundled|10k|100k|1m|5m|10m] [--stages import,validation,questions,endpoint,graphs,pages]
                         [--repeat N] [--json FILE] [--remote | --store URL] [--clients 32] [--seconds 60]

Sizes are in triples; the data are goal tables written by `benchmarks.generate` (seeded) and
cached in benchmarks/.data/ with the store the import stage makes of them; `bundled` is the bundled
Vantaa document (and adds what this command measured before it had sizes: benchmarks/bundled.py).
Each stage prints its details; at the end a table of medians with their ratios to the baselines;
--json writes every number, the machine, the versions and the load average before and after each
stage. See benchmarks/README.md for what each stage measures, against what, and the targets.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import time
from pathlib import Path

from . import common

STAGES = ("import", "validation", "questions", "endpoint", "graphs", "pages")
REMOTE_STAGES = ("import", "questions", "pages")


# The stages ---------------------------------------------------------------------------------------------
def import_stage(args: argparse.Namespace, tables: Path, scratch: Path) -> dict:
    """Every document of the size as one import into a fresh store, then one more year into that store."""
    from kasograph.store.importer import document_sources

    from . import importing

    repeat = args.repeat or (3 if len(document_sources([tables])) < 1000 else 1)
    batch = importing.measure_batch(tables, repeat, scratch, keep=common.store_folder(args.size))
    print_batch(batch)
    last = document_sources([tables])[-1]
    next_year = importing.measure_next_year(common.store_folder(args.size), last, max(1, min(repeat, 3)), scratch)
    print(f"    one more document ({next_year['document']}, {next_year['triples']:,} triples) into the store: "
          f"{common.seconds(next_year['wall_s'])}; its bulk load into a fresh store {common.seconds(next_year['baseline_wall_s'])}"
          f" ({next_year['ratio_wall']}×)", flush=True)
    result = {"batch": batch, "next_year": next_year}
    if args.size == "bundled":
        from . import bundled

        result["in_memory"] = bundled.stage_rows(args.repeat or 7)
    return result


def print_batch(batch: dict) -> None:
    steps = ", ".join(f"{name} {common.seconds(value)}" for name, value in batch["steps_s"].items())
    met = "met" if batch["target_met"] else "missed"
    print(f"    import of {batch['documents']:,} documents, {batch['triples']:,} triples, median of {batch['runs']}: "
          f"{common.seconds(batch['wall_s'])} ({batch['cpu_s']:.2f} s CPU; {steps}) = {batch['triples_per_s']:,} triples/s; "
          f"target {importing_target():,}/s {met} ({batch['target_factor']}× the target)", flush=True)
    print(f"    baseline: pyoxigraph bulk-loads the same {batch['quads_loaded_by_baseline']:,} quads into a fresh store in "
          f"{common.seconds(batch['baseline_wall_s'])} ({batch['baseline_cpu_s']:.2f} s CPU) — import / baseline "
          f"{batch['ratio_wall']}× wall, {batch['ratio_cpu']}× CPU", flush=True)


def importing_target() -> int:
    from .importing import TARGET_TRIPLES_PER_S

    return TARGET_TRIPLES_PER_S


def validation_stage(args: argparse.Namespace, store: Path, scratch: Path) -> dict:
    from .validation import measure_validation

    big = args.big_document_goals if args.big_document_goals is not None else (0 if args.size in ("bundled", "tiny") else 5000)
    return measure_validation(store, args.repeat or 5, args.validation_sample, args.full_pyshacl, big, scratch)


def questions_stage(args: argparse.Namespace, location: str | Path) -> dict:
    from .sparql import measure_questions

    result = measure_questions(location, args.repeat or 5, rdflib_limit=args.rdflib_limit,
                               rdflib_load_limit=args.rdflib_load_limit, probe_limit=args.probe_limit)
    if args.size == "bundled" and not str(location).startswith("http"):
        from . import bundled

        result["in_memory"] = [r for r in bundled.stage_rows(args.repeat or 7) if r["stage"].startswith("query")]
    return result


def endpoint_stage(args: argparse.Namespace, store: Path) -> dict:
    from .endpoint import measure_endpoint, report

    result = measure_endpoint(store, args.requests or 300)
    print("    " + report(result), flush=True)
    return result


def graphs_stage(store: Path) -> dict:
    from .graphs import measure_graphs_apart, measure_pictures, print_graphs, print_pictures

    result = measure_graphs_apart(store)
    print_graphs(result)
    result["pictures"] = measure_pictures()  # the same at every size: the viewer draws one picture of a page's goals
    print_pictures(result["pictures"])
    return result


def pages_module():
    """helper-1's benchmarks/pages.py, if it is there yet and has what the suite calls."""
    try:
        module = importlib.import_module("benchmarks.pages")
    except ImportError:
        return None
    return module if hasattr(module, "measure_pages") and hasattr(module, "measure_cold_start") else None


def pages_stage(args: argparse.Namespace, store: str | Path) -> dict:
    module = pages_module()
    if module is None:
        print("    not available yet (benchmarks/pages.py has no measure_pages and measure_cold_start)", flush=True)
        return {"status": "not available", "why": "benchmarks/pages.py is not there yet"}
    if str(store).startswith(("http://", "https://")):
        print("    not available on a SPARQL server: benchmarks.pages reads a store directory", flush=True)
        return {"status": "not available", "why": "benchmarks.pages takes a store directory, not a server's URL"}
    cold = module.measure_cold_start(Path(store))
    pages = module.measure_pages(Path(store), clients=args.clients, seconds=args.seconds)
    print("    " + module.report(cold, pages).replace("\n", "\n    ") if hasattr(module, "report") else "", flush=True)
    result = {"cold_start": cold, "pages": pages}
    if args.size == "bundled" and args.requests:
        from . import bundled

        result["sequential_against_static"] = bundled.page_latency(args.requests)
    return result


# The run --------------------------------------------------------------------------------------------------
def run_local(args: argparse.Namespace, stages: list[str], tables: Path, scratch: Path) -> list[dict]:
    results = []
    if "import" in stages:
        results.append(announce("import", lambda: import_stage(args, tables, scratch)))
    store = common.stored(args.size)
    if "validation" in stages:
        results.append(announce("validation", lambda: validation_stage(args, store, scratch)))
    if "questions" in stages:
        results.append(announce("questions", lambda: questions_stage(args, store)))
    if "endpoint" in stages:
        results.append(announce("endpoint", lambda: endpoint_stage(args, store)))
    if "graphs" in stages:
        results.append(announce("graphs", lambda: graphs_stage(store)))
    if "pages" in stages:
        results.append(announce("pages", lambda: pages_stage(args, store)))
    return results


def run_remote(args: argparse.Namespace, stages: list[str], tables: Path, scratch: Path) -> list[dict]:
    """The import, questions and pages stages against a SPARQL server: one started here, or --store URL."""
    from . import remote

    server = None if args.store else remote.OxigraphServer(scratch / "server")
    url = args.store or server.url
    cpu = (lambda: server.cpu_s()) if server else (lambda: None)
    results = []
    try:
        print(f"SPARQL server: {url}" + (" (oxigraph serve, started for this run)" if server else ""), flush=True)
        if "import" in stages:
            def import_into_server() -> dict:
                local = common.stored(args.size)  # the baseline's quads are dumped from it
                held = remote.server_documents(url)
                if held:
                    print(f"    the server holds {held:,} documents already: they are replaced", flush=True)
                result = remote.measure_remote_import(url, cpu, tables, local, scratch, args.remote_import_limit)
                remote.print_remote_import(result)
                return result

            results.append(announce("import", import_into_server, remote_stage=True))
        if "questions" in stages:
            def ask() -> dict:
                before = cpu()
                result = questions_stage(args, url)
                after = cpu()
                result["server_cpu_s"] = common.rounded(after - before) if before is not None and after is not None else None
                return result

            results.append(announce("questions", ask, remote_stage=True))
        if "pages" in stages:
            results.append(announce("pages", lambda: pages_stage(args, url), remote_stage=True))
    finally:
        if server is not None:
            server.stop()
    return results


def announce(name: str, function, remote_stage: bool = False) -> dict:
    print(f"\n== {name}{' (SPARQL server)' if remote_stage else ''}: load average {common.load_average()}", flush=True)
    result = common.run_stage(name, function)
    result["remote"] = remote_stage
    print(f"   {name}: {result['status']} in {result['stage_wall_s']:.0f} s; load average {result['load_average_before']} "
          f"before, {result['load_average_after']} after", flush=True)
    return result


# The summary ---------------------------------------------------------------------------------------------
def summary_rows(stages: list[dict]) -> list[dict]:
    """One row per figure worth comparing: (stage, what, kasograph s, baseline s, baseline, target)."""
    rows: list[dict] = []

    def add(stage: str, what: str, ours: float | None, base: float | None, baseline: str, target: str = "", note: str = "") -> None:
        rows.append({"stage": stage, "what": what, "kasograph_s": ours, "baseline_s": base,
                     "ratio": common.rounded(ours / base, 3) if ours is not None and base else None,
                     "baseline": baseline, "target": target, "note": note})

    for result in stages:
        if result["status"] != "ok":
            continue
        summarise = SUMMARIES.get((result["stage"], result["remote"]))
        if summarise:
            summarise(result, add)
    return rows


def _import_summary(result: dict, add) -> None:
    batch = result["batch"]
    verdict = f"≥ {batch['target_triples_per_s'] // 1000}k/s at 5M: {'met' if batch['target_met'] else 'missed'}, {batch['target_factor']}×"
    add("import", f"{batch['documents']:,} documents, {batch['triples']:,} triples (wall)", batch["wall_s"], batch["baseline_wall_s"],
        "pyoxigraph bulk load of the same quads", verdict, f"{batch['triples_per_s']:,} triples/s")
    add("import", "the same, CPU (this process and workers)", batch["cpu_s"], batch["baseline_cpu_s"], "the same, CPU")
    nxt = result["next_year"]
    add("import", f"one more document into the store ({nxt['triples']:,} triples)", nxt["wall_s"], nxt["baseline_wall_s"],
        "its bulk load into a fresh store")
    for row in result.get("in_memory", []):
        add("import", f"bundled, in memory: {row['stage']}", row["kasograph_ms"] / 1000, row["baseline_ms"] / 1000, row["baseline"])


def _validation_summary(result: dict, add) -> None:
    for row in result["documents"]:
        add("validation", f"{row['document']}", row["kasograph_s"], row["pyshacl_s"], "pyshacl called directly",
            f"< 1 s: {'met' if row['target_met'] else 'missed'}", f"{row['engine']}; kasograph with pyshacl {row['kasograph_pyshacl_s']} s")
    whole = result["store"]
    estimate = "estimated from a sample, " if whole["pyshacl_estimated"] else ""
    add("validation", f"whole store, {whole['documents']:,} documents (CPU)", whole["kasograph_cpu_s"], whole["pyshacl_cpu_s"],
        f"pyshacl ({estimate}CPU)", note=f"validate_stored wall {whole['kasograph_wall_s']} s")


def _questions_summary(result: dict, add, stage: str = "questions") -> None:
    baseline = result["baseline"]
    for row in result["questions"]:
        ours = row["endpoint_ms"] / 1000 if row["endpoint_ms"] is not None else None
        base = row["baseline_ms"] / 1000 if row["baseline_ms"] is not None else None
        target = "" if row["endpoint_meets_target"] is None else f"< 1 s: {'met' if row['endpoint_meets_target'] else 'missed'}"
        first = (f"first {common.ms(row['endpoint_first_ms'])} ms (baseline {common.ms(row['baseline_first_ms'])} ms)"
                 if row["endpoint_first_ms"] is not None else row["not_timed"] or row["endpoint_error"] or "")
        rdflib = f"; rdflib {row['rdflib_ratio']}×" if row.get("rdflib_ratio") else ""
        add(stage, f"{row['name']} ({row['rows'].get(baseline, row['rows'].get('endpoint'))} rows)", ours, base,
            f"{baseline}, the same query", target, first + rdflib)


def _endpoint_summary(result: dict, add) -> None:
    m = result["median_ms"]
    add("endpoint", f"/sparql, a cheap query ({result['requests']} new texts, one connection)", m["sparql"] / 1000,
        m["engine"] / 1000, "pyoxigraph in-process, the same queries",
        f"own cost < {result['target_ms']:g} ms: {'met' if result['target_met'] else 'missed'}",
        f"own cost {result['own_cost_ms']} ms; /favicon.ico {m['favicon']} ms; the check {m['check']} ms")


def _graphs_summary(result: dict, add) -> None:
    add("graphs", "three graphs: networkx work", result["networkx_s"], result["feeding_queries_s"], "the SPARQL that feeds them",
        f"≤ 1×: {'met' if result['target_met'] else 'missed'}", f"analytics {sum(result['analytics_s'].values()):.2f} s; "
        f"peak {result['peak_rss_mb']} MB")
    if "pictures" in result:
        pictures = result["pictures"]
        add("graphs", f"picture pages of {pictures['goals']} goals: the slowest", pictures["slowest_s"], pictures["graphs_s"],
            "building the graphs they draw", f"< {pictures['target_s']:g} s: {'met' if pictures['target_met'] else 'missed'}", "")


def _pages_summary(result: dict, add) -> None:
    if "pages" not in result:
        return
    # By the whole name: "goal", "goal (made)", "goal .ttl" and "goal DESCRIBE (oxigraph)" are four rows.
    rows = {row["page"]: row for row in result["pages"]["rows"]}
    base = next((row for name, row in rows.items() if name.startswith("favicon")), None)
    for name in ("goal", "person", "search", "goal (made)", "person (made)", "search (made)", "home"):
        if name in rows:
            row = rows[name]
            met = row["p99_ms"] < 100 and base is not None and row["p99_ms"] <= 2 * base["p99_ms"]
            target = f"p99 < 100 ms, ≤ 2× favicon: {'met' if met else 'missed'}" if name != "home" else ""
            add("pages", f"{name} pages, p99 with {result['pages']['clients']} clients", row["p99_ms"] / 1000,
                base["p99_ms"] / 1000 if base else None, "/favicon.ico under the same load", target,
                f"p50 {row['p50_ms']} ms, {row['requests_per_second']} req/s, {row['errors']} errors")
    for kind in ("goal", "person"):
        turtle, describe = rows.get(f"{kind} .ttl"), rows.get(f"{kind} DESCRIBE (oxigraph)")
        if turtle and describe:
            add("pages", f"{kind} .ttl, p99 with {result['pages']['clients']} clients", turtle["p99_ms"] / 1000,
                describe["p99_ms"] / 1000, "Oxigraph server's DESCRIBE of the same resources",
                f"≤ 3×: {'met' if turtle['p99_ms'] <= 3 * describe['p99_ms'] else 'missed'}")
    cold = result["cold_start"]
    add("pages", "serve: first goal page after start", cold["ready_s"], None, "", f"< 5 s: {'met' if cold['ready_s'] < 5 else 'missed'}",
        f"{cold['mib_per_million_triples']} MiB per million triples")
    for row in result.get("sequential_against_static", []):
        add("pages", f"bundled, sequential: {row['page']} median", row["median_ms"] / 1000, row["static_median_ms"] / 1000,
            "the same page as a static file")


def _remote_import_summary(result: dict, add) -> None:
    add("import (server)", f"kasograph --store URL import, {result['documents_stored']:,} documents", result["wall_s"],
        result["baseline_wall_s"], "the same quads POSTed to an empty server's /store",
        note=f"{result['triples_per_s'] or 0:,} triples/s"
        + (f"; server CPU {result['server_cpu_s']} s" if result["server_cpu_s"] is not None else ""))


SUMMARIES = {("import", False): _import_summary, ("validation", False): _validation_summary,
             ("questions", False): _questions_summary, ("endpoint", False): _endpoint_summary,
             ("graphs", False): _graphs_summary, ("pages", False): _pages_summary,
             ("import", True): _remote_import_summary,
             ("questions", True): lambda result, add: _questions_summary(result, add, "questions (server)"),
             ("pages", True): _pages_summary}


def print_summary(rows: list[dict], stages: list[dict]) -> None:
    print("\nSummary: medians; ratio = kasograph / baseline")
    header = f"{'stage':18} {'what':58} {'kasograph':>10} {'baseline':>10} {'ratio':>8}  {'target':28} baseline; notes"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['stage']:18} {row['what'][:58]:58} {common.seconds(row['kasograph_s']):>10} {common.seconds(row['baseline_s']):>10} "
              f"{common.ratio(row['ratio']):>8}  {row['target']:28} {row['baseline']}{'; ' + row['note'] if row['note'] else ''}")
    for result in stages:
        if result["status"] != "ok":
            print(f"{result['stage']}: {result['status']}: {result.get('error') or result.get('why', '')}")
    print("load average (1, 5, 15 min) before → after each stage: " + "; ".join(
        f"{r['stage']}{' (server)' if r['remote'] else ''} {r['load_average_before']} → {r['load_average_after']}" for r in stages))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="bundled", help="bundled (default), 10k, 100k, 1m, 5m, 10m — or any triple count, e.g. 3k")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of: {', '.join(STAGES)}")
    parser.add_argument("--repeat", type=int, help="timed runs of each measurement [default: 3 imports (1 from 1,000 "
                        "documents), 5 validations and questions]")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--remote", action="store_true", help="import into and ask a real Oxigraph server started for the run")
    where.add_argument("--store", metavar="URL", help="the same against an existing SPARQL server (its URL or a store settings file)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients of the pages stage")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of load for goal and for person pages")
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind in the endpoint stage; bundled "
                        "size: sequential requests per page against static files (0: skip those)")
    parser.add_argument("--rdflib-limit", type=float, default=60, help="seconds rdflib may spend on one question")
    parser.add_argument("--rdflib-load-limit", type=float, default=300, help="seconds rdflib may spend parsing the data")
    parser.add_argument("--probe-limit", type=float, default=120, help="seconds pyoxigraph may take on a question once before "
                        "it is timed")
    parser.add_argument("--validation-sample", type=int, default=20, help="documents pyshacl validates to estimate the store")
    parser.add_argument("--full-pyshacl", action="store_true", help="pyshacl on every document of the store, not a sample")
    parser.add_argument("--big-document-goals", type=int, help="also validate one generated document of this many goals "
                        "[default: 5000; 0 at the bundled size]")
    parser.add_argument("--remote-import-limit", type=float, default=3600, help="seconds the import into a server may take")
    args = parser.parse_args(argv)
    args.size = args.size.strip().lower()
    unknown = sorted(set(args.stages.split(",")) - set(STAGES))
    if unknown:
        parser.error(f"no stage {', '.join(unknown)}; the stages are {', '.join(STAGES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stages = [s for s in STAGES if s in args.stages.split(",")]
    remote_run = bool(args.remote or args.store)
    if remote_run:
        stages = [s for s in stages if s in REMOTE_STAGES]
    about = common.machine()
    started = time.perf_counter()
    print(f"kasograph benchmarks at {args.size}: {about['machine']}, {about['cores']} cores, {about['memory_gib']} GiB, "
          f"Python {about['python']}; {', '.join(f'{k} {v}' for k, v in about['versions'].items() if v)}; "
          f"commit {about['commit']}{' with changes in ' + ', '.join(about['changed_files']) if about['changed_files'] else ''}")
    tables = common.tables(args.size)
    summary = common.tables_summary(tables)
    print(f"data: {summary.get('documents', '?'):,} documents" + (f", {summary['goals']:,} goals (seed {summary['seed']})"
                                                              if "goals" in summary else ""), flush=True)
    with tempfile.TemporaryDirectory(prefix="kasograph-bench-") as folder:
        run = run_remote if remote_run else run_local
        results = run(args, stages, tables, Path(folder))
    rows = summary_rows(results)
    print_summary(rows, results)
    wall = time.perf_counter() - started
    print(f"total wall time {wall:.0f} s")
    if args.json:
        report = {"size": args.size, "triples_target": common.parse_size(args.size), "tables": summary, "machine": about,
                  "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                  "stages": results, "summary": rows, "wall_s": round(wall, 1)}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if all(r["status"] in ("ok", "not available") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
