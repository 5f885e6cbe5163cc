"""`kasograph publish`: the static site, served by a plain web server, has no broken link and valid RDF."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

import pyoxigraph
import pytest
import rdflib

from .servers import free_port, running

GOAL_KEYS = ["oppimiskampus", "oppivelvollisuus", "perhekeskus", "huoltajien-osallisuus", "mielenterveysosaaminen",
             "monikieliset-opintopolut", "yhteisollinen-hyvinvointi", "etaopetus", "tiedolla-johtaminen",
             "kehittamisryhmat"]
DUMP_FORMATS = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".trig": pyoxigraph.RdfFormat.TRIG,
                ".nq": pyoxigraph.RdfFormat.N_QUADS, ".jsonld": pyoxigraph.RdfFormat.JSON_LD}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    result = subprocess.run([sys.executable, "-m", "kasograph", "publish", "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    return out


@pytest.fixture(scope="module")
def site_url(site, tmp_path_factory):
    """The published folder behind `python -m http.server` on a free port; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    # a file only this site has, so that another server on the port cannot pass for ours
    with running(command, tmp_path_factory.mktemp("http") / "http.log", base + "download/kasograph.nq",
                 lambda response: response.status == 200):
        yield base


class Links(HTMLParser):
    """Every `href` and `src` value of a page (entities already decoded by the parser)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def fetch(url: str) -> tuple[int, str, bytes]:
    parts = urlsplit(url)
    safe_url = parts._replace(path=quote(unquote(parts.path), safe="/")).geturl()
    try:
        with urllib.request.urlopen(safe_url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def crawl(base: str, starts: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Follow every internal link from `starts`; returns the status of each URL and a page that links to it."""
    host = urlsplit(base).netloc
    status: dict[str, int] = {}
    found_on: dict[str, str] = {url: "(start)" for url in starts}
    queue = list(starts)
    while queue:
        url = queue.pop()
        if url in status:
            continue
        code, content_type, body = fetch(url)
        status[url] = code
        if code != 200 or content_type != "text/html":
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urldefrag(urljoin(url, link)).url
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            target = parts._replace(query="").geturl()
            if target not in status:
                found_on.setdefault(target, url)
                queue.append(target)
    return status, found_on


def test_publish_writes_the_home_pages_and_the_dumps(site):
    for name in ("index.html", "index.en.html", "static/style.css", "void.ttl", "def.ttl", "shapes.ttl"):
        assert (site / name).is_file(), name
    assert sorted(p.name for p in (site / "download").iterdir()) == [
        "kasograph.jsonld", "kasograph.nq", "kasograph.trig", "kasograph.ttl"]


def test_every_internal_link_of_the_served_site_answers_200(site_url):
    status, found_on = crawl(site_url, [site_url + "index.html", site_url + "index.en.html"])
    broken = {url: (code, found_on[url]) for url, code in status.items() if code != 200}
    assert broken == {}
    pages = [url for url in status if url.endswith(".html")]
    assert len(pages) > 120  # both languages of every resource page, reached by links alone
    assert f"{site_url}goal/vantaa-kaso-2021/mielenterveysosaaminen.en.html" in status
    assert f"{site_url}download/kasograph.trig" in status


def test_every_turtle_file_parses_with_rdflib_and_pyoxigraph(site):
    files = sorted(site.rglob("*.ttl"))
    assert len(files) > 60
    for path in files:
        graph = rdflib.Graph().parse(path, format="turtle")
        triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        assert len(graph) == len(set(triples)) > 0, path.relative_to(site)


@pytest.mark.parametrize("suffix", DUMP_FORMATS)
def test_each_dump_parses_with_pyoxigraph(site, suffix):
    path = site / "download" / f"kasograph{suffix}"
    statements = list(pyoxigraph.parse(path=str(path), format=DUMP_FORMATS[suffix]))
    assert len(statements) > 900


def test_the_dumps_hold_the_same_statements(site):
    counts = {suffix: len(set(pyoxigraph.parse(path=str(site / "download" / f"kasograph{suffix}"), format=fmt)))
              for suffix, fmt in DUMP_FORMATS.items() if fmt.supports_datasets}
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize("key", GOAL_KEYS)
def test_every_goal_has_its_pages_and_descriptions(site, key):
    for suffix in (".html", ".en.html", ".ttl", ".jsonld"):
        path = site / "goal" / "vantaa-kaso-2021" / f"{key}{suffix}"
        assert path.is_file() and path.stat().st_size > 500, path.relative_to(site)


def test_the_bundled_data_has_exactly_these_goals(site):
    assert sorted(p.name.removesuffix(".ttl") for p in (site / "goal" / "vantaa-kaso-2021").glob("*.ttl")) == sorted(GOAL_KEYS)
