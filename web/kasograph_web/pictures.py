"""Pictures of the graphs as SVG, drawn on the server: columns, or a force layout in plain Python.

No JavaScript and no CDN: the SVG sits in the page, every node is a link to its
page and shows its full label on hover (`<title>`), so the pictures work in the
static site as well. Labels are cut to fit; the hover text is whole.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import networkx as nx
from markupsafe import Markup, escape

STATUS_COLOURS = {"FullyAchieved": "#1f7a3a", "PartiallyAchieved": "#a86400", "NotAchieved": "#a3262a"}
TYPE_COLOURS = {"person": "#0b5cad", "post": "#6b4fbb", "group": "#00838f", "division": "#37474f", "unit": "#00838f",
                "organisation": "#37474f", "theme": "#5b6475"}
Link = Callable[[str], str | None]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node(x: float, y: float, label: str, full: str, url: str | None, colour: str, *, anchor: str = "start",
          radius: float = 6, limit: int = 48, css: str = "") -> str:
    dx = radius + 4 if anchor == "start" else -(radius + 4)
    body = (f'<title>{escape(full)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}"/>'
            f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(_cut(label, limit))}</text>')
    group = f'<g class="node {css}">{body}</g>'
    return f'<a href="{escape(url)}">{group}</a>' if url else group


def responsibility_svg(graph: nx.DiGraph, link: Link, *, row: int = 26, width: int = 940) -> Markup:
    """Three columns: themes | goals | responsible parties; goals coloured by status, parties by type."""
    themes = sorted((n for n, d in graph.nodes(data=True) if d["type"] == "theme"), key=lambda n: graph.nodes[n]["label"].casefold())
    goals = [g for t in themes for g in sorted(graph.successors(t), key=lambda n: graph.nodes[n]["label"].casefold())]
    position = {g: i for i, g in enumerate(goals)}
    parties = [n for n, d in graph.nodes(data=True) if d["type"] not in ("theme", "goal")]
    # Each party sits at the mean height of its goals (barycentre): fewer crossing lines.
    parties.sort(key=lambda p: (sum(position.get(g, 0) for g in graph.predecessors(p)) / max(1, graph.in_degree(p)),
                                graph.nodes[p]["label"].casefold()))
    rows = max(len(goals), len(parties), len(themes), 1)
    height = rows * row + 40
    columns = {"theme": 10, "goal": 300, "party": 715}

    def spread(items: list[str]) -> dict[str, float]:
        gap = (rows * row) / max(1, len(items))
        return {item: 30 + gap * (i + 0.5) for i, item in enumerate(items)}

    y = spread(themes) | spread(goals) | spread(parties)
    x = {**{t: columns["theme"] for t in themes}, **{g: columns["goal"] for g in goals}, **{p: columns["party"] for p in parties}}
    edges = []
    for a, b, data in graph.edges(data=True):
        if a in y and b in y:
            dash = ' stroke-dasharray="5 3"' if data.get("role") == "responsible body" else ""
            edges.append(f'<line x1="{x[a] + 6:.1f}" y1="{y[a]:.1f}" x2="{x[b] - 6:.1f}" y2="{y[b]:.1f}"{dash}/>')
    nodes = []
    for t in themes:
        nodes.append(_node(x[t], y[t], graph.nodes[t]["label"], graph.nodes[t]["label"], link(t), TYPE_COLOURS["theme"], limit=40, css="theme"))
    for g in goals:
        data = graph.nodes[g]
        nodes.append(_node(x[g], y[g], data["label"], f'{data["label"]} — {data.get("status_label", "")}', link(g),
                           STATUS_COLOURS.get(data.get("status", ""), "#999"), limit=60, css="goal"))
    for p in parties:
        data = graph.nodes[p]
        nodes.append(_node(x[p], y[p], data["label"], data["label"], link(p), TYPE_COLOURS.get(data["type"], "#999"), limit=30,
                           css=data["type"]))
    return _svg(width, height, "responsibility", edges, nodes)


def collaboration_svg(graph: nx.Graph, link: Link, *, width: int = 940, height: int = 620, seed: int = 1,
                      highlight: str | None = None) -> Markup:
    """Parties placed by a force layout — or, with `highlight`, around that party (an ego picture: see
    `radial_layout`); a line's width is the number of goals they share."""
    if graph.number_of_nodes() == 0:
        return _svg(width, 60, "collaboration", [], [])
    margin_left, margin_right, margin_y = 30, 200, 30
    boxes = _component_boxes(graph, width - margin_left - margin_right, height - 2 * margin_y)
    rank = {node: i for i, node in enumerate(graph)}  # a component is a set: lay it out in the graph's order
    positions: dict[str, tuple[float, float]] = {}
    for component, (bx, by, bw, bh) in boxes:
        ordered = sorted(component, key=rank.__getitem__)
        layout = radial_layout(graph, highlight) if highlight in component else force_layout(graph, ordered, seed=seed)
        xs, ys = [p[0] for p in layout.values()], [p[1] for p in layout.values()]
        low_x, low_y = min(xs), min(ys)
        span_x, span_y = (max(xs) - low_x) or 1, (max(ys) - low_y) or 1
        for node, (px, py) in layout.items():
            fx = (px - low_x) / span_x if len(component) > 1 else 0.5
            fy = (py - low_y) / span_y if len(component) > 1 else 0.5
            positions[node] = (margin_left + bx + fx * bw, margin_y + by + fy * bh)

    def place(node: str) -> tuple[float, float]:
        return positions[node]

    edges = []
    # 1.5 px more per shared goal, but never wider than 12 px: on a large dataset two parties may share hundreds.
    heaviest = max((data.get("weight", 1) for _, _, data in graph.edges(data=True)), default=1)
    per_goal = 1.5 if heaviest <= 8 else 10.5 / (heaviest - 1)
    for a, b, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = place(a), place(b)
        weight = data.get("weight", 1)
        edges.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke-width="{1 + per_goal * (weight - 1):.1f}">'
                     f'<title>{escape(graph.nodes[a]["label"])} – {escape(graph.nodes[b]["label"])}: {weight}</title></line>')
    nodes = []
    for node, data in graph.nodes(data=True):
        px, py = place(node)
        radius = 5 + 1.5 * min(data.get("goals", 1), 8)
        nodes.append(_node(px, py, data["label"], f'{data["label"]} ({data.get("goals", 0)})', link(node),
                           TYPE_COLOURS.get(data["type"], "#999"), radius=radius, limit=34,
                           css=data["type"] + (" ego" if node == highlight else "")))
    return _svg(width, height, "collaboration", edges, nodes)


