"""Pictures of the graphs as SVG, drawn on the server: the responsibility graph in layers, the collaboration
and ego pictures with every label whole and none on another, and bar charts.

The SVG sits in the page and reads without JavaScript: every node is a link to its page (a keyboard
reaches it, and its `<title>` names it), every colour comes with a shape, a line style or a pattern, and
the page's legend says what each means (`legend`). static/pictures.js adds highlighting, zoom and taps.
Where the nodes and labels go is graph_layout's work; this module draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import networkx as nx
from markupsafe import Markup, escape

from kasograph_web.graph_layout import (
    ASCENT,
    LINE,
    Layered,
    Placed,
    block_size,
    component_boxes,
    force_layout,
    layered_layout,
    outward,
    place_labels,
    radial_layout,
    wrap,
)

# Okabe–Ito colours, which readers with any common colour-vision deficiency can tell apart; each also has a shape.
STATUS_COLOURS = {"FullyAchieved": "#009E73", "PartiallyAchieved": "#E69F00", "NotAchieved": "#D55E00"}
KINDS = {"person": ("circle", "#0072B2"), "post": ("diamond", "#CC79A7"), "group": ("square", "#F0E442"),
         "unit": ("square", "#F0E442"), "division": ("hexagon", "#56B4E9"), "organisation": ("hexagon", "#56B4E9"),
         "theme": ("pill", "#5b6475")}
OTHER = ("circle", "#999999")
OUTLINE = "#1d2330"
Link = Callable[[str], str | None]
Words = Callable[..., str]  # an interface text by its key; a count and its word by key and number (context.text)


# Shapes and labels ---------------------------------------------------------------------------------------------
def _shape(kind: str, x: float, y: float, r: float) -> str:
    """A node's shape by its kind, centred on (x, y), about 2r across, with a dark outline."""
    form, fill = KINDS.get(kind, OTHER)
    paint = f'class="shape" fill="{fill}" stroke="{OUTLINE}" stroke-width="1"'
    if form == "circle":
        return f'<circle {paint} cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    if form == "square":
        s = r * 0.9
        return f'<rect {paint} x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"/>'
    if form == "pill":
        return f'<rect {paint} x="{x - r * 1.2:.1f}" y="{y - r * 0.8:.1f}" width="{r * 2.4:.1f}" height="{r * 1.6:.1f}" rx="{r * 0.8:.1f}"/>'
    if form == "diamond":
        s = r * 1.2
        points = ((x, y - s), (x + s, y), (x, y + s), (x - s, y))
    else:  # hexagon
        points = tuple((x + r * dx, y + r * dy) for dx, dy in ((1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0), (-0.5, -0.87), (0.5, -0.87)))
    return f'<polygon {paint} points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}"/>'


def _status_marker(status: str, x: float, y: float, r: float = 5.5) -> str:
    """A goal's status as a circle filled whole, half or not at all (so that the colour is not the only sign)."""
    colour = STATUS_COLOURS.get(status, OTHER[1])
    if status == "FullyAchieved":
        return f'<circle class="shape" cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}" stroke="{OUTLINE}" stroke-width="1"/>'
    ring = f'<circle class="shape" cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="#fff" stroke="{colour}" stroke-width="2.5"/>'
    if status == "PartiallyAchieved":
        return ring + f'<path d="M{x:.1f} {y - r:.1f}A{r} {r} 0 0 0 {x:.1f} {y + r:.1f}Z" fill="{colour}"/>'
    return ring


def _text(lines: list[str], x: float, y: float, size: float, anchor: str = "start") -> str:
    """Lines of a label, the first with its baseline at y. The space between two words broken over lines stays in
    the text (read aloud, copied, matched against the link's name), where it moves no letter: at the end of a line
    that starts at x, at the start of one that ends there."""
    def spaced(i: int, line: str) -> str:
        if anchor == "end":
            return " " + line if i and not lines[i - 1].endswith("-") else line
        return line + " " if i < len(lines) - 1 and not line.endswith("-") else line

    spans = "".join(f'<tspan x="{x:.1f}" y="{y + i * LINE * size:.1f}">{escape(spaced(i, line))}</tspan>' for i, line in enumerate(lines))
    middle = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text class="label"{middle}>{spans}</text>'


