"""find_digest_files and read_digest: the public ingest API, end to end."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path, PurePath

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.errors import DigestReadError, InputPathError
from kg.ingest import find_digest_files, read_digest
from kg.ingest.reader import parse_digest
from kg.models import Digest

CORPUS = Path("/work/shared/corpus")


def test_find_digest_files(tmp_path: Path) -> None:
    for name in ("b.md", "a.TXT", "sub/c.Markdown", "sub/deeper/d.md", "skip.pdf",
                 ".hidden.md", ".git/e.md", "sub/.cache/f.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = find_digest_files([tmp_path])
    assert [file.relative_to(tmp_path).as_posix() for file, _ in found] == [
        "a.TXT", "b.md", "sub/c.Markdown", "sub/deeper/d.md",
    ]
    assert all(root == tmp_path for _, root in found)


def test_find_digest_files_with_a_file_and_duplicates(tmp_path: Path) -> None:
    (tmp_path / "notes.rst").write_text("x")
    (tmp_path / "a.md").write_text("x")
    found = find_digest_files([tmp_path / "notes.rst", tmp_path, tmp_path / "a.md"])
    assert sorted(file.name for file, _ in found) == ["a.md", "notes.rst"]
    assert found == find_digest_files([tmp_path / "a.md", tmp_path, tmp_path / "notes.rst"])


def test_find_digest_files_through_links(tmp_path: Path) -> None:
    """A link to a digest already in the tree is the same file, listed once (under its first
    path in order); a link to one outside is a digest of its own; a link to a folder is not
    followed, as ``os.walk`` does not."""
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (corpus / "sub" / "b.md").write_text("x")
    (elsewhere / "c.md").write_text("x")
    (elsewhere / "d.md").write_text("x")
    (corpus / "a.md").symlink_to(corpus / "sub" / "b.md")
    (corpus / "c.md").symlink_to(elsewhere / "c.md")
    (corpus / "linked").symlink_to(elsewhere, target_is_directory=True)
    found = find_digest_files([corpus])
    assert [file.relative_to(corpus).as_posix() for file, _ in found] == ["a.md", "c.md"]
    assert [(root.name, file.name) for file, root in find_digest_files([corpus / "sub", corpus])] == [("corpus", "a.md"), ("corpus", "c.md")]
    both = find_digest_files([corpus, elsewhere])
    assert [(root.name, file.name) for file, root in both] == [("corpus", "a.md"), ("corpus", "c.md"), ("elsewhere", "d.md")]


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(InputPathError):
        find_digest_files([tmp_path / "nope"])


def test_digest_fields(write: Callable[..., Path], tmp_path: Path) -> None:
    raw = "# AI Brief 2026-02-07\r\n\r\n## OpenAI ships o5\r\n\r\nIt reasons \"well\" on C:\\data.\r\n\r\n## Google ships Gemini 4\r\n\r\nText about it here.\r\n"
    path = write(raw.encode("utf-8"), "Folder/Daily Brief.md")
    digest = read_digest(path, tmp_path)
    assert digest.id == "folder/daily-brief.md"
    assert digest.path == path.as_posix()
    assert digest.file_name == "Daily Brief.md"
    assert digest.title == "AI Brief 2026-02-07"
    assert digest.date == "2026-02-07"
    assert digest.encoding == "utf-8"
    assert digest.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [(i.id, i.index, i.line) for i in digest.items] == [
        ("folder/daily-brief.md/1", 1, 3),
        ("folder/daily-brief.md/2", 2, 7),
    ]
    assert digest.items[0].text == 'It reasons "well" on C:\\data.'
    assert digest.items[0].full_text == 'OpenAI ships o5\n\nIt reasons "well" on C:\\data.'


def test_front_matter_title_and_date(read: Callable[..., Digest]) -> None:
    digest = read("---\ntitle: My Weekly\ndate: 2026-03-01\n---\n# Heading 2020-01-01\n\n## One story about robots\n\nbody text for the story\n\n## Two: a second story\n\nbody text again here\n")
    assert digest.title == "My Weekly"
    assert digest.date == "2026-03-01"
    assert digest.items[0].line == 7


def test_utf16_digest(read: Callable[..., Digest]) -> None:
    text = "# 日报\r\n\r\n## 第一条：OpenAI 发布新模型\r\n\r\n正文内容足够长，可以成为条目。\r\n\r\n## 第二条：谷歌发布新模型\r\n\r\n正文内容也足够长，可以成为条目。\r\n"
    digest = read("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    assert digest.encoding == "utf-16"
    assert [item.line for item in digest.items] == [3, 7]


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"  \n\n\t", "empty file"), (b"\x00\x01binary\x00", "binary file"),
     (b"# Just a title\n", "no items"), (b"<!-- only a comment -->\n", "no items")],
)
def test_unreadable_digests(read: Callable[..., Digest], content: bytes, reason: str) -> None:
    with pytest.raises(DigestReadError, match=reason):
        read(content)


def test_a_folder_is_not_a_digest(tmp_path: Path) -> None:
    with pytest.raises(DigestReadError, match="cannot read"):
        read_digest(tmp_path, tmp_path)


def test_missing_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(DigestReadError, match="cannot read"):
        read_digest(tmp_path / "gone.md", tmp_path)


def test_unexpected_errors_are_wrapped(read: Callable[..., Digest], monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object) -> None:
        raise RecursionError("deep")

    monkeypatch.setattr("kg.ingest.reader.split_digest", boom)
    with pytest.raises(DigestReadError, match="unexpected error: RecursionError"):
        read("# T\n\nsome body text\n")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(lambda t: t.encode("utf-8"))))
@example(b"%\xd8")  # once guessed as EBCDIC (cp037), where "%" is a line feed: a line the file does not have
def test_any_bytes_give_a_digest_or_a_digest_read_error(data: bytes) -> None:
    try:
        digest = parse_digest(data, PurePath("/r/x.md"), PurePath("/r"))
    except DigestReadError:
        return
    assert digest.items
    assert [item.index for item in digest.items] == list(range(1, len(digest.items) + 1))
    lines = data.count(b"\n") + data.count(b"\r") + 1
    assert all(1 <= item.line <= lines for item in digest.items)


# --- the development corpus -------------------------------------------------------------


def corpus_digest(prefix: str) -> Digest:
    if not CORPUS.is_dir():
        pytest.skip("development corpus not present")
    matches = sorted(CORPUS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"no corpus file {prefix}_*")
    return read_digest(matches[0], CORPUS)


def heading_lines(path: Path, pattern: str) -> list[int]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [n for n, line in enumerate(lines, start=1) if re.match(pattern, line)]


def test_corpus_every_file_reads() -> None:
    if not CORPUS.is_dir():
        pytest.skip("development corpus not present")
    for file, root in find_digest_files([CORPUS]):
        digest = read_digest(file, root)
        assert digest.items and all(item.title for item in digest.items)


def test_corpus_000_bracketed_orgs() -> None:
    digest = corpus_digest("000")
    assert digest.layout == "headings:3"
    assert 10 <= len(digest.items) <= 20
    assert all(item.title.startswith("[") for item in digest.items)
    assert all(item.date == digest.date for item in digest.items)
    assert all(len(item.tags) > 1 for item in digest.items)


def test_corpus_001_articles_and_code_comments() -> None:
    digest = corpus_digest("001")
    path = next(CORPUS.glob("001_*"))
    article_lines = heading_lines(path, r"#[^#\s]")
    assert digest.layout == "headings:1"
    starts = [item.line for item in digest.items]
    # Every item starts at a `#Title` line; at most a placeholder article or two is merged away.
    assert set(starts) <= set(article_lines)
    assert len(article_lines) - 2 <= len(digest.items) <= len(article_lines)
    code_comment_lines = set(heading_lines(path, r"#+ ")) - set(article_lines)
    assert code_comment_lines and not code_comment_lines & set(starts)


def test_corpus_002_one_item_per_paper() -> None:
    digest = corpus_digest("002")
    path = next(CORPUS.glob("002_*"))
    assert [item.line for item in digest.items] == heading_lines(path, r"## 📄")
    assert all(len(item.hf_paper_ids) == 1 for item in digest.items)


def test_corpus_004_stories_and_overview() -> None:
    digest = corpus_digest("004")
    path = next(CORPUS.glob("004_*"))
    stories = heading_lines(path, r"### \*\*")
    starts = [item.line for item in digest.items]
    assert set(stories) <= set(starts)
    assert 11 <= len(digest.items) <= len(stories) + 3
    assert "速览" in digest.items[0].title
    assert digest.date == "2026-01-04"
    assert all(item.date for item in digest.items if item.line in stories)
    assert all(item.tags for item in digest.items if item.line in stories)
