"""A plain (non-editable) install carries the ontology, the bundled data and the viewer with it."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from .servers import free_port, wait_for_kasograph

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


def test_wheel_carries_the_viewer_and_the_saved_questions(unpacked_wheel):
    """The viewer is a package of its own at the top of the wheel (web/ is only where it lives in a checkout),
    with every template and static file; the library brings its saved questions."""
    viewer = unpacked_wheel / "kasograph_web"
    for name in ("__init__.py", "app.py", "templates/base.html", "templates/_partials/header.html", "static/style.css",
                 "static/query.js", "static/favicon.svg"):
        assert (viewer / name).is_file(), name
    for folder in ("templates", "static"):
        checkout = ROOT / "web" / "kasograph_web" / folder
        files = [p.relative_to(checkout) for p in checkout.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        assert files and all((viewer / folder / f).is_file() for f in files), folder
    assert not (unpacked_wheel / "web").exists()
    questions = sorted(p.name for p in (ROOT / "kasograph" / "query" / "queries").glob("*.rq"))
    assert questions and sorted(p.name for p in (unpacked_wheel / "kasograph" / "query" / "queries").glob("*.rq")) == questions


def test_installed_wheel_serves_the_viewer_from_any_folder(unpacked_wheel, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel)}
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--processes", "1", "--no-warm-up"], cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_kasograph(f"http://127.0.0.1:{port}/", process, log, seconds=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.en.html", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200 and 'href="static/style.css"' in page and "Vantaa" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/style.css", timeout=30) as response:
            assert response.status == 200 and response.read()
    finally:
        process.terminate()
        process.wait(timeout=30)
    # It was the wheel's viewer, not the checkout's.
    where = subprocess.run([sys.executable, "-c", "import kasograph_web; print(kasograph_web.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert where.stdout.strip().startswith(str(unpacked_wheel))
