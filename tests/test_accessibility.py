"""Every page type of the viewer, in Finnish and English, on a desktop (1366 px) and a phone (390 px),
checked by axe-core (tests/browser/package.json) in Debian's chromium: no serious or critical violation.

axe is injected into the page by the test, which needs the page's Content-Security-Policy bypassed for
that alone (the pages themselves run no inline script); tests/test_browser.py checks the policy holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, browser, server  # noqa: F401 - fixtures

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
GOAL = "goal/vantaa-kaso-2021/mielenterveysosaaminen"
#: One page of every kind the viewer serves (the English variant is checked too).
PAGES = {
    "home": "index.html",
    "goal": f"{GOAL}.html",
    "person": "person/vantaa/tuija-harakka.html",
    "group": "group/vantaa/kaso/opiskeluhuolto-ja-hyvinvointi-kehittamisryhma.html",
    "post": "post/vantaa/kaso/palvelualuejohtajat.html",
    "theme": "theme/vantaa/edistamme-asukkaiden-hyvinvointia.html",
    "status": "status/FullyAchieved.html",
    "document": "document/vantaa-kaso-2021.html",
    "search": "search.html?q=mielenterveys",
    "query": "query.html",
    "query results": "query.html?query=SELECT%20%3Fs%20%3Fp%20%3Fo%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%2030",
    "questions": "questions.html",
    "question": "questions/goals-of-person.html",
    "responsibility": "graphs/responsibility.html",
    "collaboration": "graphs/collaboration.html",
    "analytics": "analytics.html",
    "compare": "compare.html",
    "goals list": "goals.html?theme=vantaa/edistamme-asukkaiden-hyvinvointia", "people list": "people.html",
    "posts list": "posts.html", "groups list": "groups.html?type=DevelopmentGroup", "themes list": "themes.html?sort=-goals",
    "void": "void.html",
    "vocabulary": "def.html",
    "shapes": "shapes.html",
    "not found": "goal/vantaa-kaso-2021/no-such-goal.html",
}
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = ("serious", "critical")


def english(path: str) -> str:
    stem, dot, rest = path.partition(".html")
    return f"{stem}.en.html{rest}" if dot else path


def violations(browser, url: str, viewport: dict) -> list[dict]:  # noqa: F811 - the fixture's object
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(url)
        page.evaluate(AXE.read_text(encoding="utf-8"))
        found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    finally:
        context.close()
    return [{"rule": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "example": v["nodes"][0]["html"][:160]}
            for v in found if v["impact"] in SERIOUS]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_accessibility_violation(server, browser, kind, width):  # noqa: F811 - fixtures
    if not AXE.exists():
        pytest.fail("axe-core is not installed: scripts/test installs it (npm ci --prefix tests/browser)")
    found = {}
    for path in (PAGES[kind], english(PAGES[kind])):
        problems = violations(browser, f"{server}/{path}", WIDTHS[width])
        if problems:
            found[path] = problems
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
