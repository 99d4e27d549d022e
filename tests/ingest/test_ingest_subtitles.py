"""Subtitle files (.srt, .vtt) read as transcripts: no cue numbers, timings or styling, and cues
joined back into the sentences they split."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import DigestReadError
from kg.ingest import find_digest_files
from kg.models import Digest

SRT = """1
00:00:01,000 --> 00:00:03,000
{\\an8}本期论文：Zorb Guard: Safeguards for Chats

2
00:00:03,200 --> 00:00:05,000
<i>大家好</i>，今天我们看清华大学的

3
00:00:05,100 --> 00:00:07,000
Zorblax-7B，它在 GSM8K 上
得分 80。

4
00:00:12,000 --> 00:00:14,000
Next, the Orbit team
released a new model

5
00:00:14,300 --> 00:00:15,000
called Orbit-3B.

6
00:00:15,500 --> 00:00:16,500
[music]
"""

VTT = """WEBVTT
Kind: captions

NOTE made by hand

00:01.000 --> 00:03.000 line:0
<v Host>Orbit Labs 发布了 Zorblax-7B

00:03.100 --> 00:05.000
它基于 Qwen3-8B 训练。
"""


def text_of(digest: Digest) -> str:
    return "\n".join(f"{item.title}\n{item.text}" for item in digest.items)


def test_cues_are_joined_into_sentences_without_numbers_timings_or_styling(read: Callable[..., Digest]) -> None:
    text = text_of(read(SRT, "talk.srt"))
    assert "大家好，今天我们看清华大学的Zorblax-7B，它在 GSM8K 上得分 80。" in text  # split across cues and lines
    assert "Next, the Orbit team released a new model called Orbit-3B." in text
    assert "-->" not in text and "{\\an8}" not in text and "<i>" not in text
    assert not any(line.strip().isdigit() for line in text.split("\n"))


def test_an_on_screen_caption_stands_on_its_own_line(read: Callable[..., Digest]) -> None:
    lines = text_of(read(SRT, "talk.srt")).split("\n")
    assert "本期论文：Zorb Guard: Safeguards for Chats" in lines


def test_a_long_pause_starts_a_new_item(read: Callable[..., Digest]) -> None:
    items = [f"{item.title}\n{item.text}" for item in read(SRT, "talk.srt").items]
    assert len(items) == 2 and "Orbit-3B" in items[1] and "Orbit-3B" not in items[0]


def test_sound_cues_are_left_out(read: Callable[..., Digest]) -> None:
    assert "[music]" not in text_of(read(SRT, "talk.srt"))


def test_webvtt_header_notes_and_voice_tags_are_left_out(read: Callable[..., Digest]) -> None:
    text = text_of(read(VTT, "talk.vtt"))
    assert "Orbit Labs 发布了 Zorblax-7B它基于 Qwen3-8B 训练。" in text
    assert "WEBVTT" not in text and "NOTE" not in text and "<v" not in text and "line:0" not in text


def test_subtitle_files_are_found_in_a_folder(tmp_path: Path) -> None:
    for name in ("a.srt", "b.VTT", "c.ass"):
        (tmp_path / name).write_text("x")
    assert [f.name for f, _ in find_digest_files([tmp_path])] == ["a.srt", "b.VTT"]


def test_a_subtitle_file_without_cues_is_reported_with_its_reason(read: Callable[..., Digest]) -> None:
    with pytest.raises(DigestReadError, match="no subtitles"):
        read("just some words, no timings\n", "talk.srt")
