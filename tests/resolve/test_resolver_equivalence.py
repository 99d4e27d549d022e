"""Resolution by mention shape builds exactly the graph that resolution mention by mention built.

``_ReferenceResolver`` is the stage as it was first written: every step walks every mention of
every item. ``Resolver`` now works once per distinct (type, surface, gazetteer id, arXiv id,
source) with its count, keeps the first of equal evidence tuples, and links each distinct
definition once, which leans on orders of first appearance (an arXiv id's tie, the first
sentence of a model, the first stated score). Hypothesis feeds both small corpora drawn from
names that exercise those: curated and uncurated names, model families, a name typed two ways,
papers with tied arXiv ids, acronyms defined once and twice, relations of every type.
"""

from __future__ import annotations

import dataclasses
import marshal
from collections import Counter, defaultdict
from itertools import combinations
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.extract.gazetteer import load_gazetteer
from kg.models import (
    RELATION_SIGNATURES,
    RELATION_TYPES,
    AliasLink,
    CoMention,
    Digest,
    Evidence,
    Item,
    ItemExtraction,
    ItemMentions,
    KnowledgeGraph,
    Mention,
    Relation,
    RelationMention,
)
from kg.resolve import comentions, store
from kg.resolve.normalize import identity_key, match_key
from kg.resolve.resolver import TYPE_EVIDENCE, Resolver, _first_evidence, _UnionFind


def _reference_settle_types(mentions_per_item):
    votes = {}
    for mentions in mentions_per_item:
        for m in mentions:
            if m.gazetteer_id or m.type == "Paper":
                continue
            votes.setdefault(identity_key(m.surface), Counter())[m.type, TYPE_EVIDENCE.get(m.source, 1)] += 1
    settled = {}
    for key, counts in votes.items():
        if len({t for t, _ in counts}) > 1:
            best = {}
            for (t, strength), n in counts.items():
                top, total = best.get(t, (0, 0))
                best[t] = (max(top, strength), total + n)
            settled[key] = max(sorted(best), key=lambda t: best[t])
    return settled


def _extracted(items, extractions):
    for digest, item in items:
        if item.id in extractions:
            yield digest, item, extractions[item.id]