def _node(ident: str, body: str, title: str, url: str | None, css: str, info: str = "") -> str:
    """A node: a link to its page (when it has one) around its shapes and label; `<title>` names it in full,
    `info` names it to a screen reader and is what static/pictures.js shows of it when it is pointed at, focused or tapped."""
    group = f'<g class="node {css}"><title>{escape(title)}</title>{body}</g>'
    marks = f'data-node="{ident}"' + (f' data-info="{escape(info)}"' if info else "")
    if not url:
        return group.replace("<g ", f"<g {marks} ", 1)
    return f'<a href="{escape(url)}" {marks}' + (f' aria-label="{escape(info)}"' if info else "") + f">{group}</a>"


def _described(data: dict, words: Words | None) -> str:
    """A node in words: its name, then its status (a goal) or its kind, and how many goals it has when known."""
    if words is None:
        return ""
    facts = [data.get("status_label", "")] if data["type"] == "goal" else [words(f"kind_{data['type']}")]
    if "goals" in data:
        facts.append(words("goals_count", data["goals"]))
    return f'{data["label"]} — {", ".join(fact for fact in facts if fact)}'



def _classes(kinds: list[str], narrow: bool) -> str:
    """A picture's classes; a phone's drawing is "narrow", and its kinds get "-narrow" (a page's `svg.collaboration`
    is its one collaboration picture, whichever of the two drawings the screen shows)."""
    return " ".join([*(kind if kind == "graph" or not narrow else f"{kind}-narrow" for kind in kinds), *(["narrow"] if narrow else [])])


def _svg(width: float, height: float, css: str, body: str, *, ident: str, title: str, size: float = 13) -> Markup:
    """The picture: a group named by its title (not an image: it holds links, which an image may not)."""
    named = f' role="group" aria-labelledby="{ident}-title"' if title else ""
    heading = f'<title id="{ident}-title">{escape(title)}</title>' if title else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture {css}" id="{ident}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}"{named} font-size="{size:g}" font-family="system-ui, sans-serif">{heading}{body}</svg>'
    )


# The responsibility picture: themes → goals → parties in layers ------------------------------------------------
def responsibility_svg(graph: nx.DiGraph, link: Link, *, title: str = "", ident: str = "responsibility",
                       words: Words | None = None) -> Markup:
    """Themes | goals | responsible parties in columns, ordered so that few lines cross; the lines run only
    between the columns, never through a label. Goals by status (colour and fill), parties by kind (colour and shape),
    a dashed line for a responsible body."""
    layout = layered_layout(graph)
    ids = {node: f"{ident}-n{i}" for i, node in enumerate(layout.nodes)}
    edges = [_layered_edge(graph, layout, ids, goal, party) for goal in layout.order["goal"]
             for party in sorted(graph.successors(goal), key=lambda p: layout.nodes[p].middle) if party in layout.nodes]
    edges += [_theme_edge(layout, ids, theme, goal) for theme in layout.order["theme"] for goal in graph.successors(theme)
              if goal in layout.nodes]
    nodes = [_layered_node(graph, layout, node, ids[node], link, words) for layer in ("theme", "goal", "party")
             for node in layout.order[layer]]
    body = f'<g class="edges" fill="none">{"".join(edges)}</g><g class="nodes">{"".join(nodes)}</g>'
    return _svg(layout.width, layout.height, "graph responsibility", body, ident=ident, title=title, size=layout.size)


def _theme_edge(layout: Layered, ids: dict[str, str], theme: str, goal: str) -> str:
    start = (layout.columns["theme"].shape_x + 9, layout.nodes[theme].middle)
    end = (layout.columns["goal"].shape_x - 12, layout.nodes[goal].middle)
    return _curve(start, end, f'class="edge theme-link" data-ends="{ids[theme]} {ids[goal]}" stroke="#9aa3b2"')


def _layered_edge(graph: nx.DiGraph, layout: Layered, ids: dict[str, str], goal: str, party: str) -> str:
    """A line from the right side of a goal's box (each of its lines leaving at a height of its own) to the party."""
    box = layout.nodes[goal]
    parties = sorted((p for p in graph.successors(goal) if p in layout.nodes), key=lambda p: layout.nodes[p].middle)
    share = (box.height - 8) / max(1, len(parties))
    start = (layout.columns["goal"].text_x1 + 12, box.top + 4 + share * (parties.index(party) + 0.5))
    end = (layout.columns["party"].shape_x - 8, layout.nodes[party].middle)
    body = graph[goal][party].get("role") == "responsible body"
    style = ' stroke-dasharray="6 4"' if body else ""
    return _curve(start, end, f'class="edge {"body" if body else "person"}" data-ends="{ids[goal]} {ids[party]}" stroke="#5b6475"{style}')


