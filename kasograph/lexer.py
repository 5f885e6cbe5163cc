"""What a SPARQL text says before it runs, read with the terminals of the SPARQL 1.1 grammar.

The endpoint decides three things before a query reaches an engine: whether it is an
update, which `SERVICE`s it calls (the engine would open a connection to each), and
whether it names graphs (if not, the union alone answers it). A scan that is almost the
grammar is no basis for that, so this one tokenizes exactly by the grammar's terminals
(SPARQL 1.1 § 19.8, with SPARQL 1.2's UCHAR in strings and IRIs and LANGDIR, which
Oxigraph reads), longest match first, as a tokenizer-based engine (Jena, Virtuoso) does.

Engines do not all read alike at the corners, and where they may differ the reading says
so instead of guessing (`Reading.ambiguous`), and the endpoint refuses the query:

* Oxigraph's parser (a PEG) matches a keyword without looking at what follows it, so
  where its other readings fail it reads `trueSERVICE<…>` as `true SERVICE <…>` and
  `SERVICE:x` as `SERVICE :x`. A word that is no SPARQL keyword, or a prefixed name whose
  prefix holds SERVICE, is refused: the standard grammar has no such token (a keyword
  is a whole word), so only a misreading can give it a meaning.
* Oxigraph ends a local name at its second dotted part (`x:a.b.SERVICE` is `x:a.b`
  then `.SERVICE`); the grammar lets local names hold any number of dots. Such a name is
  refused.
* SPARQL 1.1 applies `\\u` escapes to the whole text before parsing (rdflib, Jena);
  Oxigraph 0.5 does not (it reads them in strings and IRIs only). A text with escapes
  is read both ways and the two readings are joined: a SERVICE in either counts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

# The grammar's character classes (§ 19.8), as regular-expression class bodies.
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
         "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\\\"']"
# "Any of these and dots, not ending in a dot" is written (\.*X)*+: the same names, read in linear time
# (possessive, so that a long run of names and dots that is no prefixed name is not tried again and again).
_PN_PREFIX = f"[{_BASE}](?:\\.*[{_CHARS}])*+"
_PN_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:\\.*(?:[{_CHARS}:]|{_PLX}))*+"
#: Oxigraph 0.5's PN_LOCAL: at most one run of dots, then the name ends.
_OXIGRAPH_PN_LOCAL = re.compile(f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*(?:\\.+(?:[{_CHARS}:]|{_PLX})+)?")
_EXPONENT = "[eE][+-]?[0-9]+"

# Alternatives in the order that makes the first match the longest one at each position.
TOKENS = re.compile(f"""
    (?P<space>[ \\t\\r\\n]+)
  | (?P<comment>\\#[^\\r\\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*'''
              | \"\"\"(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*\"\"\"
              | '(?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*'
              | "(?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*")
  | (?P<blank>_:[{_U}0-9](?:\\.*[{_CHARS}])*+)
  | (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
  | (?P<var>[?$][{_U}0-9][{_U}0-9\\u00b7\\u0300-\\u036f\\u203f-\\u2040]*)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)
  | (?P<number>[0-9]+\\.[0-9]*{_EXPONENT}|\\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}|[0-9]*\\.[0-9]+|[0-9]+)
  | (?P<nil>\\([ \\t\\r\\n]*\\))
  | (?P<anon>\\[[ \\t\\r\\n]*\\])
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\\^\\^|&&|\\|\\||!=|<=|>=|[{{}}()\\[\\].,;*+\\-/!=<>^|~?$@])
  | (?P<error>.)
""", re.VERBOSE | re.DOTALL)
_NO_PNAME = re.compile(TOKENS.pattern.replace("(?P<pname>", "(?P<unused>(?!)"), re.VERBOSE | re.DOTALL)
_PREFIX_RUN = re.compile(_PN_PREFIX)
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

#: Every keyword of SPARQL 1.1 Query and Update, and those Oxigraph adds (SPARQL 1.2, LATERAL, ADJUST).
KEYWORDS = frozenset("""
    ABS ADD ADJUST ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT CONSTRUCT CONTAINS
    COPY COUNT CREATE DATA DATATYPE DAY DEFAULT DELETE DESC DESCRIBE DISTINCT DROP ENCODE_FOR_URI EXISTS
    FALSE FILTER FLOOR FROM GRAPH GROUP GROUP_CONCAT HASLANG HASLANGDIR HAVING HOURS IF IN INSERT INTO IRI
    ISBLANK ISIRI ISLITERAL ISNUMERIC ISTRIPLE ISURI LANG LANGDIR LANGMATCHES LATERAL LCASE LIMIT LOAD MAX
    MD5 MIN MINUS MINUTES MONTH MOVE NAMED NOT NOW OBJECT OFFSET OPTIONAL ORDER PREDICATE PREFIX RAND
    REDUCED REGEX REPLACE ROUND SAMETERM SAMPLE SECONDS SELECT SEPARATOR SERVICE SHA1 SHA256 SHA384 SHA512
    SILENT STR STRAFTER STRBEFORE STRDT STRENDS STRLANG STRLANGDIR STRLEN STRSTARTS STRUUID SUBJECT SUBSTR
    SUM TIMEZONE TO TRIPLE TRUE TZ UCASE UNDEF UNION URI USING UUID VALUES VERSION WHERE WITH YEAR