class _ReferenceResolver(Resolver):
    """The resolution stage mention by mention (keys, names and families as ``Resolver``'s)."""

    def resolve(self, digests, extractions):
        items = [(d, item) for d in digests for item in d.items]
        uf = _UnionFind()
        mention_keys = {}
        settled = _reference_settle_types(x.mentions for _, _, x in _extracted(items, extractions))
        for e in extractions.values():
            for a in e.aliases:
                t = settled.get(identity_key(a.short))
                if t is not None:
                    settled.setdefault(identity_key(a.long), t)
        for _, item, extraction in _extracted(items, extractions):
            keys = mention_keys[item.id] = []
            for m in extraction.mentions:
                type_ = m.type if m.gazetteer_id else settled.get(identity_key(m.surface), m.type)
                key = self.key_of(type_, m.surface, m.gazetteer_id, m.arxiv_id)
                uf.add(key)
                keys.append(key)
                if m.type == "Paper" and m.arxiv_id and not m.surface.startswith(m.arxiv_id):
                    title_key = ("Paper", match_key(m.surface))
                    uf.add(title_key)
                    uf.union(key, title_key)
        self._link_definitions(
            uf,
            (
                (settled.get(identity_key(a.short), a.type) if settled else a.type, a.short, a.long)
                for e in extractions.values()
                for a in e.aliases
            ),
        )
        clusters = {}
        for _, item, extraction in _extracted(items, extractions):
            for index, m in enumerate(extraction.mentions):
                key = mention_keys[item.id][index]
                c = clusters.setdefault(uf.find(key), {"keys": set(), "surfaces": Counter(), "arxiv": Counter()})
                c["keys"].add(key)
                c["surfaces"][m.surface.strip()] += 1
                if m.arxiv_id:
                    c["arxiv"][m.arxiv_id] += 1
        for key in list(uf.parent):
            if uf.find(key) in clusters:
                clusters[uf.find(key)]["keys"].add(key)
        entities, entity_of_root = self._entities(clusters)
        entities, family_links = self._model_families(entities)
        entity_of = {i: [entity_of_root[uf.find(k)] for k in keys] for i, keys in mention_keys.items()}
        relations = self._reference_relations(items, extractions, entity_of, entities, family_links)
        item_mentions, co_mentions = self._reference_item_links(items, extractions, entity_of)
        entities = self._reference_with_stats(entities, items, extractions, entity_of)
        return KnowledgeGraph(
            digests=tuple(sorted(digests, key=lambda d: d.id)),
            entities=tuple(sorted(entities.values(), key=lambda e: e.id)),
            relations=relations,
            co_mentions=co_mentions,
            item_mentions=item_mentions,
        )

    def _reference_relations(self, items, extractions, entity_of, entities, family_links):
        grouped = defaultdict(list)
        first_sentence = {}
        for digest, item, extraction in _extracted(items, extractions):
            date = item.date or digest.date
            for index, m in enumerate(extraction.mentions):
                eid = entity_of[item.id][index]
                if eid not in first_sentence:
                    first_sentence[eid] = Evidence(m.sentence, item.id, digest.id, digest.file_name, date)
            for r in extraction.relations:
                source, target = entity_of[item.id][r.source], entity_of[item.id][r.target]
                sources, targets = RELATION_SIGNATURES[r.type]
                if source == target or entities[source].type not in sources or entities[target].type not in targets:
                    continue
                evidence = Evidence(r.sentence, item.id, digest.id, digest.file_name, date)
                grouped[(r.type, source, target)].append((evidence, r.score, r.metric))
        variants_of = defaultdict(list)
        for variant, family in family_links:
            variants_of[family].append(variant)
        for variant, family in family_links:
            if ("variantOf", family, variant) in grouped:
                continue  # the text says the family was built from the variant: no cycle
            evidence = _first_evidence(variant, first_sentence, variants_of)
            grouped[("variantOf", variant, family)].extend([(evidence, None, None)] if evidence else [])
        relations = []
        for (type_, source, target), found in sorted(grouped.items()):
            order = lambda e: (e.date or "", e.digest_id, e.item_id, e.sentence)  # noqa: E731
            evidence = tuple(sorted({e for e, _, _ in found}, key=order))
            scored = [(s, m) for _, s, m in found if s]
            score, metric = scored[0] if scored else (None, None)
            relations.append(Relation(type_, source, target, evidence, score, metric))
        return tuple(relations)

    def _reference_item_links(self, items, extractions, entity_of):
        item_mentions = []
        pairs = Counter()
        for _, item, extraction in _extracted(items, extractions):
            surfaces = defaultdict(set)
            counts = Counter()
            for index, m in enumerate(extraction.mentions):
                surfaces[entity_of[item.id][index]].add(m.surface.strip())
                counts[entity_of[item.id][index]] += 1
            ids = sorted(surfaces)
            item_mentions.append(
                ItemMentions(item.id, tuple(ids), tuple(tuple(sorted(surfaces[i])) for i in ids), tuple(counts[i] for i in ids))
            )
            linked = sorted(sorted(ids, key=lambda i: (-counts[i], i))[: comentions.MAX_CO_MENTIONED])
            pairs.update(combinations(linked, 2))
        co_mentions = tuple(CoMention(a, b, weight) for (a, b), weight in sorted(pairs.items()))
        return tuple(sorted(item_mentions, key=lambda m: m.item_id)), co_mentions

    def _reference_with_stats(self, entities, items, extractions, entity_of):
        counts, dates, digests = Counter(), defaultdict(list), defaultdict(set)
        for digest, item, extraction in _extracted(items, extractions):
            date = item.date or digest.date
            for index in range(len(extraction.mentions)):
                eid = entity_of[item.id][index]
                counts[eid] += 1
                digests[eid].add(digest.id)
                if date:
                    dates[eid].append(date)
        out = {}
        for eid, e in entities.items():
            ds = sorted(dates.get(eid, ()))
            out[eid] = dataclasses.replace(
                e,
                mention_count=counts[eid],
                first_seen=ds[0] if ds else None,
                last_seen=ds[-1] if ds else None,
                digests=tuple(sorted(digests.get(eid, ()))),
                implied=e.implied and counts[eid] == 0,
            )
        return out


GAZ = load_gazetteer()

