"""Full-page screenshots of the viewer for the README: docs/home.png, goal.png, responsibility.png, collaboration.png.

Starts `kasograph serve` on a free port of 127.0.0.1, photographs the home page and
a goal page with Playwright and Debian's chromium (never a downloaded browser) at a
1200 px wide window, then stops the server. Run from anywhere:

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
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
