"""A synthetic KnowledgeGraph of any size, shaped like a real build (for the views benchmark and
the large-view browser test): Zipf-like mention counts, typed relations that respect their
signatures, co-mentions, and digests of items that mention the entities."""

from __future__ import annotations

import random

from kg.models import RELATION_SIGNATURES, CoMention, Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation

TYPES = ("Organization", "Model", "Model", "Paper", "Benchmark", "Technique")
PER_DIGEST = 20
"""Items per digest; one item per entity on average."""


def synthetic_graph(entities: int, seed: int = 7) -> KnowledgeGraph:
    rng = random.Random(seed)
    ents = []
    for i in range(entities):
        type_ = TYPES[i % len(TYPES)]
        mentions = max(1, int(2000 / (i + 1) ** 0.8))
        ents.append((f"{type_.lower()}/E{i:06d}", type_, f"{type_} {i}", (f"实体{i}", f"E-{i}"), mentions))
    n_items = max(1, entities)
    n_digests = max(1, n_items // PER_DIGEST)
    digests, item_ids = [], []
    for d in range(n_digests):
        date = f"2026-{1 + d % 12:02d}-{1 + d % 28:02d}"
        items = tuple(
            Item(id=f"d{d:05d}/{k}", index=k, title=f"条目 {d}-{k}", text=f"第 {k} 条新闻的正文。", line=k * 3, date=date)
            for k in range(1, PER_DIGEST + 1)
        )
        item_ids += [(it.id, f"d{d:05d}", date) for it in items]
        digests.append(Digest(f"d{d:05d}", f"d{d:05d}.md", f"d{d:05d}.md", f"日报 {date} #{d}", date, "utf-8", "headings", items, "0" * 64))
    by_type: dict[str, list[int]] = {}
    for i, e in enumerate(ents):
        by_type.setdefault(e[1], []).append(i)
    relations: dict[tuple[str, str, str], Relation] = {}
    for _ in range(2 * entities):
        kind = rng.choice(sorted(RELATION_SIGNATURES))
        sources, targets = RELATION_SIGNATURES[kind]
        s = ents[rng.choice(by_type[rng.choice(sorted(sources))])]
        pool = by_type[rng.choice(sorted(targets))]
        t = ents[pool[min(int(rng.paretovariate(1.0)) - 1, len(pool) - 1)]]  # hubs, as in real graphs
        if s[0] == t[0]:
            continue
        item, digest, date = item_ids[rng.randrange(len(item_ids))]
        ev = Evidence(f"{s[2]} 与 {t[2]} 的关系在这句话里。", item, digest, f"{digest}.md", date)
        relations[(s[0], t[0], kind)] = Relation(kind, s[0], t[0], (ev,))
    mentioned: dict[str, list[str]] = {}
    for i, e in enumerate(ents):
        for _ in range(min(e[4], 5)):
            mentioned.setdefault(item_ids[rng.randrange(len(item_ids))][0], []).append(e[0])
    co: dict[tuple[str, str], int] = {}
    item_mentions = []
    for item_id in sorted(mentioned):
        ids = sorted(set(mentioned[item_id]))
        item_mentions.append(ItemMentions(item_id, tuple(ids), tuple((f"E-{x}",) for x in ids), tuple(1 for _ in ids)))
        for a in range(len(ids)):
            for b in range(a + 1, min(len(ids), a + 4)):
                co[(ids[a], ids[b])] = co.get((ids[a], ids[b]), 0) + 1
    entity_objs = tuple(
        Entity(id=i, type=t, name=n, aliases=a, mention_count=m, first_seen="2026-01-01", last_seen="2026-12-28", digests=())
        for i, t, n, a, m in sorted(ents)
    )
    return KnowledgeGraph(
        digests=tuple(digests),
        entities=entity_objs,
        relations=tuple(relations[k] for k in sorted(relations)),
        co_mentions=tuple(CoMention(a, b, w) for (a, b), w in sorted(co.items())),
        item_mentions=tuple(item_mentions),
    )
