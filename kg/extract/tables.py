"""Relations a table's columns state: the maker of each row's model.

Reading keeps a Markdown table as one line per row, its cells joined by " | ", the header row
first. A table whose header has a model column and a maker column (模型 | 机构, Model |
Organization) says, row by row, who made each model; no sentence says it in words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

_CELL = " | "
MAX_HEADER_CELL = 30
"""A header cell is a label ("模型 Model", "机构 Organization"); longer cells are data."""
_MODEL_COLUMN = re.compile(r"模型|\bmodels?\b", re.I)
_MAKER_COLUMN = re.compile(r"机构|组织|厂商|公司|开发者|开发方|发布方|团队|\b(?:organi[sz]ations?|developers?|labs?|vendors?|makers?|company|team)\b", re.I)


class _Span(Protocol):
    start: int
    end: int
    type: str


def table_makers(text: str, mentions: Sequence[_Span]) -> list[tuple[int, int, tuple[int, int]]]:
    """(model mention, organization mention, the row's span) for every row of every table in
    ``text`` whose header names a model column and a maker column."""
    found: list[tuple[int, int, tuple[int, int]]] = []
    columns: tuple[int, int] | None = None  # (model, maker) column of the table being read
    at = 0
    for line in text.split("\n"):
        start, at = at, at + len(line) + 1
        if _CELL not in line:
            if line.strip():  # a blank line may stand between a heading's header row and its rows
                columns = None
            continue
        cells = _cells(line, start)
        if columns is None:  # a table's first row: its header
            columns = _roles(line, cells)
            continue
        if columns == (-1, -1) or max(columns) >= len(cells):
            continue
        model_cell, maker_cell = cells[columns[0]], cells[columns[1]]
        models = [i for i, m in enumerate(mentions) if m.type == "Model" and _inside(m, model_cell)]
        makers = [i for i, m in enumerate(mentions) if m.type == "Organization" and _inside(m, maker_cell)]
        found += [(model, maker, (start, start + len(line))) for model in models for maker in makers]
    return found


def _cells(line: str, start: int) -> list[tuple[int, int]]:
    cells = []
    cursor = 0
    for part in line.split(_CELL):
        cells.append((start + cursor, start + cursor + len(part)))
        cursor += len(part) + len(_CELL)
    return cells


def _roles(line: str, cells: list[tuple[int, int]]) -> tuple[int, int]:
    """(model column, maker column) from a header row; (-1, -1) unless it has both."""
    offset = cells[0][0]
    names = [line[a - offset : b - offset].strip(" |") for a, b in cells]
    if any(len(n) > MAX_HEADER_CELL for n in names):
        return (-1, -1)  # a row of data (a summary cell), not the labels of a header
    model = next((i for i, n in enumerate(names) if _MODEL_COLUMN.search(n)), -1)
    maker = next((i for i, n in enumerate(names) if i != model and _MAKER_COLUMN.search(n)), -1)
    return (model, maker) if model >= 0 and maker >= 0 else (-1, -1)


def _inside(mention: _Span, cell: tuple[int, int]) -> bool:
    return cell[0] <= mention.start and mention.end <= cell[1]