NAMES = [  # (surface, type, gazetteer id, arXiv id, source)
    ("OpenAI", "Organization", "org-openai", None, "gazetteer"),
    (" OpenAI ", "Organization", "org-openai", None, "gazetteer"),
    ("DeepSeek", "Organization", "org-deepseek", None, "gazetteer"),
    ("Orbit Labs", "Organization", None, None, "org-shape"),
    ("Qwen", "Model", "model-qwen", None, "gazetteer"),
    ("Qwen3.6-35B-A3B", "Model", None, None, "model-pattern"),
    ("qwen 3.6 35b a3b", "Model", None, None, "model-pattern"),
    ("Qwen3.6", "Model", None, None, "model-pattern"),
    ("GPT-4", "Model", "model-gpt-4", None, "gazetteer"),
    ("GPT-4o", "Model", None, None, "model-pattern"),
    ("Orbit-7B", "Model", None, None, "model-shape"),
    ("Orbit-7B-Chat", "Model", None, None, "model-shape"),
    ("Quillon", "Model", None, None, "cue"),
    ("Quillon", "Model", None, None, "camel-cue"),
    ("Quillon", "Technique", None, None, "list"),
    ("Quillon", "Technique", None, None, "cue"),
    ("CoPE", "Technique", None, None, "cue"),
    ("CoPE", "Paper", None, None, "paper-title"),
    ("SAC", "Technique", None, None, "acronym"),
    ("Soft Actor-Critic", "Technique", None, None, "cue"),
    ("XYZ", "Technique", None, None, "acronym"),
    ("Extra Yield Zone", "Technique", None, None, "cue"),
    ("Xeno Yarn Zipper", "Technique", None, None, "cue"),
    ("LoRA", "Technique", "tech-lora", None, "gazetteer"),
    ("MMLU", "Benchmark", "bench-mmlu", None, "gazetteer"),
    ("OrbitBench", "Benchmark", None, None, "bench-shape"),
    ("Deep Orbit Learning", "Paper", None, "2501.00001", "paper-title"),
    ("Deep Orbit Learning", "Paper", None, "2501.00002", "paper-title"),
    ("Deep Orbit Learning", "Paper", None, None, "paper-title"),
    ("deep orbit learning", "Paper", None, "2501.00002", "paper-title"),
    ("2501.00001", "Paper", None, "2501.00001", "arxiv"),
    ("Zeta", "Organization", None, None, "org-shape"),
    ("Zeta", "Technique", None, None, "cue"),
    ("Shared Long Form", "Technique", None, None, "cue"),
]
DEFINITIONS = [  # (type, short, long)
    ("Technique", "SAC", "Soft Actor-Critic"),
    ("Technique", "XYZ", "Extra Yield Zone"),
    ("Technique", "XYZ", "Xeno Yarn Zipper"),
    ("Model", "Quillon", "Quill Online"),
    ("Technique", "QO", "Quillon"),
    ("Organization", "OL", "Orbit Labs"),
    ("Technique", "Zeta", "Shared Long Form"),  # a long form whose type follows its first definition's
    ("Technique", "Quillon", "Shared Long Form"),
]
SENTENCES = ["Orbit 发布了新模型。", "在 MMLU 上得分 74.2。", "见论文。"]
DATES = [None, "2026-01-01", "2026-01-02", "2026-02-01"]

MENTION = st.tuples(st.sampled_from(NAMES), st.sampled_from(SENTENCES))
RELATION = st.tuples(
    st.sampled_from(RELATION_TYPES),
    st.integers(0, 9),
    st.integers(0, 9),
    st.sampled_from(SENTENCES),
    st.sampled_from([None, "74.2", "80%"]),
    st.sampled_from([None, "pass@1"]),
)
ITEM = st.tuples(
    st.sampled_from(DATES),
    st.lists(MENTION, max_size=10),
    st.lists(st.sampled_from(DEFINITIONS), max_size=2),
    st.lists(RELATION, max_size=8),
)
CORPUS = st.lists(st.tuples(st.sampled_from(DATES), st.lists(ITEM, min_size=1, max_size=3)), min_size=1, max_size=4)


def _fitting(type_, source, target):
    """``type_``, or else a relation type the two mentions' types allow, so most relations are kept."""
    fits = [t for t in (type_, *RELATION_TYPES) if (source.type, target.type) in _ALLOWED[t]]
    return fits[0] if fits else type_


_ALLOWED = {t: {(a, b) for a in sources for b in targets} for t, (sources, targets) in RELATION_SIGNATURES.items()}


def _build(corpus):
    digests, extractions = [], {}
    for n, (date, items) in enumerate(corpus):
        did = f"d{n}"
        made = []
        for index, (item_date, mentions, definitions, relations) in enumerate(items, 1):
            item = Item(f"{did}/{index}", index, "", "text", 1, date=item_date)
            made.append(item)
            ms = tuple(
                Mention(item.id, i, i + len(s), s, t, source, gid, sentence, arxiv)
                for i, ((s, t, gid, arxiv, source), sentence) in enumerate(mentions)
            )
            rels = tuple(
                RelationMention(_fitting(type_, ms[a], ms[b]), a, b, item.id, sentence, score, metric)
                for type_, a, b, sentence, score, metric in relations
                if a < len(ms) and b < len(ms)
            )
            als = tuple(AliasLink(item.id, *d) for d in definitions)
            extractions[item.id] = ItemExtraction(item.id, ms, als, rels)
        digests.append(Digest(did, f"{did}.md", f"{did}.md", did, date, "utf-8", "test", tuple(made), "0" * 64))
    return digests, extractions


TIES = [  # a relation stated twice in one item with two scores; a title given two arXiv ids as often
    (
        "2026-01-01",
        [
            (
                None,
                [(NAMES[9], SENTENCES[0]), (NAMES[24], SENTENCES[1]), (NAMES[27], SENTENCES[2]), (NAMES[26], SENTENCES[2])],
                [],
                [("evaluatedOn", 0, 1, SENTENCES[1], "74.2", None), ("evaluatedOn", 0, 1, SENTENCES[0], "80%", "pass@1")],
            )
        ],
    )
]


