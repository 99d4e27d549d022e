"""Resolution: link every mention across all digests to one entity per real thing.

    mention -> identity key      gazetteer id | parsed model key | arXiv id | (type, identity_key)
    keys    -> clusters          union-find over definitions (SAC = Soft Actor-Critic = 软演员-评论家)
                                 and paper titles known with their arXiv id
    cluster -> Entity            canonical name: gazetteer name, parsed model name, else the most
                                 used English form; the other forms seen become aliases
    models  -> variantOf         a specific model links to its family (created when never named)

Keys always carry the type, so a curated name and a name the rules typed differently, or a
paper and the method it names, stay two entities; a name the rules alone typed two ways first
settles on one type (``settle_types``). Model keys keep every number, so GPT-4 and GPT-4o,
Qwen3.5 and Qwen3.6, Llama 3.1 8B and 70B never merge.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from urllib.parse import quote

from kg.extract.gazetteer import Gazetteer
from kg.models import (
    RELATION_SIGNATURES,
    CoMention,
    Digest,
    Entity,
    Evidence,
    ItemExtraction,
    ItemMentions,
    KnowledgeGraph,
    Mention,
    Relation,
)
from kg.resolve.modelname import ModelName, parse_model_name
from kg.resolve.normalize import has_cjk, identity_key, match_key, normalize_text

log = logging.getLogger(__name__)

_ZH_SERIES = re.compile(r"^([\u3400-\u9fff]+)\s*(?=[A-Za-z]?\d)")

MAX_CO_MENTIONED = 60
"""Co-mention links of one item join at most its 60 most-mentioned entities: beyond that the
item is a list, the links say nothing, and their number would grow with the square."""

Key = tuple[str, str]
"""(type, identity) — or ("gaz", gazetteer id) for curated entities."""


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def add(self, key: Key) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: Key) -> Key:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller key becomes the root, so the result never depends on input order
            low, high = sorted((ra, rb))
            self.parent[high] = low


class Resolver:
    """Turns per-item extractions into a KnowledgeGraph."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    # -- keys --------------------------------------------------------------------------------

    def model_name(self, surface: str) -> ModelName | None:
        """The parsed model name with its series spelled as the gazetteer spells it.

        A Chinese family name takes its curated English name first: 混元 2.0 is Hunyuan 2.0.
        """
        zh = _ZH_SERIES.match(surface)
        if zh:
            entry = self.gazetteer.lookup(zh.group(1), "Model")
            if entry is not None:
                surface = f"{entry.name} {surface[zh.end(1):].strip()}"
        name = parse_model_name(surface)
        if name is None:
            return None
        entry = self.gazetteer.lookup(name.series, "Model")
        if entry is not None and parse_model_name(entry.name) is not None:
            series = parse_model_name(entry.name)
            if series is not None and not series.version and not series.size:
                name = dataclasses.replace(name, series=series.series)
        return name

    def key_of(self, type_: str, surface: str, gazetteer_id: str | None = None, arxiv_id: str | None = None) -> Key:
        if gazetteer_id:
            return ("gaz", gazetteer_id)
        entry = self.gazetteer.lookup(surface, type_)
        if entry is not None:
            return ("gaz", entry.id)
        if type_ == "Model":
            name = self.model_name(surface)
            if name is not None:
                entry = self.gazetteer.lookup(name.canonical, "Model")
                return ("gaz", entry.id) if entry is not None else ("Model", name.key)
        if type_ == "Paper":
            return ("Paper", f"arxiv:{arxiv_id}") if arxiv_id else ("Paper", match_key(surface))
        return (type_, identity_key(normalize_text(surface)))

    def type_of(self, key: Key) -> str:
        return self.gazetteer.by_id[key[1]].type if key[0] == "gaz" else key[0]

    # -- the whole stage -----------------------------------------------------------------------

    def resolve(self, digests: Sequence[Digest], extractions: dict[str, ItemExtraction]) -> KnowledgeGraph:
        items = [(d, item) for d in digests for item in d.items]
        uf = _UnionFind()
        mention_keys: dict[str, list[Key]] = {}  # item id -> the key of each of its mentions
        key_cache: dict[tuple, Key] = {}  # a corpus writes a few thousand names a million times
        settled = settle_types(extraction.mentions for _, _, extraction in _extracted(items, extractions))
        for e in extractions.values():  # a definition's forms follow its short form's type
            for a in e.aliases:
                t = settled.get(identity_key(a.short))
                if t is not None:
                    settled.setdefault(identity_key(a.long), t)
        for _, item, extraction in _extracted(items, extractions):
            keys = mention_keys[item.id] = []
            for m in extraction.mentions:
                how = (m.type, m.surface, m.gazetteer_id, m.arxiv_id)
                key = key_cache.get(how)
                if key is None:
                    type_ = m.type if m.gazetteer_id else settled.get(identity_key(m.surface), m.type)
                    key = key_cache[how] = self.key_of(type_, m.surface, m.gazetteer_id, m.arxiv_id)
                uf.add(key)
                keys.append(key)
                if m.type == "Paper" and m.arxiv_id and not m.surface.startswith(m.arxiv_id):
                    title_key = ("Paper", match_key(m.surface))
                    uf.add(title_key)
                    uf.union(key, title_key)
        self._link_definitions(
            uf,
            (
                dataclasses.replace(a, type=settled.get(identity_key(a.short), a.type)) if settled else a
                for e in extractions.values()
                for a in e.aliases
            ),
        )
        clusters = self._clusters(uf, items, extractions, mention_keys)
        entities, entity_of_root = self._entities(clusters)
        entities, family_links = self._model_families(entities)
        entity_of_key = {k: entity_of_root[uf.find(k)] for k in key_cache.values()}
        entity_of = {item_id: [entity_of_key[k] for k in keys] for item_id, keys in mention_keys.items()}
        del mention_keys
        relations = self._relations(items, extractions, entity_of, entities, family_links)
        item_mentions, co_mentions = self._item_links(items, extractions, entity_of)
        entities = self._with_stats(entities, items, extractions, entity_of)
        return KnowledgeGraph(
            digests=tuple(sorted(digests, key=lambda d: d.id)),
            entities=tuple(sorted(entities.values(), key=lambda e: e.id)),
            relations=relations,
            co_mentions=co_mentions,
            item_mentions=item_mentions,
        )

    def _link_definitions(self, uf: _UnionFind, aliases: Iterable) -> None:
        """Union the forms a definition equates; an acronym defined two ways stays apart.

        Long forms given together (``高斯差分隐私 (Gaussian Differential Privacy, GDP)``) are one
        thing outright. An acronym joins its long form only when every definition of it in
        the corpus agrees (after that first union), or when the acronym is curated.
        """
        acronym_links: dict[Key, set[Key]] = defaultdict(set)
        for a in aliases:
            short = self.key_of(a.type, a.short)
            long = self.key_of(a.type, a.long)
            if self.type_of(short) != self.type_of(long) or short == long:
                continue
            if short[0] == "gaz" and long[0] == "gaz":
                continue  # two curated entities: a bracket in the text is not proof enough
            uf.add(short)
            uf.add(long)
            if _is_acronym(a.short):
                acronym_links[short].add(long)
            else:
                uf.union(short, long)
        for short, longs in sorted(acronym_links.items()):
            roots = {uf.find(k) for k in longs}
            if short[0] == "gaz" or len(roots) == 1:
                for long in sorted(longs):
                    uf.union(short, long)
            else:
                log.info("acronym %s is defined in %d ways; its definitions stay apart", short[1], len(roots))

    def _clusters(
        self,
        uf: _UnionFind,
        items: list,
        extractions: dict[str, ItemExtraction],
        mention_keys: dict[str, list[Key]],
    ) -> dict[Key, dict]:
        clusters: dict[Key, dict] = {}
        for _, item, extraction in _extracted(items, extractions):
            for index, m in enumerate(extraction.mentions):
                key = mention_keys[item.id][index]
                root = uf.find(key)
                c = clusters.setdefault(root, {"keys": set(), "surfaces": Counter(), "arxiv": Counter()})
                c["keys"].add(key)
                c["surfaces"][m.surface.strip()] += 1
                if m.arxiv_id:
                    c["arxiv"][m.arxiv_id] += 1
        for key in list(uf.parent):
            root = uf.find(key)
            if root in clusters:
                clusters[root]["keys"].add(key)
        return clusters

    def _entities(self, clusters: dict[Key, dict]) -> tuple[dict[str, Entity], dict[Key, str]]:
        entities: dict[str, Entity] = {}
        entity_of_root: dict[Key, str] = {}
        for root in sorted(clusters):
            c = clusters[root]
            type_ = self.type_of(root)
            gaz_ids = sorted(k[1] for k in c["keys"] if k[0] == "gaz")
            entry = self.gazetteer.by_id[gaz_ids[0]] if gaz_ids else None
            name = self._canonical_name(type_, c["surfaces"], entry)
            arxiv = c["arxiv"].most_common(1)[0][0] if c["arxiv"] else None
            entity_id = _entity_id(type_, name, entities)
            aliases = tuple(sorted(s for s in c["surfaces"] if s and s != name))
            entities[entity_id] = Entity(
                id=entity_id,
                type=type_,
                name=name,
                aliases=aliases,
                wikidata=entry.wikidata if entry else None,
                arxiv_id=arxiv if type_ == "Paper" else None,
            )
            entity_of_root[root] = entity_id
        return entities, entity_of_root

    def _canonical_name(self, type_: str, surfaces: Counter, entry) -> str:
        if entry is not None:
            return entry.name
        if type_ == "Model":
            names = Counter()
            for s, n in surfaces.items():
                parsed = self.model_name(s)
                if parsed is not None:
                    names[parsed.canonical] += n
            if names:
                return min(names, key=lambda s: (-names[s], s))
        if type_ == "Paper":
            titles = [s for s in surfaces if not s.replace(".", "").isdigit()]
            if titles:
                return max(titles, key=lambda s: (len(s), s))
            only = sorted(surfaces)[0]
            return f"arXiv:{only}"
        latin = [s for s in surfaces if not has_cjk(s)]
        pool = latin or list(surfaces)
        return min(pool, key=lambda s: (-surfaces[s], len(s), s))

    def _model_families(self, entities: dict[str, Entity]) -> tuple[dict[str, Entity], list[tuple[str, str]]]:
        """Link each specific model to its family, creating families the text never named."""
        by_key: dict[str, str] = {}
        named: dict[str, str] = {}  # match key of a named model's name -> its id
        for e in sorted(entities.values(), key=lambda e: e.id):
            if e.type == "Model":
                parsed = self.model_name(e.name)
                # a bare series that does not parse ("Genie") is still the family of "Genie 3"
                by_key.setdefault(parsed.key if parsed is not None else match_key(e.name), e.id)
                named.setdefault(match_key(e.name), e.id)
        links: list[tuple[str, str]] = []
        queue = sorted(e.id for e in entities.values() if e.type == "Model")
        while queue:
            entity_id = queue.pop(0)
            prefix = _named_prefix(entities[entity_id].name, named)
            if prefix is not None and prefix != entity_id:
                # the nearest named model this one extends: Qwen3-4B-GGUF -> Qwen3-4B, Janus-Pro -> Janus
                links.append((entity_id, prefix))
                continue
            parsed = self.model_name(entities[entity_id].name)
            family = parsed.family if parsed is not None else None
            if family is None or sum(ch.isalpha() for ch in family.canonical) < 2:
                continue  # "o4" is no family of "o": a one-letter series names nothing
            family_id = by_key.get(family.key)
            if family_id is None:
                entry = self.gazetteer.lookup(family.canonical, "Model")
                name = entry.name if entry is not None else family.canonical
                family_id = _entity_id("Model", name, entities)
                entities[family_id] = Entity(
                    id=family_id,
                    type="Model",
                    name=name,
                    wikidata=entry.wikidata if entry else None,
                    implied=True,
                )
                by_key[family.key] = family_id
                queue.append(family_id)
            if family_id != entity_id:
                links.append((entity_id, family_id))
        return entities, sorted(set(links))

    def _relations(
        self,
        items: list,
        extractions: dict[str, ItemExtraction],
        entity_of: dict[str, list[str]],
        entities: dict[str, Entity],
        family_links: list[tuple[str, str]],
    ) -> tuple[Relation, ...]:
        grouped: dict[tuple[str, str, str], list[tuple[Evidence, str | None, str | None]]] = defaultdict(list)
        first_sentence: dict[str, Evidence] = {}
        for digest, item, extraction in _extracted(items, extractions):
            date = item.date or digest.date
            for index, m in enumerate(extraction.mentions):
                eid = entity_of[item.id][index]
                if eid not in first_sentence:
                    first_sentence[eid] = Evidence(m.sentence, item.id, digest.id, digest.file_name, date)
            for r in extraction.relations:
                source = entity_of[item.id][r.source]
                target = entity_of[item.id][r.target]
                sources, targets = RELATION_SIGNATURES[r.type]
                if source == target or entities[source].type not in sources or entities[target].type not in targets:
                    continue
                evidence = Evidence(r.sentence, item.id, digest.id, digest.file_name, date)
                grouped[(r.type, source, target)].append((evidence, r.score, r.metric))
        variants_of: dict[str, list[str]] = defaultdict(list)
        for variant, family in family_links:
            variants_of[family].append(variant)
        for variant, family in family_links:
            evidence = _first_evidence(variant, first_sentence, variants_of)
            grouped[("variantOf", variant, family)].extend([(evidence, None, None)] if evidence else [])
        relations = []
        for (type_, source, target), found in sorted(grouped.items()):
            evidence = tuple(sorted(set(e for e, _, _ in found), key=_evidence_order))
            scored = [(s, m) for _, s, m in found if s]
            score, metric = scored[0] if scored else (None, None)
            relations.append(Relation(type_, source, target, evidence, score, metric))
        return tuple(relations)

    def _item_links(
        self, items: list, extractions: dict[str, ItemExtraction], entity_of: dict[str, list[str]]
    ) -> tuple[tuple[ItemMentions, ...], tuple[CoMention, ...]]:
        item_mentions = []
        pairs: Counter = Counter()
        for _, item, extraction in _extracted(items, extractions):
            surfaces: dict[str, set[str]] = defaultdict(set)
            counts: Counter = Counter()
            for index, m in enumerate(extraction.mentions):
                eid = entity_of[item.id][index]
                surfaces[eid].add(m.surface.strip())
                counts[eid] += 1
            ids = sorted(surfaces)
            item_mentions.append(
                ItemMentions(
                    item.id,
                    tuple(ids),
                    tuple(tuple(sorted(surfaces[i])) for i in ids),
                    tuple(counts[i] for i in ids),
                )
            )
            linked = sorted(sorted(ids, key=lambda i: (-counts[i], i))[:MAX_CO_MENTIONED], key=str)
            pairs.update(combinations(linked, 2))  # (a, b) with a < b, as ``linked`` is sorted
        co_mentions = tuple(CoMention(a, b, weight) for (a, b), weight in sorted(pairs.items()))
        return tuple(sorted(item_mentions, key=lambda m: m.item_id)), co_mentions

    def _with_stats(
        self, entities: dict[str, Entity], items: list, extractions: dict[str, ItemExtraction], entity_of: dict
    ) -> dict[str, Entity]:
        counts: Counter = Counter()
        dates: dict[str, list[str]] = defaultdict(list)
        digests: dict[str, set[str]] = defaultdict(set)
        for digest, item, extraction in _extracted(items, extractions):
            date = item.date or digest.date
            for index, _ in enumerate(extraction.mentions):
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