def radial_layout(graph: nx.Graph, centre: str) -> dict[str, tuple[float, float]]:
    """The centre in the middle, everyone else on a circle around it, in the order of the links: each
    party is followed by those it is linked with, heaviest first, so that partners of the same goals
    sit side by side and their links stay short. An ego picture's centre is linked to all; a force
    layout of it spent most of a person page's time (7 ms of 18 at a million triples) to find as much."""
    others = [n for n in graph if n != centre]
    placed: list[str] = []
    seen = {centre}
    for start in sorted(others, key=lambda n: (-graph[centre][n].get("weight", 1) if graph.has_edge(centre, n) else 0, str(n))):
        queue = [start]
        while queue:
            node = queue.pop(0)
            if node in seen:
                continue
            seen.add(node)
            placed.append(node)
            queue.extend(sorted((n for n in graph[node] if n not in seen),
                                key=lambda n: (-graph[node][n].get("weight", 1), str(n))))
    positions = {centre: (0.0, 0.0)}
    for i, node in enumerate(placed):
        angle = 2 * math.pi * i / max(len(placed), 1) - math.pi / 2
        positions[node] = (math.cos(angle), math.sin(angle))
    return positions


EXACT_REPULSION = 80  # up to this many nodes every pair repels; above, only near pairs (a grid finds them)


