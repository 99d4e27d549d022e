"""Relations a table's columns state: the maker of each row's model and the methods it uses.

Reading keeps a Markdown table as one line per row, its cells joined by " | ", the header row
first. A table whose header has a model column beside a maker column (模型 | 机构, Model |
Organization) or a technique column (关键技术, Key techniques) says, row by row, who made each
model and what it is built with; no sentence says it in words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

_CELL = " | "
MAX_HEADER_CELL = 30
"""A header cell is a label ("模型 Model", "机构 Organization"); longer cells are data."""
_WORD = r"(?<![A-Za-z])(?:{})(?![A-Za-z])"  # an English label word, also glued to Chinese ("机构Organization")
_MODEL_COLUMN = re.compile("模型|" + _WORD.format("models?"), re.I)
_TECHNIQUE_COLUMN = re.compile("关键技术|技术|架构|方法|" + _WORD.format("techniques?|architecture|methods?"), re.I)
_MAKER_COLUMN = re.compile(
    "机构|组织|厂商|公司|开发者|开发方|发布方|团队|" + _WORD.format("organi[sz]ations?|developers?|labs?|vendors?|makers?|company|team"), re.I
)


class _Span(Protocol):
    start: int
    end: int
    type: str


def table_relations(text: str, mentions: Sequence[_Span]) -> list[tuple[str, int, int, tuple[int, int]]]:
    """(relation type, model mention, organization or technique mention, the row's span) for
    every row of every table in ``text`` whose header names a model column and a maker or a
    technique column: developedBy and uses."""
    found: list[tuple[str, int, int, tuple[int, int]]] = []
    columns: dict[str, int] | None = None  # column of "model", "developedBy", "uses" in the table being read
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
        if "model" not in columns or max(columns.values()) >= len(cells):
            continue
        models = [i for i, m in enumerate(mentions) if m.type == "Model" and _inside(m, cells[columns["model"]])]
        for relation, wanted in (("developedBy", "Organization"), ("uses", "Technique")):
            if relation in columns:
                cell = cells[columns[relation]]
                targets = [i for i, m in enumerate(mentions) if m.type == wanted and _inside(m, cell)]
                found += [(relation, model, t, (start, start + len(line))) for model in models for t in targets]
    return found


def _cells(line: str, start: int) -> list[tuple[int, int]]:
    cells = []
    cursor = 0
    for part in line.split(_CELL):
        cells.append((start + cursor, start + cursor + len(part)))
        cursor += len(part) + len(_CELL)
    return cells


def _roles(line: str, cells: list[tuple[int, int]]) -> dict[str, int]:
    """The column of "model", "developedBy" and "uses" a header row names; empty unless it names
    a model column and one of the others."""
    offset = cells[0][0]
    names = [line[a - offset : b - offset].strip(" |") for a, b in cells]
    if any(len(n) > MAX_HEADER_CELL for n in names):
        return {}  # a row of data (a summary cell), not the labels of a header
    roles: dict[str, int] = {}
    for i, name in enumerate(names):
        if "model" not in roles and _MODEL_COLUMN.search(name):
            roles["model"] = i
        elif "developedBy" not in roles and _MAKER_COLUMN.search(name):
            roles["developedBy"] = i
        elif "uses" not in roles and _TECHNIQUE_COLUMN.search(name):
            roles["uses"] = i
    return roles if "model" in roles and len(roles) > 1 else {}


def _inside(mention: _Span, cell: tuple[int, int]) -> bool:
    return cell[0] <= mention.start and mention.end <= cell[1]
