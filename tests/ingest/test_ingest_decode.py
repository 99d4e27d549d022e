"""Encodings, BOMs, newlines, binary and empty files."""

from __future__ import annotations

import codecs

import pytest

from kg.errors import DigestReadError
from kg.ingest.decode import decode_digest

TEXT = "# AI 日报\n\n## OpenAI 发布 GPT-5\n\n模型在 MMLU 上得分 90.1，\"引号\" 和 \\反斜杠\\ 保留。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
)
def test_decodes_each_encoding(data: bytes, encoding: str) -> None:
    decoded = decode_digest(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_bom_is_not_part_of_the_text() -> None:
    assert not decode_digest(codecs.BOM_UTF8 + b"# Title\n\nbody text").text.startswith("\ufeff")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_become_lf(newline: str) -> None:
    decoded = decode_digest(TEXT.replace("\n", newline).encode("utf-8"))
    assert decoded.text == TEXT


def test_crlf_in_utf16() -> None:
    data = codecs.BOM_UTF16_LE + TEXT.replace("\n", "\r\n").encode("utf-16-le")
    assert decode_digest(data).text == TEXT


def test_legacy_single_byte_text_is_guessed() -> None:
    text = "Café résumé: the naïve model costs 5 € per run, says the señor. " * 20
    decoded = decode_digest(text.encode("cp1252"))
    assert "Café résumé" in decoded.text


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(DigestReadError, match="binary file \\(NUL bytes\\)"):
        decode_digest(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.png")


def test_control_characters_mean_binary() -> None:
    with pytest.raises(DigestReadError, match="binary file"):
        decode_digest(bytes(range(1, 9)) * 50 + b"some text")


def test_a_few_control_characters_are_tolerated() -> None:
    assert decode_digest(b"line one\x0c\n" + b"ordinary text " * 50).text.startswith("line one")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_files(data: bytes) -> None:
    with pytest.raises(DigestReadError, match="empty file"):
        decode_digest(data, "empty.md")


def test_error_names_the_path() -> None:
    with pytest.raises(DigestReadError) as info:
        decode_digest(b"", "folder/empty.md")
    assert info.value.path == "folder/empty.md"
    assert info.value.reason == "empty file"


def test_radicals_copied_from_a_pdf_become_the_characters_they_look_like():
    # U+2F42 KANGXI RADICAL SCRIPT and U+2F24 KANGXI RADICAL BIG, as PDF text extraction leaves them
    text = decode_digest("论\u2f42标题：清华\u2f24学的新方法\n".encode("utf-8")).text
    assert text == "论文标题：清华大学的新方法\n"  # one character for one: offsets do not move
