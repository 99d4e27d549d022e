"""Read a YAML front matter block (``---`` on the first line) with a tiny, data-only parser.

Only what digests use is understood: ``key: value`` lines, quoted values, inline lists
(``[a, b]``), block lists (``- item`` lines under ``key:``) and block scalars (``key: |``).
Nothing is ever evaluated; anything else means the block is not front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FrontMatterValue = str | list[str]

_KEY = re.compile(r"^([^\W\d][\w\- ]{0,63}?)\s*(?::(?=\s|$)|：)\s*(.*)$")
_ITEM = re.compile(r"^\s*-\s+(.*)$")
_FENCE = re.compile(r"^---\s*$")
_END = re.compile(r"^(?:---|\.\.\.)\s*$")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The parsed block and how many lines it spans (0 when the file has none)."""

    data: dict[str, FrontMatterValue] = field(default_factory=dict)
    line_count: int = 0


def parse_front_matter(lines: list[str]) -> FrontMatter:
    """Parse the front matter at the top of ``lines``; an empty FrontMatter if there is none."""
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter()
    end = next((i for i in range(1, len(lines)) if _END.match(lines[i])), None)
    if end is None or end == 1:
        return FrontMatter()
    data = _parse_block(lines[1:end])
    if not data:
        return FrontMatter()
    return FrontMatter(data=data, line_count=end + 1)


def _parse_block(block: list[str]) -> dict[str, FrontMatterValue] | None:
    data: dict[str, FrontMatterValue] = {}
    key: str | None = None
    scalar_lines: list[str] | None = None
    for raw in block:
        line = raw.rstrip()
        if scalar_lines is not None and key is not None:
            if not line or raw[:1] in (" ", "\t"):
                scalar_lines.append(line.strip())
                data[key] = "\n".join(scalar_lines).strip()
                continue
            scalar_lines = None
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        if item and key is not None:
            current = data.get(key)
            values = current if isinstance(current, list) else []
            values.append(_scalar(item.group(1)))
            data[key] = values
            continue
        if raw[:1] in (" ", "\t"):
            continue  # nested mappings are not needed; skip rather than misread them
        match = _KEY.match(line)
        if not match:
            return None
        key = match.group(1).strip().lower()
        value = (match.group(2) or "").strip()
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            scalar_lines = []
            data[key] = ""
        elif value.startswith("[") and value.endswith("]"):
            data[key] = [_scalar(v) for v in _split_inline_list(value[1:-1])]
        else:
            data[key] = _scalar(value)
    return data


def _split_inline_list(body: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in body:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current.append(ch)
        elif ch == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value
