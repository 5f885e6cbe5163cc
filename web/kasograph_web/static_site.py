"""Write the whole viewer as static files that any web host can serve.

The site is produced by the live app itself: every page, every resource
description and every dump is requested from it and written to a file, and every
link found in a page is followed. A link that does not resolve stops the export,
so a finished export has no broken internal link.

The app is asked for the static site's version of each page (`context.STATIC_SITE`): a saved question
links the page of each known value's answer, the query page says that queries need a server, and the
site gets its own 404.html, whose links start from the site's root since a host serves it at any depth.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from kasograph import formats
from kasograph.model.iris import local_path
from kasograph.publish.linked_data import DUMP_NAME
from kasograph.vocabulary import status_names
from kasograph_web.context import STATIC_SITE

_LINK = re.compile(rb'(?:href|src)="([^"#?]*)(?:[?#][^"]*)?"')


@dataclass
class Export:
    files: int
    bytes: int
    broken: list[tuple[str, str]]  # (page, link) that did not resolve


def write_static_site(app: Flask, out: Path) -> Export:
    data = app.extensions["kasograph"]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    client = app.test_client()
    client.environ_base[STATIC_SITE] = True
    # search/suggest.json without a query: the static site's answer to every query, which tells the search
    # box's script that no server answers there (it then matches search-index.json itself)
    # query-terms.json: what the query page's editor completes, which it asks for by script
    seeds = ["index.html", "index.en.html", "search.html", "search.en.html", "search-index.json", "search/suggest.json",
             "query-terms.json"]
    for name in ("def", "shapes", "void"):
        seeds += [f"{name}.html", f"{name}.en.html"] + [f"{name}.{f.name}" for f in formats.GRAPHS.values()]
    seeds += [f"download/{DUMP_NAME}.{f.name}" for f in formats.DUMPS.values()]
    for iri in data.explorer().all_resources():
        path = local_path(iri, data.base)
        if path is None:
            continue
        if path in data.source_texts_paths():
            seeds.append(path)
            continue
        seeds += [f"{path}.html", f"{path}.en.html"] + [f"{path}.{f.name}" for f in formats.GRAPHS.values()]
    for status in status_names():
        seeds += [f"status/{status}.html", f"status/{status}.en.html"]

    static = Path(app.static_folder)
    shutil.copytree(static, out / "static", dirs_exist_ok=True)
    done: set[str] = {f"static/{p.relative_to(static).as_posix()}" for p in static.rglob("*") if p.is_file()}
    queue = list(dict.fromkeys(seeds))
    broken: list[tuple[str, str]] = []
    files = total = 0
    while queue:
        path = queue.pop(0)
        if path in done:
            continue
        done.add(path)
        response = client.get("/" + path)
        if response.status_code != 200:
            broken.append(("(seed)", path))
            continue
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.data)
        files += 1
        total += len(response.data)
        if path.endswith(".html"):
            for link in _LINK.findall(response.data):
                link = link.decode("utf-8")
                if not link or "://" in link or link.startswith(("mailto:", "/")):
                    continue
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
                if resolved.startswith(".."):
                    broken.append((path, link))
                elif resolved not in done:
                    queue.append(resolved)
    size = _not_found_page(client, out, app.config["SITE_URL"], done, broken)
    return Export(files + 1, total + size, broken)


def _not_found_page(client, out: Path, site_url: str | None, written: set[str], broken: list[tuple[str, str]]) -> int:
    """404.html, which static hosts serve for any missing address, at any depth: its links are absolute paths
    under the site's own (`--site-url`'s path; the host's root without it). Returns its size."""
    prefix = urlsplit(site_url or "/").path.rstrip("/")
    response = client.get("/404.html", environ_overrides={"SCRIPT_NAME": prefix})
    if response.status_code != 404:
        broken.append(("(seed)", "404.html"))
    (out / "404.html").write_bytes(response.data)
    for link in _LINK.findall(response.data):
        path = link.decode("utf-8").removeprefix(prefix + "/")
        if path not in written:
            broken.append(("404.html", link.decode("utf-8")))
    return len(response.data)
