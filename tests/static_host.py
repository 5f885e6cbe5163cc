"""A static web host for the tests: `python -m http.server`'s handler, which also answers a missing file with
the site's 404.html (status 404), as static hosts do (GitHub Pages, Netlify, nginx's `error_page`).

    python tests/static_host.py PORT DIRECTORY NOT_FOUND_FILE
"""

from __future__ import annotations

import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class StaticHost(SimpleHTTPRequestHandler):
    not_found: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or not self.not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def main() -> None:
    port, directory, not_found = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    handler = functools.partial(type("Host", (StaticHost,), {"not_found": not_found}), directory=directory)
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
