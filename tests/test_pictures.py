"""The graph pictures as people see them, in Debian's chromium: on a desktop (1366 px) and a phone (390 px) no
label lies on another and the text is at least 9 px high; no line runs through a label of the responsibility
picture; pointing, keyboard focus and a tap light up a node's links; zoom; a legend in the pictures' colours;
a phone is shown a drawing of its own or the list; and axe finds nothing serious on the picture pages."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .test_accessibility import AXE, violations
from .test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, Tab, browser, server  # noqa: F401 - fixtures

PERSON = "person/vantaa/tuija-harakka"
#: A page of every kind of picture, and the filtered variants.
PICTURE_PAGES = {
    "responsibility": "graphs/responsibility.html",
    "responsibility (theme)": "graphs/responsibility/theme/vantaa/edistamme-asukkaiden-hyvinvointia.html",
    "responsibility (status)": "graphs/responsibility/status/PartiallyAchieved.en.html",
    "collaboration": "graphs/collaboration.html",
    "collaboration (people)": "graphs/collaboration/person.en.html",
    "collaboration (groups)": "graphs/collaboration/group.html",
    "analytics": "analytics.html",
    "person": f"{PERSON}.html",
    "group": "group/vantaa/kaso/opiskeluhuolto-ja-hyvinvointi-kehittamisryhma.en.html",
    "post": "post/vantaa/kaso/palvelualuejohtajat.html",
    "small ego": "group/vantaa/kaso/kason-johtoryhma.html",
}
VIEWPORTS = {"desktop": {"viewport": {"width": 1366, "height": 900}},
             "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}}
MIN_TEXT_PX = 9

#: Every visible text of every visible picture: its box on the screen and its rendered height (font size × scale).
VISIBLE_TEXTS = """() => [...document.querySelectorAll("svg.picture")].filter(svg => svg.getClientRects().length)
  .flatMap((svg, picture) => [...svg.querySelectorAll("text")].map(text => {
    const box = text.getBoundingClientRect();
    return {picture, text: text.textContent, x0: box.left, y0: box.top, x1: box.right, y1: box.bottom,
            px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a};
  })).filter(t => t.x1 > t.x0 && t.y1 > t.y0)"""


@pytest.fixture(scope="module", params=VIEWPORTS)
def screen(request, browser):  # noqa: F811 - the fixture
    opened = Tab(browser, locale="fi-FI", **VIEWPORTS[request.param])
    opened.kind = request.param
    yield opened
    opened.close()


def overlapping(texts: list[dict], tolerance: float = 0.5) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a["picture"] == b["picture"] and min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tolerance \
                    and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > tolerance:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("kind", PICTURE_PAGES)
def test_labels_do_not_overlap_and_read_on_a_phone(server, screen, kind):  # noqa: F811 - fixtures
    page = screen.page
    page.goto(f"{server}/{PICTURE_PAGES[kind]}")
    texts = page.evaluate(VISIBLE_TEXTS)
    if kind.startswith("responsibility") and screen.kind == "phone":
        # A phone is shown the same graph as a nested list, not a shrunken poster.
        assert texts == []
        expect(page.locator("figure.picture-figure")).to_be_hidden()
        expect(page.locator("#responsibility-list ul.outline")).to_be_visible()
        return
    assert len(texts) >= 2, kind
    assert overlapping(texts) == [], kind
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < MIN_TEXT_PX]
    assert small == [], f"{kind} on a {screen.kind}: text under {MIN_TEXT_PX} px"
    if screen.kind == "phone":  # the phone's own drawing, at the width of the screen
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] + 1, widths
    assert screen.failures == []


#: Points along every edge of the responsibility picture, and the box of every label, in the picture's units.
EDGES_AND_LABELS = """() => { const svg = document.querySelector("svg.picture.responsibility");
  const boxes = [...svg.querySelectorAll("text")].map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent]; });
  const points = [...svg.querySelectorAll(".edge")].flatMap(path => { const n = path.getTotalLength();
    return Array.from({length: 41}, (_, i) => { const p = path.getPointAtLength(n * i / 40); return [p.x, p.y]; }); });
  return {boxes, points}; }"""


@pytest.mark.parametrize("path", ["graphs/responsibility.html", "graphs/responsibility.en.html",
                                  "graphs/responsibility/status/FullyAchieved.html"])
def test_no_line_runs_through_a_label_of_the_responsibility_picture(server, browser, path):  # noqa: F811 - fixtures
    tab = Tab(browser, viewport={"width": 1366, "height": 900})
    try:
        tab.page.goto(f"{server}/{path}")
        found = tab.page.evaluate(EDGES_AND_LABELS)
    finally:
        tab.close()
    assert len(found["boxes"]) >= 10 and len(found["points"]) >= 41 * 9
    crossed = {box[4] for x, y in found["points"] for box in found["boxes"]
               if box[0] + 1 < x < box[2] - 1 and box[1] + 1 < y < box[3] - 1}
    assert crossed == set(), path


LIT = """svg => ({lit: svg.classList.contains("lit"),
  on: [...svg.querySelectorAll(".edge.on")].map(e => e.getAttribute("data-ends")).sort(),
  node: document.activeElement.closest("[data-node]")?.getAttribute("data-node") ?? null})"""
EDGES_OF = "(svg, id) => [...svg.querySelectorAll('.edge')].map(e => e.getAttribute('data-ends')).filter(e => e.split(' ').includes(id)).sort()"


def _tab_to_picture(page, svg, presses: int = 80) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("svg => svg.contains(document.activeElement) && !!document.activeElement.closest('[data-node]')", svg):
            return
    pytest.fail("Tab never reached a node of the picture")


@pytest.mark.parametrize("path, picture", [("graphs/collaboration.html", "svg.picture.collaboration:not(.narrow)"),
                                           ("graphs/responsibility.html", "svg.picture.responsibility"),
                                           (f"{PERSON}.en.html", "svg.picture.ego:not(.narrow)")])
def test_keyboard_focus_on_a_node_lights_up_its_links(server, browser, path, picture):  # noqa: F811 - fixtures
    tab = Tab(browser, viewport={"width": 1366, "height": 900})
    try:
        page = tab.page
        page.goto(f"{server}/{path}")
        svg = page.locator(picture).element_handle()
        _tab_to_picture(page, svg)
        for _ in range(3):  # this node and the next two
            state = svg.evaluate(LIT)
            assert state["lit"] and state["node"]
            assert state["on"] == svg.evaluate(EDGES_OF, state["node"]) != []
            focused = page.evaluate("() => document.activeElement.getAttribute('data-info')")
            assert focused and " — " in focused  # the name, then the kind or status in words
            expect(page.locator("figure.picture-figure .picture-info").first).to_contain_text(focused)
            page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        page.locator("h1").click()  # focus leaves the picture: nothing stays lit
        assert svg.evaluate(LIT)["lit"] is False
        assert tab.failures == []
    finally:
        tab.close()


def test_pointing_at_a_node_lights_up_its_links(server, browser):  # noqa: F811 - fixtures
    tab = Tab(browser, viewport={"width": 1366, "height": 900})
    try:
        page = tab.page
        page.goto(f"{server}/graphs/collaboration.html")
        svg = page.locator("svg.picture.collaboration:not(.narrow)")
        node = svg.locator("a[data-node]").filter(has_text="Tuija Harakka")
        node.locator(".shape").hover()
        ident = node.get_attribute("data-node")
        state = svg.evaluate(LIT)
        assert state["lit"] and state["on"] == svg.evaluate(EDGES_OF, ident) and len(state["on"]) == 9
        page.mouse.move(2, 2)
        assert svg.evaluate(LIT)["lit"] is False
    finally:
        tab.close()


def test_a_tap_on_a_phone_shows_the_full_name_and_a_second_follows_the_link(server, browser):  # noqa: F811 - fixtures
    phone = Tab(browser, locale="fi-FI", **VIEWPORTS["phone"])
    try:
        page = phone.page
        page.goto(f"{server}/graphs/collaboration.html")
        svg = page.locator("svg.picture.collaboration-narrow")
        expect(svg).to_be_visible()
        expect(page.locator("svg.picture.collaboration:not(.narrow)")).to_be_hidden()
        node = svg.locator("a[data-node]").filter(has_text="Opiskeluhuolto ja hyvinvointi kehittämisryhmä")
        node.locator(".shape").tap()
        info = page.locator(".picture-info")
        expect(info).to_be_visible()
        expect(info).to_contain_text("Opiskeluhuolto ja hyvinvointi kehittämisryhmä — Ryhmä, 2 tavoitetta")
        expect(info.get_by_role("link", name="Avaa sivu")).to_be_visible()
        assert page.url.endswith("/graphs/collaboration.html") and svg.evaluate(LIT)["lit"]
        node.locator(".shape").tap()
        page.wait_for_url("**/group/vantaa/kaso/opiskeluhuolto-ja-hyvinvointi-kehittamisryhma.html")
        assert phone.failures == []
    finally:
        phone.close()


def test_zoom_buttons_zoom_and_the_whole_picture_comes_back(server, browser):  # noqa: F811 - fixtures
    tab = Tab(browser, locale="en-GB", viewport={"width": 1366, "height": 900})
    try:
        page = tab.page
        page.goto(f"{server}/graphs/collaboration.en.html")
        svg = page.locator("svg.picture.collaboration:not(.narrow)")
        whole = svg.get_attribute("viewBox")
        page.get_by_role("button", name="Zoom in").click()
        zoomed = [float(n) for n in svg.get_attribute("viewBox").split()]
        assert zoomed[2] < float(whole.split()[2]) / 1.4
        texts = page.evaluate(VISIBLE_TEXTS)
        assert min(t["px"] for t in texts) > 13 * 1.4  # larger, not merely cut
        page.get_by_role("button", name="Zoom out").click()
        page.get_by_role("button", name="Whole picture").click()
        assert [float(n) for n in svg.get_attribute("viewBox").split()] == [float(n) for n in whole.split()]
    finally:
        tab.close()


def test_without_javascript_the_pictures_read_and_link(server, browser):  # noqa: F811 - fixtures
    tab = Tab(browser, viewport={"width": 1366, "height": 900}, java_script_enabled=False)
    try:
        page = tab.page
        page.goto(f"{server}/graphs/responsibility.html")
        expect(page.locator(".picture-tools")).to_have_count(0)
        expect(page.locator(".picture-legend li").first).to_be_visible()
        assert overlapping(page.evaluate(VISIBLE_TEXTS)) == []
        page.locator("svg.picture a[data-node]").filter(has_text="Ari Ranki").locator(".shape").click()
        page.wait_for_url("**/person/vantaa/ari-ranki.html")
    finally:
        tab.close()


LEGEND_AND_PICTURE = """kind => {
  const key = document.querySelector(`.picture-legend .key-${kind}`);
  const shape = document.querySelector(`svg.picture .node.${kind} .shape`);
  return [getComputedStyle(key).backgroundColor, getComputedStyle(shape).fill];
}"""


@pytest.mark.parametrize("path, kinds", [("graphs/collaboration.html", ["person", "post", "group"]),
                                         ("graphs/responsibility.html", ["person", "post", "group", "theme"])])
def test_the_legend_shows_the_pictures_colours(server, browser, path, kinds):  # noqa: F811 - fixtures
    tab = Tab(browser, viewport={"width": 1366, "height": 900})
    try:
        tab.page.goto(f"{server}/{path}")
        for kind in kinds:
            key, shape = tab.page.evaluate(LEGEND_AND_PICTURE, kind)
            assert key == shape, kind
        shapes = {kind: tab.page.evaluate(f"() => document.querySelector('svg.picture .node.{kind} .shape').tagName") for kind in kinds}
        assert len(set(shapes.values())) >= 3, shapes  # a shape per kind, not the colour alone
    finally:
        tab.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("kind", PICTURE_PAGES)
def test_no_serious_accessibility_violation_on_picture_pages(server, browser, kind, width):  # noqa: F811 - fixtures
    if not AXE.exists():
        pytest.fail("axe-core is not installed: scripts/test installs it (npm ci --prefix tests/browser)")
    problems = violations(browser, f"{server}/{PICTURE_PAGES[kind]}", VIEWPORTS[width]["viewport"])
    assert problems == [], json.dumps(problems, ensure_ascii=False, indent=1)


# The placement itself, on graphs no page shows ---------------------------------------------------------------------
def _units(svg: str) -> list[tuple[float, float, float, float]]:
    """Each label's box as the drawing model has it, from the SVG (first baseline, lines, anchor), in picture units."""
    import xml.etree.ElementTree as ET

    from kasograph_web.graph_layout import ASCENT, DESCENT, LINE, text_width

    boxes = []
    for text in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"):
        lines = list(text)
        if not lines:
            continue
        size, x, y = 13.0, float(lines[0].get("x")), float(lines[0].get("y"))
        width = max(text_width((line.text or "").strip(), size) for line in lines) + (text_width(" ", size) if len(lines) > 1 else 0)
        x0 = {"end": x - width, "middle": x - width / 2}.get(text.get("text-anchor"), x)
        boxes.append((x0, y - ASCENT * size, x0 + width, y + (len(lines) - 1) * LINE * size + DESCENT * size))
    return boxes


@pytest.mark.parametrize("seed", range(6))
def test_placed_labels_never_overlap(seed):
    import networkx as nx
    from kasograph_web import pictures

    graph = nx.relabel_nodes(nx.gnm_random_graph(18 + 7 * seed, 30 + 10 * seed, seed=seed), str)
    names = ["Opiskeluhuolto ja hyvinvointi kehittämisryhmä", "Ari Ranki", "osallisuusasiantuntija", "KASOn johtoryhmä",
             "Sole Askola-Vehviläinen", "tvt-kehittämisryhmä"]
    for node in graph:
        graph.nodes[node].update(label=f"{names[int(node) % len(names)]} {node}", type=("person", "group", "post")[int(node) % 3],
                                 goals=int(node) % 9)
    for highlight in (None, "0"):
        boxes = _units(str(pictures.collaboration_svg(graph, lambda node: None, highlight=highlight, seed=seed)))
        assert len(boxes) == graph.number_of_nodes()
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
