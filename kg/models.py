"""The plain data that flows through the pipeline: Digest -> Item -> Mention -> Entity/Relation.

Every object is a small frozen dataclass so stages cannot change each other's data, and every
collection is a tuple so objects hash and compare by value (which keeps builds deterministic).
The kinds a build makes by the tens of thousands (RelationMention, Evidence, CoMention) are
named tuples instead: as immutable, and made in half the time or less.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

ENTITY_TYPES: tuple[str, ...] = ("Organization", "Model", "Paper", "Benchmark", "Technique")
"""The five entity types of the annotation guidelines, in their canonical order."""

RELATION_TYPES: tuple[str, ...] = (
    "developedBy",
    "affiliatedWith",
    "evaluatedOn",
    "proposes",
    "uses",
    "variantOf",
)
"""Typed relations between entities. Item-to-entity ``mentions`` and co-mentions are separate."""

RELATION_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "developedBy": (frozenset({"Model"}), frozenset({"Organization"})),
    "affiliatedWith": (frozenset({"Paper"}), frozenset({"Organization"})),
    "evaluatedOn": (frozenset({"Model"}), frozenset({"Benchmark"})),
    "proposes": (frozenset({"Paper"}), frozenset({"Technique", "Model", "Benchmark"})),
    "uses": (frozenset({"Model", "Paper"}), frozenset({"Technique"})),
    "variantOf": (frozenset({"Model"}), frozenset({"Model"})),
}
"""Allowed (source types, target types) per relation type."""


@dataclass(frozen=True, slots=True)
class Item:
    """One news story, paper or article inside a digest."""

    id: str
    """Stable id: ``<digest id>/<index>``."""
    index: int
    """1-based position in the digest."""
    title: str
    """The item's heading or first line, as plain text ("" when it has none)."""
    text: str
    """The item's body as plain text (HTML stripped, Markdown kept readable), title excluded."""
    line: int
    """1-based line in the source file where the item starts."""
    date: str | None = None
    """ISO date (YYYY-MM-DD) stated for the item, else None."""
    links: tuple[str, ...] = ()
    """Every http(s) URL in the item, in order of first appearance, unique."""
    arxiv_ids: tuple[str, ...] = ()
    """arXiv ids (e.g. ``2507.22920``), without version suffix, unique."""
    github_repos: tuple[str, ...] = ()
    """``owner/name`` of linked GitHub repositories, unique."""
    hf_paper_ids: tuple[str, ...] = ()
    """Ids of Hugging Face paper pages (``huggingface.co/papers/<id>``), unique."""
    tags: tuple[str, ...] = ()
    """Tags stated for the item (``[统计学]``, ``标签:`` lines) and its section heading."""

    @property
    def full_text(self) -> str:
        """Title and body as one string; mention offsets index into this."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


@dataclass(frozen=True, slots=True)
class Digest:
    """One digest file, split into items."""

    id: str
    """Stable id derived from the file's path relative to its input root (a slug)."""
    path: str
    """The path the file was read from, as given on the command line (POSIX separators)."""
    file_name: str
    """The file's base name."""
    title: str
    """The digest's title (first heading or front matter), else the file's stem."""
    date: str | None
    """ISO date of the digest (title, front matter, file name, then content), else None."""
    encoding: str
    """The encoding the file was decoded with (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``)."""
    layout: str
    """Name of the splitting strategy that produced the items (for diagnostics)."""
    items: tuple[Item, ...]
    content_hash: str
    """SHA-256 of the raw bytes (for caching and provenance)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity name in an item's ``full_text``."""

    item_id: str
    start: int
    end: int
    surface: str
    """The text as written between ``start`` and ``end``."""
    type: str
    """One of ENTITY_TYPES."""
    source: str
    """Which rule found it (``gazetteer``, ``model-pattern``, ``acronym``, ``cue``, ...)."""
    gazetteer_id: str | None = None
    """Id of the curated gazetteer entry when the gazetteer matched it."""
    sentence: str = ""
    """The sentence containing the mention (evidence)."""
    arxiv_id: str | None = None
    """For papers: the arXiv id stated next to the title, when known."""


@dataclass(frozen=True, slots=True)
class AliasLink:
    """Two surface forms the text itself says are the same thing (``SAC (Soft Actor-Critic)``)."""

    item_id: str
    type: str
    short: str
    """The acronym or short form."""
    long: str
    """The long form (English or Chinese)."""


