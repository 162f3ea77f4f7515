"""reStructuredText's tables as rows of cells: a simple table (columns under "=" borders), a
grid table (cells drawn with "+", "-" and "|") and a list-table directive's bullet lists.
A cell's text spans lines as the table draws it; restructured.py reduces its inline markup
and writes each row as one line, cells joined by " | ".
"""

from __future__ import annotations

import re

SIMPLE_BORDER = re.compile(r"\s*=+(?:[ \t]+=+)+[ \t]*$")
_SIMPLE_RULE = re.compile(r"\s*-+(?:[ \t]+-+)*[ \t]*$")  # a simple table header's column-span underline
GRID_BORDER = re.compile(r"\s*\+(?:[-=]+\+)+[ \t]*$")
_LIST_CELL = re.compile(r"(\*\s+)?-\s+")


def simple_table(lines: list[str], start: int) -> tuple[list[list[str]], int] | None:
    """Rows of the simple table whose top border is line `start`, and the line after its bottom
    border; None if the border is never closed."""
    border = lines[start]
    starts = [m.start() for m in re.finditer(r"=+", border)]
    end = next((j for j in range(start + 1, len(lines)) if SIMPLE_BORDER.match(lines[j])
                and (j + 1 == len(lines) or not lines[j + 1].strip())), None)
    if end is None:
        return None
    rows: list[list[str]] = []
    for line in lines[start + 1:end]:
        if not line.strip() or SIMPLE_BORDER.match(line) or _SIMPLE_RULE.match(line):
            continue
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line) + 1])]
        if rows and not cells[0]:  # a blank first column goes on with the row above
            rows[-1] = [" ".join(filter(None, pair)) for pair in zip(rows[-1], cells)]
        else:
            rows.append(cells)
    return rows, end + 1


def grid_table(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    cells: list[list[str]] = []
    end = start
    while end < len(lines) and lines[end].strip()[:1] in ("+", "|"):
        line = lines[end].strip()
        end += 1
        if line.startswith("+"):
            if cells:
                rows.append([" ".join(filter(None, cell)) for cell in cells])
            cells = []
            continue
        for number, piece in enumerate(line.strip("|").split("|")):
            if number == len(cells):
                cells.append([])
            cells[number].append(piece.strip())
    if cells:
        rows.append([" ".join(filter(None, cell)) for cell in cells])
    return rows, end


def list_table(content: list[str]) -> list[list[str]]:
    """A list-table's rows: "* - a" starts a row, "- b" a cell, other lines go on with the cell."""
    rows: list[list[str]] = []
    for line in content:
        cell = _LIST_CELL.match(line.strip())
        if cell and (cell[1] or not rows):
            rows.append([])
        if cell:
            rows[-1].append(line.strip()[cell.end():])
        elif rows and rows[-1] and line.strip():
            rows[-1][-1] += " " + line.strip()
    return rows
