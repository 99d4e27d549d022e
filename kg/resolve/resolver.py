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

A corpus writes a few thousand names a million times, so each step above runs once per distinct
mention *shape* (type, surface, gazetteer id, arXiv id, source) with its count, and only what is
per item (its entities, co-mentions, relations) looks at each mention again: that is *gathered*
(``Gathered``), and what digests added to a corpus gather is merged, in corpus order, into what the
corpus gave (``Resolution``, kept between builds by kg.resolve.store) while every earlier shape
still resolves to the same entity, so a build that adds the day's digests gathers only their items,
wherever their names put them in the corpus.

What is decided corpus-wide depends on the shapes' counts and on the definitions in corpus
order, not on where a shape first occurs; what is first (an entity's first mention, a relation's
first score) is compared by the place of the digest that gave it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import attrgetter
from typing import NamedTuple
from urllib.parse import quote

from kg.extract.gazetteer import Gazetteer
from kg.models import (
    RELATION_SIGNATURES,
    CoMention,
    CompactExtraction,
    Digest,
    Entity,
    Evidence,
    Item,
    ItemExtraction,
    ItemMentions,
    KnowledgeGraph,
    Mention,
    MentionShape,
    Relation,
    mention_shape,
)
from kg.resolve.comentions import co_mentions as co_mentions_of
from kg.resolve.modelname import ModelName, is_short_model_form, parse_model_name
from kg.resolve.normalize import clear_caches, has_cjk, identity_key, match_key, normalize_text

log = logging.getLogger(__name__)

_ZH_SERIES = re.compile(r"^([\u3400-\u9fff]+)\s*(?=[A-Za-z]?\d|[A-Z][a-z]*\b)")
"""A Chinese family name opening a model's name, before its version or edition (混元 2.0, 盘古Pro MoE)."""

Key = tuple[str, str]
"""(type, identity) — or ("gaz", gazetteer id) for curated entities."""

_definition_of = attrgetter("type", "short", "long")
"""(type, short form, long form) of an AliasLink."""

_item_id = attrgetter("item_id")

Extraction = ItemExtraction | CompactExtraction
"""What resolution takes of an item: the extractor's output, or its compact form (kg.models)."""

EvidenceFields = tuple[str, str, str, str, str, str | None]
"""Evidence as (date or "", digest id, item id, sentence, file name, date) until it is kept:
most of it repeats, and tuples in this form sort in the order evidence is listed."""


class _ItemShapes(NamedTuple):
    """One extracted item and the shape of each of its mentions."""

    digest: Digest
    item: Item
    extraction: CompactExtraction
    shapes: list[MentionShape]
    """The shape of each mention, in the extraction's order (relations index into it); equal
    shapes are one object throughout the corpus, so looking one up is an identity check."""


@dataclass(frozen=True, slots=True)
class _Census:
    """The corpus's mentions by shape: per item, and counted over the whole corpus."""

    items: list[_ItemShapes]
    """Every extracted item, in corpus order."""
    totals: Counter
    """MentionShape -> its mentions in the corpus, in the order shapes first occur in the corpus."""

    @classmethod
    def of(cls, items: list[tuple[Digest, Item]], extractions: Mapping[str, Extraction]) -> _Census:
        found = []
        one: dict[MentionShape, MentionShape] = {}  # the first of each set of equal shapes
        for digest, item, extraction in _extracted(items, extractions):
            if type(extraction) is ItemExtraction:
                extraction = CompactExtraction.of(extraction)
            shapes = extraction.shapes
            found.append(_ItemShapes(digest, item, extraction, list(map(one.setdefault, shapes, shapes))))
        return cls(found, Counter(chain.from_iterable(i.shapes for i in found)))


