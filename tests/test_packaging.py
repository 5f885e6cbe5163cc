"""A plain (non-editable) install carries the ontology and the bundled data with it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True, capture_output=True,
    )
    [wheel] = out.glob("kasograph-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_wheel_carries_ontology_and_data(unpacked_wheel):
    bundled = unpacked_wheel / "kasograph" / "_bundled"
    for name in ("ontology/kasograph.ttl", "ontology/shapes.ttl", "data/vantaa-kaso-2021/document.toml",
                 "data/vantaa-kaso-2021/goals.csv", "data/vantaa-kaso-2021/source.txt"):
        assert (bundled / name).is_file(), name


def test_installed_package_works_from_any_folder(unpacked_wheel, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "kasograph", *args], cwd=tmp_path, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=120)
    validated = run("validate")
    assert validated.returncode == 0, validated.stderr
    assert "conforms" in validated.stdout
    answered = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?g a kg:Goal }", "--format", "csv")
    assert answered.stdout.splitlines()[1] == "10"
    # It really ran from the wheel, not from the checkout.
    where = subprocess.run([sys.executable, "-c", "import kasograph.resources as r; print(r.ontology_path())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert where.stdout.strip().startswith(str(unpacked_wheel))