def _curve(start: tuple[float, float], end: tuple[float, float], attributes: str) -> str:
    """An S-curve from start to end that stays between their x: inside the gap between two columns."""
    (x1, y1), (x2, y2) = start, end
    middle = (x1 + x2) / 2
    return f'<path {attributes} d="M{x1:.1f} {y1:.1f}C{middle:.1f} {y1:.1f} {middle:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"/>'


def _layered_node(graph: nx.DiGraph, layout: Layered, node: str, ident: str, link: Link, words: Words | None) -> str:
    data, placed, column = graph.nodes[node], layout.nodes[node], layout.columns[layout.nodes[node].layer]
    size = layout.size
    if placed.layer == "goal":
        x0, x1 = column.shape_x - 12, column.text_x1 + 12
        body = (f'<rect class="box" x="{x0}" y="{placed.top:.1f}" width="{x1 - x0}" height="{placed.height:.1f}" rx="4"/>'
                + _status_marker(data.get("status", ""), column.shape_x, placed.top + 6 + size * 0.55)
                + _text(placed.lines, column.text_x0, placed.top + 6 + ASCENT * size, size))
        title = f'{data["label"]} — {data.get("status_label", "")}'
        return _node(ident, body, title, link(node), "goal", _described(data, words))
    anchor = "end" if placed.layer == "theme" else "start"
    x = column.text_x1 if anchor == "end" else column.text_x0
    body = _shape(data["type"], column.shape_x, placed.middle, 6) + _text(placed.lines, x, placed.top + ASCENT * size, size, anchor)
    return _node(ident, body, data["label"], link(node), data["type"], _described(data, words))


# The collaboration and ego pictures --------------------------------------------------------------------------
WRAP = 160  # the widest line of a label: "osallisuusasiantuntija" fits whole
def collaboration_svg(graph: nx.Graph, link: Link, *, width: int = 940, height: int = 560, seed: int = 1,
                      highlight: str | None = None, narrow: bool = False, title: str = "", ident: str = "collaboration",
                      words: Words | None = None) -> Markup:
    """Parties placed by a force layout — or, with `highlight`, around that party (an ego picture: see
    `radial_layout`); a line's width is the number of goals they share, a node's size the number of its goals.
    Every label whole, wrapped over lines; labels are placed and nodes moved until no two overlap. `narrow`:
    a phone's picture, 360 units wide, whose text is not shrunk."""
    if narrow:
        width = 360
    if graph.number_of_nodes() == 0:
        return _svg(width, 60, _classes(["graph", "collaboration"], narrow), "", ident=ident, title=title)
    size = 12 if narrow else 13
    items = _collaboration_items(graph, highlight, size, narrow)
    room = _room_for(items, width)
    height = max(room, 220) if narrow and not highlight else max(height, room)  # a phone's picture: as tall as it needs
    bottom = _place(graph, items, width, height, highlight, seed, narrow)
    ids = {item.node: f"{ident}-n{i}" for i, item in enumerate(items)}
    placed = {item.node: item for item in items}
    body = (f'<g class="edges" fill="none" stroke="#8a93a3">{"".join(_collaboration_edges(graph, placed, ids))}</g>'
            f'<g class="nodes">{"".join(_collaboration_node(graph, item, ids[item.node], link, highlight, words) for item in items)}</g>')
    return _svg(width, max(bottom, 60), _classes(["graph", "collaboration"] + (["ego"] if highlight else []), narrow), body,
                ident=ident, title=title, size=size)


def _place(graph: nx.Graph, items: list[Placed], width: float, height: float, highlight: str | None, seed: int, narrow: bool) -> float:
    """Nodes where the layout puts them, then their labels where they overlap least; returns the picture's height."""
    positions = _collaboration_positions(graph, width, height, highlight, seed, margin=60 if narrow else WRAP * 0.6 + 20)
    for item in items:
        item.x, item.y = positions[item.node]
        if highlight in positions and item.node != highlight and not narrow:  # on a circle, labels outwards
            item.prefer = outward(item.x - positions[highlight][0], item.y - positions[highlight][1])
    return place_labels(items, width, [(a, b, positions[a], positions[b]) for a, b in graph.edges()])


def _collaboration_items(graph: nx.Graph, highlight: str | None, size: float, narrow: bool) -> list[Placed]:
    """Every node with its wrapped label, the most important first (they choose their label's side first)."""
    def radius(node: str) -> float:
        return 5 + 1.5 * min(graph.nodes[node].get("goals", 1), 8)

    ordered = sorted(graph, key=lambda n: (n != highlight, -radius(n), -graph.degree(n), graph.nodes[n]["label"].casefold(), str(n)))
    return [Placed(node, 0.0, 0.0, radius(node) + (3 if node == highlight else 0), wrap(graph.nodes[node]["label"], WRAP, size), size,
                   prefer=("below", "above", "right", "left") if narrow else ("right", "left", "below", "above"))
            for node in ordered]


