"""Where a remote store is and how to reach it: a bare URL (an Oxigraph server) or a TOML settings file
naming the query, update and Graph Store URLs, with a bearer token or a password from the environment."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kasograph.store.remote.connector import RemoteError

TOKEN_VARIABLE = "KASOGRAPH_STORE_TOKEN"  # a bearer token for a store given as a bare URL
READ_TIMEOUT = 60.0  # seconds a query of the viewer or a command may take (the endpoint has --timeout)
WRITE_TIMEOUT = 600.0  # seconds a PUT or an update may take
CHUNK_BYTES = 16 * 1024 * 1024  # N-Triples an import sends at most before one update puts those documents in place
CHUNK_DOCUMENTS = 500  # documents one update puts in place at most
#: The settings of a store settings file, each with what it means (docs/remote.md shows them all).
KEYS = {
    "url": "an Oxigraph server's root: query, update and graph_store beside it",
    "query": "the SPARQL 1.1 query service's URL",
    "update": "the SPARQL 1.1 update service's URL (none: the store is read-only here)",
    "graph_store": "the Graph Store Protocol service's URL (none: read-only)",
    "token_env": "the environment variable holding a bearer token",
    "user": "a user name for HTTP basic authentication",
    "password_env": "the environment variable holding that user's password",
    "timeout": "seconds a query may take",
    "write_timeout": "seconds a PUT or an update may take",
    "chunk_bytes": "N-Triples an import sends at most before one update (lower it for a server with a small request limit)",
    "chunk_documents": "documents one update stores at most (lower it for a server that limits an update's work: Virtuoso)",
    "union": '"default": the server\'s default graph holds the union of the documents (Oxigraph, Fuseki); '
             '"named": kasograph keeps it in the named graph {base}graph/union and names it as the default graph of '
             "every query that names no graphs (Virtuoso, whose default graph is no graph of its own)",
    "paging": '"tsv": a results page is read as SPARQL TSV, line by line (stops reading early); "json": as SPARQL JSON '
              "(for a server whose TSV is not SPARQL's, e.g. Virtuoso's)",
    "ask_as_table": "true: the server answers ASK as a one-row table (Virtuoso 7), which kasograph reads as the boolean",
    "incomplete_header": "a response header by which the server marks a 200 answer it cut short at its time limit "
                         "(Virtuoso: X-SQL-State); kasograph reports such an answer as a timeout, never as the answer",
}



def markdown_table() -> str:
    """The settings as docs/remote.md shows them (tests/test_docs.py checks it is there)."""
    escape = str.maketrans({"|": "\\|"})
    return "\n".join(["| setting | meaning |", "|---|---|", *(f"| `{key}` | {text.translate(escape)} |" for key, text in KEYS.items())])


def is_remote_location(location: str | os.PathLike | None) -> bool:
    """A URL, or a TOML file that names the server's URLs."""
    if location is None:
        return False
    text = _restore_url(str(location))
    return text.startswith(("http://", "https://")) or (text.lower().endswith(".toml") and Path(text).is_file())


def _restore_url(text: str) -> str:
    """A URL that went through pathlib.Path has lost a slash of '//' (and on Windows turned '/' to '\\')."""
    match = re.match(r"^(https?):[/\\]+(.*)$", text, re.IGNORECASE)
    if not match:
        return text
    return f"{match.group(1).lower()}://{match.group(2).replace(chr(92), '/')}"