CYCLE = [  # a family said to be built from its own edition: the name's variantOf is dropped, no cycle
    ("2026-01-01", [(None, [(NAMES[7], SENTENCES[0]), (NAMES[5], SENTENCES[0])], [], [("variantOf", 0, 1, SENTENCES[0], None, None)])])
]


def _named(surface, type_, source):
    return next(n for n in NAMES if n[0] == surface and n[1] == type_ and n[4] == source)


_ZETA, _ZETA_TECH, _LONG = _named("Zeta", "Organization", "org-shape"), _named("Zeta", "Technique", "cue"), _named("Shared Long Form", "Technique", "cue")
_QUILLON, _QUILLON_TECH = _named("Quillon", "Model", "cue"), _named("Quillon", "Technique", "list")
DEFINED_FIRST = [  # two names settled to two types define one long form: it takes the type of the first definition in corpus order
    ("2026-01-01", [(None, [(_ZETA, SENTENCES[0]), (_ZETA, SENTENCES[0]), (_ZETA_TECH, SENTENCES[0]), (_LONG, SENTENCES[0])], [DEFINITIONS[-2]], [])]),
    ("2026-01-02", [(None, [(_QUILLON, SENTENCES[0]), (_QUILLON, SENTENCES[0]), (_QUILLON_TECH, SENTENCES[0]), (_LONG, SENTENCES[0])], [DEFINITIONS[-1]], [])]),
]


@settings(max_examples=300, deadline=None)
@given(CORPUS, st.sampled_from([2, 3, 60]), st.sampled_from([1, 3, comentions.PAIRS_AT_ONCE]))
@example(TIES, 60, comentions.PAIRS_AT_ONCE)
@example(CYCLE, 60, comentions.PAIRS_AT_ONCE)
def test_resolution_by_shape_builds_the_graph_resolution_by_mention_built(corpus, max_co_mentioned, pairs_at_once):
    """``pairs_at_once``: co-mentions counted a few items at a time, as in a large corpus."""
    digests, extractions = _build(corpus)
    with mock.patch.object(comentions, "MAX_CO_MENTIONED", max_co_mentioned), mock.patch.object(comentions, "PAIRS_AT_ONCE", pairs_at_once):
        expected = _ReferenceResolver(GAZ).resolve(digests, extractions)
        assert Resolver(GAZ).resolve(digests, extractions) == expected


def _of(digests, extractions, chosen):
    """The digests of ``chosen`` (places) and their extractions, as a build of them alone would give them."""
    taken = [d for i, d in enumerate(digests) if i in chosen]
    ids = {item.id for d in taken for item in d.items}
    return taken, {k: v for k, v in extractions.items() if k in ids}


def _stored(resolution):
    """``resolution`` as the next build gets it: through the store's codec and marshal."""
    return store.decode(marshal.loads(marshal.dumps(resolution.digests)), marshal.loads(marshal.dumps(store.encode(resolution))))


def _comparable(resolution):
    """What the store keeps of ``resolution``, but the order its shapes were first counted in,
    which nothing depends on."""
    totals, definitions, entity_ids, *rest = store.encode(resolution)
    return resolution.digests, dict(totals), definitions, dict(zip([shape for shape, _ in totals], entity_ids)), *rest


@settings(max_examples=300, deadline=None)
@given(CORPUS, st.data())
@example(TIES + CYCLE, None)
@example(DEFINED_FIRST, None)
def test_resolving_digests_added_to_a_kept_resolution_builds_the_graph_of_the_whole_corpus(corpus, data):
    """The digests arrive in up to three rounds, each digest in any round (so a round adds
    digests before, among and after the ones already resolved); each round's digests are
    gathered alone and added to what resolving the digests before it left. Graph and
    resolution are those of the whole corpus, whether the names of the earlier digests kept
    their entities (only the new items are gathered) or not (everything is gathered again)."""
    digests, extractions = _build(corpus)
    whole = Resolver(GAZ).resolve_keeping(digests, extractions)
    if data is None:
        rounds = [1] + [0] * (len(digests) - 1)  # the first digest comes after the others
    else:
        rounds = data.draw(st.lists(st.integers(0, 2), min_size=len(digests), max_size=len(digests)))
    kept = None
    for r in range(max(rounds) + 1):
        arrived = {i for i, n in enumerate(rounds) if n <= r}
        resolved = Resolver(GAZ).resolve_keeping(*_of(digests, extractions, arrived), None if kept is None else _stored(kept))
        kept = resolved.kept
    assert resolved.graph == whole.graph
    assert _comparable(kept) == _comparable(whole.kept)
