"""Reading names out of responsibility cells, and the rules that make IRIs of them.

Rules (documented in the README, relied on across documents):

* Parties in the persons cell are separated by commas, "&" and "ja"; a
  "Vastuutaho:" inside the cell starts the responsible bodies. Bodies are
  separated by commas and semicolons only, because their names contain "ja".
* A name ending in "ryhmä", "tiimi", "verkosto", "toimikunta" or "lautakunta" is
  a unit (a development group when it names "kehittämisryhmä", a management
  team when "johtoryhmä"); a single word is a post ("palvelualuejohtajat",
  "osallisuusasiantuntija"); two or more capitalised words are a person.
* Two names are the same party when they are equal after whitespace is
  collapsed and case is folded.
"""

from __future__ import annotations

import re
import unicodedata

from kasograph.source.records import AgentKind

_BODY_MARKER = re.compile(r"vastuutaho\s*:", re.IGNORECASE)
_UNIT_ENDINGS = ("ryhmä", "tiimi", "verkosto", "toimikunta", "lautakunta")
_NAME_WORD = re.compile(r"^[A-ZÅÄÖÜÉ][\w'’.-]*$")


def tidy(text: str) -> str:
    """Collapse runs of whitespace; keep the words and their hyphens as written."""
    return " ".join(text.split())


def name_key(name: str) -> str:
    """The identity of a party's name: whitespace collapsed, case folded."""
    return tidy(name).casefold()


def split_responsibility_cell(text: str) -> tuple[list[str], list[str]]:
    """Split a "Vastuuhenkilö(t)" cell into (persons-part names, body names)."""
    persons_part, bodies_part = text, ""
    match = _BODY_MARKER.search(text)
    if match:
        persons_part, bodies_part = text[: match.start()], text[match.end() :]
    return split_persons(persons_part), split_bodies(bodies_part)


def split_persons(text: str) -> list[str]:
    names: list[str] = []
    for part in re.split(r"[,&;\n]", text):
        part = tidy(part)
        if not part:
            continue
        # "Ilkka Kalo ja Anders Vikström": split on "ja" only between person-like names,
        # so that a group's name with "ja" in it survives.
        pieces = [tidy(p) for p in re.split(r"\s+ja\s+", part)]
        if len(pieces) > 1 and all(classify(p) == "person" for p in pieces):
            names.extend(pieces)
        else:
            names.append(part)
    return names


def split_bodies(text: str) -> list[str]:
    return [tidy(p) for p in re.split(r"[,;\n]", text) if tidy(p)]


def classify(name: str) -> AgentKind | None:
    """Tell a person from a post from a unit by the shape of the name (None: cannot tell)."""
    name = tidy(name)
    lowered = name.casefold()
    if lowered.endswith(_UNIT_ENDINGS):
        return "unit"
    words = name.split(" ")
    if len(words) == 1:
        return "post" if re.fullmatch(r"[\w-]+", name) else None
    if all(_NAME_WORD.match(w) for w in words):
        return "person"
    return None


def unit_type(name: str) -> str:
    """'development-group', 'management-team' or 'unit'."""
    lowered = name.casefold()
    if "kehittämisryhmä" in lowered:
        return "development-group"
    if "johtoryhmä" in lowered:
        return "management-team"
    return "unit"


def post_label(name: str) -> str:
    """A post's label: Finnish titles are common nouns, capitalised only at the start of a sentence."""
    name = tidy(name)
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def slug(text: str, max_words: int | None = None) -> str:
    """An IRI path segment: ASCII, lower case, words joined by '-' ("Ä" → "a")."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", folded)
    if max_words:
        words = words[:max_words]
    return "-".join(words)
