"""Shared fixtures: the bundled document, its graph and a store are built once per run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kasograph import resources
from kasograph.model.build import build_dataset, build_document
from kasograph.namespaces import DEFAULT_BASE
from kasograph.source.table import read_document
from kasograph.store.engine import GoalStore

from .servers import listener  # noqa: F401 - a fixture for every test module

KASO = resources.bundled_documents()[0]


@pytest.fixture(scope="session", autouse=True)
def no_user_store(tmp_path_factory):
    """Point kasograph (and every server the tests start) at an empty store directory, so that
    documents a user imported on this machine never change what the tests see."""
    import os

    previous = os.environ.get("KASOGRAPH_STORE")
    os.environ["KASOGRAPH_STORE"] = str(tmp_path_factory.mktemp("no-store") / "store")
    yield
    if previous is None:
        os.environ.pop("KASOGRAPH_STORE", None)
    else:
        os.environ["KASOGRAPH_STORE"] = previous


@pytest.fixture(scope="session")
def document():
    return read_document(KASO)


@pytest.fixture(scope="session")
def source_text() -> str:
    return (KASO / "source.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def graph(document):
    """The named graph of the bundled document (do not mutate: copy first)."""
    return build_document(document, DEFAULT_BASE)


@pytest.fixture(scope="session")
def dataset(document):
    return build_dataset([document], DEFAULT_BASE)


@pytest.fixture(scope="session")
def store(dataset) -> GoalStore:
    return GoalStore.from_dataset(dataset)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def document_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled document folder, for tests that break it."""
    target = tmp_path / KASO.name
    target.mkdir()
    for file in KASO.iterdir():
        (target / file.name).write_bytes(file.read_bytes())
    return target


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def app():
    """The viewer on the bundled data, built once."""
    from kasograph_web import create_app

    application = create_app()
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()
