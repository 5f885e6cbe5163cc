"""Where the pictures' nodes and labels go, in plain Python (no numpy): text measured and wrapped, the
responsibility graph in layers with its edges routed between them, labels placed so that no two overlap,
and the force and radial layouts of the collaboration pictures.

Text is measured with the advance widths of DejaVu Sans, the widest of the common sans-serif faces (and
the one Debian's browsers fall back to): in any narrower face a label takes less room than reserved.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx


class _Advances(dict):
    def __missing__(self, key: str) -> float:
        return WIDEST


# DejaVu Sans advance widths in hundredths of an em; any other character counts as the widest.
_ADVANCES = _Advances({ch: width / 100 for width, chars in {
    27: "'", 28: "ijl", 29: "IJ", 32: " ,.·’", 34: "/:;\\|", 35: "f", 36: "-", 39: "()[]t", 40: "!", 41: "r",
    46: '"', 50: "*_`–", 52: "sz", 53: "?", 55: "c", 56: "L", 58: "Fk", 59: "vxy", 60: "P", 61: "TYaoäöå",
    62: "eé", 63: "ESbdghnpquü", 64: "$0123456789{}", 66: "K", 68: "AVÄÅ", 69: "BRXZ", 70: "C", 73: "UÜ",
    75: "HN", 77: "DG", 78: "&", 79: "OQÖ", 82: "w", 84: "#+<=>^~", 86: "M", 95: "%", 97: "m", 99: "W",
}.items() for ch in chars})
WIDEST = 1.0
LINE = 1.25  # line height, in ems
ASCENT, DESCENT = 0.95, 0.25  # of a line's box above and below its baseline, in ems (DejaVu's are 0.93 and 0.24)


def text_width(text: str, size: float) -> float:
    """The width of `text` at font size `size`, never less than the browser draws it."""
    return sum(map(_ADVANCES.__getitem__, text)) * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` in lines no wider than `width`, broken between words (a word too long for a line is split, with a hyphen)."""
    space = _ADVANCES[" "] * size
    lines: list[str] = []
    line, used = "", 0.0
    for word in _words(text, width, size):
        glue = bool(line) and not line.endswith("-")  # a hyphenated word's parts join without a space
        added = text_width(word, size) + (space if glue else 0.0)
        if line and used + added > width:
            lines.append(line)
            line, used = word, added - (space if glue else 0.0)
        else:
            line, used = line + (" " if glue else "") + word, used + added
    return [*lines, line] if line else lines or [""]


def _words(text: str, width: float, size: float) -> Iterable[str]:
    """The words of `text`, a hyphenated word also after its hyphens, and a word wider than `width` in pieces."""
    for word in text.split():
        parts = word.split("-")
        for i, part in enumerate(parts):
            piece = part + ("-" if i < len(parts) - 1 else "")
            while text_width(piece, size) > width and len(piece) > 2:
                cut = len(piece) - 1
                while cut > 1 and text_width(piece[:cut] + "-", size) > width:
                    cut -= 1
                yield piece[:cut] + "-"
                piece = piece[cut:]
            if piece:
                yield piece


def block_size(lines: list[str], size: float) -> tuple[float, float]:
    """(width, height) of the box `lines` take at `size`, from the top of the first line to the foot of the last;
    the width with room for the space a broken line keeps (pictures._text)."""
    width = max(text_width(line, size) for line in lines) + (_ADVANCES[" "] * size if len(lines) > 1 else 0.0)
    return width, (len(lines) - 1) * LINE * size + (ASCENT + DESCENT) * size


class Rect(NamedTuple):
    """A rectangle, left, top, right, bottom. A tuple: the label placement makes and unpacks many."""

    x0: float
    y0: float
    x1: float
    y1: float