TYPE_EVIDENCE = {
    "header-org": 3, "affiliation": 3, "from-team": 3, "named-as": 3,
    "def-zh-en-acr": 2, "def-acr-long": 2, "def-long-acr": 2, "model-shape": 2, "bench-shape": 2,
    "bench-variant": 2, "bench-edition": 2, "org-shape": 2, "tech-shape": 2, "zh-model-version": 2,
    "zh-org": 2, "list": 2, "cue": 2,
}
"""How much a rule's type is worth when one name was typed two ways: an item's structure or an
appositive (名为 X 的模型) states it, a shape, a list, an adjacent cue or an English long form
shows it; a Chinese gloss, a paper's short name or a cue word anywhere in the clause (1, the
default) only suggests it."""


def settle_types(mentions_per_item: Iterable[Iterable[Mention]]) -> dict[str, str]:
    """One type per name the rules typed more than one way across the corpus (identity key ->
    type): the type with the strongest evidence, then the most mentions.

    The rules type a name from its context, and contexts differ (``SeaS 框架`` here, ``模型 SeaS``
    there); one name in one corpus is one thing. Curated names and papers keep their types.
    """
    votes: dict[str, Counter] = {}
    for mentions in mentions_per_item:
        for m in mentions:
            if m.gazetteer_id or m.type == "Paper":
                continue
            key = identity_key(m.surface)
            votes.setdefault(key, Counter())[m.type, TYPE_EVIDENCE.get(m.source, 1)] += 1
    settled = {}
    for key, counts in votes.items():
        if len({t for t, _ in counts}) > 1:
            best: dict[str, tuple[int, int]] = {}
            for (t, strength), n in counts.items():
                top, total = best.get(t, (0, 0))
                best[t] = (max(top, strength), total + n)
            settled[key] = max(sorted(best), key=lambda t: best[t])
    return settled


