"""Records: what a goal table says, before it becomes RDF.

The table reader produces these; the builder turns them into triples. Keeping
this middle layer small and plain lets other readers (XLSX, other layouts)
feed the same builder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from kasograph.errors import Problem

AgentKind = Literal["person", "post", "unit"]
Role = Literal["person", "body"]  # which part of the responsibility cell named the agent
Column = Literal["metric", "baseline", "target", "outcome"]
TEXT_COLUMNS: tuple[Column, ...] = ("metric", "baseline", "target", "outcome")


@dataclass(frozen=True)
class Responsible:
    """A party named as responsible for a goal."""

    name: str
    kind: AgentKind
    role: Role


@dataclass
class Goal:
    """One row of a goal table."""

    key: str
    row: int
    theme: str
    text: str
    status: str  # IRI of the status concept
    texts: dict[str, str] = field(default_factory=dict)  # Column -> text as written
    responsible: list[Responsible] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)


@dataclass
class StatedNumber:
    """A number (or date) that a goal's text states, with the words that state it."""

    goal: str
    column: Column
    quote: str
    value: int | Decimal | str  # str: an ISO date, year-month or year
    unit: str  # count | percent | date
    period: str  # ISO date, year-month or year the value refers to
    comparator: str  # exactly | at-least | at-most | approximately
    measure: str
    measure_en: str
    row: int


@dataclass
class Mention:
    """An organisation, project, system, survey or unit that a goal's text names."""

    goal: str
    column: Column
    quote: str
    name: str  # name as written in the source (may be empty when only an inflected form appears)
    name_en: str
    kind: str
    refers_to: str  # name of a responsible unit of the same table, when the mention is one of them
    row: int


@dataclass
class DocumentInfo:
    """What a document's sidecar (document.toml) says about it."""

    id: str
    title: str
    language: str
    year: int
    city: str
    division: str
    division_abbreviation: str = ""
    pages: int | None = None
    title_en: str = ""
    publisher: str = "kasograph project"
    license: str = ""
    rights: str = ""
    baseline_date: date | None = None
    target_period: int | None = None
    outcome_month: tuple[int, int] | None = None  # (year, month)
    source_url: str = ""  # where the source document is published


@dataclass
class Document:
    """Everything read from one source document's tables."""

    info: DocumentInfo
    goals: list[Goal]
    numbers: list[StatedNumber] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    translations_en: dict[str, str] = field(default_factory=dict)
    source_text: str | None = None
    folder: Path | None = None
    warnings: list[Problem] = field(default_factory=list)  # what was read with misgivings (hidden rows, unread columns, …)