class RectIndex:
    """Rectangles in a grid of cells, to find those near a rectangle without looking at all of them."""

    def __init__(self, cell: float = 64.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[object, Rect]]] = {}

    def _keys(self, rect: Rect) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = rect
        cell = self.cell
        ys = range(math.floor(y0 / cell), math.floor(y1 / cell) + 1)
        return [(cx, cy) for cx in range(math.floor(x0 / cell), math.floor(x1 / cell) + 1) for cy in ys]

    def add(self, key: object, rect: Rect) -> None:
        for cell in self._keys(rect):
            self.cells.setdefault(cell, []).append((key, rect))

    def near(self, rect: Rect) -> list[tuple[object, Rect]]:
        x0, y0, x1, y1 = rect
        cell, cells = self.cell, self.cells
        found: dict[int, tuple[object, Rect]] = {}
        ys = range(math.floor(y0 / cell), math.floor(y1 / cell) + 1)
        for cx in range(math.floor(x0 / cell), math.floor(x1 / cell) + 1):  # as _keys, without making the keys a list
            for cy in ys:
                for entry in cells.get((cx, cy), ()):
                    found[id(entry[1])] = entry
        return list(found.values())


Segment = tuple[tuple[float, float], tuple[float, float]]
#: A segment p–q as its bounding box (x0, y0, x1, y1), then p and q - p: measured once for all the rectangles it meets.
Line = tuple[float, float, float, float, float, float, float, float]


def lines_of(segments: Iterable[Segment]) -> list[Line]:
    """The segments as `Line`s, for `crossing`."""
    return [(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]), p[0], p[1], q[0] - p[0], q[1] - p[1])
            for p, q in segments]


def crossing(rect: Rect, lines: list[Line]) -> list[Line]:
    """The lines (`lines_of`) that pass through `rect`: Liang–Barsky clipping, the x axis, then the y axis. The label
    placement's innermost loop: written out, not a call per line."""
    left, top, right, bottom = rect
    found = []
    for line in lines:
        # Most lines pass beside a label: their bounding box says so without clipping.
        if line[2] <= left or line[0] >= right or line[3] <= top or line[1] >= bottom:
            continue
        x0, y0, dx, dy = line[4:]
        low, high = 0.0, 1.0  # the part of the line inside the rectangle
        if -1e-9 < dx < 1e-9:
            if not left < x0 < right:
                continue
        else:
            t0, t1 = (left - x0) / dx, (right - x0) / dx
            if t0 > t1:
                t0, t1 = t1, t0
            if t0 > low:
                low = t0
            if t1 < high:
                high = t1
            if low >= high:
                continue
        if -1e-9 < dy < 1e-9:
            if not top < y0 < bottom:
                continue
        else:
            t0, t1 = (top - y0) / dy, (bottom - y0) / dy
            if t0 > t1:
                t0, t1 = t1, t0
            if t0 > low:
                low = t0
            if t1 < high:
                high = t1
            if low >= high:
                continue
        found.append(line)
    return found


def _boxes_meeting(rect: Rect, lines: list[Line]) -> list[Line]:
    """The lines whose bounding boxes overlap `rect`: all that may pass through it or any rectangle inside it."""
    x0, y0, x1, y1 = rect
    return [line for line in lines if line[2] > x0 and line[0] < x1 and line[3] > y0 and line[1] < y1]


# Labels placed around their nodes --------------------------------------------------------------------------
SIDES = ("right", "left", "below", "above")
GAP = 4.0  # between a shape and its label


@dataclass
class Placed:
    """A node drawn as a shape of half-size `radius` at (x, y) with its label's `lines` on one `side` of it."""

    node: str
    x: float
    y: float
    radius: float
    lines: list[str]
    size: float
    side: str = "right"
    prefer: tuple[str, ...] = SIDES

    @property
    def anchor(self) -> str:
        return {"right": "start", "left": "end"}.get(self.side, "middle")

    def shape_rect(self) -> Rect:
        return Rect(self.x - self.radius, self.y - self.radius, self.x + self.radius, self.y + self.radius)

    @functools.cached_property
    def block(self) -> tuple[float, float]:
        """The label's (width, height): measured once, as its lines never change."""
        return block_size(self.lines, self.size)

    def label_rect(self, side: str | None = None) -> Rect:
        width, height = self.block
        side = side or self.side
        if side in ("right", "left"):
            x0 = self.x + self.radius + GAP if side == "right" else self.x - self.radius - GAP - width
            return Rect(x0, self.y - height / 2, x0 + width, self.y + height / 2)
        y0 = self.y + self.radius + GAP if side == "below" else self.y - self.radius - GAP - height
        return Rect(self.x - width / 2, y0, self.x + width / 2, y0 + height)

    def unit(self) -> Rect:
        """The shape and the label together: the smallest rectangle holding both, its min and max written out (the
        nodes' settling asks for units many times)."""
        x0, y0, x1, y1 = self.label_rect()
        x, y, r = self.x, self.y, self.radius
        left, top, right, bottom = x - r, y - r, x + r, y + r
        return Rect(x0 if x0 < left else left, y0 if y0 < top else top,
                    x1 if x1 > right else right, y1 if y1 > bottom else bottom)

    def first_baseline(self) -> tuple[float, float]:
        """Where the label's first line starts (x at the anchor, y at the baseline)."""
        rect = self.label_rect()
        x = {"start": rect.x0, "end": rect.x1, "middle": (rect.x0 + rect.x1) / 2}[self.anchor]
        return x, rect.y0 + ASCENT * self.size


