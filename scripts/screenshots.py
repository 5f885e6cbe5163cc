"""Screenshots of the viewer: the README's full-page pictures (docs/home.png, goal.png, responsibility.png,
collaboration.png) and every page type on a desktop (1366 px) and a phone (390 px), in Finnish, for
docs/screenshots.md (docs/screenshots/KIND-desktop.jpg, KIND-phone.jpg: the first screen, two on a phone).

Starts `kasograph serve` on a free port of 127.0.0.1 on the bundled data, photographs the pages with
Playwright and Debian's chromium (never a downloaded browser), then stops the server. Run from anywhere:

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SHOTS = {"home.png": "/", "goal.png": "/goal/vantaa-kaso-2021/mielenterveysosaaminen.html",
         "responsibility.png": "/graphs/responsibility.en.html", "collaboration.png": "/graphs/collaboration/person.en.html"}
VIEWPORT = {"width": 1200, "height": 800}
GOAL = "goal/vantaa-kaso-2021/mielenterveysosaaminen"
#: One page of every kind the viewer serves, with what it shows (tests/test_accessibility.py checks the same).
PAGE_TYPES = {
    "home": ("index.html", "the home page"),
    "goal": (f"{GOAL}.html", "a goal: metric, baseline, target, outcome, status, who is responsible"),
    "person": ("person/vantaa/tuija-harakka.html", "a person: goals, the people they share them with, their picture"),
    "group": ("group/vantaa/kaso/opiskeluhuolto-ja-hyvinvointi-kehittamisryhma.html", "a development group"),
    "post": ("post/vantaa/kaso/palvelualuejohtajat.html", "a post"),
    "theme": ("theme/vantaa/edistamme-asukkaiden-hyvinvointia.html", "a city strategy theme"),
    "status": ("status/FullyAchieved.html", "a status and its goals"),
    "document": ("document/vantaa-kaso-2021.html", "a source document"),
    "search": ("search.html?q=mielenterveys", "search results"),
    "query": ("query.html?query=SELECT%20%3Fs%20%3Fp%20%3Fo%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%2030",
              "the SPARQL editor with results"),
    "questions": ("questions.html", "the saved questions"),
    "question": ("questions/goals-of-person.html", "a saved question with a parameter"),
    "responsibility": ("graphs/responsibility.html", "the responsibility picture"),
    "collaboration": ("graphs/collaboration.html", "the collaboration picture"),
    "analytics": ("analytics.html", "workload, status by theme, key-person risk"),
    "compare": ("compare.html", "comparing documents"),
    "goals-list": ("goals.html", "the list of goals with facets"),
    "people-list": ("people.html", "the list of people"),
    "void": ("void.html", "the publication's description (VoID/DCAT)"),
    "vocabulary": ("def.html", "the vocabulary"),
    "not-found": ("goal/vantaa-kaso-2021/no-such-goal.html", "a page that does not exist, deep in the site"),
}
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"kasograph serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.headers.get("Server") == "kasograph":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    sys.exit(f"kasograph serve did not answer at {url} within {seconds} s")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    import os
    import tempfile

    # the bundled data, whatever the user has imported
    env = {**os.environ, "KASOGRAPH_STORE": str(Path(tempfile.mkdtemp(prefix="kasograph-shots-")) / "store")}
    server = subprocess.Popen([sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, env=env)
    try:
        wait_until_ready(base + "/", server)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # Finnish first, so that the bare "/" negotiates the Finnish home page
            context = browser.new_context(viewport=VIEWPORT, locale="fi-FI")
            page = context.new_page()
            for name, path in SHOTS.items():
                response = page.goto(base + path)
                if response is None or response.status != 200:
                    sys.exit(f"{base + path} answered {response and response.status}")
                page.screenshot(path=DOCS / name, full_page=True)
                print(f"wrote {(DOCS / name).relative_to(ROOT)} ({(DOCS / name).stat().st_size} bytes) from {path}")
            context.close()
            page_types(browser, base)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def page_types(browser, base: str) -> None:
    """Every page type at both widths: the first screen (two on a phone), as JPEG (the gallery stays small)."""
    folder = DOCS / "screenshots"
    folder.mkdir(exist_ok=True)
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="fi-FI")
        page = context.new_page()
        for kind, (path, _) in PAGE_TYPES.items():
            page.goto(f"{base}/{path}")
            page.wait_for_load_state("networkidle")
            screens = 1 if width == "desktop" else 2
            height = min(page.evaluate("document.documentElement.scrollHeight"), screens * viewport["height"])
            target = folder / f"{kind}-{width}.jpg"
            page.screenshot(path=target, full_page=True, type="jpeg", quality=75,
                            clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
            print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size} bytes) from /{path}")
        context.close()
    gallery = ["# Screenshots", "", "Every page type of the viewer on the bundled data, in Finnish, on a desktop (1366 px)",
               "and a phone (390 px): the first screen of each (two on the phone). Made by `scripts/screenshots.py`.", ""]
    for kind, (path, what) in PAGE_TYPES.items():
        gallery += [f"## {what[0].upper()}{what[1:]}", "", f"`/{path}`", "",
                    f'<img src="screenshots/{kind}-desktop.jpg" alt="{what}, on a desktop" width="640"> '
                    f'<img src="screenshots/{kind}-phone.jpg" alt="{what}, on a phone" width="195">', ""]
    (DOCS / "screenshots.md").write_text("\n".join(gallery), encoding="utf-8")
    print("wrote docs/screenshots.md")


if __name__ == "__main__":
    main()
