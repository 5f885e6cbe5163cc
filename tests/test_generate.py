"""The benchmark generator (benchmarks/generate.py): reproducible, sized as asked, realistic in the
proportions of the bundled table, and what it writes imports cleanly through `kasograph import`."""

from __future__ import annotations

import csv
import json
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from benchmarks import generate
from kasograph.cli import main
from kasograph.model.build import build_document
from kasograph.source.names import classify, slug, split_responsibility_cell, tidy
from kasograph.source.table import read_document

SMALL_GRID = ["--cities", "2", "--divisions", "2", "--years", "3"]


def write(out: Path, *args: str) -> Path:
    assert generate.main([str(out), "--quiet", *args]) == 0
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir())


def rows(folder: Path, name: str = "goals.csv") -> list[dict[str, str]]:
    path = folder / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_same_seed_writes_byte_identical_files(tmp_path):
    first = files(write(tmp_path / "a", "--goals", "80", *SMALL_GRID))
    again = files(write(tmp_path / "b", "--goals", "80", *SMALL_GRID))
    assert first == again
    assert {name.split("/")[-1] for name in first if "/" in name} == {"document.toml", "goals.csv", "numbers.csv", "translations-en.csv"}
    assert json.loads(first["generated.json"])["goals"] == 80
    other = files(write(tmp_path / "c", "--goals", "80", *SMALL_GRID, "--seed", "7"))
    assert other != first


def test_a_smaller_size_is_a_prefix_of_a_larger_one(tmp_path):
    small = files(write(tmp_path / "small", "--goals", "30", *SMALL_GRID))
    large = files(write(tmp_path / "large", "--goals", "90", *SMALL_GRID))
    complete = sorted({name.split("/")[0] for name in small})[:-1]  # the last document of the smaller set is cut short
    assert complete and all(small[name] == large[name] for name in small if "/" in name and name.split("/")[0] in complete)


def test_sizes_are_respected(tmp_path):
    out = write(tmp_path / "goals", "--goals", "100")
    sizes = [len(rows(f)) for f in folders(out)]
    assert sum(sizes) == 100 and all(10 <= n <= 15 for n in sizes[:-1]) and 1 <= sizes[-1] <= 15

    grid = write(tmp_path / "grid", "--cities", "2", "--divisions", "3", "--years", "2", "--first-year", "2020")
    names = [f.name for f in folders(grid)]
    assert len(names) == 2 * 3 * 2 and len({n.rsplit("-", 2)[0] for n in names}) == 2
    assert {n.rsplit("-", 2)[1] for n in names} == {"kaso", "kaym", "sote"} and {n[-4:] for n in names} == {"2020", "2021"}
    for folder in folders(grid):
        config = tomllib.loads((folder / "document.toml").read_text(encoding="utf-8"))
        assert config["document"]["id"] == folder.name and config["document"]["year"] == int(folder.name[-4:])
        assert slug(config["organisation"]["city"]) == folder.name.rsplit("-", 2)[0]

    fixed = write(tmp_path / "fixed", "--goals", "36", "--goals-per-document", "12")
    assert [len(rows(f)) for f in folders(fixed)] == [12, 12, 12]

    [one] = folders(write(tmp_path / "one", "--one-document-goals", "300"))
    goals = rows(one)
    assert len(goals) == 300 and len({g["Tunniste"] for g in goals}) == 300
    assert len({g["Toimialan tavoite"].casefold() for g in goals}) == 300

    with pytest.raises(SystemExit):  # more goals than the grid can hold
        generate.main([str(tmp_path / "too-many"), "--quiet", "--goals", "1000", "--cities", "1", "--divisions", "1", "--years", "2"])


def test_a_size_in_triples_comes_out_about_right(tmp_path):
    out = write(tmp_path / "triples", "--triples", "4k")
    note = json.loads((out / "generated.json").read_text(encoding="utf-8"))
    built = sum(len(build_document(read_document(folder))) for folder in folders(out))
    assert 0.85 * 4000 <= built <= 1.15 * 4000, (built, note)
    assert 35 < note["triples_per_goal"] < 80