def place_labels(items: list[Placed], width: float, segments: list[tuple[str, str, tuple, tuple]] = (),
                 margin: float = 6.0) -> float:
    """Put each label on the side of its node where it overlaps least (other labels and shapes, the picture's
    edge, the lines of `segments`), then move nodes down until no node or label overlaps another.
    `items` come most important first; returns the height the picture needs."""
    shapes = RectIndex()
    for item in items:
        shapes.add(item.node, item.shape_rect())
    labels = RectIndex()
    lines = lines_of((p, q) for _, _, p, q in (segments if len(items) <= 150 else ()))  # too costly on a large graph
    for item in items:
        # What lies near any of the label's places is looked up once; each place is then weighed against it.
        places = [item.label_rect(side) for side in item.prefer]
        lefts, tops, rights, bottoms = zip(*places)
        around = Rect(min(lefts), min(tops), max(rights), max(bottoms))  # the union of the places
        near_labels = [rect for _, rect in labels.near(around)]
        near_shapes = [rect for node, rect in shapes.near(around) if node != item.node]
        # Only a line whose box meets the places' union can cross a place (clipping it to the union too costs more than it saves).
        near_lines = _boxes_meeting(around, lines)
        costs = [_cost(place, near_labels, near_shapes, width, margin) for place in places]
        chosen = _cheapest(places, costs, near_lines)
        item.side = item.prefer[chosen]
        labels.add(item.node, places[chosen])
    _keep_inside(items, width, margin)
    return _settle(items, margin)


def _cost(rect: Rect, labels: list[Rect], shapes: list[Rect], width: float, margin: float) -> float:
    """What a label at `rect` costs but for the lines it crosses (`_cheapest` adds them)."""
    x0, y0, x1, y1 = rect
    outside = max(0.0, margin - x0) + max(0.0, x1 - (width - margin)) + max(0.0, margin - y0)
    cost = 1000.0 * outside * (y1 - y0)
    cost += 100.0 * _overlap(rect, labels)
    return cost + 100.0 * _overlap(rect, shapes)


def _cheapest(places: list[Rect], costs: list[float], lines: list[Line]) -> int:
    """Which place costs least, its `costs` with 40 for each line it crosses; on a tie, the first. Lines can only add,
    and they cost the most to count: a place whose cost alone is no less than the cheapest found is not looked at."""
    cheapest, best = math.inf, 0
    for i, cost in enumerate(costs):
        if cost < cheapest:
            total = cost + 40.0 * len(crossing(places[i], lines))
            if total < cheapest:
                cheapest, best = total, i
    return best


def _overlap(rect: Rect, others: list[Rect]) -> float:
    """The sum of the areas `rect` shares with each of `others`, in their order; the terms that are 0 left out (they add nothing)."""
    x0, y0, x1, y1 = rect
    areas = []
    for ox0, oy0, ox1, oy1 in others:
        across = (ox1 if ox1 < x1 else x1) - (ox0 if ox0 > x0 else x0)  # min(x1, ox1) - max(x0, ox0)
        if across > 0.0:
            down = (oy1 if oy1 < y1 else y1) - (oy0 if oy0 > y0 else y0)
            if down > 0.0:
                areas.append(across * down)
    return sum(areas)


