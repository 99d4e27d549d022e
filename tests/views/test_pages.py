"""The HTML views as files: every page and link exists, nothing is fetched from the network,
digest strings are escaped, output is deterministic and written atomically."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kg.graph import read_graph_json
from kg.views import SEARCH_INDEX, SEARCH_PREFIX, write_views
from kg.views import pages as pages_module
from kg.views.graphs import NEIGHBOURHOOD_SIZE
from kg.views.paths import entity_page
from tests.views.conftest import hostile_graph


class Links(HTMLParser):
    """Every href/src of a page, which tag it sits on, and every element id."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def graph_data(page: Path) -> dict:
    match = re.search(r'<script type="application/json" id="kg-graph">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert match, f"{page} has no graph"
    return json.loads(match.group(1))


def search_entries(html: Path) -> list[dict]:
    """The entries of ``window.KG_SEARCH``."""
    search = (html / SEARCH_INDEX).read_text(encoding="utf-8")
    return json.loads(search.removeprefix(SEARCH_PREFIX).rstrip().removesuffix(";"))


def all_pages(html: Path) -> list[Path]:
    return sorted(html.rglob("*.html"))


def test_a_build_writes_one_page_per_entity_and_digest(sample_export):
    html = sample_export / "html"
    g = read_graph_json((sample_export / "graph.json").read_bytes())
    entities = [n for n, d in g.nodes(data=True) if d["kind"] == "entity"]
    digests = [n for n, d in g.nodes(data=True) if d["kind"] == "digest"]
    assert len(list((html / "entity").rglob("*.html"))) == len(entities)
    assert len(list((html / "digest").glob("*.html"))) == len(digests)
    assert (html / "index.html").is_file()


def test_index_links_to_every_entity_and_digest_page(sample_export):
    html = sample_export / "html"
    linked = {(html / unquote(urlsplit(v).path)).resolve() for tag, _, v in parse(html / "index.html").refs if tag == "a" and not urlsplit(v).scheme}
    pages = {p.resolve() for p in all_pages(html) if p.name != "index.html"}
    assert pages and pages <= linked


def test_every_internal_link_and_anchor_resolves(sample_export):
    html = sample_export / "html"
    ids = {}
    checked = 0
    for page in all_pages(html):
        for tag, attr, value in parse(page).refs:
            parts = urlsplit(value)
            if parts.scheme:
                continue  # an outside web page, only ever an <a> (see the next test)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            assert target.is_file(), f"{page.relative_to(html)}: {tag} {attr}={value} is missing"
            if parts.fragment:
                if target not in ids:
                    ids[target] = parse(target).ids
                assert parts.fragment in ids[target], f"{page.relative_to(html)}: {value} has no such anchor"
            checked += 1
    assert checked > 100


def test_no_page_loads_anything_from_the_network(sample_export):
    html = sample_export / "html"
    for page in all_pages(html):
        for tag, attr, value in parse(page).refs:
            if tag != "a":
                assert not urlsplit(value).scheme and not value.startswith("//"), f"{page.name} loads {value}"
        text = page.read_text(encoding="utf-8")
        assert "cdn" not in text.lower() and "@import" not in text and "fonts.googleapis" not in text
    assets = {p.name for p in (html / "assets").iterdir()}
    assert {"vis-network.min.js", "vis-network.min.css", "kg.js", "kg.css"} <= assets


def test_external_links_are_web_links_only(canary_build):
    for page in all_pages(canary_build / "html"):
        for tag, attr, value in parse(page).refs:
            scheme = urlsplit(value).scheme.lower()
            assert scheme in ("", "http", "https"), f"{page.name}: {tag} {attr}={value}"


def test_hostile_strings_are_shown_as_text_never_as_markup(tmp_path):
    written = write_views(hostile_graph(), tmp_path)
    html = written.folder
    texts = {p: p.read_text(encoding="utf-8") for p in all_pages(html)}
    for page, text in texts.items():
        assert "<img src=x" not in text and "<svg" not in text, page
        assert text.count("<script") == text.count("</script>"), page
        assert "window.kgXss='item-close'</script>" not in text
        for tag, attr, value in parse(page).refs:
            assert "javascript" not in value.lower(), f"{page.name}: {value}"
    entity = next(p for p in texts if "/entity/model/" in p.as_posix())
    assert "&lt;img src=x onerror=&#34;window.kgXss=&#39;name&#39;&#34;&gt;" in texts[entity]
    assert "javascript:window.kgXss=&#39;item-link&#39;" in texts[next(p for p in texts if "/digest/" in p.as_posix())]
    assert "<" not in (html / SEARCH_INDEX).read_text(encoding="utf-8") and ">" not in (html / SEARCH_INDEX).read_text(encoding="utf-8")
    entries = search_entries(html)
    assert "<img src=x onerror=\"window.kgXss='name'\">" in [e["n"] for e in entries]


def test_the_same_graph_gives_byte_identical_views(tmp_path, sample_export):
    from kg.pipeline import SAMPLE_CORPUS, build_graph

    graph = build_graph([SAMPLE_CORPUS]).graph
    first, second = write_views(graph, tmp_path / "a").folder, write_views(graph, tmp_path / "b").folder
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    assert (sample_export / "html" / "index.html").read_bytes() == (first / "index.html").read_bytes()


def test_a_failed_write_leaves_the_previous_views_whole(tmp_path, monkeypatch):
    graph = hostile_graph()
    html = write_views(graph, tmp_path).folder
    before = {p.relative_to(html): p.read_bytes() for p in html.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pages_module, "digest_page", broken)
    monkeypatch.setattr("kg.views.digest_page", broken)
    with pytest.raises(OSError):
        write_views(graph, tmp_path, reuse=False)  # with reuse, no page would be rendered
    after = {p.relative_to(html): p.read_bytes() for p in html.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"], "a temporary folder was left behind"


def test_pages_of_entities_gone_from_the_graph_are_removed(tmp_path):
    html = write_views(hostile_graph(), tmp_path).folder
    stale = html / "entity" / "model" / "stale-page.html"
    stale.write_text("old")
    write_views(hostile_graph(), tmp_path)
    assert not stale.exists()


def test_the_overview_holds_the_most_mentioned_entities(tmp_path, sample_export):
    from kg.pipeline import SAMPLE_CORPUS, build_graph

    graph = build_graph([SAMPLE_CORPUS]).graph
    html = write_views(graph, tmp_path, overview_size=25).folder
    data = graph_data(html / "index.html")
    assert len(data["nodes"]) == 25
    counts = sorted((e.mention_count for e in graph.entities), reverse=True)
    assert sorted((n["mentions"] for n in data["nodes"]), reverse=True) == counts[:25]
    members = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in members and e["to"] in members for e in data["edges"])
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"]), "positions are precomputed"
    assert data["options"]["physics"]["enabled"] is False


def test_an_entity_page_draws_its_neighbourhood_and_no_more(sample_export):
    g = read_graph_json((sample_export / "graph.json").read_bytes())
    html = sample_export / "html"
    biggest = max((p for p in (html / "entity").rglob("*.html")), key=lambda p: len(graph_data(p)["nodes"]))
    data = graph_data(biggest)
    assert 1 < len(data["nodes"]) <= NEIGHBOURHOOD_SIZE
    centre = data["nodes"][0]["id"]
    assert data["nodes"][0]["hop"] == 0
    hop1 = {n["id"] for n in data["nodes"] if n["hop"] == 1}
    neighbours = {v for _, v in g.out_edges(centre)} | {u for u, _ in g.in_edges(centre)}
    assert hop1 <= neighbours
    assert {n["hop"] for n in data["nodes"]} <= {0, 1, 2}


def test_a_neighbour_mentioned_again_leaves_an_entity_page_unchanged(tmp_path):
    """Counts and dates of the nodes around an entity come from the search index (kg.js), so
    adding a digest re-renders the pages of the entities it mentions, not of their neighbours."""
    from dataclasses import replace

    from kg.pipeline import SAMPLE_CORPUS, build_graph

    graph = build_graph([SAMPLE_CORPUS]).graph
    before = write_views(graph, tmp_path / "before").folder
    centre = max(graph.entities, key=lambda e: (e.mention_count, e.id))
    page = before / entity_page(centre.id, centre.name, centre.type)
    neighbour_id = next(n["id"] for n in graph_data(page)["nodes"] if n["hop"] == 1)
    neighbour = next(e for e in graph.entities if e.id == neighbour_id)
    busier = replace(neighbour, mention_count=neighbour.mention_count + 7, last_seen="2099-12-31")
    graph = replace(graph, entities=tuple(busier if e.id == neighbour_id else e for e in graph.entities))
    after = write_views(graph, tmp_path / "after").folder
    assert (after / entity_page(centre.id, centre.name, centre.type)).read_bytes() == page.read_bytes()
    own = entity_page(neighbour.id, neighbour.name, neighbour.type)
    assert (after / own).read_bytes() != (before / own).read_bytes()
    entry = next(e for e in search_entries(after) if e["n"] == neighbour.name and e["t"] == neighbour.type)
    assert (entry["m"], entry["l"]) == (neighbour.mention_count + 7, "2099-12-31")


def test_an_entity_page_shows_aliases_dates_and_evidence(sample_export):
    g = read_graph_json((sample_export / "graph.json").read_bytes())
    bytedance = g.nodes["organization/ByteDance"]
    page = sample_export / "html" / entity_page("organization/ByteDance", bytedance["name"], "Organization")
    text = page.read_text(encoding="utf-8")
    assert "字节跳动" in text and bytedance["first_seen"] in text and bytedance["last_seen"] in text
    sentences = [ev["sentence"] for _, _, d in g.in_edges("organization/ByteDance", data=True) if d["type"] == "developedBy" for ev in d["evidence"]]
    assert sentences
    from markupsafe import escape

    missing = [s for s in sentences if str(escape(s)) not in text]
    assert not missing


def test_pages_written_by_several_processes_are_the_same_files(tmp_path):
    from benchmarks.synthetic import synthetic_graph

    graph = synthetic_graph(500)
    one, two = write_views(graph, tmp_path / "one", jobs=1), write_views(graph, tmp_path / "two", jobs=2)
    assert one.pages == two.pages == 1 + len(graph.entities) + len(graph.digests)
    files = sorted(p.relative_to(one.folder) for p in one.folder.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two.folder) for p in two.folder.rglob("*") if p.is_file())
    for rel in files:
        assert (one.folder / rel).read_bytes() == (two.folder / rel).read_bytes(), rel


def test_no_row_of_a_context_has_a_key_named_like_a_dict_method():
    """Templates read ``row.name`` as the key ``name`` first (render.py); a key named like a
    method of dict (``items``, ``get``) would read differently than in plain Jinja."""
    from kg.pipeline import SAMPLE_CORPUS, build_graph
    from kg.views.data import ViewIndex
    from kg.views.pages import digest_page, entity_page, index_page

    graph = build_graph([SAMPLE_CORPUS]).graph
    index = ViewIndex.of(graph)
    contexts = [index_page(index, "index.html", 150)]
    contexts += [entity_page(index, e, index.entity_pages[e.id]) for e in graph.entities]
    contexts += [digest_page(index, d, index.digest_pages[d.id]) for d in graph.digests]
    methods = set(dir(dict))
    clashes = set()

    def walk(value):
        if isinstance(value, dict):
            clashes.update(set(value) & methods)
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    for context in contexts:  # a context's own keys are template variables, not fields
        for value in context.values():
            walk(value)
    assert not clashes
