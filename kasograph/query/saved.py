"""Saved questions: SPARQL queries with a title, a description and named parameters.

Each is a file `kasograph/queries/NAME.rq` whose header comments say what it is:

    # title: Goals of a person
    # title_fi: Henkilön tavoitteet
    # description: The goals a named person is responsible for, …
    # description_fi: Tavoitteet, joista nimetty henkilö vastaa, …
    # param: person = "Tuija Harakka"

A parameter is a variable of the query (`?person`); its value, a literal, is put
in its place before the query runs. The default is the value after `=`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kasograph.errors import InputError, Problem

FOLDER = Path(__file__).resolve().parent / "queries"
_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r'^(\w+)\s*=\s*"(.*)"\s*$')


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    title_fi: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = field(default=())
    description_fi: str = ""  # last, with a default: SavedQuery(...) written before it had one still works

    def title_in(self, lang: str) -> str:
        """The title in `lang` ("fi" or "en")."""
        return self.title_fi if lang == "fi" else self.title

    def description_in(self, lang: str) -> str:
        """The description in `lang`; the English one where a question has no Finnish one."""
        return (self.description_fi or self.description) if lang == "fi" else self.description

    def bind(self, values: dict[str, str] | None = None) -> dict[str, str]:
        """Every parameter's value: the given one, or the default. Unknown names are an error."""
        values = values or {}
        unknown = sorted(set(values) - {p.name for p in self.parameters})
        if unknown:
            known = ", ".join(p.name for p in self.parameters) or "none"
            raise InputError([Problem(f"saved question {self.name!r}", f"unknown parameter(s) {', '.join(unknown)}; it takes: {known}",
                                      f"tuntematon parametri {', '.join(unknown)}; sallitut: {known}")])
        return {p.name: values.get(p.name, p.default) for p in self.parameters}


def parse(name: str, text: str) -> SavedQuery:
    header: dict[str, str] = {}
    parameters = []
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = match.groups()
        if key == "param":
            param = _PARAM.match(value)
            if not param:
                raise ValueError(f"{name}.rq: a parameter is written name = \"default\", not {value!r}")
            parameters.append(Parameter(*param.groups()))
        else:
            header[key] = value.strip()
    return SavedQuery(name, header.get("title", name), header.get("title_fi", header.get("title", name)),
                      header.get("description", ""), text, tuple(parameters), header.get("description_fi", ""))


@lru_cache(maxsize=1)
def catalogue() -> dict[str, SavedQuery]:
    """Every saved question, by name."""
    return {p.stem: parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(FOLDER.glob("*.rq"))}


def get(name: str) -> SavedQuery:
    queries = catalogue()
    if name not in queries:
        raise InputError([Problem("saved questions", f"no saved question {name!r}; there are: {', '.join(queries)}",
                                  f"tallennettua kysymystä {name!r} ei ole")])
    return queries[name]