def outward(dx: float, dy: float) -> tuple[str, ...]:
    """The sides of a node in the order a label should try them when the node lies (dx, dy) from the middle of a
    circle: away from the middle first, where the node's own lines do not run."""
    across = ("right" if dx > 0 else "left", "left" if dx > 0 else "right")
    along = ("below" if dy > 0 else "above", "above" if dy > 0 else "below")
    first, second = (across, along) if abs(dx) > 0.5 * abs(dy) else (along, across)
    return first[0], second[0], second[1], first[1]


def _keep_inside(items: list[Placed], width: float, margin: float) -> None:
    """Move a node sideways until its label is inside the picture."""
    for item in items:
        unit = item.unit()
        if unit.x0 < margin:
            item.x += margin - unit.x0
        elif unit.x1 > width - margin:
            item.x -= min(unit.x1 - (width - margin), unit.x0 - margin)


def _settle(items: list[Placed], margin: float, gap: float = 3.0) -> float:
    """Move nodes (with their labels) down, top first, until none overlaps another; returns the bottom."""
    settled = RectIndex()
    starts = [item.unit().y0 for item in items]
    top = min(starts, default=margin)
    bottoms = [0.0] * len(items)
    for i in sorted(range(len(items)), key=lambda i: (starts[i], items[i].x)):
        item = items[i]
        item.y += margin - top
        while True:
            unit = x0, y0, x1, y1 = item.unit()
            near = settled.near(Rect(x0 - gap, y0 - gap, x1 + gap, y1 + gap))
            below = [oy1 for _, (ox0, oy0, ox1, oy1) in near  # those within `gap` of the unit
                     if x0 < ox1 + gap and ox0 < x1 + gap and y0 < oy1 + gap and oy0 < y1 + gap]
            if not below:
                break
            item.y += max(below) + gap - y0 + 0.01
        settled.add(item.node, unit)  # the node has not moved since its unit was found, nor will it
        bottoms[i] = y1
    return max(bottoms, default=0.0) + margin


# The responsibility graph in layers: themes | goals | parties --------------------------------------------------
@dataclass
class Column:
    """A layer of the layered picture: where its shapes sit and where its labels may go."""

    shape_x: float
    text_x0: float
    text_x1: float


@dataclass
class LayeredNode:
    node: str
    layer: str
    lines: list[str]
    top: float = 0.0
    height: float = 0.0

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass
class Layered:
    """Themes, goals and parties top to bottom in their columns; edges run only in the gaps between them."""

    width: float
    height: float
    size: float
    columns: dict[str, Column]
    nodes: dict[str, LayeredNode] = field(default_factory=dict)
    order: dict[str, list[str]] = field(default_factory=dict)


#: Columns of the layered picture, 940 units wide: theme labels end at their shapes, goals are boxes of text,
#: parties' labels follow their shapes; between them the gaps where the edges run.
LAYERED_COLUMNS = {"theme": Column(204, 8, 194), "goal": Column(292, 304, 628), "party": Column(752, 764, 934)}
GOAL_BOX = (280, 640)  # a goal's box, left to right: its edges arrive at the left side and leave from the right
PAD, SPACING, THEME_GAP = 6.0, 8.0, 20.0


def layered_layout(graph: nx.DiGraph, size: float = 13.0) -> Layered:
    """Themes, their goals and the goals' parties in three columns, ordered so that few edges cross."""
    layout = Layered(940.0, 0.0, size, LAYERED_COLUMNS)
    themes, goals, parties = _layers(graph)
    goals, parties = _reduce_crossings(graph, goals, parties)
    for layer, nodes in (("theme", themes), ("goal", [g for t in themes for g in goals[t]]), ("party", parties)):
        column = layout.columns[layer]
        for node in nodes:
            lines = wrap(graph.nodes[node]["label"], column.text_x1 - column.text_x0, size)
            layout.nodes[node] = LayeredNode(node, layer, lines, height=block_size(lines, size)[1] + (2 * PAD if layer == "goal" else 0))
    layout.order = {"theme": themes, "goal": [g for t in themes for g in goals[t]], "party": parties}
    bottom = _stack_goals(layout, themes, goals)
    bottom = max(bottom, _pack_parties(graph, layout, parties))
    layout.height = bottom + 10
    return layout