@dataclass(slots=True)
class Gathered:
    """What the items of some digests say, gathered item by item: which entities each item
    mentions, where each entity is first mentioned, the relations stated with their evidence,
    each entity's mentions, dates and digests. What other digests say is added to it (``add``)
    as if they had been gathered with it."""

    item_mentions: list[ItemMentions] = field(default_factory=list)
    """Sorted by item id."""
    first_sentences: dict[str, EvidenceFields] = field(default_factory=dict)
    """Entity -> the evidence of its first mention."""
    evidence: dict[tuple[str, str, str], list[EvidenceFields]] = field(default_factory=dict)
    """(type, source, target) -> the evidence of each statement of it (relation types not yet checked)."""
    scores: dict[tuple[str, str, str], tuple[str, str | None, str]] = field(default_factory=dict)
    """(type, source, target) -> its first stated score and metric, and the digest (id) stating them."""
    counts: Counter = field(default_factory=Counter)
    first: dict[str, str] = field(default_factory=dict)
    last: dict[str, str] = field(default_factory=dict)
    digests: dict[str, set[str]] = field(default_factory=dict)
    unsorted: set[tuple[str, str, str]] = field(default_factory=set)
    """The statements whose evidence may be out of order or repeat itself (``sort_evidence``):
    a build sorts only those, not the evidence of every relation."""

    def sort_evidence(self) -> None:
        """Sort the evidence of every statement, without repeats: by date, digest, item, then sentence."""
        evidence = self.evidence
        for found in self.unsorted:
            evidence[found] = sorted(set(evidence[found]))
        self.unsorted = set()

    def add(self, other: Gathered, place: dict[str, int]) -> None:
        """Add, in place, what other digests gave (``other`` is left as it is). ``place``: the
        place in the corpus of each digest of both (by id), which decides what comes first."""
        self.item_mentions = sorted([*self.item_mentions, *other.item_mentions], key=_item_id)  # two sorted runs: linear
        first_sentences = self.first_sentences
        for eid, fields in other.first_sentences.items():  # fields[1]: the digest's id
            if eid not in first_sentences or place[fields[1]] < place[first_sentences[eid][1]]:
                first_sentences[eid] = fields
        evidence = self.evidence
        for found, fields in other.evidence.items():
            if found in evidence:
                evidence[found] = [*evidence[found], *fields]
            else:
                evidence[found] = list(fields)
        self.unsorted |= other.evidence.keys()
        scores = self.scores
        for found, score in other.scores.items():
            if found not in scores or place[score[2]] < place[scores[found][2]]:
                scores[found] = score
        self.counts.update(other.counts)
        first, last = self.first, self.last
        for eid, date in other.first.items():
            if eid not in first or date < first[eid]:
                first[eid] = date
        for eid, date in other.last.items():
            if eid not in last or date > last[eid]:
                last[eid] = date
        digests = self.digests
        for eid, ids in other.digests.items():
            digests[eid] = digests[eid] | ids if eid in digests else set(ids)


@dataclass
class Resolution:
    """What resolving some digests left: enough to resolve them again with digests added
    anywhere among them (``Resolver.resolve_keeping``) by gathering only theirs.
    kg.resolve.store keeps it between builds."""

    digests: tuple[tuple[str, str, str], ...]
    """(id, file name, content hash) of each digest, in corpus order."""
    totals: Counter
    """Mention shape -> its mentions."""
    definitions: dict[str, tuple[tuple[str, str, str], ...]]
    """Digest id -> every definition (type, short form, long form) its items give, in order
    (only digests that give one)."""
    entity_of: dict[MentionShape, str]
    """The entity of each shape of ``totals``."""
    gathered: Gathered
    co_mentions: tuple[CoMention, ...]

    def agrees(self, entity_of: dict[MentionShape, str]) -> bool:
        """Whether every shape counted here resolves to the same entity in ``entity_of``."""
        get = entity_of.get
        return all(get(shape) == eid for shape, eid in self.entity_of.items())

    def add(self, other: Resolution, place: dict[str, int]) -> Resolution:
        """This resolution with the digests of ``other`` added, in place (``other`` is left as
        it is); returns it. ``place``: each digest's place in the corpus (by id)."""
        self.digests = tuple(sorted((*self.digests, *other.digests), key=lambda key: place[key[0]]))
        self.totals.update(other.totals)
        self.definitions.update(other.definitions)
        self.entity_of.update(other.entity_of)
        self.gathered.add(other.gathered, place)
        self.co_mentions = _summed(self.co_mentions, other.co_mentions)
        return self