""".split()) | {"A"}  # `a` (rdf:type) is a keyword too
#: The words of SPARQL Update; a query holds none of them as a keyword.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"})


class Token(NamedTuple):
    kind: str  # iri, string, blank, pname, var, langtag, number, nil, anon, word, punct, error
    text: str
    start: int  # offset in the text that was read


@dataclass
class Reading:
    """What a query says, as far as the endpoint must know before it runs."""

    services: list[Token] = field(default_factory=list)  # the token after each SERVICE [SILENT]
    updates: set[str] = field(default_factory=set)  # update keywords, upper-cased
    names_graphs: bool = False  # GRAPH, FROM or FROM NAMED (or a name that an engine may read so)
    has_from: bool = False  # FROM or FROM NAMED: the query gives its own dataset
    ambiguous: list[str] = field(default_factory=list)  # why engines may read it differently
    depth: int = 0  # deepest nesting of ( { [

    def join(self, other: "Reading") -> "Reading":
        """Both readings at once: whatever either sees counts."""
        return Reading(self.services + other.services, self.updates | other.updates,
                       self.names_graphs or other.names_graphs, self.has_from or other.has_from,
                       self.ambiguous + other.ambiguous, max(self.depth, other.depth))


def tokens(sparql: str) -> list[Token]:
    """The tokens of a text, without white space and comments (each as the grammar's terminals match it)."""
    found: list[Token] = []
    position, plain_until = 0, 0
    while position < len(sparql):
        match = (TOKENS if position >= plain_until else _NO_PNAME).match(sparql, position)
        if position >= plain_until and match.lastgroup != "pname":
            # No prefixed name starts anywhere in this run of name characters and dots (no colon ends
            # it): not trying again at each of its words keeps `a.a.a.…` linear.
            run = _PREFIX_RUN.match(sparql, position)
            plain_until = run.end() if run else position
        if match.lastgroup not in ("space", "comment"):
            found.append(Token(match.lastgroup, match.group(), position))
        position = match.end()
    return found


def unescaped(sparql: str) -> str:
    """The text with its \\u and \\U escapes applied, as SPARQL 1.1 § 19.2 does before parsing."""
    def codepoint(match: re.Match) -> str:
        number = int(match.group(1) or match.group(2), 16)
        return chr(number) if number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF else match.group()

    return CODEPOINT.sub(codepoint, sparql)


def read(sparql: str) -> Reading:
    """The reading of a query: both ways when it holds \\u escapes (see the module's notes)."""
    reading = _read(tokens(sparql), sparql)
    if CODEPOINT.search(sparql):
        text = unescaped(sparql)
        reading = reading.join(_read(tokens(text), text))
    return reading


def _read(found: list[Token], text: str) -> Reading:
    reading = Reading()
    depth = 0
    for index, token in enumerate(found):
        if token.kind in ("punct", "nil", "anon") and token.text[0] in "({[":
            depth += token.kind == "punct"
            reading.depth = max(reading.depth, depth)
        elif token.kind == "punct" and token.text in ")}]":
            depth -= 1
        elif token.kind == "word":
            _read_word(token, found[index + 1:index + 3], reading, text)
        elif token.kind == "pname":
            _read_name(token, reading, text)
    return reading


def _read_word(token: Token, following: list[Token], reading: Reading, text: str) -> None:
    keyword = token.text.upper()
    if keyword not in KEYWORDS:
        reading.ambiguous.append(f"{_at(text, token.start)}: {token.text!r} is no SPARQL keyword")
    elif keyword in UPDATE_KEYWORDS:
        reading.updates.add(keyword)
    elif keyword in ("GRAPH", "FROM"):
        reading.names_graphs = True
        reading.has_from = reading.has_from or keyword == "FROM"
    elif keyword == "SERVICE":
        if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
            following = following[1:]
        reading.services.append(following[0] if following else Token("error", "", token.start + len(token.text)))


def _read_name(token: Token, reading: Reading, text: str) -> None:
    prefix, _, local = token.text.partition(":")
    folded = prefix.upper().lower()  # as engines that fold beyond ASCII would (ſ is S to Python and Java)
    if "service" in folded:
        reading.ambiguous.append(f"{_at(text, token.start)}: the prefix {prefix!r} holds SERVICE, which Oxigraph may read "
                                 "as the keyword; name the prefix otherwise")
    if "graph" in folded or "from" in folded:
        reading.names_graphs = True
    if local and len(_OXIGRAPH_PN_LOCAL.match(local).group()) != len(local):
        reading.ambiguous.append(f"{_at(text, token.start)}: Oxigraph ends the name {token.text!r} at its second dot; "
                                 "write it as a full <IRI>")


def _at(text: str, offset: int) -> str:
    """A position as the engine's messages give it: line:column, both from 1."""
    line = text.count("\n", 0, offset) + 1
    return f"at {line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them the query holds as a keyword (None: none)."""
    for token in tokens(sparql):
        if token.kind == "word" and token.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return token.text.upper()
    return None


@functools.lru_cache(maxsize=512)
def reads_named_graphs(sparql: str) -> bool:
    """Whether a query names graphs (GRAPH, FROM, FROM NAMED): if not, the union alone answers it.
    Kept per text: the viewer asks its own few queries again and again."""
    return read(sparql).names_graphs