class RelationMention(NamedTuple):
    """A typed relation stated by one sentence, between two mentions of one item.

    A named tuple rather than a frozen dataclass like the others: the cache decodes tens of
    thousands at a time for every build, and a tuple is made in a third of the time."""

    type: str
    source: int
    """Index of the source mention in the item's mention list."""
    target: int
    """Index of the target mention in the item's mention list."""
    item_id: str
    sentence: str
    score: str | None = None
    """For evaluatedOn: the stated score, as written (``74.2``, ``74.2%``)."""
    metric: str | None = None
    """For evaluatedOn: the stated metric (``pass@1``, ``accuracy``), when stated."""


@dataclass(frozen=True, slots=True)
class ItemExtraction:
    """Everything the extractor found in one item."""

    item_id: str
    mentions: tuple[Mention, ...]
    aliases: tuple[AliasLink, ...] = ()
    relations: tuple[RelationMention, ...] = ()


MentionShape = tuple[str, str, str | None, str | None, str]
"""(type, surface, gazetteer id, arXiv id, source): all that resolution reads of a mention but
its sentence (not where it is)."""

mention_shape = attrgetter("type", "surface", "gazetteer_id", "arxiv_id", "source")
"""The MentionShape of a Mention."""


@dataclass(frozen=True, slots=True)
class CompactExtraction:
    """An ItemExtraction reduced to what resolution reads, which is what the cache keeps and
    what worker processes send back: each mention's shape and sentence, not its place."""

    item_id: str
    shapes: tuple[MentionShape, ...]
    """The shape of each mention, in the extraction's order (relations index into it)."""
    sentences: tuple[str, ...]
    """The sentence of each mention, in the same order."""
    aliases: tuple[AliasLink, ...] = ()
    relations: tuple[RelationMention, ...] = ()

    @classmethod
    def of(cls, extraction: ItemExtraction) -> CompactExtraction:
        mentions = extraction.mentions
        return cls(
            extraction.item_id,
            tuple(map(mention_shape, mentions)),
            tuple([m.sentence for m in mentions]),
            extraction.aliases,
            extraction.relations,
        )


class Evidence(NamedTuple):
    """Where a relation (or mention) was read: the sentence, its item, its digest and date.

    A named tuple, like RelationMention and CoMention: a build makes one per distinct
    sentence of every relation (about 30,000 for 1,000 digests)."""

    sentence: str
    item_id: str
    digest_id: str
    file_name: str
    date: str | None


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing, after resolving every mention across all digests."""

    id: str
    """Stable id: ``<type in lower case>/<slug of the canonical name>``; the IRI path."""
    type: str
    name: str
    """Canonical name (English where known, the version as written)."""
    aliases: tuple[str, ...] = ()
    """Every other surface form seen, sorted."""
    wikidata: str | None = None
    arxiv_id: str | None = None
    mention_count: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    digests: tuple[str, ...] = ()
    """Ids of the digests that mention it, sorted."""
    implied: bool = False
    """True for a model family created from a variant's name but never mentioned on its own."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two entities, with every piece of evidence for it."""

    type: str
    source: str
    """Entity id."""
    target: str
    """Entity id."""
    evidence: tuple[Evidence, ...] = ()
    score: str | None = None
    metric: str | None = None


class CoMention(NamedTuple):
    """Two entities mentioned in the same item: a weighted, untyped link (never a typed relation).

    A named tuple: there are ten times as many as entities (kg.resolve.comentions)."""

    source: str
    target: str
    weight: int
    """Number of items that mention both. Which items they are is not kept: it is what the items'
    ``mentions`` links say, and a list per pair would grow with the square of each item's
    mentions (it was more than half of the Neo4j bundle and a third of graph.json)."""


@dataclass(frozen=True, slots=True)
class ItemMentions:
    """Which entities one item mentions (resolved), for provenance."""

    item_id: str
    entity_ids: tuple[str, ...]
    """Sorted entity ids."""
    surfaces: tuple[tuple[str, ...], ...] = ()
    """For each entity id (same order): the surface forms this item used for it, sorted."""
    counts: tuple[int, ...] = ()
    """For each entity id (same order): how many times this item mentions it."""


@dataclass(frozen=True, slots=True)
class KnowledgeGraph:
    """The result of a build: everything the exports need."""

    digests: tuple[Digest, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    co_mentions: tuple[CoMention, ...]
    item_mentions: tuple[ItemMentions, ...]
    warnings: tuple[str, ...] = field(default=())