@dataclass(frozen=True)
class Resolved:
    """A graph, with what resolving its digests left for the next build."""

    graph: KnowledgeGraph
    kept: Resolution
    """For the whole corpus."""
    added: Resolution | None
    """For the digests added to the resolution given (None: the whole corpus was resolved)."""


def forget_names() -> None:
    """Empty the caches of names that extraction and resolution fill: they hold a corpus's
    names (290,000 entries at 100x a corpus whose names vary), which nothing needs once the
    graph is resolved, and a build's writers would have that memory."""
    clear_caches()
    parse_model_name.cache_clear()


def digest_keys(digests: Sequence[Digest]) -> list[tuple[str, str, str]]:
    """What says that two builds read the same digest: its id, file name and bytes (SHA-256)."""
    return [(d.id, d.file_name, d.content_hash) for d in digests]


def digest_places(keys: Iterable[tuple[str, str, str]]) -> dict[str, int]:
    """Digest id -> its place among ``keys`` (a corpus's, in order): what ``Resolution.add`` takes."""
    return {key[0]: i for i, key in enumerate(keys)}


def _added_digests(
    previous: Resolution | None, keys: list[tuple[str, str, str]], digests: Sequence[Digest], extractions: Mapping[str, Extraction]
) -> list[Digest] | None:
    """The digests that ``previous`` was not made from, when ``digests`` hold every digest it
    was made from (the same ids, file names and bytes, in the same order) and every extraction
    is of an item of ``digests``, in their order (as a build gives them); else None."""
    if previous is None:
        return None
    resolved = set(previous.digests)
    if [key for key in keys if key in resolved] != list(previous.digests):  # one was changed or deleted
        return None
    items = [item.id for d in digests for item in d.items if item.id in extractions]
    if len(items) != len(extractions) or items != list(extractions):
        return None
    return [d for d, key in zip(digests, keys) if key not in resolved]


def _in_order(digests: Iterable[tuple[str, str, str]], definitions: dict[str, tuple]) -> list[tuple[str, str, str]]:
    """The definitions of ``digests`` (keys, in corpus order), in corpus order."""
    get = definitions.get
    return [d for key in digests for d in get(key[0], ())]


