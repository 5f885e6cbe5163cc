"""Showing results to a person at a terminal: aligned tables with short IRIs."""

from __future__ import annotations

from kasograph.namespaces import PREFIXES


def compact(iri: str, base: str | None = None) -> str:
    """An IRI shortened with a known prefix (``kg:Goal``), or relative to the data base (``<goal/…>``)."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    if base and iri.startswith(base):
        return f"<{iri[len(base):]}>"
    return f"<{iri}>"


def table(columns: list[str], rows: list[list[str]], max_width: int | None = None) -> str:
    """A plain-text table; cells longer than `max_width` are cut with '…'."""

    def fit(cell: str) -> str:
        cell = " ".join(cell.split())
        if max_width and len(cell) > max_width:
            return cell[: max_width - 1] + "…"
        return cell

    cells = [[fit(c) for c in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda row: "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)