def _room_for(items: list[Placed], width: float) -> float:
    """A height that leaves the nodes and their labels about two thirds of the picture empty."""
    area = 0.0
    for item in items:
        label_width, label_height = item.block
        area += (label_width + 2 * item.radius + 8) * (max(label_height, 2 * item.radius) + 6)
    return 3 * area / width


def _collaboration_positions(graph: nx.Graph, width: float, height: float, highlight: str | None, seed: int,
                             margin: float) -> dict[str, tuple[float, float]]:
    """Node centres: each connected part in its box, by a seeded force layout or, around `highlight`, a circle."""
    boxes = component_boxes(graph, width - 2 * margin, height - 60)
    rank = {node: i for i, node in enumerate(graph)}  # a component is a set: lay it out in the graph's order
    positions: dict[str, tuple[float, float]] = {}
    for component, (bx, by, bw, bh) in boxes:
        ordered = sorted(component, key=rank.__getitem__)
        if highlight in component:  # a circle around the centre, whatever its number of nodes
            layout, low_x, low_y, span_x, span_y = radial_layout(graph, highlight), -1.0, -1.0, 2.0, 2.0
        else:
            layout = force_layout(graph, ordered, seed=seed)
            xs, ys = [p[0] for p in layout.values()], [p[1] for p in layout.values()]
            low_x, low_y = min(xs), min(ys)
            span_x, span_y = (max(xs) - low_x) or 1, (max(ys) - low_y) or 1
        for node, (px, py) in layout.items():
            fx = (px - low_x) / span_x if len(component) > 1 else 0.5
            fy = (py - low_y) / span_y if len(component) > 1 else 0.5
            positions[node] = (margin + bx + fx * bw, 30 + by + fy * bh)
    return positions


def _collaboration_edges(graph: nx.Graph, placed: dict[str, Placed], ids: dict[str, str]) -> list[str]:
    # 1.5 px more per shared goal, but never wider than 12 px: on a large dataset two parties may share hundreds.
    heaviest = max((data.get("weight", 1) for _, _, data in graph.edges(data=True)), default=1)
    per_goal = 1.5 if heaviest <= 8 else 10.5 / (heaviest - 1)
    names = {node: escape(graph.nodes[node]["label"]) for node in placed}  # escaped once, not for each of a node's lines
    edges = []
    for a, b, data in graph.edges(data=True):
        weight = data.get("weight", 1)
        one, other = placed[a], placed[b]
        edges.append(f'<line class="edge" data-ends="{ids[a]} {ids[b]}" x1="{one.x:.1f}" y1="{one.y:.1f}" x2="{other.x:.1f}" '
                     f'y2="{other.y:.1f}" stroke-width="{1 + per_goal * (weight - 1):.1f}">'
                     f'<title>{names[a]} – {names[b]}: {weight}</title></line>')
    return edges


def _collaboration_node(graph: nx.Graph, item: Placed, ident: str, link: Link, highlight: str | None, words: Words | None) -> str:
    data = graph.nodes[item.node]
    x, y = item.first_baseline()
    body = _shape(data["type"], item.x, item.y, item.radius) + _text(item.lines, x, y, item.size, item.anchor)
    if item.node == highlight:
        body = f'<circle class="ring" cx="{item.x:.1f}" cy="{item.y:.1f}" r="{item.radius + 3:.1f}" fill="none" stroke="{OUTLINE}" stroke-width="2.5"/>' + body
    css = data["type"] + (" ego" if item.node == highlight else "")
    return _node(ident, body, f'{data["label"]} ({data.get("goals", 0)})', link(item.node), css, _described(data, words))


# Bar charts --------------------------------------------------------------------------------------------------
PATTERNS = {"PartiallyAchieved": "hatch", "NotAchieved": "dots"}  # FullyAchieved: solid