def _definitions(digests: Iterable[Digest], extractions: Mapping[str, Extraction]) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Digest id -> the definitions its extracted items give, in order (digests that give one)."""
    found = {}
    for d in digests:
        given = tuple(_definition_of(a) for item in d.items if item.id in extractions for a in extractions[item.id].aliases)
        if given:
            found[d.id] = given
    return found


def _continued(totals: Counter, added: Counter) -> Counter:
    """``totals`` with the shapes counted in added digests."""
    merged = Counter(totals)
    merged.update(added)
    return merged


def _summed(co_mentions: tuple[CoMention, ...], more: tuple[CoMention, ...]) -> tuple[CoMention, ...]:
    """Two sets of co-mention links, each sorted by (source, target), as one: the weights of a
    pair in both summed. Linear: sorting the two runs together merges them (timsort finds the
    runs), and puts a pair's two links side by side. (Placing each added link by binary search
    and inserting it was quadratic: 10 s to add 100,000 links to 300,000, now 0.2 s.)"""
    if not more:
        return co_mentions
    merged = sorted((*co_mentions, *more), key=_PAIR)
    summed = [merged[0]]
    for link in islice(merged, 1, None):
        last = summed[-1]
        if link.source == last.source and link.target == last.target:
            summed[-1] = CoMention(link.source, link.target, last.weight + link.weight)
        else:
            summed.append(link)
    return tuple(summed)


_PAIR = attrgetter("source", "target")


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
        self._model_names: dict[str, ModelName | None] = {}  # keys, names and families parse each name again

    # -- keys --------------------------------------------------------------------------------

    def model_name(self, surface: str) -> ModelName | None:
        """The parsed model name with its series spelled as the gazetteer spells it.

        A Chinese family name takes its curated English name first: 混元 2.0 is Hunyuan 2.0.
        """
        if surface not in self._model_names:
            self._model_names[surface] = self._parse_model_name(surface)
        return self._model_names[surface]

    def _in_english(self, surface: str) -> str:
        """The name with a curated Chinese family name spelled in English: 盘古Pro MoE is Pangu Pro MoE."""
        zh = _ZH_SERIES.match(surface)
        if zh:
            entry = self.gazetteer.lookup(zh.group(1), "Model")
            if entry is not None:
                return f"{entry.name} {surface[zh.end(1):].strip()}"
        return surface

    def _parse_model_name(self, surface: str) -> ModelName | None:
        name = parse_model_name(self._in_english(surface))
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
            surface = self._in_english(surface)
        if type_ == "Paper":
            return ("Paper", f"arxiv:{arxiv_id}") if arxiv_id else ("Paper", match_key(surface))
        return (type_, identity_key(normalize_text(surface)))

    def type_of(self, key: Key) -> str:
        return self.gazetteer.by_id[key[1]].type if key[0] == "gaz" else key[0]

    # -- the whole stage -----------------------------------------------------------------------

    def resolve(self, digests: Sequence[Digest], extractions: Mapping[str, Extraction]) -> KnowledgeGraph:
        return self.resolve_keeping(digests, extractions).graph

    def resolve_keeping(self, digests: Sequence[Digest], extractions: Mapping[str, Extraction], previous: Resolution | None = None) -> Resolved:
        """The graph, with what resolving it left for the next build.

        ``previous``: what resolving some digests left (a Resolved's ``kept``). When ``digests``
        hold all of them (the same ids, file names and bytes, in the same order) and every name
        their digests wrote still resolves to the same entity, only the items of the other
        digests are gathered, and added to ``previous``, which is changed in place; otherwise
        every item is gathered again. The graph is the same either way.
        """
        keys = digest_keys(digests)
        added = _added_digests(previous, keys, digests, extractions)
        if previous is None or added is None:
            previous, added = None, list(digests)
        definitions = _definitions(added, extractions)
        census = _Census.of([(d, item) for d in added for item in d.items], extractions)
        if previous is None:
            entities, family_links, entity_of = self._entities_of(census.totals, _in_order(keys, definitions))
        else:
            every_definition = _in_order(keys, {**previous.definitions, **definitions})
            entities, family_links, entity_of = self._entities_of(_continued(previous.totals, census.totals), every_definition)
            if not previous.agrees(entity_of):  # a name the earlier digests wrote now resolves to another entity
                return self.resolve_keeping(digests, extractions)
        gathered = Gathered()
        self._gather(gathered, census, entity_of)
        new = Resolution(
            tuple(digest_keys(added)),
            census.totals,
            definitions,
            entity_of if previous is None else {shape: entity_of[shape] for shape in census.totals},
            gathered,
            co_mentions_of(gathered.item_mentions),
        )
        kept = new if previous is None else previous.add(new, digest_places(keys))
        everything = kept.gathered
        graph = KnowledgeGraph(
            digests=tuple(sorted(digests, key=lambda d: d.id)),
            entities=tuple(sorted(_with_stats(entities, everything).values(), key=lambda e: e.id)),
            relations=self._relations(everything, entities, family_links),
            co_mentions=kept.co_mentions,
            item_mentions=tuple(everything.item_mentions),
        )
        return Resolved(graph, kept, None if previous is None else new)

    def _entities_of(self, totals: Counter, aliases: list[tuple[str, str, str]]) -> tuple[dict[str, Entity], list[tuple[str, str]], dict[MentionShape, str]]:
        """The corpus's entities (without their statistics), its model family links, and the
        entity of every mention shape, from the shapes counted in the corpus and its definitions
        (type, short form, long form) in corpus order."""
        settled = _settled_types(totals)
        for _, short, long in aliases:  # a definition's forms follow its short form's type
            t = settled.get(identity_key(short))
            if t is not None:
                settled.setdefault(identity_key(long), t)
        uf = _UnionFind()
        key_of_shape = self._keys_of_shapes(totals, settled, uf)
        self._link_definitions(
            uf,
            (
                (settled.get(identity_key(short), type_) if settled else type_, short, long)
                # each distinct definition once: linking one twice changes nothing
                for type_, short, long in dict.fromkeys(aliases)
            ),
        )
        clusters = self._clusters(uf, totals, key_of_shape)
        entities, entity_of_root = self._entities(clusters)
        entities, family_links = self._model_families(entities)
        entity_of = {shape: entity_of_root[uf.find(key)] for shape, key in key_of_shape.items()}
        return entities, family_links, entity_of

    def _keys_of_shapes(self, totals: Counter, settled: dict[str, str], uf: _UnionFind) -> dict[MentionShape, Key]:
        """The identity key of every shape (each added to ``uf``), with each paper known by its
        arXiv id joined to its title."""
        keys: dict[MentionShape, Key] = {}
        key_cache: dict[tuple, Key] = {}  # shapes differing only in their source share a key
        for shape in totals:
            type_, surface, gazetteer_id, arxiv_id, _ = shape
            how = shape[:4]
            key = key_cache.get(how)
            if key is None:
                settled_type = type_ if gazetteer_id else settled.get(identity_key(surface), type_)
                key = key_cache[how] = self.key_of(settled_type, surface, gazetteer_id, arxiv_id)
            uf.add(key)
            keys[shape] = key
            if type_ == "Paper" and arxiv_id and not surface.startswith(arxiv_id):
                title_key = ("Paper", match_key(surface))
                uf.add(title_key)
                uf.union(key, title_key)
        return keys

    def _link_definitions(self, uf: _UnionFind, definitions: Iterable[tuple[str, str, str]]) -> None:
        """Union the forms a definition (type, short form, long form) equates; an acronym
        defined two ways stays apart.

        Long forms given together (``高斯差分隐私 (Gaussian Differential Privacy, GDP)``) are one
        thing outright. An acronym joins its long form only when every definition of it in
        the corpus agrees (after that first union), or when the acronym is curated.
        """
        acronym_links: dict[Key, set[Key]] = defaultdict(set)
        for type_, short_form, long_form in definitions:
            short = self.key_of(type_, short_form)
            long = self.key_of(type_, long_form)
            if self.type_of(short) != self.type_of(long) or short == long:
                continue
            if short[0] == "gaz" and long[0] == "gaz":
                continue  # two curated entities: a bracket in the text is not proof enough
            uf.add(short)
            uf.add(long)
            if _is_acronym(short_form) or is_short_model_form(short_form):
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

    def _clusters(self, uf: _UnionFind, totals: Counter, key_of_shape: dict[MentionShape, Key]) -> dict[Key, dict]:
        """Root key -> the cluster's keys, surfaces and arXiv ids, each counted in mentions."""
        clusters: dict[Key, dict] = {}
        for shape, n in totals.items():
            key = key_of_shape[shape]
            root = uf.find(key)
            c = clusters.get(root)
            if c is None:
                c = clusters[root] = {"keys": set(), "surfaces": Counter(), "arxiv": Counter()}
            c["keys"].add(key)
            c["surfaces"][shape[1].strip()] += n
            if shape[3]:
                c["arxiv"][shape[3]] += n
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
            # the most mentioned id; of two as often, the earlier (the lower number)
            arxiv = min(c["arxiv"], key=lambda a: (-c["arxiv"][a], a)) if c["arxiv"] else None
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
            # a short form ("ER 1.5") names the model only beside its full name (Gemini Robotics-ER 1.5)
            names = Counter({s: n for s, n in names.items() if not is_short_model_form(s)}) or names
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
        queue = deque(sorted(e.id for e in entities.values() if e.type == "Model"))
        while queue:
            entity_id = queue.popleft()
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

    def _gather(self, gathered: Gathered, census: _Census, entity_of: dict[MentionShape, str]) -> None:
        """Fill an empty ``gathered`` with what the items of ``census`` say."""
        resolved = {shape: (entity_of[shape], shape[1].strip()) for shape in census.totals}
        first_seen: dict[str, tuple[_ItemShapes, MentionShape]] = {}
        item_mentions = gathered.item_mentions
        for shaped in census.items:
            counts: dict[str, int] = {}
            surfaces: dict[str, set[str]] = {}
            for shape in shaped.shapes:
                eid, surface = resolved[shape]
                if eid in counts:
                    counts[eid] += 1
                    surfaces[eid].add(surface)
                else:
                    counts[eid] = 1
                    surfaces[eid] = {surface}
                    if eid not in first_seen:
                        first_seen[eid] = (shaped, shape)
            ids = sorted(counts)
            item_mentions.append(
                ItemMentions(
                    shaped.item.id,
                    tuple(ids),
                    tuple([tuple(sorted(surfaces[i])) for i in ids]),
                    tuple([counts[i] for i in ids]),
                )
            )
        gathered.first_sentences = {eid: _first_sentence(*where) for eid, where in first_seen.items()}
        evidence_of: dict[tuple[str, str, str], list[EvidenceFields]] = defaultdict(list)
        scores = gathered.scores
        for digest, item, extraction, shapes in census.items:
            if not extraction.relations:
                continue
            date = item.date or digest.date
            for r in extraction.relations:
                found = (r.type, entity_of[shapes[r.source]], entity_of[shapes[r.target]])
                evidence_of[found].append((date or "", digest.id, item.id, r.sentence, digest.file_name, date))
                if r.score and found not in scores:
                    scores[found] = (r.score, r.metric, digest.id)
        gathered.evidence = evidence_of
        gathered.unsorted = set(evidence_of)
        counts_of, first, last = gathered.counts, gathered.first, gathered.last
        digests: dict[str, set[str]] = defaultdict(set)
        for (digest, item, *_), mentioned in zip(census.items, item_mentions):
            date = item.date or digest.date
            for eid, n in zip(mentioned.entity_ids, mentioned.counts):
                counts_of[eid] += n
                digests[eid].add(digest.id)
                if date:
                    if eid not in first or date < first[eid]:
                        first[eid] = date
                    if eid not in last or date > last[eid]:
                        last[eid] = date
        gathered.digests = digests
        item_mentions.sort(key=_item_id)

    def _relations(self, gathered: Gathered, entities: dict[str, Entity], family_links: list[tuple[str, str]]) -> tuple[Relation, ...]:
        gathered.sort_evidence()
        evidence_of: dict[tuple[str, str, str], list[EvidenceFields]] = {}
        for found, evidence in gathered.evidence.items():
            type_, source, target = found
            sources, targets = RELATION_SIGNATURES[type_]
            if source != target and entities[source].type in sources and entities[target].type in targets:
                evidence_of[found] = evidence
        variants_of: dict[str, list[str]] = defaultdict(list)
        for variant, family in family_links:
            variants_of[family].append(variant)
        first_sentence = gathered.first_sentences
        for variant, family in family_links:
            if ("variantOf", family, variant) in evidence_of:
                continue  # a text says the family's model was built from this one (V3.2 from V3.2-Exp): no cycle
            evidence = _first_evidence(variant, first_sentence, variants_of)
            key = ("variantOf", variant, family)
            evidence_of[key] = sorted({*evidence_of.get(key, ()), *([evidence] if evidence else [])})
        relations = []
        scores = gathered.scores
        made: dict[EvidenceFields, Evidence] = {}  # one sentence is often evidence of several relations
        for found, evidence in sorted(evidence_of.items()):
            kept = []
            for fields in evidence:  # sorted: date, digest, item, then sentence
                e = made.get(fields)
                if e is None:
                    _, digest_id, item_id, sentence, file_name, date = fields
                    e = made[fields] = Evidence(sentence, item_id, digest_id, file_name, date)
                kept.append(e)
            score = scores.get(found)
            relations.append(Relation(*found, tuple(kept), *(score[:2] if score else (None, None))))
        return tuple(relations)


def _with_stats(entities: dict[str, Entity], gathered: Gathered) -> dict[str, Entity]:
    counts, first, last, digests = gathered.counts, gathered.first, gathered.last, gathered.digests
    out = {}
    for eid, e in entities.items():
        out[eid] = dataclasses.replace(
            e,
            mention_count=counts[eid],
            first_seen=first.get(eid),
            last_seen=last.get(eid),
            digests=tuple(sorted(digests.get(eid, ()))),
            implied=e.implied and counts[eid] == 0,
        )
    return out


TYPE_EVIDENCE = {
    "header-org": 3, "affiliation": 3, "from-team": 3, "named-as": 3,
    "def-zh-en-acr": 2, "def-acr-long": 2, "def-long-acr": 2, "def-long-acr-zh": 2, "model-shape": 2,
    "bench-shape": 2, "bench-variant": 2, "bench-edition": 2, "org-shape": 2, "tech-shape": 2, "family-version": 2,
    "zh-org": 2, "list": 2, "cue": 2, "paper-short-name": 2,
}
"""How much a rule's type is worth when one name was typed two ways: an item's structure or an
appositive (名为 X 的模型) states it, a shape, a list, an adjacent cue, an English long form or
the paper title it opens ("X: …") shows it; a Chinese gloss or a cue word anywhere in the
clause (1, the default) only suggests it."""


def settle_types(mentions_per_item: Iterable[Iterable[Mention]]) -> dict[str, str]:
    """One type per name the rules typed more than one way across the corpus (identity key ->
    type): the type with the strongest evidence, then the most mentions.

    The rules type a name from its context, and contexts differ (``SeaS 框架`` here, ``模型 SeaS``
    there); one name in one corpus is one thing. Curated names and papers keep their types.
    """
    return _settled_types(Counter(mention_shape(m) for mentions in mentions_per_item for m in mentions))


def _settled_types(shapes: Counter) -> dict[str, str]:
    """``settle_types`` of the mentions counted by shape."""
    votes: dict[str, Counter] = {}
    for (type_, surface, gazetteer_id, _, source), n in shapes.items():
        if gazetteer_id or type_ == "Paper":
            continue
        key = identity_key(surface)
        votes.setdefault(key, Counter())[type_, TYPE_EVIDENCE.get(source, 1)] += n
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


def _first_evidence(entity: str, first_sentence: dict[str, EvidenceFields], variants_of: dict[str, list[str]]) -> EvidenceFields | None:
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


def _extracted(items: list, extractions: Mapping[str, Extraction]):
    """(digest, item, extraction) for every item that was extracted, in corpus order."""
    for digest, item in items:
        extraction = extractions.get(item.id)
        if extraction is not None:
            yield digest, item, extraction


def _is_acronym(surface: str) -> bool:
    return " " not in surface.strip() and not has_cjk(surface) and sum(c.isupper() for c in surface) >= 2


def _first_sentence(shaped: _ItemShapes, shape: MentionShape) -> EvidenceFields:
    """The evidence of the first mention of ``shape`` in an item."""
    digest, item, extraction, shapes = shaped
    sentence = extraction.sentences[shapes.index(shape)]
    date = item.date or digest.date
    return (date or "", digest.id, item.id, sentence, digest.file_name, date)


def _entity_id(type_: str, name: str, taken: dict[str, Entity]) -> str:
    """``<type>/<percent-encoded name>``: readable, IRI-safe, and distinct names never collide."""
    base = f"{type_.lower()}/{quote(name, safe='')}"
    entity_id, n = base, 2
    while entity_id in taken:
        entity_id, n = f"{base}~{n}", n + 1
    return entity_id
