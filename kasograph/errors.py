"""Errors that tell a person what is wrong and where (file, row, column, line)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    message: str
    message_fi: str = ""
    row: int | None = None
    column: str | None = None
    value: str | None = None
    line: int | None = None

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def text(self, lang: str = "en") -> str:
        message = self.message_fi if lang == "fi" and self.message_fi else self.message
        shown = f" (value: {_short(self.value)!r})" if self.value else ""
        return f"{self.where()}: {message}{shown}"

    def __str__(self) -> str:
        return self.text()


class InputError(Exception):
    """An input could not be read; nothing was built or written from it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
