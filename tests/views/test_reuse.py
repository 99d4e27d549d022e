"""Page reuse: a build takes unchanged pages from the previous html/ folder (hard links) instead
of rendering them, and the folder is still byte for byte what a clean build writes.

Which pages were reused is seen on disk: a reused page is the previous build's file itself
(same inode), a rendered page is a new file.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest

import kg
import kg.views as views_module
import kg.views.reuse as reuse_module
from kg.views import render
from benchmarks.synthetic import synthetic_graph
from kg.models import Digest, Entity, KnowledgeGraph
from kg.pipeline import SAMPLE_CORPUS, build, build_graph
from kg.views import PARALLEL_FROM, reuse, write_views
from kg.views.data import ViewIndex
from kg.views.reuse import MANIFEST
from tests.views.conftest import hostile_graph

ADDED_DIGEST = (
    "# 每日简报 2026-04-02\n\n## 1. DeepSeek 发布 DeepSeek-V3 更新\n\n"
    "DeepSeek 发布了 DeepSeek-V3 的更新版本，在 MMLU 基准上得分 90.1，采用 MoE 架构。\n"
)
"""A digest about entities the sample corpus already has: their pages change, most do not."""


def files(html: Path) -> dict[str, bytes]:
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()}


def inodes(html: Path) -> dict[str, int]:
    return {p.relative_to(html).as_posix(): p.stat().st_ino for p in html.rglob("*.html")}


def reused_pages(before: dict[str, int], html: Path) -> set[str]:
    """The pages of ``html`` that are the very files listed in ``before``."""
    return {path for path, ino in inodes(html).items() if before.get(path) == ino}


def assert_same_files(got: Path, want: Path) -> None:
    got_files, want_files = files(got), files(want)
    assert sorted(got_files) == sorted(want_files)
    for name, data in want_files.items():
        assert got_files[name] == data, name


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, folder)
    return folder


def test_adding_a_digest_renders_only_the_pages_whose_bytes_change(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    html = out / "html"
    before_files, before_inodes = files(html), inodes(html)
    (corpus / "2026-04-02.md").write_text(ADDED_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)
    after = files(html)
    changed = {p for p in after if p.endswith(".html") and before_files.get(p) != after[p]}
    reused = reused_pages(before_inodes, html)
    assert reused, "nothing was reused"
    assert changed, "the added digest changed no page"
    assert reused == set(inodes(html)) - changed, "a page was rendered again though its bytes are the same, or reused though they changed"
    assert "index.html" in changed and any(p.startswith("digest/2026-04-02") for p in changed)
    clean = tmp_path / "clean"
    build([corpus], clean, jobs=1, use_cache=False)
    assert_same_files(html, clean / "html")


def test_the_same_digests_read_from_another_folder_render_no_page(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    before = inodes(out / "html")
    moved = corpus.rename(tmp_path / "moved")  # the digests' paths change, nothing a page shows does
    build([moved], out, jobs=1)
    assert reused_pages(before, out / "html") == set(before)


def test_the_same_graph_again_renders_no_page(tmp_path):
    graph = hostile_graph()
    first = write_views(graph, tmp_path)
    before = files(first.folder)
    again = write_views(graph, tmp_path)
    assert (again.rendered, again.reused) == (0, again.pages) == (0, 1 + len(graph.entities) + len(graph.digests))
    assert first.rendered == first.pages and first.reused == 0
    assert files(again.folder) == before
    assert again.bytes == first.bytes == sum(len(data) for data in before.values())


def test_reuse_off_renders_every_page_to_the_same_bytes(tmp_path):
    graph = hostile_graph()
    before = files(write_views(graph, tmp_path).folder)
    inodes_before = inodes(tmp_path / "html")
    again = write_views(graph, tmp_path, reuse=False)
    assert (again.rendered, again.reused) == (again.pages, 0)
    assert not reused_pages(inodes_before, again.folder)
    assert files(again.folder) == before


def test_forked_page_writers_reuse_pages_and_match_one_process(tmp_path):
    small = synthetic_graph(1000)
    # new aliases show on their entities' own pages only: those are rendered, the rest reused
    grown = replace(small, entities=tuple(replace(e, aliases=(*e.aliases, "another alias")) if i % 2 else e for i, e in enumerate(small.entities)))
    write_views(small, tmp_path / "two", jobs=2)
    before = inodes(tmp_path / "two" / "html")
    two = write_views(grown, tmp_path / "two", jobs=2)
    one = write_views(grown, tmp_path / "one", jobs=1)
    assert two.pages == one.pages
    assert two.rendered == len(small.entities) // 2 >= PARALLEL_FROM, "too few pages to render for the pool to start"
    assert two.reused == two.pages - two.rendered
    assert len(reused_pages(before, two.folder)) == two.reused
    assert_same_files(two.folder, one.folder)


def test_a_few_pages_to_render_are_rendered_without_a_pool(tmp_path, monkeypatch):
    graph = synthetic_graph(500)
    write_views(graph, tmp_path, jobs=2)
    one = replace(graph.entities[7], aliases=("another alias",))
    monkeypatch.setattr("kg.views._write_in_processes", None)  # calling it would fail
    again = write_views(replace(graph, entities=(*graph.entities[:7], one, *graph.entities[8:])), tmp_path, jobs=2)
    assert (again.rendered, again.reused) == (1, again.pages - 1)


def neighbours(graph: KnowledgeGraph) -> tuple[Entity, Entity, Digest]:
    """The entity with the most typed relations, one of its typed neighbours, and a digest that
    mentions the entity."""
    index = ViewIndex.of(graph)
    centre = max(graph.entities, key=lambda e: (index.degree(e.id), e.id))
    first = index.relations_of[centre.id][0]
    neighbour = index.entities[first.target if first.source == centre.id else first.source]
    digest = index.items[index.items_of[centre.id][0]].digest
    return centre, neighbour, digest


def changed_graph(graph: KnowledgeGraph, old: Entity | Digest, **changes: object) -> KnowledgeGraph:
    field = "entities" if isinstance(old, Entity) else "digests"
    return replace(graph, **{field: tuple(replace(x, **changes) if x is old else x for x in getattr(graph, field))})


@pytest.fixture
def code_changes(monkeypatch):
    """Lets a test change what the code salt covers; the salt is worked out again after it."""
    reuse.code_salt.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    reuse.code_salt.cache_clear()


@pytest.mark.parametrize("change", ["a neighbour's name", "a neighbour's type", "a digest's date", "a digest's title"])
def test_a_page_is_rendered_again_when_something_it_shows_changes(tmp_path, change):
    graph = build_graph([SAMPLE_CORPUS]).graph
    centre, neighbour, digest = neighbours(graph)
    if change == "a neighbour's name":
        changed = changed_graph(graph, neighbour, name=neighbour.name + " II")
    elif change == "a neighbour's type":
        changed = changed_graph(graph, neighbour, type="Technique" if neighbour.type != "Technique" else "Model")
    elif change == "a digest's date":
        changed = changed_graph(graph, digest, date="2099-12-31")
    else:
        changed = changed_graph(graph, digest, title=digest.title + " (revised)")
    html = write_views(graph, tmp_path / "out").folder
    before = inodes(html)
    again = write_views(changed, tmp_path / "out")
    centre_page = ViewIndex.of(graph).entity_pages[centre.id]
    assert centre_page not in reused_pages(before, html), f"{change} did not render the page again"
    assert 0 < again.rendered < again.pages
    assert_same_files(html, write_views(changed, tmp_path / "clean").folder)


@pytest.mark.parametrize("change", ["the template", "kg's version"])
def test_every_page_is_rendered_again_when_the_code_changes(tmp_path, code_changes, change):
    graph = hostile_graph()
    html = write_views(graph, tmp_path).folder
    before = inodes(html)
    if change == "the template":
        copy = tmp_path / "views"
        shutil.copytree(reuse.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        (copy / "templates" / "entity.html").write_text((copy / "templates" / "entity.html").read_text() + "\n")
        code_changes.setattr(reuse, "PACKAGE", copy)
    else:
        code_changes.setattr(kg, "__version__", kg.__version__ + ".1")
    reuse.code_salt.cache_clear()
    again = write_views(graph, tmp_path)
    assert (again.rendered, again.reused) == (again.pages, 0)
    assert not reused_pages(before, html)


def test_a_page_is_reused_when_nothing_it_shows_changes(tmp_path):
    graph = build_graph([SAMPLE_CORPUS]).graph
    centre, neighbour, digest = neighbours(graph)
    changed = changed_graph(graph, neighbour, mention_count=neighbour.mention_count + 3, last_seen="2099-12-31", aliases=(*neighbour.aliases, "N-2"))
    changed = changed_graph(changed, next(d for d in changed.digests if d.id == digest.id), path="elsewhere/" + digest.file_name, content_hash="f" * 64)
    html = write_views(graph, tmp_path / "out").folder
    before = inodes(html)
    again = write_views(changed, tmp_path / "out")
    index = ViewIndex.of(graph)
    assert reused_pages(before, html) == set(before) - {index.entity_pages[neighbour.id], "index.html"}
    assert again.rendered == 2
    assert_same_files(html, write_views(changed, tmp_path / "clean").folder)


def test_pages_unchanged_since_the_manifest_was_sealed_are_not_read(tmp_path, monkeypatch):
    graph = hostile_graph()
    html = write_views(graph, tmp_path).folder
    time.sleep(0.05)  # past the clock tick of the last change, on file systems with coarse times
    reuse.seal(html)
    hashed = []
    real = reuse.checksum
    monkeypatch.setattr(reuse, "checksum", lambda data: hashed.append(data) or real(data))
    again = write_views(graph, tmp_path)
    assert again.reused == again.pages and hashed == []
    time.sleep(0.05)
    reuse.seal(html)
    page = next(p for p in sorted(html.rglob("*.html")) if "/digest/" in p.as_posix())
    mode = page.stat().st_mode & 0o777
    page.chmod(0o600)  # any change to the file, even of its mode alone, means it is read again
    page.chmod(mode)
    again = write_views(graph, tmp_path)
    assert again.reused == again.pages and hashed == [page.read_bytes()]


def test_a_build_seals_after_its_last_change_so_the_next_reads_no_page(tmp_path, monkeypatch):
    """Builds one after the other, with no pause: each one's seal is later than every change
    it made to the pages (linking them, removing the old folder's names for them), even those
    made in the seal's own clock tick, so the next build trusts them all without reading."""
    graph = hostile_graph()
    write_views(graph, tmp_path)
    write_views(graph, tmp_path)  # every page linked into a fresh folder, the old names removed
    html = tmp_path / "html"
    sealed = (html / MANIFEST).stat().st_mtime_ns
    assert [p.name for p in html.rglob("*.html") if p.stat().st_ctime_ns >= sealed] == []
    hashed = []
    real = reuse.checksum
    monkeypatch.setattr(reuse, "checksum", lambda data: hashed.append(data) or real(data))
    again = write_views(graph, tmp_path)
    assert again.reused == again.pages and hashed == []


def test_a_page_edited_with_its_time_put_back_is_rendered_again(tmp_path):
    """What decides that a page is unchanged without reading it is its ctime, which no program
    can set: an edit of the same size whose modification time is restored is still seen."""
    graph = hostile_graph()
    html = write_views(graph, tmp_path).folder
    page = next(p for p in sorted(html.rglob("*.html")) if "/entity/" in p.as_posix())
    info = page.stat()
    page.write_bytes(page.read_bytes().replace(b"<title>", b"<TITLE>", 1))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert page.stat().st_size == info.st_size
    again = write_views(graph, tmp_path)
    assert again.rendered == 1
    assert b"<TITLE>" not in page.read_bytes()


def test_a_copied_folder_is_read_to_reuse_its_pages(tmp_path):
    """A copy keeps the manifest and (with copy2) modification times but not ctimes: its pages
    are read and hashed, and reused when intact."""
    graph = hostile_graph()
    write_views(graph, tmp_path / "a")
    shutil.copytree(tmp_path / "a" / "html", tmp_path / "b" / "html")
    page = next(p for p in sorted((tmp_path / "b" / "html").rglob("*.html")) if "/digest/" in p.as_posix())
    page.write_bytes(page.read_bytes().replace(b"<title>", b"<TITLE>", 1))
    again = write_views(graph, tmp_path / "b")
    assert (again.rendered, again.reused) == (1, again.pages - 1)
    assert_same_files(tmp_path / "b" / "html", tmp_path / "a" / "html")


@pytest.mark.parametrize("damage", ["edited", "truncated", "deleted", "replaced by a folder"])
def test_a_page_changed_since_the_last_build_is_rendered_again(tmp_path, damage):
    graph = hostile_graph()
    html = write_views(graph, tmp_path / "out").folder
    page = next(p for p in sorted(html.rglob("*.html")) if "/entity/" in p.as_posix())
    name = page.relative_to(html).as_posix()
    text = page.read_bytes()
    if damage == "edited":  # the same size, so only the hash can tell
        page.write_bytes(text.replace(b"<title>", b"<TITLE>", 1))
        assert page.stat().st_size == len(text)
    elif damage == "truncated":
        page.write_bytes(text[: len(text) // 2])
    elif damage == "deleted":
        page.unlink()
    else:
        page.unlink()
        page.mkdir()
    before = inodes(html)
    again = write_views(graph, tmp_path / "out")
    assert name not in reused_pages(before, html)
    assert again.rendered == 1 and again.reused == again.pages - 1
    assert_same_files(html, write_views(graph, tmp_path / "clean").folder)


@pytest.mark.parametrize(
    "manifest",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"format": 1, "salt": "00", "pages": {}}',
        b'{"format": 1, "pages": {"index.html": 3}}',
        "foreign salt",
        "another format",
        "missing",
    ],
)
def test_a_damaged_or_foreign_manifest_means_every_page_is_rendered(tmp_path, manifest):
    graph = hostile_graph()
    html = write_views(graph, tmp_path).folder
    before = files(html)
    written = json.loads((html / MANIFEST).read_bytes())
    if manifest == "foreign salt":  # what other kg.views code or templates read
        written["salt"] = "ab" * 32
        (html / MANIFEST).write_text(json.dumps(written))
    elif manifest == "another format":
        written["format"] = reuse.FORMAT + 1
        (html / MANIFEST).write_text(json.dumps(written))
    elif manifest == "missing":
        (html / MANIFEST).unlink()
    else:
        (html / MANIFEST).write_bytes(manifest)
    again = write_views(graph, tmp_path)
    assert (again.rendered, again.reused) == (again.pages, 0)
    assert files(html) == before, "the manifest was not written again"


def test_the_code_salt_covers_every_template_and_module(tmp_path, monkeypatch):
    copy = tmp_path / "views"
    shutil.copytree(reuse.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(reuse, "PACKAGE", copy)
    salt = reuse.code_salt.__wrapped__()
    assert salt == reuse.code_salt(), "the copy should give the installed package's salt"
    names = [p.relative_to(copy).as_posix() for p in reuse.source_files()]
    assert {"templates/entity.html", "templates/base.html", "pages.py", "render.py", "safe.py", "assets/kg.js"} <= set(names)
    for name in names:
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert reuse.code_salt.__wrapped__() != salt, f"changing {name} keeps old pages"
        path.write_bytes(original)


def test_fingerprints_depend_on_values_not_on_which_objects_are_shared():
    salt = reuse.code_salt()
    name = "DeepSeek-V3 深度求索"
    shared = {"a": name, "b": [name, {"c": name}], "n": 1, "x": 0.5}
    equal = {"a": "".join(name), "b": ["DeepSeek-V3 " + "深度求索", {"c": name[:5] + name[5:]}], "n": 1, "x": 0.5}
    assert equal["a"] is not name
    assert reuse.fingerprint("entity", shared, salt) == reuse.fingerprint("entity", equal, salt)
    for changed in ({**shared, "n": 2}, {**shared, "x": 0.25}, {**shared, "b": [name, {"c": name + " "}]}, {"b": shared["b"], "a": name, "n": 1, "x": 0.5}):
        assert reuse.fingerprint("entity", changed, salt) != reuse.fingerprint("entity", shared, salt), changed
    assert reuse.fingerprint("digest", shared, salt) != reuse.fingerprint("entity", shared, salt)
    assert reuse.fingerprint("entity", shared, b"other") != reuse.fingerprint("entity", shared, salt)


def test_a_failed_run_after_linking_pages_leaves_the_previous_views_whole(tmp_path, monkeypatch):
    graph = build_graph([SAMPLE_CORPUS]).graph
    html = write_views(graph, tmp_path).folder
    before, before_inodes = files(html), inodes(html)
    calls = []
    take = reuse.PreviousPages.take

    def failing_late(self, *args, **kwargs):
        calls.append(1)
        if len(calls) > len(graph.entities) + 5:  # after entity pages were linked and some digest pages too
            raise OSError("disk full")
        return take(self, *args, **kwargs)

    monkeypatch.setattr(reuse.PreviousPages, "take", failing_late)
    with pytest.raises(OSError):
        write_views(graph, tmp_path)
    assert files(html) == before
    assert inodes(html) == before_inodes
    assert all(p.stat().st_nlink == 1 for p in html.rglob("*.html")), "a link into the failed folder survived"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]


def test_where_hard_links_fail_unchanged_pages_are_copied(tmp_path, monkeypatch):
    graph = hostile_graph()
    html = write_views(graph, tmp_path).folder
    before, before_inodes = files(html), inodes(html)

    def no_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")  # what a FAT or some network file systems say

    monkeypatch.setattr(os, "link", no_links)
    again = write_views(graph, tmp_path)
    assert (again.rendered, again.reused) == (0, again.pages)
    assert not reused_pages(before_inodes, html), "a page was linked after all"
    assert files(html) == before


def test_no_cache_renders_every_page_again(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    before_files, before = files(out / "html"), inodes(out / "html")
    build([corpus], out, jobs=1, use_cache=False)
    assert not reused_pages(before, out / "html")
    assert files(out / "html") == before_files


def forget_templates() -> None:
    """Drop the page templates this process holds, as a new process would start."""
    render.page_template.cache_clear()
    render._shared_environment.cache_clear()


@pytest.fixture
def fresh_templates():
    """The page templates compiled anew by the next write_views (they are kept per process)."""
    forget_templates()
    yield
    forget_templates()


def compiled(monkeypatch) -> list[str]:
    """The templates Jinja compiles from their source from now on, by name."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def counting(env, source, name=None, *args, **kwargs):
        names.append(name)
        return real(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_templates_compiled_by_one_build_are_loaded_by_the_next(tmp_path, monkeypatch, fresh_templates):
    graph = hostile_graph()
    cache = tmp_path / "cache"
    names = compiled(monkeypatch)
    first = write_views(graph, tmp_path / "a", cache_dir=cache)
    assert {"entity.html", "digest.html", "index.html"} <= set(names)
    kept = sorted(p.name for p in (cache / render.TEMPLATE_CACHE).iterdir())
    assert len(kept) == len(set(names))

    forget_templates()
    names.clear()
    second = write_views(graph, tmp_path / "b", cache_dir=cache)  # no previous pages: every page is rendered
    assert names == [] and second.rendered == second.pages
    assert_same_files(second.folder, first.folder)


@pytest.mark.parametrize("change", ["damaged", "other code", "not read"])
def test_a_damaged_or_foreign_compiled_template_is_compiled_again(tmp_path, monkeypatch, fresh_templates, change):
    graph = hostile_graph()
    cache = tmp_path / "cache"
    want = write_views(graph, tmp_path / "a", cache_dir=cache).folder
    folder = cache / render.TEMPLATE_CACHE
    forget_templates()
    names = compiled(monkeypatch)
    reuse = True
    if change == "damaged":
        for file in folder.iterdir():
            data = bytearray(file.read_bytes())
            data[-20] ^= 0xFF
            file.write_bytes(bytes(data))
    elif change == "other code":
        monkeypatch.setattr(reuse_module, "code_salt", lambda: b"another version of kg")
        monkeypatch.setattr(views_module, "code_salt", lambda: b"another version of kg")
    else:
        reuse = False  # kg build --no-cache
    got = write_views(graph, tmp_path / "b", cache_dir=cache, reuse=reuse).folder
    assert {"entity.html", "digest.html", "index.html"} <= set(names)
    assert_same_files(got, want)


def test_compiled_templates_are_the_same_bytes_from_any_process(tmp_path, fresh_templates):
    """The cache folder is as deterministic as the outputs: a template compiled here, after a
    whole test session's work, is stored as the same bytes as one compiled by a fresh process."""
    import subprocess
    import sys

    script = (
        "import sys, pathlib; import kg.views.render as r; from kg.views.reuse import code_salt; "
        "r.use_compiled_templates(r.CompiledTemplates(pathlib.Path(sys.argv[1]), code_salt())); "
        "[r.page_template(k) for k in ('entity', 'digest', 'index')]"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "fresh")], check=True)
    render.use_compiled_templates(render.CompiledTemplates(tmp_path / "here", reuse_module.code_salt()))
    for kind in ("entity", "digest", "index"):
        render.page_template(kind)
    here = {p.name: p.read_bytes() for p in (tmp_path / "here").iterdir()}
    assert here and here == {p.name: p.read_bytes() for p in (tmp_path / "fresh").iterdir()}