def _layers(graph: nx.DiGraph) -> tuple[list[str], dict[str, list[str]], list[str]]:
    def label(node: str) -> tuple[str, str]:
        return graph.nodes[node]["label"].casefold(), node

    themes = sorted((n for n, d in graph.nodes(data=True) if d["type"] == "theme"), key=label)
    goals = {t: sorted((g for g in graph.successors(t) if graph.nodes[g]["type"] == "goal"), key=label) for t in themes}
    return themes, goals, sorted((n for n, d in graph.nodes(data=True) if d["type"] not in ("theme", "goal")), key=label)


def _reduce_crossings(graph: nx.DiGraph, goals: dict[str, list[str]], parties: list[str], sweeps: int = 4):
    """Order parties by the mean rank of their goals, and each theme's goals by that of their parties, a few times over
    (the barycentre heuristic): edges between the goals and the parties cross less. Ties keep the order by label."""
    for _ in range(sweeps):
        goal_rank = {g: i for i, g in enumerate(g for t in goals for g in goals[t])}
        parties = _by_barycentre(parties, {p: [goal_rank[g] for g in graph.predecessors(p) if g in goal_rank] for p in parties})
        party_rank = {p: i * len(goal_rank) / max(1, len(parties)) for i, p in enumerate(parties)}
        ranks = {g: [party_rank[p] for p in graph.successors(g) if p in party_rank] or [goal_rank[g]] for g in goal_rank}
        goals = {t: _by_barycentre(members, ranks) for t, members in goals.items()}
    return goals, parties


def _by_barycentre(nodes: list[str], ranks: dict[str, list[float]]) -> list[str]:
    position = {node: i for i, node in enumerate(nodes)}

    def key(node: str) -> tuple[float, int]:
        found = ranks[node]
        return (sum(found) / len(found) if found else position[node]), position[node]

    return sorted(nodes, key=key)


def _stack_goals(layout: Layered, themes: list[str], goals: dict[str, list[str]]) -> float:
    """Goals top to bottom, a theme's goals together, each theme beside the middle of its goals. Returns the bottom."""
    y = 10.0
    for theme in themes:
        block = [layout.nodes[g] for g in goals[theme]]
        label = layout.nodes[theme]
        height = sum(n.height for n in block) + SPACING * max(0, len(block) - 1)
        span = max(height, label.height)  # a theme label taller than its goals keeps them apart from the next theme's
        top = y + (span - height) / 2
        for goal in block:
            goal.top = top
            top += goal.height + SPACING
        label.top = y + (span - label.height) / 2
        y += span + THEME_GAP
    return y - THEME_GAP


def _pack_parties(graph: nx.DiGraph, layout: Layered, parties: list[str]) -> float:
    """Each party as near the mean height of its goals as its order and the spacing allow. Returns the bottom."""
    nodes = [layout.nodes[p] for p in parties]
    wanted = []
    for node in nodes:
        middles = [layout.nodes[g].middle for g in graph.predecessors(node.node) if g in layout.nodes]
        wanted.append((sum(middles) / len(middles) if middles else 10.0) - node.height / 2)
    for node, top in zip(nodes, pack([n.height for n in nodes], wanted, SPACING, 10.0)):
        node.top = top
    return max((n.top + n.height for n in nodes), default=10.0)


def pack(heights: list[float], wanted: list[float], gap: float, start: float) -> list[float]:
    """Tops for boxes of `heights` in this order, none above `start`, `gap` apart, each as near its `wanted` top as
    the others allow (least squares: boxes that would overlap move together as a block, at their mean wish)."""
    blocks: list[list[int]] = []  # [first, last + 1] of each block
    tops: list[float] = []

    def offsets(first: int, last: int) -> list[float]:
        found, y = [], 0.0
        for i in range(first, last):
            found.append(y)
            y += heights[i] + gap
        return found

    for i in range(len(heights)):
        blocks.append([i, i + 1])
        tops.append(wanted[i])
        while len(blocks) > 1:
            first, last = blocks[-2]
            end = tops[-2] + sum(heights[first:last]) + gap * (last - first)
            if tops[-1] >= end:
                break
            merged = [first, blocks[-1][1]]
            shifts = offsets(*merged)
            blocks[-2:], tops[-2:] = [merged], [sum(wanted[j] - s for j, s in zip(range(*merged), shifts)) / len(shifts)]
    result: list[float] = []
    for (first, last), top in zip(blocks, tops):
        result.extend(top + s for s in offsets(first, last))
    if result and result[0] < start:  # the tops only grow: the first is the highest
        return [t + start - result[0] for t in result]
    return result


