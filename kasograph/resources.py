"""Where the ontology, the shapes and the bundled documents are.

In a source checkout they are the top-level `ontology/` and `data/` folders; an
installed wheel carries copies inside the package (`kasograph/_bundled/`).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kasograph's {name}/ folder is missing from the installation")


def ontology_path() -> Path:
    return _folder("ontology") / "kasograph.ttl"


def shapes_path() -> Path:
    return _folder("ontology") / "shapes.ttl"


def bundled_documents() -> list[Path]:
    """The folders of the documents that ship with kasograph (each has a document.toml)."""
    return sorted(p.parent for p in _folder("data").glob("*/document.toml"))
