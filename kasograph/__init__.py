"""kasograph: a city division's yearly goals as a validated knowledge graph.

Data flows one way: table → records (`table`) → RDF (`build`) → validation
(`validate`) → store (`store`) → queries and dumps.
"""

from .api import open  # noqa: A004 - kasograph.open() is the notebook entry point
from .build import build_dataset, build_document
from .sources import bundled_dataset, load_dataset
from .store import GoalStore
from .table import read_document
from .validate import validate_dataset, validate_graph, validate_source

__version__ = "0.1.0"
__all__ = [
    "GoalStore",
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