# The collaboration pictures' layouts ---------------------------------------------------------------------------
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
    temperature = 0.1 * side
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        fx, fy = _repulsion(xs, ys, cutoff)
        _attraction(xs, ys, edges, fx, fy)
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


def _repulsion(xs: list[float], ys: list[float], cutoff: float) -> tuple[list[float], list[float]]:
    """Every pair nearer than `cutoff` pushes apart by k²/d."""
    count = len(xs)
    fx, fy = [0.0] * count, [0.0] * count
    limit = cutoff * cutoff
    for group, others in _neighbourhoods(xs, ys, cutoff):
        for a, i in enumerate(group):
            xi, yi = xs[i], ys[i]
            pushed_x = pushed_y = 0.0
            for j in (group[a + 1:] if others is None else others):
                dx, dy = xi - xs[j], yi - ys[j]
                d2 = dx * dx + dy * dy
                if d2 >= limit:
                    continue
                push = 1.0 / max(d2, 1e-4)  # k²/d along the unit vector: (dx, dy)·k²/d²
                pushed_x += dx * push
                pushed_y += dy * push
                fx[j] -= dx * push
                fy[j] -= dy * push
            fx[i] += pushed_x
            fy[i] += pushed_y
    return fx, fy


def _attraction(xs: list[float], ys: list[float], edges, fx: list[float], fy: list[float]) -> None:
    """Every edge pulls its ends together by w·d²/k."""
    for i, j, w in edges:
        dx, dy = xs[i] - xs[j], ys[i] - ys[j]
        pull = w * max(math.sqrt(dx * dx + dy * dy), 0.01)  # w·d²/k along the unit vector
        fx[i] -= dx * pull
        fy[i] -= dy * pull
        fx[j] += dx * pull
        fy[j] += dy * pull


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


def component_boxes(graph: nx.Graph, width: float, height: float) -> list[tuple[set, tuple[float, float, float, float]]]:
    """Where each connected part of the graph goes: a square box for each, its side as the square root of its number
    of nodes, largest first, in rows (shelves) broken where the boxes come out largest in `width` × `height`; then
    each row widened to the picture's width.

    One force layout over disconnected parts pushes the small ones to the edges and
    squeezes the large one; laying them out apart keeps every part legible.
    """
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    if len(components) == 1:
        return [(components[0], (0, 0, width, height))]
    sides = [math.sqrt(len(c)) for c in components]
    rows = max((_shelves(sides, limit) for limit in _row_limits(sides)), key=lambda rows: _scale(rows, width, height))
    scale = _scale(rows, width, height)
    boxes, y, start = [], 0.0, 0
    for row in rows:
        x, stretch = 0.0, width / (sum(row) * scale)  # each row as wide as the picture: force layouts like room
        for i, side in enumerate(row, start):
            inset = side * scale * 0.1  # a margin between parts
            boxes.append((components[i], (x + inset, y + inset, side * scale * stretch - 2 * inset, side * scale - 2 * inset)))
            x += side * scale * stretch
        y += max(row) * scale
        start += len(row)
    return boxes


def _row_limits(sides: list[float]) -> list[float]:
    """The row widths worth trying: the sums of the first boxes (at most 60 of them)."""
    limits, total = [], 0.0
    for side in sides[:60]:
        total += side
        limits.append(total)
    return limits


def _shelves(sides: list[float], limit: float) -> list[list[float]]:
    rows: list[list[float]] = [[]]
    for side in sides:
        if rows[-1] and sum(rows[-1]) + side > limit + 1e-9:
            rows.append([])
        rows[-1].append(side)
    return rows


def _scale(rows: list[list[float]], width: float, height: float) -> float:
    return min(width / max(sum(row) for row in rows), height / sum(max(row) for row in rows))
