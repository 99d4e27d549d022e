"""Relations a table's columns state: the maker of each row's model, the methods it uses and
its scores.

Reading keeps a Markdown table as one line per row, its cells joined by " | ", the header row
first. A table whose header has a model column beside a maker column (模型 | 机构, Model |
Organization) or a technique column (关键技术, Key techniques) says, row by row, who made each
model and what it is built with; one whose header names benchmarks (模型 | SWE-bench Verified |
AIME 2025) gives each row's model a score on each of them, and so does one turned the other way
(基准 | GPT-5 | Claude Opus 4.1, a benchmark a row). A paper column beside an institution column
(论文 | arXiv | 作者机构) gives each row's paper its affiliations. No sentence says it in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

_CELL = " | "
MAX_HEADER_CELL = 30
"""A header cell is a label ("模型 Model", "机构 Organization"); longer cells are data."""
_WORD = r"(?<![A-Za-z])(?:{})(?![A-Za-z])"  # an English label word, also glued to Chinese ("机构Organization")
_MODEL_COLUMN = re.compile("模型|" + _WORD.format("models?"), re.I)
_TECHNIQUE_COLUMN = re.compile("关键技术|技术|架构|方法|" + _WORD.format("techniques?|architecture|methods?"), re.I)
_PAPER_COLUMN = re.compile("论文|题目|标题|" + _WORD.format("papers?|titles?"), re.I)
_NAME_COLUMN = re.compile("名称|名字|条目|" + _WORD.format("names?"), re.I)
"""A column of names (a Notion database's "名称"): the row's model or paper, whichever it names."""
_MAKER_COLUMN = re.compile(
    "机构|组织|厂商|公司|开发者|开发方|发布方|团队|" + _WORD.format("organi[sz]ations?|developers?|labs?|vendors?|makers?|company|team"), re.I
)


class _Span(Protocol):
    start: int
    end: int
    type: str


TableRelation = tuple[str, int, int, tuple[int, int], "str | None"]
"""(relation type, model or paper mention, organization, technique or benchmark mention, the row's
span, the score a benchmark's cell states)."""

_SCORE_CELL = re.compile(
    r"\s*\**\s*[<>~≈]?(\d+(?:\.\d+)?)\s*([%％])?\**\s*"
    r"(?:[*†‡¹²³]|\([^)]{0,20}\)|（[^）]{0,20}）)?\s*$"
)
"""A cell that is a score: a number, maybe a percentage, bold, with a footnote mark or a short
note in brackets ("92.5 (high)"). Kept as sentences keep a score: the number, with ``%`` when it
is a percentage."""


def table_relations(text: str, mentions: Sequence[_Span]) -> list[TableRelation]:
    """The relations of every row of every table in ``text``: developedBy and uses where the
    header names a model column and a maker or a technique column, affiliatedWith where it names
    a paper column and an institution column, evaluatedOn where it names benchmarks above the
    scores of each row's model (or models above the scores on each row's benchmark)."""
    found: list[TableRelation] = []
    columns: dict[str, int] = {}  # column of "model", "paper", "developedBy", "uses" in the table being read
    header: list[list[int]] = []  # the mentions of each header cell
    for line, start, cells, is_header in _rows(text):
        row = (start, start + len(line))
        named = _mentions_of_cells(mentions, row, cells)
        if is_header:
            columns = _roles(line, cells)
            header = named
            continue
        found += _scores(line, cells, header, named, mentions, row)
        if not columns or max(columns.values()) >= len(cells):
            continue
        if "paper" in columns and "developedBy" in columns:  # a paper's row: its authors' institutions
            papers = [i for i in named[columns["paper"]] if mentions[i].type == "Paper"][:1]
            orgs = [i for i in named[columns["developedBy"]] if mentions[i].type == "Organization"]
            found += [("affiliatedWith", paper, o, row, None) for paper in papers for o in orgs]
        if "model" not in columns:
            continue
        models = [i for i in named[columns["model"]] if mentions[i].type == "Model"]
        for relation, wanted in (("developedBy", "Organization"), ("uses", "Technique")):
            if relation in columns:
                targets = [i for i in named[columns[relation]] if mentions[i].type == wanted]
                found += [(relation, model, t, row, None) for model in models for t in targets]
    return found


_MAKER_NAME = re.compile(r"(?!.*(?:多家|多个|各家|等|未知|待定|社区|个人|N/A))[^\d|()（）\[\]，,。;；:：/+&、—-]{2,20}", re.I)
"""A maker cell that can be one organization's name: short, no digits, no list of several, no
"several vendors" or "unknown"."""


def maker_cells(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every cell of a maker column (机构, Organization) beside a model or paper
    column: each names the organization that made the row's model, whatever the name ("舟行智能")."""
    found: list[tuple[int, int]] = []
    column = -1
    for line, start, cells, is_header in _rows(text):
        if is_header:
            column = _roles(line, cells).get("developedBy", -1)
            continue
        if 0 <= column < len(cells):
            a, b = cells[column]
            cell = text[a:b]
            name = cell.strip(" *")
            if _MAKER_NAME.fullmatch(name):
                a += cell.index(name)
                found.append((a, a + len(name)))
    return found


def _scores(
    line: str,
    cells: list[tuple[int, int]],
    header: list[list[int]],
    named: list[list[int]],
    mentions: Sequence[_Span],
    row: tuple[int, int],
) -> list[TableRelation]:
    """evaluatedOn for each score of a row (``named``: the mentions of each of its cells): under a
    benchmark of the header, for the row's model (in its first cell that names one: a rank may
    come before it), or under a model of the header, on the row's benchmark."""
    if len(cells) != len(header):
        return []
    offset = cells[0][0]
    found: list[TableRelation] = []
    for above, left in (("Benchmark", "Model"), ("Model", "Benchmark")):
        # the row's first cell naming a model (or a benchmark): a rank may come before it
        first = next(((k, kept) for k, cell in enumerate(named) if (kept := [i for i in cell if mentions[i].type == left])), None)
        if first is None:
            continue
        column_of_names, lefts = first
        for column in range(column_of_names + 1, len(cells)):
            tops = [i for i in header[column] if mentions[i].type == above]
            score = _SCORE_CELL.match(line, cells[column][0] - offset, cells[column][1] - offset) if len(tops) == 1 else None
            if score is None:
                continue
            value = score.group(1) + ("%" if score.group(2) else "")
            pairs = [(model, tops[0]) for model in lefts] if left == "Model" else [(tops[0], lefts[0])]
            found += [("evaluatedOn", model, bench, row, value) for model, bench in pairs]
    return found


def _rows(text: str) -> Iterator[tuple[str, int, list[tuple[int, int]], bool]]:
    """(line, where it starts, its cells, whether it is its table's header) for each row of each
    table in ``text``. A table ends at a line of text that is no row; a blank line may stand between
    a heading's header row and its rows."""
    in_table = False
    at = 0
    for line in text.split("\n"):
        start, at = at, at + len(line) + 1
        if _CELL not in line:
            if line.strip():
                in_table = False
            continue
        yield line, start, row_cells(line, start), not in_table
        in_table = True


def _mentions_of_cells(mentions: Sequence[_Span], row: tuple[int, int], cells: list[tuple[int, int]]) -> list[list[int]]:
    """The mentions inside each cell of a row (one pass over the mentions, then over the row's)."""
    in_row = [i for i, m in enumerate(mentions) if row[0] <= m.start and m.end <= row[1]]
    return [[i for i in in_row if a <= mentions[i].start and mentions[i].end <= b] for a, b in cells]


def row_cells(line: str, start: int) -> list[tuple[int, int]]:
    """The (start, end) of each cell of a row kept as reading keeps it (cells joined by " | "), the
    row starting at ``start``."""
    cells = []
    cursor = 0
    for part in line.split(_CELL):
        cells.append((start + cursor, start + cursor + len(part)))
        cursor += len(part) + len(_CELL)
    return cells


def _roles(line: str, cells: list[tuple[int, int]]) -> dict[str, int]:
    """The column of "model", "paper", "developedBy" (the maker, or a paper's institutions) and
    "uses" a header row names (a column of names is both the model's and the paper's); empty
    unless it names a model or paper column and one of the others."""
    offset = cells[0][0]
    names = [line[a - offset : b - offset].strip(" |") for a, b in cells]
    if any(len(n) > MAX_HEADER_CELL for n in names):
        return {}  # a row of data (a summary cell), not the labels of a header
    roles: dict[str, int] = {}
    for i, name in enumerate(names):
        if "model" not in roles and "paper" not in roles and _NAME_COLUMN.fullmatch(name):
            roles["model"] = roles["paper"] = i
        elif "model" not in roles and _MODEL_COLUMN.search(name):
            roles["model"] = i
        elif "paper" not in roles and _PAPER_COLUMN.search(name):
            roles["paper"] = i
        elif "developedBy" not in roles and _MAKER_COLUMN.search(name):
            roles["developedBy"] = i
        elif "uses" not in roles and _TECHNIQUE_COLUMN.search(name):
            roles["uses"] = i
    return roles if ("model" in roles or "paper" in roles) and len(roles) > 1 else {}
