"""A query that does not parse, said in plain words at its line and column.

The engine's message gives a position and what its grammar could have read there, which is a
wall of keywords and character ranges, and its position is where its parser gave up (often after
the mistake). Most mistakes are of a few kinds that the query's own tokens show (kasograph.lexer):
a prefix nobody declared, a bracket that closes nothing or is never closed, a character or a word
SPARQL has no place for. Those are named where they are; anything else is put at the engine's
position with what it expected, when that is a few marks of punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kasograph import lexer
from kasograph.namespaces import PREFIXES

_AT = re.compile(r"\bat (\d+):(\d+)\b:?\s*")
_OPENERS = {"(": ")", "{": "}", "[": "]"}
#: Marks of SPARQL 1.2's annotations and quoted triples, which the engine always expects too.
_SPARQL_12_MARKS = {"{|", "|}", "~", "<<", ">>", "<<("}
#: How many marks of punctuation the engine may expect for them to be worth naming.
_MOST_NAMED = 6


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a query stops reading (line and column from 1) and why, in English and Finnish."""

    line: int
    column: int
    text: str  # the whole line, as written
    message: str
    message_fi: str

    @property
    def marker(self) -> str:
        """A ^ under the column, for the line shown above it (a tab stays a tab, so that the two align)."""
        return "".join("\t" if c == "\t" else " " for c in self.text[:self.column - 1]) + "^"

    def in_plain_text(self) -> str:
        """The problem, the line and the marker, as a plain-text answer says them."""
        return f"line {self.line}, column {self.column}: {self.message}\n\n{self.text}\n{self.marker}"


def explain(sparql: str, engine_message: str) -> SyntaxProblem | None:
    """The problem the engine's (or the check's) message points at, in plain words; None when the
    message gives no position (then it is the plainest account there is)."""
    at = _AT.search(engine_message)
    if at is None:
        return None
    found = lexer.tokens(sparql)
    for finder in (_undeclared_prefix, _unbalanced, _stray, _misshapen_triple):
        problem = finder(sparql, found)
        if problem is not None:
            return problem
    offset = _offset(sparql, int(at.group(1)), int(at.group(2)))
    return _at_engine_position(sparql, found, offset, engine_message[at.end():])


def _problem(sparql: str, offset: int, message: str, message_fi: str) -> SyntaxProblem:
    line_start = sparql.rfind("\n", 0, offset) + 1
    line_end = sparql.find("\n", offset)
    text = sparql[line_start:line_end if line_end >= 0 else len(sparql)].rstrip("\r")
    return SyntaxProblem(sparql.count("\n", 0, offset) + 1, offset - line_start + 1, text, message, message_fi)


def _offset(sparql: str, line: int, column: int) -> int:
    """The offset of a line:column (both from 1, columns in characters, as the engine counts them)."""
    start = 0
    for _ in range(line - 1):
        start = sparql.find("\n", start) + 1
        if start == 0:
            return len(sparql)
    return min(start + column - 1, len(sparql))


def _undeclared_prefix(sparql: str, found: list[lexer.Token]) -> SyntaxProblem | None:
    declared = set(PREFIXES)
    for index, token in enumerate(found):
        if token.kind != "pname":
            continue
        prefix = token.text.partition(":")[0]
        if index and found[index - 1].kind == "word" and found[index - 1].text.upper() == "PREFIX":
            declared.add(prefix)
        elif prefix not in declared:
            return _problem(sparql, token.start,
                            f"The prefix {prefix}: is not declared. Write PREFIX {prefix}: <…> before the query, "
                            "or use a prefix the endpoint knows.",
                            f"Etuliitettä {prefix}: ei ole määritelty. Kirjoita kyselyn alkuun PREFIX {prefix}: <…> "
                            "tai käytä etuliitettä, jonka rajapinta tuntee.")
    return None


def _unbalanced(sparql: str, found: list[lexer.Token]) -> SyntaxProblem | None:
    """The first closing bracket with no opening one to match, or else the first one never closed."""
    open_: list[lexer.Token] = []
    for token in found:
        if token.kind != "punct":
            continue
        if token.text in _OPENERS:
            open_.append(token)
        elif token.text in _OPENERS.values():
            if open_ and _OPENERS[open_[-1].text] == token.text:
                open_.pop()
                continue
            expected = f" ({_OPENERS[open_[-1].text]} would close the {open_[-1].text} before it)" if open_ else ""
            expected_fi = f" ({_OPENERS[open_[-1].text]} sulkisi sitä edeltävän {open_[-1].text})" if open_ else ""
            return _problem(sparql, token.start, f"This {token.text} closes nothing that is open{expected}.",
                            f"Tämä {token.text} ei sulje mitään avointa{expected_fi}.")
    if open_:
        token = open_[-1]
        closer = _OPENERS[token.text]
        return _problem(sparql, token.start, f"This {token.text} is never closed: a {closer} is missing.",
                        f"Tätä {token.text} ei suljeta koskaan: {closer} puuttuu.")
    return None


def _stray(sparql: str, found: list[lexer.Token]) -> SyntaxProblem | None:
    """A character no token can begin with, or a word that is no SPARQL keyword (a misspelt one)."""
    for token in found:
        if token.kind == "error" and token.text in "\"'":
            return _problem(sparql, token.start, f"This string is never closed: a {token.text} is missing at its end "
                            "(a string stays on one line unless it is written in triple quotes).",
                            f"Tätä merkkijonoa ei suljeta: sen lopusta puuttuu {token.text} (merkkijono pysyy yhdellä "
                            "rivillä, ellei sitä kirjoiteta kolminkertaisin lainausmerkein).")
        if token.kind == "error":
            return _problem(sparql, token.start, f"The character {token.text} has no place in SPARQL here.",
                            f"Merkillä {token.text} ei ole paikkaa SPARQL-kyselyssä tässä.")
        if token.kind == "word" and token.text.upper() not in lexer.KEYWORDS:
            return _problem(sparql, token.start,
                            f"{token.text} is no SPARQL keyword (a variable is written ?{token.text}, "
                            f"a name prefix:{token.text}).",
                            f"{token.text} ei ole SPARQL-avainsana (muuttuja kirjoitetaan ?{token.text}, "
                            f"nimi etuliite:{token.text}).")
    return None


