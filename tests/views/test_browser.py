"""The HTML views in a real browser: Debian's headless Chromium, driven by Playwright.

Pages are opened from file:// exactly as a user opens them. Chromium must be Debian's
(/usr/bin/chromium, `apt-get install chromium`; .ci/run installs it): no browser is downloaded.
Screenshots go to test-artifacts/ at the repository root.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kg.graph import read_graph_json
from kg.views import write_views
from kg.views.paths import entity_page
from tests.views.conftest import hostile_graph

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `apt-get install chromium` (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


class Watched:
    """A page that records console errors, uncaught exceptions, dialogs and every request."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1440, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, path: Path, drawn: bool = True):
        self.page.goto(path.resolve().as_uri())
        if drawn:
            self.page.wait_for_selector("body[data-drawn]", timeout=15000)
        return self.page

    def network_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).scheme != "file"]

    def close(self):
        self.page.close()


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def page_of(build: Path, entity_id: str) -> Path:
    node = read_graph_json((build / "graph.json").read_bytes()).nodes[entity_id]
    return build / "html" / entity_page(entity_id, node["name"], node["type"])


def test_every_kind_of_page_loads_with_no_error_and_no_request(canary_build, watched):
    html = canary_build / "html"
    digest = next((html / "digest").glob("*.html"))
    for path, drawn in ((html / "index.html", True), (page_of(canary_build, "organization/ByteDance"), True), (digest, False)):
        watched.open(path, drawn)
        watched.page.wait_for_load_state("load")
    assert watched.errors == []
    assert watched.network_requests() == []
    assert len(watched.requests) >= 3 * 4, "pages, scripts and styles were loaded from files"


def test_the_overview_draws_its_nodes_and_looks_right(canary_build, watched):
    g = read_graph_json((canary_build / "graph.json").read_bytes())
    entities = sum(1 for _, d in g.nodes(data=True) if d["kind"] == "entity")
    page = watched.open(canary_build / "html" / "index.html")
    expected = min(150, entities)
    assert page.get_attribute("body", "data-drawn") == str(expected)
    assert page.evaluate("kgView.network.body.nodeIndices.length") == expected
    # nodes really sit on the canvas: the drawn area is not blank
    assert page.evaluate("kgView.network.getBoundingBox(kgView.network.body.nodeIndices[0]).right") > page.evaluate(
        "kgView.network.getBoundingBox(kgView.network.body.nodeIndices[0]).left"
    )
    screenshot(page, "overview.png")
    assert watched.errors == []


def test_search_finds_an_entity_by_its_chinese_alias(canary_build, watched):
    page = watched.open(canary_build / "html" / "index.html")
    page.fill("#kg-search", "字节跳动")
    first = page.locator("#kg-search-results a").first
    assert first.inner_text().startswith("ByteDance")
    page.press("#kg-search", "Enter")
    page.wait_for_url("**/entity/organization/bytedance-*.html")
    assert page.inner_text("h1") == "ByteDance"
    # and from an entity page, in the other script and case
    page.wait_for_selector("body[data-drawn]")
    page.fill("#kg-search", "bytedance")
    assert "字节跳动" in page.locator("#kg-search-results a").first.inner_text()
    screenshot(page, "entity.png")
    assert watched.errors == []


