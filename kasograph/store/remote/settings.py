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
        unknown = set(values) - {"url", "query", "update", "graph_store", "token_env", "user", "password_env",
                                 "timeout", "write_timeout"}
        if unknown:
            raise RemoteError(str(path), f"unknown store settings: {', '.join(sorted(unknown))}")
        return cls(str(path), query, values.get("update", defaults.get("update")),
                   values.get("graph_store", defaults.get("graph_store")), _auth_headers(values, str(path), required=True),
                   float(values.get("timeout", READ_TIMEOUT)), float(values.get("write_timeout", WRITE_TIMEOUT)))


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
