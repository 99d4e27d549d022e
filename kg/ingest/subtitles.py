"""Subtitle files (SubRip ``.srt``, WebVTT ``.vtt``) read as transcripts.

A video's or a podcast's subtitles are a digest like any other once their cue numbers, timings
and styling are gone. Cues are joined back into sentences: a subtitle line often ends in the
middle of one, and a Chinese subtitle often has no punctuation at all, so a cue runs on into
the next when it ends without a sentence's closing mark and the next follows within
``RUN_ON_GAP``; a pause of ``PARAGRAPH_GAP`` or more starts a new paragraph (the plain-text
splitter makes items of paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.ingest.decode import HAN


SUBTITLE_SUFFIXES = frozenset({".srt", ".vtt"})


RUN_ON_GAP = 1.0
"""Seconds between cues under which a cue with no closing mark runs on into the next."""
PARAGRAPH_GAP = 2.5
"""Seconds of silence that end a paragraph."""

_TIMING = re.compile(
    r"^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})\s*-->\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})(?:\s.*)?$"
)
_STYLING = re.compile(r"\{\\[^{}]*\}|</?(?:i|b|u|font|c|v|lang|ruby|rt)(?:[ .][^<>]*)?>|<\d{1,2}:\d{2}[:.\d]*>")
"""ASS override tags ({\\an8}), HTML-like tags (<i>, <font color=…>, <v Speaker>) and WebVTT inline timestamps."""
_PLACED = re.compile(r"\{\\(?:an\d|pos\()")
_SOUND = re.compile(r"[\[(（【♪♫][^\n]*[\])）】♪♫]|[♪♫\s]+")
"""A cue that is only a sound or music note: "[music]", "（笑）", "【音乐】", "♪ ... ♪"."""
_VTT_BLOCK = re.compile(r"^(?:WEBVTT|NOTE|STYLE|REGION)\b")
_CLOSED = re.compile(r"[。！？!?.…；;:：”」』）)\]】]\s*$")
_CJK_END = re.compile(rf"[{HAN}，、（(“「《]$")
_CJK_START = re.compile(rf"^[{HAN}，。、！？；：）)”」》]")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    caption: bool = False
    """Placed on the screen ({\\an8}, {\\pos(…)}): an on-screen caption, not speech, so a line of its own."""


def subtitles_to_text(text: str) -> str:
    """The transcript of a subtitle file: one line a sentence or run of cues, a blank line at
    each long pause. Lines outside any cue (a WebVTT header or note) are left out."""
    out: list[str] = []
    line = ""
    previous: Cue | None = None
    for cue in _cues(text):
        if previous is None:
            line = cue.text
        else:
            gap = cue.start - previous.end
            if gap < RUN_ON_GAP and not _CLOSED.search(line) and not (cue.caption or previous.caption):
                line = _joined(line, cue.text)
            else:
                out += [line, ""] if gap >= PARAGRAPH_GAP else [line]
                line = cue.text
        previous = cue
    out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def _cues(text: str) -> list[Cue]:
    cues = []
    blocks = re.split(r"\n[ \t]*\n", text)  # newlines are LF already (kg.ingest.decode)
    for block in blocks:
        lines = [ln for ln in block.split("\n") if ln.strip()]
        timing = next((i for i, ln in enumerate(lines) if _TIMING.match(ln)), None)
        if timing is None or _VTT_BLOCK.match(lines[0]):
            continue
        m = _TIMING.match(lines[timing])
        assert m is not None
        body = lines[timing + 1 :]
        words = " ".join(_STYLING.sub("", ln).strip() for ln in body)
        words = _CJK_SPACE.sub("", words).strip()
        if words and not _SOUND.fullmatch(words):
            placed = any(_PLACED.search(ln) for ln in body)
            cues.append(Cue(_seconds(*m.group(1, 2, 3, 4)), _seconds(*m.group(5, 6, 7, 8)), words, placed))
    return cues


_CJK_SPACE = re.compile(rf"(?<=[{HAN}，。、！？；：]) (?=[{HAN}，。、！？；：])")
"""A space left between two lines of one Chinese cue."""


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction.ljust(3, "0")) / 1000


def _joined(left: str, right: str) -> str:
    """Two pieces of one sentence: run together between Chinese, a space between words."""
    if _CJK_END.search(left) or _CJK_START.match(right):
        return left + right
    return f"{left} {right}"
