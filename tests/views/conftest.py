"""Fixtures for the HTML views: a real build with an XSS canary digest, and a graph whose every
string is hostile (names, aliases, evidence, titles, URLs), for what no digest can plant."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.models import CoMention, Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation
from kg.pipeline import SAMPLE_CORPUS, build

CANARY = Path(__file__).parent / "data"
"""A digest whose title, item titles, code, links and text carry script payloads."""

PAYLOAD = "<img src=x onerror=\"window.kgXss='{}'\">"


def payload(where: str) -> str:
    return PAYLOAD.format(where)


@pytest.fixture(scope="session")
def canary_build(tmp_path_factory) -> Path:
    """The sample corpus plus the canary digest, built by ``kg.pipeline.build``; read-only."""
    out = tmp_path_factory.mktemp("canary-build")
    build([SAMPLE_CORPUS, CANARY], out)
    return out


def hostile_graph() -> KnowledgeGraph:
    """Two entities, one digest and one relation where every string tries to run a script."""
    item = Item(
        id="evil/1",
        index=1,
        title=payload("item-title") + "</script><script>window.kgXss='item-close'</script>",
        text="正文 " + payload("item-text"),
        line=1,
        date="2026-03-02",
        links=("javascript:window.kgXss='item-link'", "https://example.com/?q=\"><script>window.kgXss='url'</script>"),
        tags=(payload("tag"),),
    )
    digest = Digest(
        id="evil",
        path="evil.md",
        file_name=payload("file") + ".md",
        title=payload("digest-title"),
        date="2026-03-02",
        encoding="utf-8",
        layout="headings",
        items=(item,),
        content_hash="0" * 64,
    )
    evil = Entity(
        id="model/evil",
        type="Model",
        name=payload("name"),
        aliases=("邪恶模型", payload("alias"), "javascript:window.kgXss='alias-url'"),
        wikidata="javascript:alert(1)",
        mention_count=3,
        first_seen="2026-03-02",
        last_seen="2026-03-02",
        digests=("evil",),
    )
    lab = Entity(
        id="organization/lab",
        type="Organization",
        name="Lab </script><script>window.kgXss='org'</script>",
        mention_count=1,
        first_seen="2026-03-02",
        last_seen="2026-03-02",
        digests=("evil",),
    )
    relation = Relation(
        type="developedBy",
        source=evil.id,
        target=lab.id,
        evidence=(Evidence(payload("evidence"), item.id, digest.id, digest.file_name, "2026-03-02"),),
        score=payload("score"),
    )
    return KnowledgeGraph(
        digests=(digest,),
        entities=(evil, lab),
        relations=(relation,),
        co_mentions=(CoMention(lab.id, evil.id, 1),),
        item_mentions=(ItemMentions(item.id, (evil.id, lab.id), ((payload("surface"),), ("Lab",)), (3, 1)),),
    )