def force_layout(graph: nx.Graph, nodes: list | None = None, *, seed: int = 1, iterations: int = 50,
                 weight: str = "weight") -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold placement of the undirected `graph`, or of its `nodes`, in plain Python: no numpy, no scipy.

    The force model and cooling are those of networkx's `spring_layout` (which needs
    numpy, and scipy from 500 nodes on — neither is a dependency of kasograph). The
    start is drawn from `seed` in the order of `nodes` (default: the graph's): give a
    list in a fixed order, not a set, and the same graph gets the same picture in
    every process, whatever the hash seed. Above `EXACT_REPULSION` nodes a node is
    pushed only by those nearer than 2k, found through a grid of 2k cells
    (Fruchterman and Reingold's own speed-up), so a step costs about
    O(nodes + edges), not O(nodes²). Coordinates are in units of k, the ideal edge
    length; callers rescale.
    """
    order = list(graph if nodes is None else nodes)
    count = len(order)
    if count <= 1:
        return {n: (0.0, 0.0) for n in order}
    index = {n: i for i, n in enumerate(order)}
    edges = [(index[a], index[b], float(data.get(weight, 1) or 1)) for a, b, data in graph.edges(order, data=True)
             if a in index and b in index and a != b]
    rng = random.Random(seed)
    side = math.sqrt(count)  # about one k² of room per node from the start
    xs = [rng.random() * side for _ in range(count)]
    ys = [rng.random() * side for _ in range(count)]
    cutoff = 2.0 if count > EXACT_REPULSION else math.inf
    limit = cutoff * cutoff
    temperature = 0.1 * side
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        fx, fy = [0.0] * count, [0.0] * count
        for group, others in _neighbourhoods(xs, ys, cutoff):
            for a, i in enumerate(group):
                xi, yi = xs[i], ys[i]
                pushed_x = pushed_y = 0.0
                for j in (group[a + 1:] if others is None else others):
                    dx, dy = xi - xs[j], yi - ys[j]
                    d2 = dx * dx + dy * dy
                    if d2 >= limit:
                        continue
                    push = 1.0 / (d2 if d2 > 1e-4 else 1e-4)  # k²/d along the unit vector: (dx, dy)·k²/d²
                    pushed_x += dx * push
                    pushed_y += dy * push
                    fx[j] -= dx * push
                    fy[j] -= dy * push
                fx[i] += pushed_x
                fy[i] += pushed_y
        for i, j, w in edges:
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            pull = w * max(math.sqrt(dx * dx + dy * dy), 0.01)  # w·d²/k along the unit vector
            fx[i] -= dx * pull
            fy[i] -= dy * pull
            fx[j] += dx * pull
            fy[j] += dy * pull
        moved = 0.0
        for i in range(count):
            length = max(math.hypot(fx[i], fy[i]), 0.01)
            step = temperature / length
            xs[i] += fx[i] * step
            ys[i] += fy[i] * step
            moved += (fx[i] * step) ** 2 + (fy[i] * step) ** 2
        temperature -= cooling
        if math.sqrt(moved) / count < 1e-4 * side:
            break
    return {n: (xs[i], ys[i]) for i, n in enumerate(order)}


def _neighbourhoods(xs: list[float], ys: list[float], cutoff: float):
    """(group, others) to cover every pair of points nearer than `cutoff` once: pairs within `group` when `others`
    is None, else every point of `group` with every point of `others`. One group of all points if `cutoff` is
    infinite; else the cells of a `cutoff` grid, each with itself and half its neighbours."""
    if math.isinf(cutoff):
        yield list(range(len(xs))), None
        return
    cells: dict[tuple[int, int], list[int]] = {}
    for i in range(len(xs)):
        cells.setdefault((math.floor(xs[i] / cutoff), math.floor(ys[i] / cutoff)), []).append(i)
    for (cx, cy), members in cells.items():
        yield members, None
        for ox, oy in ((1, 0), (1, 1), (0, 1), (-1, 1)):
            others = cells.get((cx + ox, cy + oy))
            if others:
                yield members, others


def _component_boxes(graph: nx.Graph, width: float, height: float) -> list[tuple[set, tuple[float, float, float, float]]]:
    """Where each connected part of the graph goes: the largest fills the left, the rest stack on the right.

    One force layout over disconnected parts pushes the small ones to the edges and
    squeezes the large one; laying them out apart keeps every part legible.
    """
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    if len(components) == 1:
        return [(components[0], (0, 0, width, height))]
    main, rest = components[0], components[1:]
    column = width * 0.22
    boxes = [(main, (0, 0, width - column - 20, height))]
    step = height / len(rest)
    for i, component in enumerate(rest):
        boxes.append((component, (width - column, i * step + step * 0.15, column * 0.6, step * 0.7)))
    return boxes


def bar_chart(rows: list[tuple[str, str | None, dict[str, int]]], colours: dict[str, str], *, width: int = 760,
              bar: int = 20) -> Markup:
    """Horizontal stacked bars: (label, link, {segment: count}) per row; segments coloured by `colours`."""
    largest = max((sum(parts.values()) for _, _, parts in rows), default=1) or 1
    label_width, scale = 300, (width - 300 - 40) / largest
    height = len(rows) * (bar + 8) + 10
    shapes = []
    for i, (label, url, parts) in enumerate(rows):
        y = 5 + i * (bar + 8)
        text = f'<text x="{label_width - 8}" y="{y + bar - 6}" text-anchor="end">{escape(_cut(label, 44))}<title>{escape(label)}</title></text>'
        shapes.append(f'<a href="{escape(url)}">{text}</a>' if url else text)
        x = label_width
        for name, count in parts.items():
            if count:
                shapes.append(f'<rect x="{x:.1f}" y="{y}" width="{count * scale:.1f}" height="{bar}" fill="{colours.get(name, "#999")}">'
                              f'<title>{escape(label)}: {escape(name)} {count}</title></rect>')
                x += count * scale
        shapes.append(f'<text x="{x + 6:.1f}" y="{y + bar - 6}">{sum(parts.values())}</text>')
    return _svg(width, height, "chart", [], shapes)


def _svg(width: int, height: int, css: str, edges: list[str], nodes: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture {css}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-size="12" font-family="system-ui, sans-serif">'
        f'<g class="edges" stroke="#9aa3b2" fill="none">{"".join(edges)}</g><g class="nodes">{"".join(nodes)}</g></svg>'
    )