def bar_chart(rows: list[tuple[str, str | None, dict[str, int]]], colours: Mapping[str, str], *, names: Mapping[str, str] | None = None,
              narrow: bool = False, title: str = "", ident: str = "chart") -> Markup:
    """Horizontal stacked bars: (label, link, {segment: count}) per row; each segment by its colour and pattern
    (`PATTERNS`), named in its `<title>` by `names`. Labels whole: beside the bars, or above them when `narrow`."""
    width, size = (360, 12) if narrow else (760, 13)
    label_width = width - 16 if narrow else 290
    left = 4 if narrow else label_width + 12
    largest = max((sum(parts.values()) for _, _, parts in rows), default=1) or 1
    scale = (width - left - 44) / largest
    shapes, y = [_patterns(colours, ident)], 6.0
    for label, url, parts in rows:
        lines = wrap(label, label_width, size)
        text_height = block_size(lines, size)[1]
        bar_top = y + text_height + 4 if narrow else y + max(0.0, (text_height - 18) / 2)
        x_text, anchor = (4, "start") if narrow else (label_width, "end")
        text = _text(lines, x_text, y + ASCENT * size + (0 if narrow else max(0.0, (18 - text_height) / 2)), size, anchor)
        shapes.append(f'<a href="{escape(url)}">{text}</a>' if url else text)
        shapes.append(_bar(label, parts, colours, names or {}, left, bar_top, scale, ident))
        y = (bar_top + 18 if narrow else y + max(text_height, 18)) + (14 if narrow else 8)
    return _svg(width, y, _classes(["chart"], narrow), "".join(shapes), ident=ident, title=title, size=size)


def _bar(label: str, parts: Mapping[str, int], colours: Mapping[str, str], names: Mapping[str, str], left: float, top: float,
         scale: float, ident: str) -> str:
    found, x = [], left
    for name, count in parts.items():
        if count:
            fill = f"url(#{ident}-{PATTERNS[name]})" if name in PATTERNS else colours.get(name, OTHER[1])
            found.append(f'<rect class="segment" x="{x:.1f}" y="{top:.1f}" width="{count * scale:.1f}" height="18" fill="{fill}" '
                         f'stroke="{OUTLINE}" stroke-width="0.75"><title>{escape(label)}: {escape(names.get(name, name))} {count}</title></rect>')
            x += count * scale
    found.append(f'<text class="count" x="{x + 6:.1f}" y="{top + 13:.1f}">{sum(parts.values())}</text>')
    return "".join(found)


def _patterns(colours: Mapping[str, str], ident: str) -> str:
    """The hatching and dots of `PATTERNS`, in the colours of their segments."""
    defs = []
    for name, pattern in PATTERNS.items():
        colour = colours.get(name, OTHER[1])
        mark = ('<rect width="2.5" height="6" fill="#fff"/>' if pattern == "hatch" else '<circle cx="3" cy="3" r="1.4" fill="#fff"/>')
        turn = ' patternTransform="rotate(45)"' if pattern == "hatch" else ""
        defs.append(f'<pattern id="{ident}-{pattern}" width="6" height="6" patternUnits="userSpaceOnUse"{turn}>'
                    f'<rect width="6" height="6" fill="{colour}"/>{mark}</pattern>')
    return f'<defs>{"".join(defs)}</defs>'


# Legends -----------------------------------------------------------------------------------------------------
def legend(graph: nx.Graph, text: Callable[[str], str], picture: str) -> list[tuple[str, str]]:
    """(key, words) for everything a picture of `graph` shows in colour, shape or line: `key` names the sample
    the page draws (style.css, `.key-…`), in the picture's colours. `picture`: responsibility, collaboration or ego."""
    present = {data.get("type") for _, data in graph.nodes(data=True)}
    entries = [("theme", text("kind_theme"))] if "theme" in present else []
    if picture == "responsibility":
        statuses = {data.get("status"): data.get("status_label", "") for _, data in graph.nodes(data=True) if data.get("type") == "goal"}
        entries += [(f"status-{name}", statuses[name]) for name in STATUS_COLOURS if name in statuses]
    entries += [(kind, text(f"kind_{kind}")) for kind in KINDS if kind in present and kind != "theme"]
    if picture == "responsibility":
        roles = {data.get("role") for _, _, data in graph.edges(data=True)}
        lines = [("line-theme", text("legend_theme_line"), "theme" in present), ("line-person", text("role_person"), "responsible person" in roles),
                 ("line-body", text("role_body"), "responsible body" in roles)]
        return entries + [(key, words) for key, words, shown in lines if shown]
    entries += [("size", text("legend_size")), ("width", text("legend_width"))]
    return entries + ([("ego", text("legend_ego"))] if picture == "ego" else [])


def bar_legend(names: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key, words) for the segments of the bar charts: each status's colour and pattern."""
    return [(f"bar-{name}", label) for name, label in names.items()]
