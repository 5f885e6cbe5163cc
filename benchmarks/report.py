"""Markdown tables of suite runs, for benchmarks/README.md.

    python -m benchmarks.report RESULTS.json [MORE.json …]

Each file is what `python -m benchmarks --json FILE` wrote: for each, the summary (every figure
against its baseline) and the saved questions in full, with the machine and the load averages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import ms, ratio, seconds


def header(report: dict) -> str:
    machine = report["machine"]
    versions = machine["versions"]
    loads = "; ".join(f"{s['stage']}{' (server)' if s.get('remote') else ''} {s['load_average_before'][0]}–"
                      f"{s['load_average_after'][0]}" for s in report["stages"])
    tables = report["tables"]
    data = f"{tables.get('documents', 1):,} documents" + (f", {tables['goals']:,} goals" if "goals" in tables else "")
    return (f"**{report['size']}** ({data}; {machine['machine']}, {machine['cores']} cores, {machine['memory_gib']:.0f} GiB, "
            f"Python {machine['python']}, pyoxigraph {versions['pyoxigraph']}, pyshacl-turbo {versions['pyshacl-turbo']}, "
            f"pyshacl {versions['pyshacl']}, rdflib {versions['rdflib']}; commit {machine['commit']}; "
            f"1-minute load average before–after each stage: {loads}; {report['wall_s'] / 60:.0f} min in all)")


def summary_table(report: dict, skip: tuple[str, ...] = ("questions",)) -> list[str]:
    lines = ["| stage | what | kasograph | baseline | ratio | target | baseline; notes |", "|---|---|---:|---:|---:|---|---|"]
    for row in report["summary"]:
        if row["stage"].split(" ")[0] in skip:
            continue
        note = row["baseline"] + (f"; {row['note']}" if row["note"] else "")
        lines.append(f"| {row['stage']} | {row['what']} | {seconds(row['kasograph_s'])} | {seconds(row['baseline_s'])} | "
                     f"{ratio(row['ratio'])} | {row['target']} | {note} |")
    return lines


def questions_table(stage: dict) -> list[str]:
    baseline = stage["baseline"]
    lines = [f"| question | rows | {baseline} first | {baseline} | endpoint first | endpoint | endpoint / {baseline} | rdflib |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for q in stage["questions"]:
        rows = q["rows"].get(baseline, q["rows"].get("endpoint"))
        if q["rdflib_status"] == "ok":
            rdflib = f"{ms(q['rdflib_ms'])} ({ratio(q['rdflib_ratio'])})"
        elif q["rdflib_status"] == "timeout":
            rdflib = f"> {stage['rdflib_limit_s']:g} s"
        else:
            rdflib = q["rdflib_status"]
        endpoint = "error" if q["endpoint_error"] else ms(q["endpoint_ms"])
        if q.get("endpoint_via", "/sparql") != "/sparql":
            endpoint += f" (at `{q['endpoint_via']}`)"
        lines.append(f"| {q['name']} | {'–' if rows is None else f'{rows:,}'}{'' if q['engines_agree'] else ' ≠'} | "
                     f"{ms(q['baseline_first_ms'])} | {ms(q['baseline_ms'])} | {ms(q['endpoint_first_ms'])} | {endpoint} | "
                     f"{ratio(q['endpoint_ratio'])} | {rdflib} |")
    return lines


def render(path: Path) -> str:
    report = json.loads(path.read_text(encoding="utf-8"))
    parts = [header(report), "", *summary_table(report)]
    for stage in report["stages"]:
        if stage["stage"] == "questions" and stage["status"] == "ok":
            parameters = ", ".join(f"{name} = “{p['value']}” ({p['why']})" for name, p in stage["parameters"].items())
            parts += ["", f"Saved questions{' (server)' if stage.get('remote') else ''}, ms: the first request, then the median "
                      f"of {stage['repeat']} more; parameters: {parameters}; rdflib: {stage.get('rdflib_note', '')}", "",
                      *questions_table(stage)]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    for name in argv if argv is not None else sys.argv[1:]:
        print(render(Path(name)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
