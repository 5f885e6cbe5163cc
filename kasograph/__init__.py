"""kasograph: a city division's yearly goals as a validated knowledge graph.

Data flows one way: table → records (`table`) → RDF (`build`) → validation
(`validate`) → store (`store`) → queries and dumps.
"""

from kasograph.api import open  # noqa: A004 - kasograph.open() is the notebook entry point
from kasograph.model.build import build_dataset, build_document
from kasograph.model.sources import bundled_dataset, load_dataset
from kasograph.model.validate import validate_dataset, validate_graph, validate_source
from kasograph.source.table import read_document
from kasograph.store.engine import GoalStore
from kasograph.version import __version__

__all__ = [
    "GoalStore",
    "__version__",
    "build_dataset",
    "build_document",
    "bundled_dataset",
    "load_dataset",
    "open",
    "read_document",
    "validate_dataset",
    "validate_graph",
    "validate_source",
]