def _click_node(page, node_id: str) -> None:
    """Click where ``node_id`` is drawn, as a user would."""
    x, y = page.evaluate(
        """(id) => { const n = kgView.network; n.focus(id, {scale: 1.5, animation: false});
                     const p = n.canvasToDOM(n.getPosition(id)); const r = n.body.container.getBoundingClientRect();
                     return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )
    assert page.evaluate("([x, y]) => { const r = kgView.network.body.container.getBoundingClientRect(); return kgView.network.getNodeAt({x: x - r.left, y: y - r.top}); }", [x, y]) == node_id
    page.mouse.click(x, y)


def test_clicking_a_node_opens_its_page(canary_build, watched):
    page = watched.open(canary_build / "html" / "index.html")
    node = page.evaluate("kgView.nodes.get('model/Qwen3.6')")
    _click_node(page, node["id"])
    page.wait_for_url("**/entity/model/*.html")
    assert page.inner_text("h1") == "Qwen3.6"
    page.wait_for_selector("body[data-drawn]")
    neighbour = page.evaluate("kgView.nodes.get({filter: n => n.hop === 1})[0]")
    _click_node(page, neighbour["id"])
    page.wait_for_url(lambda url: "qwen3-6-" not in url or neighbour["id"].lower() in url)
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == read_graph_json((canary_build / "graph.json").read_bytes()).nodes[neighbour["id"]]["name"]
    assert watched.errors == []


def test_hovering_a_node_shows_its_type_aliases_and_mentions(canary_build, watched):
    page = watched.open(canary_build / "html" / "index.html")
    x, y = page.evaluate(
        """() => { const n = kgView.network; n.focus('organization/ByteDance', {scale: 1.5, animation: false});
                   const p = n.canvasToDOM(n.getPosition('organization/ByteDance')); const r = n.body.container.getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }"""
    )
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y)
    tip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    text = tip.inner_text()
    assert "ByteDance" in text and "Type: Organization" in text and "字节跳动" in text and "Mentions:" in text


def test_neighbours_on_an_entity_page_show_their_own_counts_and_dates(canary_build, watched):
    """Neighbour tooltips and sizes are not in the page: kg.js takes them from the search index."""
    g = read_graph_json((canary_build / "graph.json").read_bytes())
    page = watched.open(page_of(canary_build, "organization/ByteDance"))
    nodes = page.evaluate("kgView.nodes.get()")
    assert len(nodes) > 2
    for node in nodes:
        entity = g.nodes[node["id"]]
        assert node["title"].splitlines()[:2] == [entity["name"], f"Type: {entity['type']}"]
        assert f"Mentions: {entity['mention_count']}" in node["title"]
        if entity["first_seen"]:
            assert f"Seen: {entity['first_seen']} – {entity['last_seen']}" in node["title"]
        else:  # an implied entity (a family named only through its variants)
            assert "Seen:" not in node["title"]
        assert node["size"] == round(min(10 + 5 * math.log2(1 + entity["mention_count"]), 48), 1)
        assert node["url"].endswith(node["page"])
    assert watched.errors == []


def test_type_and_date_filters_hide_nodes(canary_build, watched):
    page = watched.open(canary_build / "html" / "index.html")
    nodes = page.evaluate("kgView.nodes.get()")
    page.uncheck("#kg-type-filter input[value=Model]")
    assert int(page.get_attribute("body", "data-visible")) == sum(1 for n in nodes if n["type"] != "Model")
    page.check("#kg-type-filter input[value=Model]")
    last = max(n["last"] for n in nodes if n["last"])
    page.fill("#kg-date-from", last)
    page.dispatch_event("#kg-date-from", "change")
    assert int(page.get_attribute("body", "data-visible")) == sum(1 for n in nodes if not n["first"] or n["last"] >= last)
    assert watched.errors == []


def test_the_xss_canary_never_runs(canary_build, tmp_path, browser):
    hostile = write_views(hostile_graph(), tmp_path).folder
    pages = sorted((canary_build / "html").rglob("digest/*.html")) + sorted(hostile.rglob("*.html"))
    pages += [p for p in (canary_build / "html" / "entity").rglob("*.html") if "kgXss" in p.read_text(encoding="utf-8")]
    assert len(pages) >= 5
    for path in pages:
        w = Watched(browser)
        page = w.open(path, drawn="/digest/" not in path.as_posix())
        page.fill("#kg-search", "kgXss")
        if page.locator("#kg-search-results a").count():
            page.hover("#kg-search-results a")
        if page.evaluate("!!window.kgView"):
            for node_id in page.evaluate("kgView.nodes.getIds()"):
                page.evaluate("(id) => kgView.network.selectNodes([id])", node_id)
        page.wait_for_timeout(100)
        assert page.evaluate("window.kgXss") is None, f"{path.name}: a script from the data ran"
        assert w.dialogs == [], path.name
        assert w.network_requests() == [], path.name
        if path.parent == hostile / "entity" / "model":
            assert "<img src=x onerror" in page.inner_text("h1")
            screenshot(page, "hostile-entity.png")
        w.close()


@pytest.mark.parametrize("size", [5000])
def test_a_large_overview_opens_and_draws_every_node(tmp_path, browser, size):
    """Drawing speed is measured by benchmarks/views_bench.py; here: a big view draws whole."""
    from benchmarks.synthetic import synthetic_graph

    html = write_views(synthetic_graph(size), tmp_path, overview_size=size).folder
    w = Watched(browser)
    page = w.open(html / "index.html")
    assert page.get_attribute("body", "data-drawn") == str(size)
    assert w.errors == []
    w.close()
    shutil.rmtree(html)