def _named_prefix(name: str, named: dict[str, str]) -> str | None:
    """The longest named model whose name begins this one and ends at a separator: "Qwen3-4B"
    for "Qwen3-4B-Instruct-2507", "Llama 4" for "Llama 4 Scout" (never "GPT-4" for "GPT-4o")."""
    for i in range(len(name) - 1, 0, -1):
        if name[i] in " -_/" and name[i - 1] not in " -_/":
            found = named.get(match_key(name[:i]))
            if found is not None:
                return found
    return None


def _first_evidence(entity: str, first_sentence: dict[str, Evidence], variants_of: dict[str, list[str]]) -> Evidence | None:
    """Where a model (or, for a family never named itself, its nearest named variant) was first
    mentioned: "Seedance 1.0 Pro" is the evidence that Seedance 1.0 is a Seedance."""
    queue, seen = [entity], set()
    while queue:
        current = queue.pop(0)
        if current in first_sentence:
            return first_sentence[current]
        seen.add(current)
        queue.extend(v for v in sorted(variants_of.get(current, ())) if v not in seen)
    return None


def _extracted(items: list, extractions: dict[str, ItemExtraction]):
    """(digest, item, extraction) for every item that was extracted, in corpus order."""
    for digest, item in items:
        extraction = extractions.get(item.id)
        if extraction is not None:
            yield digest, item, extraction


def _is_acronym(surface: str) -> bool:
    return " " not in surface.strip() and not has_cjk(surface) and sum(c.isupper() for c in surface) >= 2


def _evidence_order(e: Evidence) -> tuple:
    return (e.date or "", e.digest_id, e.item_id, e.sentence)


def _entity_id(type_: str, name: str, taken: dict[str, Entity]) -> str:
    """``<type>/<percent-encoded name>``: readable, IRI-safe, and distinct names never collide."""
    base = f"{type_.lower()}/{quote(name, safe='')}"
    entity_id, n = base, 2
    while entity_id in taken:
        entity_id, n = f"{base}~{n}", n + 1
    return entity_id


def mention_sort_key(m: Mention) -> tuple:
    return (m.item_id, m.start, m.end)