#: Words that stand for a term in a triple pattern (rdf:type and the booleans).
_TERM_WORDS = {"A", "TRUE", "FALSE"}
_TERMS = {"var", "iri", "pname", "string", "number", "blank", "nil", "anon"}


def _misshapen_triple(sparql: str, found: list[lexer.Token]) -> SyntaxProblem | None:
    """A plain triple pattern with a part missing (`?x a }`) or a `.` missing between two (`?s ?p ?o ?a ?b ?c`).

    Only the plainest patterns are judged: a run of terms (a path's `/`, `|` and `^` join terms into one)
    ended by `.`, `;`, `,`, `{` or `}`. A run holding a keyword, a bracket or anything else is left to the
    engine, as are the braces of VALUES, whose rows are no triples."""
    run: list[lexer.Token] = []
    needed = 3  # terms a run needs: a whole triple; after `;` a predicate and object, after `,` an object
    skip_braces = False  # inside VALUES … { … }
    for token in found:
        if skip_braces:
            skip_braces = not (token.kind == "punct" and token.text == "}")
            continue
        if token.kind == "word" and token.text.upper() == "VALUES":
            skip_braces, run = True, []
            continue
        if token.kind == "punct" and token.text in ".;,{}":
            problem = _judge_run(sparql, run, needed, ended_by=token)
            if problem is not None:
                return problem
            run = []
            needed = {";": 2, ",": 1}.get(token.text, 3)
        elif token.kind in _TERMS or (token.kind == "word" and token.text.upper() in _TERM_WORDS) or \
                (token.kind == "punct" and token.text in "/|^") or token.kind == "langtag":
            run.append(token)
        else:
            run.append(lexer.Token("other", token.text, token.start))
    return None


def _judge_run(sparql: str, run: list[lexer.Token], needed: int, ended_by: lexer.Token) -> SyntaxProblem | None:
    if not run or any(t.kind == "other" for t in run) or ended_by.text == "{":
        return None
    terms: list[lexer.Token] = []
    joined = False  # the last token was a path's / | ^ or a literal's ^^: the next token belongs to the same term
    for token in run:
        if token.kind == "punct" or token.kind == "langtag":
            joined = token.kind == "punct"
            continue
        if not joined:
            terms.append(token)
        joined = False
    written = " ".join(sparql[t.start:t.start + len(t.text)] for t in terms)
    if 0 < len(terms) < needed and needed == 3 and ended_by.text in ".}":
        missing, missing_fi = ("object", "objekti") if len(terms) == 2 else ("predicate and no object", "predikaatti ja objekti")
        after = run[-1].start + len(run[-1].text)  # where the missing part would be written
        return _problem(sparql, after, f"The triple pattern {written} has no {missing}: "
                        "it needs a subject, a predicate and an object.",
                        f"Kolmikkomallista {written} puuttuu {missing_fi}: siihen tarvitaan subjekti, predikaatti ja objekti.")
    if len(terms) > needed:
        extra = terms[needed]
        return _problem(sparql, extra.start, f"A . is missing before {extra.text}: a triple pattern has a subject, a predicate "
                        "and an object, and a . ends it before the next one.",
                        f"Ennen kohtaa {extra.text} puuttuu piste: kolmikkomallissa on subjekti, predikaatti ja objekti, "
                        "ja piste päättää sen ennen seuraavaa.")
    return None


def _at_engine_position(sparql: str, found: list[lexer.Token], offset: int, expected: str) -> SyntaxProblem:
    if not sparql[offset:].strip():  # the engine read on to the end: the mistake is somewhere before it
        return _problem(sparql, len(sparql.rstrip()), "The query could not be read to its end: a part is missing or out of "
                        "place before this point (the engine gives up only here).",
                        "Kyselyä ei voitu lukea loppuun: jokin osa puuttuu tai on väärässä paikassa ennen tätä kohtaa "
                        "(kone luovuttaa vasta tässä).")
    marks = _expected_marks(expected)
    here = next((t for t in found if t.start <= offset < t.start + max(1, len(t.text))), None)
    where = f"at {here.text}" if here is not None else "here"
    where_fi = f"kohdassa {here.text}" if here is not None else "tässä kohdassa"
    if marks:
        listed = " ".join(marks)
        return _problem(sparql, offset, f"The query cannot be read on {where}: one of {listed} was expected.",
                        f"Kyselyä ei voi lukea eteenpäin {where_fi}: odotettiin jotakin näistä: {listed}.")
    return _problem(sparql, offset, f"The query cannot be read on {where}: the mistake is here or just before.",
                    f"Kyselyä ei voi lukea eteenpäin {where_fi}: virhe on tässä tai juuri ennen tätä.")


def _expected_marks(expected: str) -> list[str]:
    """The punctuation in the engine's `expected one of ",", ".", …` (its keywords and character ranges
    are left out: the list is of everything its grammar could try, not of what was meant)."""
    marks = [m for m in re.findall(r'"([^"\s]{1,2})"', expected) if m not in _SPARQL_12_MARKS]
    return marks if 0 < len(marks) <= _MOST_NAMED else []
