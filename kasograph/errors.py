"""Errors that tell a person what is wrong and where (file, sheet, row, column, cell, line)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kasograph.texts import words

Severity = Literal["error", "warning"]



@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    `row` is the spreadsheet row (the number Excel shows; in a CSV file the
    record's number, the header being 1); `line` the physical line of a text
    file, which differs from the row when a cell holds line breaks; `column`
    the column's header as written; `cell` the Excel reference ("J4"); `sheet`
    the worksheet's name. A warning does not stop a file from being read.
    """

    file: str
    message: str
    message_fi: str = ""
    row: int | None = None
    column: str | None = None
    value: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    severity: Severity = "error"

    def where(self, lang: str = "en") -> str:
        w = words("where", lang)
        parts = [self.file]
        if self.sheet:
            parts.append(f"{w['sheet']} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{w['row']} {self.row}")
        if self.line is not None:
            parts.append(f"{w['line']} {self.line}")
        if self.column:
            parts.append(f"{w['column']} '{self.column}'")
        if self.cell:
            parts.append(f"{w['cell']} {self.cell}")
        return ", ".join(parts)

    def text(self, lang: str = "en") -> str:
        """The problem in one line, without its severity (callers say "error:" or "warning:", see `label`)."""
        w = words("where", lang)
        message = self.message_fi if lang == "fi" and self.message_fi else self.message
        shown = f" ({w['value']}: {_short(self.value)!r})" if self.value else ""
        return f"{self.where(lang)}: {message}{shown}"

    def label(self, lang: str = "en") -> str:
        """The severity as a word of the language: error/warning, virhe/varoitus."""
        return words("where", lang)[self.severity]

    def __str__(self) -> str:
        return self.text()


class InputError(Exception):
    """An input could not be read; nothing was built or written from it.

    `problems` are the errors; `warnings` what else was noticed on the way
    (e.g. hidden rows that were skipped), so that one run tells everything.
    """

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = list(warnings or [])
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):  # whole across processes (an import reads tables in worker processes)
        return (type(self), (self.problems, self.warnings))


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