@dataclass
class RemoteSettings:
    """The server's three services, how to authenticate, and how long to wait."""

    location: str  # as the user gave it: the URL or the settings file (for messages)
    query: str
    update: str | None = None
    graph_store: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # Authorization, never printed
    timeout: float = READ_TIMEOUT
    write_timeout: float = WRITE_TIMEOUT
    chunk_bytes: int = CHUNK_BYTES
    union: str = "default"  # "default" | "named" (see KEYS)
    paging: str = "tsv"  # "tsv" | "json"
    ask_as_table: bool = False
    incomplete_header: str | None = None
    chunk_documents: int = CHUNK_DOCUMENTS

    @classmethod
    def from_location(cls, location: str | os.PathLike) -> "RemoteSettings":
        """From a URL (an Oxigraph server) or a TOML settings file naming the URLs."""
        text = _restore_url(str(location))
        if text.startswith(("http://", "https://")):
            return cls.from_url(text)
        return cls.from_file(Path(text))

    @classmethod
    def from_url(cls, url: str) -> "RemoteSettings":
        """A bare URL names an Oxigraph server (`oxigraph serve`): /query, /update and /store under it.
        A bearer token, if the server needs one, comes from $KASOGRAPH_STORE_TOKEN."""
        url = _restore_url(url)
        root = url.rstrip("/")
        if root.endswith("/query"):  # the query URL given: the others are beside it
            root = root[: -len("/query")]
        headers = _auth_headers({"token_env": TOKEN_VARIABLE}, url, required=False)
        return cls(url, f"{root}/query", f"{root}/update", f"{root}/store", headers)

    @classmethod
    def for_endpoint(cls, url: str, timeout: float = READ_TIMEOUT) -> "RemoteSettings":
        """A SPARQL endpoint's own URL, to read only (kasograph.open("http://…/sparql")): any SPARQL 1.1
        server, kasograph's /sparql among them. A bearer token, if it needs one, from $KASOGRAPH_STORE_TOKEN."""
        return cls(url, url, headers=_auth_headers({"token_env": TOKEN_VARIABLE}, url, required=False), timeout=timeout)

    @classmethod
    def from_file(cls, path: Path) -> "RemoteSettings":
        """A TOML file: `query`, `update`, `graph_store` URLs (or `url`, an Oxigraph server's root),
        `token_env` (the variable holding a bearer token) or `user` and `password_env` (HTTP basic),
        `timeout` and `write_timeout` in seconds."""
        try:
            values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise RemoteError(str(path), f"cannot read the store settings: {error}") from None
        values = values.get("store", values)  # the keys may sit in a [store] table
        if "url" in values:
            base = cls.from_url(values["url"])
            defaults = {"query": base.query, "update": base.update, "graph_store": base.graph_store}
        else:
            defaults = {}
        query = values.get("query", defaults.get("query"))
        if not query:
            raise RemoteError(str(path), "the store settings name no query URL (query = \"http://…\")")
        unknown = set(values) - set(KEYS)
        if unknown:
            raise RemoteError(str(path), f"unknown store settings: {', '.join(sorted(unknown))}; the settings are: {', '.join(KEYS)}")
        settings = cls(str(path), query, values.get("update", defaults.get("update")),
                       values.get("graph_store", defaults.get("graph_store")), _auth_headers(values, str(path), required=True),
                       float(values.get("timeout", READ_TIMEOUT)), float(values.get("write_timeout", WRITE_TIMEOUT)),
                       int(values.get("chunk_bytes", CHUNK_BYTES)), values.get("union", "default"), values.get("paging", "tsv"),
                       bool(values.get("ask_as_table", False)), values.get("incomplete_header"),
                       int(values.get("chunk_documents", CHUNK_DOCUMENTS)))
        for key, allowed in (("union", ("default", "named")), ("paging", ("tsv", "json"))):
            if getattr(settings, key) not in allowed:
                raise RemoteError(str(path), f"{key} must be one of {', '.join(map(repr, allowed))}, not {getattr(settings, key)!r}")
        return settings


def _auth_headers(values: dict, location: str, *, required: bool) -> dict[str, str]:
    """Authorization from an environment variable: a bearer token, or a user's password for HTTP basic."""
    import base64

    if values.get("user"):
        name = values.get("password_env", "KASOGRAPH_STORE_PASSWORD")
        password = os.environ.get(name)
        if password is None:
            raise RemoteError(location, f"the store settings name user {values['user']!r}: set ${name} to the password")
        pair = f"{values['user']}:{password}".encode("utf-8")
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    name = values.get("token_env")
    if not name:
        return {}
    token = os.environ.get(name)
    if token is None:
        if required and name != TOKEN_VARIABLE:
            raise RemoteError(location, f"the store settings take the token from ${name}, which is not set")
        return {}
    return {"Authorization": f"Bearer {token}"}