def test_the_tables_have_the_proportions_of_the_real_one(tmp_path):
    out = write(tmp_path / "sample", "--goals", "2400", "--cities", "3")
    statuses, persons_cells, bodies = Counter(), Counter(), Counter()
    numbers = goals = 0
    seen: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)  # (city, person) → {(division, year)}
    for folder in folders(out):
        city, division, year = folder.name.rsplit("-", 2)
        texts = {}
        for goal in rows(folder):
            goals += 1
            statuses[goal["Tila"]] += 1
            cell = goal["Vastuuhenkilö(t)"]
            persons_cells.update(sep for sep in (", ", " & ", " ja ", "Vastuutaho:") if sep in cell)
            named, in_cell = split_responsibility_cell(cell)
            for name in named + in_cell + [b.strip() for b in goal["Vastuutaho"].split(",") if b.strip()]:
                kind = classify(name)
                assert kind is not None, name
                if kind == "person":
                    seen[(city, name)].add((division, year))
                elif kind == "unit":
                    bodies["kehittämisryhmä" if "kehittämisryhmä" in name else "other unit"] += 1
                else:
                    bodies["post"] += 1
            texts[goal["Tunniste"]] = {c: tidy(goal[h]) for c, h in (("baseline", next(k for k in goal if k.startswith("Lähtötaso"))),
                                                                      ("target", next(k for k in goal if k.startswith("Tavoitetaso"))),
                                                                      ("outcome", next(k for k in goal if k.startswith("Toteuma"))))}
        for number in rows(folder, "numbers.csv"):
            numbers += 1
            assert tidy(number["quote"]) in texts[number["goal"]][number["column"]]
    assert goals == 2400
    assert 0.74 < statuses["Toteutuu täysin"] / goals < 0.82 and 0.16 < statuses["Toteutuu osittain"] / goals < 0.23
    assert 0.01 < statuses["Ei toteudu"] / goals < 0.05
    assert 1.0 < numbers / goals < 1.2  # the bundled table states 11 numbers in 10 goals
    assert all(persons_cells[sep] for sep in (", ", " & ", " ja ", "Vastuutaho:"))
    assert bodies["kehittämisryhmä"] > bodies["other unit"] > 0 and bodies["post"] > 0
    years_per_person = [len({y for _, y in places}) for places in seen.values()]
    assert sum(years_per_person) / len(years_per_person) > 3  # people persist across years …
    assert any(len({d for d, _ in places}) > 1 for places in seen.values())  # … and some carry goals in several divisions


def test_the_documents_say_they_are_generated_and_name_no_source_text(tmp_path):
    for folder in folders(write(tmp_path / "docs", "--goals", "30")):
        config = tomllib.loads((folder / "document.toml").read_text(encoding="utf-8"))
        assert "GENERATED" in config["dataset"]["rights"] and "fictional" in config["dataset"]["rights"]
        assert "source_text" not in config["document"]
    names = list(zip(range(400), generate.city_names(generate.SEED)))
    assert len({slug(name) for _, name in names}) == 400


def test_generated_documents_import_cleanly_with_the_cli(runner, tmp_path):
    out = write(tmp_path / "docs", "--goals", "18", "--goals-per-document", "6", "--cities", "1", "--divisions", "1", "--years", "3")
    store = tmp_path / "store"
    for folder in folders(out):
        done = runner.invoke(main, ["--store", str(store), "import", str(folder)], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        assert f"imported {folder.name}" in done.output and "warning" not in done.output
    listed = json.loads(runner.invoke(main, ["--store", str(store), "documents", "--format", "json"]).output)
    assert sorted(d["id"] for d in listed) == [f.name for f in folders(out)]
    counted = runner.invoke(main, ["--store", str(store), "query", "--format", "csv",
                                   "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }"])
    assert counted.output.splitlines()[1] == "18"
    carried = runner.invoke(main, ["--store", str(store), "query", "--format", "csv",
                                   "SELECT (COUNT(*) AS ?n) WHERE { ?later prov:wasRevisionOf ?earlier }"])
    assert int(carried.output.splitlines()[1]) > 0  # goals carried over from one year to the next are linked
