"""RDF export: the KnowledgeGraph as triples in kg's ontology, written as Turtle.

The contract other tools rely on (see ``ontology/kg.ttl``):

    <id/model/GPT-4o> a kg:Model ; rdfs:label "GPT-4o" ; skos:altLabel "gpt-4o" ;
        kg:developedBy <id/organization/OpenAI> .
    ?item kg:mentions ?entity ; kg:partOf ?digest .   ?digest kg:fileName "2026-03-02.md" .

Each typed relation is a direct triple, and an n-ary statement node carries its evidence:

    <id/statement/…> a kg:RelationStatement ; rdf:subject ?s ; rdf:predicate kg:developedBy ;
        rdf:object ?o ; kg:score "73.4%" ; kg:evidence <id/evidence/…> .
    <id/evidence/…> a kg:Evidence ; kg:sentence "…" ; kg:item ?item ; kg:digest ?digest ;
        kg:date "2026-03-02"^^xsd:date .

Triples are generated in sorted order, each subject's block written as Turtle directly: how
Turtle writes each predicate, class and datatype is taken from pyoxigraph once, and a literal's
text is the one pyoxigraph gives N-Triples, so the bytes are pyoxigraph's Turtle of the same
triples (``to_turtle``, which the tests hold them to), without parsing and serializing every
triple again (a third of the export's time). The same graph gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, groupby, islice, repeat
from operator import attrgetter, eq, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyoxigraph as ox

from kg.export.files import open_atomic, paused_gc
from kg.export.merge import Chunk, Inconsistent, OldFile, SortedIndex, Written, write_sorted
from kg.export.scopes import NO_SCOPE, Selection, export_keys, whole
from kg.export.store import ExportRecords, write_reusing
from kg.memo import Memo
from kg.models import CoMention, Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation

log = logging.getLogger(__name__)

KG = "https://w3id.org/ai-digest-kg/ontology#"
ID = "https://w3id.org/ai-digest-kg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
WD = "http://www.wikidata.org/entity/"

PREFIXES = {
    "kg": KG,
    "kgid": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "prov": PROV,
    "wd": WD,
}

SERIALIZATION_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "kgid"}
"""Prefixes written into files: ids contain "/", which a prefixed name could only escape."""

_RDF_TYPE = RDF + "type"


def _hash(*parts: str) -> str:
    """64 bits of the SHA-1 of ``parts`` joined by U+001F, in hex: the name of a statement or a
    co-mention link after its segment."""
    return f"{_hash_number(*parts):016x}"


def _hash_number(*parts: str) -> int:
    """``_hash(*parts)`` as an int (co-mention links are sorted by it in an array)."""
    return int.from_bytes(hashlib.sha1("\x1f".join(parts).encode("utf-8")).digest()[:8], "big")


_DIGESTS, _ITEMS = "digest/", "item/"
"""Where digests' and items' IRIs are under ID (an entity's is its id: ``model/…``)."""


def entity_iri(entity_id: str) -> str:
    return ID + entity_id


def digest_iri(digest_id: str) -> str:
    return ID + _DIGESTS + digest_id


def item_iri(item_id: str) -> str:
    return ID + _ITEMS + item_id


def to_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    """Every triple of the export, grouped by subject, subjects in sorted order."""
    return list(iter_triples(kg))


def iter_triples(kg: KnowledgeGraph) -> Iterator[ox.Triple]:
    """``to_triples``, streamed: a few thousand subjects' triples are held at a time."""
    return map(attrgetter("triple"), _parsed(kg))


def to_turtle(kg: KnowledgeGraph) -> bytes:
    """The whole Turtle export in one piece (what ``write_turtle`` writes, made another way)."""
    return ox.serialize(_parsed(kg), format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)


def write_turtle(kg: KnowledgeGraph, path: Path, records: ExportRecords | None = None) -> None:
    """Write the Turtle export of ``kg`` to ``path`` (atomically).

    The file is the prefixes, then one block per subject in the order of the subjects' IRIs;
    a block's bytes depend on its subject's triples alone. With ``records`` (kg.export.store),
    the blocks of scopes unchanged since the previous build are copied from the old file and
    only the others are written, then the new records are stored; without, every block is
    written (the same path, with nothing to copy). A graph that cannot be cut into scopes
    (kg.export.scopes) is serialized by pyoxigraph in one stream.
    """
    keys = records.keys if records is not None else export_keys(kg)
    if keys is None:
        _write_whole(kg, path)
        return
    reuse = records.reuse(kg) if records is not None else None
    previous = None
    if reuse is not None and reuse.kept:
        old_index = SortedIndex.unpack(records.old_index())  # type: ignore[union-attr]
        old = OldFile.open(path, old_index.stamp) if old_index is not None else None
        if old is None:
            log.info("%s: not the file the export store describes; serialized whole", path)
        else:
            previous = (old, old_index)

    def write(attempt: tuple[OldFile, SortedIndex] | None) -> SortedIndex:
        if attempt is not None:
            selection, kept = reuse.fresh, reuse.kept  # type: ignore[union-attr]
            evidence = [_evidence_ids(r) for _, r in selection.relations]
            revived, skip = _revived(evidence, attempt[1])
        else:
            selection, kept, evidence, revived, skip = whole(kg, keys), frozenset(), None, [], set()
        batches = _subject_batches(kg, selection, evidence, skip, turtle=True)
        with open_atomic(path) as handle, paused_gc():
            return write_sorted(Written(handle), _header(), _turtle_chunks(batches), attempt, kept, also_kept=revived, head_alone=False, tags=True)

    if write_reusing(path, previous, write, records, SortedIndex.pack) is None:
        _write_whole(kg, path)


def _revived(evidence: list[list[tuple[str, Any]]], old: SortedIndex) -> tuple[list[int], set[str]]:
    """The old evidence blocks still right among the evidence of relations made afresh: where
    each is in ``old``, and its key. An evidence block is made from its relation's type, source
    and target and from its evidence: ``_evidence_ids`` gives it a tag that says all of it."""
    if old.tags is None:
        return [], set()
    revived, skip = [], set()
    keys, tags = old.keys.as_list(), old.tags
    n = len(keys)
    for ids in evidence:
        once = Counter(key for key, _ in ids)
        for key, tag in ids:
            i = bisect_left(keys, key)
            if i < n and keys[i] == key and tags[i] == tag and once[key] == 1:
                revived.append(i)
                skip.add(key)
    return revived, skip


def _write_whole(kg: KnowledgeGraph, path: Path) -> None:
    """``to_turtle(kg)`` written to ``path`` (atomically), streamed from the triples as they come."""
    with open_atomic(path) as handle, paused_gc():
        ox.serialize(_parsed(kg), handle, format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)


@functools.cache
def _header() -> bytes:
    """The prefix lines pyoxigraph writes before the first triple."""
    subject = "urn:kg:header"
    written = ox.serialize([ox.Triple(ox.NamedNode(subject), ox.NamedNode(subject), ox.NamedNode(subject))], format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)
    return written[: written.index(b"<" + subject.encode())]


def _turtle_chunks(batches: Iterable[_Batch]) -> Iterator[Chunk]:
    """Each batch of subjects' Turtle blocks (``_subject_batches(..., turtle=True)``) as a Chunk."""
    for batch in batches:
        encoded = [block.encode("utf-8") for block in batch.pieces]
        yield Chunk(batch.keys, batch.scopes, list(map(len, encoded)), b"".join(encoded), batch.tags)


def _parsed(kg: KnowledgeGraph, batch: int = 6_000) -> Iterator[ox.Quad]:
    """The triples of ``ntriples(kg)`` as pyoxigraph reads them, ``batch`` pieces of text at a time.

    pyoxigraph's parser makes the terms in Rust: making them one by one from Python was most
    of the export's time (a Triple with a literal object alone costs about 1.5 µs). Parsing is
    lenient (it skips IRI checks) because every IRI made from data was checked by pyoxigraph
    once, when first written (``_iris``); the others are constants and hex digests.
    """
    chunks = _joined(ntriples(kg), batch)
    return chain.from_iterable(ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES, lenient=True) for chunk in chunks)


def _joined(pieces: Iterable[str], batch: int) -> Iterator[str]:
    """``pieces`` joined ``batch`` at a time: text for the parser, never the whole export at once."""
    pieces = iter(pieces)
    while chunk := "".join(islice(pieces, batch)):
        yield chunk


def ntriples(kg: KnowledgeGraph) -> Iterator[str]:
    """The export as N-Triples text, in pieces, in the order it is written: by subject, then
    rdf:type first, then by predicate IRI, then by the object as N-Triples writes it; no line
    twice. The text is what pyoxigraph writes for these triples, byte for byte.
    """
    for batch in _subject_batches(kg, whole(kg)):
        yield from batch.pieces


class _Batch(NamedTuple):
    """Subjects in the order they are written: each one's key and scope, and its N-Triples
    text in three pieces (which the caller joins with others: copying them into one here as
    well took time), or its Turtle block."""

    keys: list[str]
    scopes: list[str]
    pieces: list[str]
    tags: list[Any] | None


# A subject's *key* is its IRI after ID (every subject's IRI starts with it, so keys sort as the
# IRIs do): the parts hold subjects by key, the index keeps the same string, and only the block
# written puts ID before it. Full IRIs held as well took 0.1 GB at 100x a corpus whose names vary.


def _subject_batches(
    kg: KnowledgeGraph,
    selection: Selection,
    evidence: list[list[tuple[str, Any]]] | None = None,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
    size: int = 2_000,
    turtle: bool = False,
) -> Iterator[_Batch]:
    """The N-Triples (with ``turtle``, the Turtle blocks) of the digests, relations, co-mentions
    and entities of ``selection`` (with ``evidence``, each relation's ``_evidence_ids`` when
    known; but no block for the evidence in ``skip``), ``size`` subjects a batch.

    Subjects sort by the first segment of their path (``benchmark/``, ``comention/``,
    ``digest/``, ``evidence/``, ``item/``, ``model/`` …), so each segment's subjects are
    collected, sorted and written on their own. Only what a subject's triples are made from
    (an entity, its relations and co-mentions; a relation's statement; a co-mention link; an
    evidence) is held for a whole part, and the triples are made a batch of subjects at a time: made all at once, the
    evidence's took 0.8 GB at 100x the benchmark corpus, and the co-mentions' and the entities'
    about 0.9 GB at 30x a corpus whose names vary from copy to copy.
    """
    nodes = _Nodes(kg, selection, evidence, skip)
    entity_parts: dict[str, _Subjects] = defaultdict(lambda: defaultdict(list))
    subject_of: dict[str, list[Any]] = {}

    def entity_subject(entity_id: str) -> list[Any]:
        found = subject_of.get(entity_id)
        if found is None:
            nodes.entities[entity_id]  # checks the IRI
            found = subject_of[entity_id] = entity_parts[_segment(entity_id)][entity_id]  # an entity's key is its id
        return found

    scope_of: dict[str, str] = {}
    tag_of: dict[str, Any] = {}
    made_entities = _entity_triples(kg, selection, nodes, entity_subject, scope_of)  # entities, and the relation and co-mention links between them
    parts = {
        "digest": _digest_triples,
        "evidence": _evidence_triples,
        "item": _item_triples,
        "statement": _statement_triples,
    }
    for segment in sorted({"comention", *parts, *entity_parts}):
        if segment == "comention":
            subjects, made = _comention_subjects(selection, nodes)
        else:
            by_subject = entity_parts.pop(segment, None) or defaultdict(list)
            # an entity's segment is its type's (model/, paper/ ...), never one of ``parts``
            made = parts[segment](selection, nodes, by_subject, scope_of, tag_of) if segment in parts else made_entities
            subjects = _in_order(by_subject, scope_of, tag_of if segment == "evidence" else None)
        yield from _batches(subjects, made, segment == "evidence", size, turtle)


_Subject = tuple[str, str, Any, list[Any]]
"""One subject of a part, as ``_batches`` writes it: its key (its IRI after ID), its scope, its
tag (evidence only) and its triples or what they are made from."""


def _in_order(by_subject: _Subjects, scope_of: dict[str, str], tag_of: dict[str, Any] | None) -> Iterator[_Subject]:
    """The subjects of one part, by key (so by IRI); each is let go once given."""
    for key in sorted(by_subject):
        yield key, scope_of.get(key, NO_SCOPE), tag_of.get(key) if tag_of is not None else None, by_subject.pop(key)


def _batches(subjects: Iterator[_Subject], made: _Made, tagged: bool, size: int, turtle: bool) -> Iterator[_Batch]:
    """The subjects' N-Triples (with ``turtle``, their Turtle blocks), ``size`` subjects a batch."""
    while batch := list(islice(subjects, size)):
        pieces: list[str] = []
        add = pieces.extend
        for key, _, _, terms in batch:
            if made is not None:
                terms = made(terms)
            terms.sort()
            if any(map(eq, terms, islice(terms, 1, None))):  # rare: the same triple twice
                terms = [term for term, _ in groupby(terms)]
            written = f"{_ID_WRITTEN}{key}> "
            if turtle:
                pieces.append(written + _turtle_block(terms))
            else:
                add((written, (" .\n" + written).join(map(_TEXT, terms)), " .\n"))
        yield _Batch([s[0] for s in batch], [s[1] for s in batch], pieces, [s[2] for s in batch] if tagged else None)


def _turtle_block(terms: list[_Term]) -> str:
    """A subject's sorted terms as pyoxigraph writes them in Turtle after the subject: the objects
    of one predicate joined by " , ", the predicates by " ;" and a new line, then " .\n"."""
    parts = []
    last = None
    for key, _, obj in terms:
        if key == last:
            parts.append(" , ")
        else:
            if last is not None:
                parts.append(" ;\n\t")
            parts.append(_TURTLE_PREDICATE[key])
            last = key
        parts.append(obj)
    parts.append(" .\n")
    return "".join(parts)


def _segment(key: str) -> str:
    return key.partition("/")[0]


_Term = tuple[str, str, str]
"""One triple of a subject: (its predicate's sort key, its N-Triples text after the subject, its
object as Turtle writes it). Terms sort as the export orders triples: by predicate, then by the
object as N-Triples writes it."""
_Subjects = dict[str, list[Any]]
"""Subject key -> its triples (a defaultdict), or what they are made from (``_Made``); a part's
generator adds to it, and notes each subject it starts in a dict key -> scope (and, for
evidence, one key -> tag)."""
_Made = Callable[[list[Any]], list[_Term]] | None
"""What a part's generator returns: None when it put each subject's terms in ``_Subjects``, else
the function that makes them from what it put there, called a batch of subjects at a time."""

_INTEGER, _DATE, _BOOLEAN, _ANY_URI = XSD + "integer", XSD + "date", XSD + "boolean", XSD + "anyURI"
_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f]')
_ID_WRITTEN = f"<{ID}"
"""How every data IRI starts, in N-Triples and in Turtle alike: no prefix written into files
(SERIALIZATION_PREFIXES) is the start of ID, so Turtle writes these IRIs whole."""


def _as_turtle(subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> tuple[str, str]:
    """(predicate, object) as pyoxigraph writes them in Turtle after ``subject``, with kg's prefixes."""
    written = ox.serialize([ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), obj)], format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)
    line = written[len(_header()) :].decode("utf-8")
    if not (line.startswith(f"<{subject}> ") and line.endswith(" .\n")):
        raise Inconsistent(f"pyoxigraph wrote {line!r}")
    found, _, rest = line[len(subject) + 3 : -3].partition(" ")
    return found, rest


@functools.cache
def _turtle_iri(written: str) -> str:
    """An IRI outside ID (a class, a Wikidata item), N-Triples ``<…>``, as Turtle writes it (``kg:Model``)."""
    return _as_turtle(ID, ID, ox.NamedNode(written[1:-1]))[1]


@functools.cache
def _turtle_datatype(datatype: str) -> str:
    """``^^`` and the datatype as Turtle writes them after a literal (``^^xsd:date``)."""
    written = _as_turtle(ID, ID, ox.Literal("x", datatype=ox.NamedNode(datatype)))[1]
    if not written.startswith('"x"^^'):
        raise Inconsistent(f"pyoxigraph wrote {written!r}")
    return written[3:]


_BARE = {_INTEGER: re.compile(r"[+-]?[0-9]+"), _BOOLEAN: re.compile(r"true|false")}
"""Datatypes whose literals Turtle writes bare when their text fits its grammar (5, true)."""


class _Predicate:
    """A predicate, making its triples' terms (pyoxigraph writes the rare literal that needs escapes)."""

    __slots__ = ("key", "written")

    def __init__(self, iri: str) -> None:
        self.key = ("0" if iri == _RDF_TYPE else "1") + iri
        """rdf:type first, then by IRI."""
        self.written = str(ox.NamedNode(iri)) + " "

    def iri(self, written: str) -> _Term:
        """The triple whose object is an IRI as ``_iris`` writes it."""
        return (self.key, self.written + written, written if written.startswith(_ID_WRITTEN) else _turtle_iri(written))

    def string(self, value: str) -> _Term:
        quoted = str(ox.Literal(value)) if _ESCAPED.search(value) else f'"{value}"'
        return (self.key, self.written + quoted, quoted)

    def typed(self, value: str, datatype: str) -> _Term:
        quoted = str(ox.Literal(value)) if _ESCAPED.search(value) else f'"{value}"'
        bare = _BARE.get(datatype)
        turtle = value if bare is not None and bare.fullmatch(value) else quoted + _turtle_datatype(datatype)
        return (self.key, f"{self.written}{quoted}^^<{datatype}>", turtle)

    def integer(self, value: int) -> _Term:
        return (self.key, f'{self.written}"{value}"^^<{_INTEGER}>', str(value))


_predicate = functools.cache(_Predicate)

_TURTLE_PREDICATE: Memo[str, str] = Memo(lambda key: _as_turtle(ID, key[1:], ox.NamedNode(ID))[0] + " ")
"""A predicate's sort key (``_Predicate.key``) -> how Turtle writes the predicate (``a``,
``kg:mentions``) and the space after it."""


def _kg(local: str) -> _Predicate:
    return _predicate(KG + local)


_TYPE, _LABEL, _ALT_LABEL, _TITLE = _predicate(_RDF_TYPE), _predicate(RDFS + "label"), _predicate(SKOS + "altLabel"), _predicate(DCTERMS + "title")


def _iris(prefix: str) -> Memo[str, str]:
    """``prefix + key`` as N-Triples writes it, by key: each IRI is made and checked by pyoxigraph
    once, however many triples name it (a bad one raises ValueError, as its NamedNode would)."""
    return Memo(lambda key: str(ox.NamedNode(prefix + key)))


class _Nodes:
    """What more than one triple names, written once: node IRIs, and each relation's evidence IRIs."""

    def __init__(self, kg: KnowledgeGraph, selection: Selection, evidence: list[list[tuple[str, Any]]] | None, skip: set[str]) -> None:
        self.entities, self.digests, self.items, self.other = _iris(ID), _iris(ID + _DIGESTS), _iris(ID + _ITEMS), _iris("")
        self.evidence = evidence if evidence is not None else [_evidence_ids(r) for _, r in selection.relations]
        """Per relation of the selection, the key and tag of each of its evidence."""
        self.skip = skip
        """The keys of evidence whose blocks are not to be made."""


def _entity_triples(kg: KnowledgeGraph, selection: Selection, nodes: _Nodes, entity: Callable[[str], list[Any]], scope_of: dict[str, str]) -> _Made:
    """Puts in each entity's subject the entity and the relations and co-mentions from it, and
    returns the function that makes their triples."""
    mention_count, first_seen, last_seen, arxiv_id = _kg("mentionCount"), _kg("firstSeen"), _kg("lastSeen"), _kg("arxivId")
    exact_match, implied = _predicate(SKOS + "exactMatch"), _kg("implied").typed("true", _BOOLEAN)
    co_mentioned, entities, other = _kg("coMentionedWith"), nodes.entities, nodes.other
    for scope, e in selection.entities:
        scope_of[e.id] = scope
        entity(e.id).append(e)
    wanted = None if selection.everything else {e.id for _, e in selection.entities}
    for r in kg.relations:
        if wanted is None or r.source in wanted:
            entity(r.source).append(r)
    for c in kg.co_mentions:
        if wanted is None or c.source in wanted:
            entity(c.source).append(c)

    def triples(sources: list[Entity | Relation | CoMention]) -> list[_Term]:
        made: list[_Term] = []
        for source in sources:
            if isinstance(source, CoMention):
                made.append(co_mentioned.iri(entities[source.target]))
            elif isinstance(source, Relation):
                made.append(_kg(source.type).iri(entities[source.target]))
            else:
                e = source
                made += [_TYPE.iri(other[KG + e.type]), _LABEL.string(e.name), mention_count.integer(e.mention_count)]
                made += [_ALT_LABEL.string(alias) for alias in e.aliases]
                if e.first_seen:
                    made.append(first_seen.typed(e.first_seen, _DATE))
                if e.last_seen:
                    made.append(last_seen.typed(e.last_seen, _DATE))
                if e.arxiv_id:
                    made.append(arxiv_id.string(e.arxiv_id))
                if e.wikidata:
                    made.append(exact_match.iri(other[WD + e.wikidata]))
                if e.implied:
                    made.append(implied)
        return made

    return triples


def _digest_triples(selection: Selection, nodes: _Nodes, subjects: _Subjects, scope_of: dict[str, str], tag_of: dict[str, Any]) -> None:
    digest, file_name, date = _TYPE.iri(nodes.other[KG + "Digest"]), _kg("fileName"), _kg("date")
    for scope, d in selection.digests:
        nodes.digests[d.id]  # checks the IRI
        key = _DIGESTS + d.id
        scope_of[key] = scope
        triples = subjects[key]
        triples += [digest, file_name.string(d.file_name), _TITLE.string(d.title)]
        if d.date:
            triples.append(date.typed(d.date, _DATE))


def _item_triples(selection: Selection, nodes: _Nodes, subjects: _Subjects, scope_of: dict[str, str], tag_of: dict[str, Any]) -> _Made:
    """Puts each item (with its digest) and its mentions in its subject, and returns the
    function that makes their triples."""
    item_class, part_of, position, date = _TYPE.iri(nodes.other[KG + "Item"]), _kg("partOf"), _kg("position"), _kg("date")
    link, arxiv_id, tag, mentions = _kg("link"), _kg("arxivId"), _kg("tag"), _kg("mentions")
    for scope, d in selection.digests:
        for item in d.items:
            nodes.items[item.id]  # checks the IRI
            key = _ITEMS + item.id
            scope_of[key] = scope
            subjects[key].append((d, item))
    for scope, im in selection.item_mentions:  # the items' scopes, noted above
        nodes.items[im.item_id]
        subjects[_ITEMS + im.item_id].append(im)
    mentioned = Memo(lambda entity_id: mentions.iri(nodes.entities[entity_id]))  # one term an entity

    def triples(sources: list[tuple[Digest, Item] | ItemMentions]) -> list[_Term]:
        made: list[_Term] = []
        for source in sources:
            if type(source) is ItemMentions:
                made += map(mentioned.__getitem__, source.entity_ids)
                continue
            d, item = source  # type: ignore[misc]
            made += [item_class, part_of.iri(nodes.digests[d.id]), position.integer(item.index)]
            if item.title:
                made.append(_TITLE.string(item.title))
            item_date = item.date or d.date
            if item_date:
                made.append(date.typed(item_date, _DATE))
            made += [link.typed(url, _ANY_URI) for url in item.links]
            made += [arxiv_id.string(arxiv) for arxiv in item.arxiv_ids]
            made += [tag.string(t) for t in item.tags]
        return made

    return triples


def _statement_key(r: Relation) -> str:
    return f"statement/{_hash(r.type, r.source, r.target)}"


def _evidence_ids(r: Relation) -> list[tuple[str, Any]]:
    """The key of each evidence of ``r`` and its *tag*, everything its block is made from. The key
    is ``evidence/`` and 64 bits of the SHA-1 over the relation's type, source and target, the
    item and the sentence (as ``_hash`` makes it; none holds U+001F but the sentence, the last);
    the tag is 128 bits of BLAKE2b over that whole SHA-1 and the evidence's digest and date
    (ids hold no U+001F either). Tags stay in the index, one per evidence (576,000 at 100x a
    corpus whose names vary): as a tuple of the three, they took three times the memory."""
    prefix = f"{r.type}\x1f{r.source}\x1f{r.target}\x1f"
    sha1, blake2b, ids = hashlib.sha1, hashlib.blake2b, []
    for ev in r.evidence:
        written = sha1(f"{prefix}{ev.item_id}\x1f{ev.sentence}".encode("utf-8")).hexdigest()
        tag = blake2b(f"{written}\x1f{ev.digest_id}\x1f{ev.date or ''}".encode("utf-8"), digest_size=16).digest()
        ids.append(("evidence/" + written[:16], tag))
    return ids


def _statement_triples(selection: Selection, nodes: _Nodes, subjects: _Subjects, scope_of: dict[str, str], tag_of: dict[str, Any]) -> _Made:
    """Puts each relation (with its evidence keys) in its statement's subject, and returns the
    function that makes its triples."""
    statement = _TYPE.iri(nodes.other[KG + "RelationStatement"])
    rdf_subject, rdf_predicate, rdf_object = _predicate(RDF + "subject"), _predicate(RDF + "predicate"), _predicate(RDF + "object")
    score, metric, evidence = _kg("score"), _kg("metric"), _kg("evidence")
    for (scope, r), evidence_ids in zip(selection.relations, nodes.evidence):
        key = _statement_key(r)
        scope_of[key] = scope
        subjects[key].append((r, evidence_ids))

    def triples(stated: list[tuple[Relation, list[tuple[str, Any]]]]) -> list[_Term]:
        made: list[_Term] = []
        for r, evidence_ids in stated:
            made += [
                statement,
                rdf_subject.iri(nodes.entities[r.source]),
                rdf_predicate.iri(nodes.other[KG + r.type]),
                rdf_object.iri(nodes.entities[r.target]),
            ]
            if r.score:
                made.append(score.string(r.score))
            if r.metric:
                made.append(metric.string(r.metric))
            made += [evidence.iri(f"{_ID_WRITTEN}{key}>") for key, _ in evidence_ids]
        return made

    return triples


def _evidence_triples(selection: Selection, nodes: _Nodes, subjects: _Subjects, scope_of: dict[str, str], tag_of: dict[str, Any]) -> _Made:
    """Puts each evidence (usually one a subject) in its subject, and returns the function that
    makes its triples."""
    evidence_class, sentence, item, digest, date = _TYPE.iri(nodes.other[KG + "Evidence"]), _kg("sentence"), _kg("item"), _kg("digest"), _kg("date")
    items, digests, skip = nodes.items, nodes.digests, nodes.skip
    for (scope, r), evidence_ids in zip(selection.relations, nodes.evidence):
        pairs = list(zip(r.evidence, evidence_ids))
        if skip:
            pairs = [(ev, found) for ev, found in pairs if found[0] not in skip]
        tags = dict(found for _, found in pairs)
        if len(tags) == len(pairs) and tag_of.keys().isdisjoint(tags):
            tag_of.update(tags)
        else:  # an IRI met twice: its block holds two evidence, and is never revived
            for key in tags:
                tag_of[key] = None
        scope_of.update(zip(tags, repeat(scope)))
        for ev, (key, _) in pairs:
            subjects[key].append(ev)

    def triples(evidence: list[Evidence]) -> list[_Term]:
        made = []
        for ev in evidence:
            made += [evidence_class, sentence.string(ev.sentence), item.iri(items[ev.item_id]), digest.iri(digests[ev.digest_id])]
            if ev.date:
                made.append(date.typed(ev.date, _DATE))
        return made

    return triples


def _comention_subjects(selection: Selection, nodes: _Nodes) -> tuple[Iterator[_Subject], _Made]:
    """The co-mention links' subjects in order, and the function that makes their triples.

    A corpus has ten times as many links as entities (1.8 million at 100x a corpus whose names
    vary), so a link's subject is no more than its place, sorted by its key's hash, an int in
    an array; its key (``comention/`` and the hash in hex, which sort as the ints do) is made
    when its subject is given. A dict of subjects, one of scopes and a list per link, as the
    other parts have, took 0.5 GB there; a key and an int object a link, 0.2 GB."""
    scopes, links = [s for s, _ in selection.co_mentions], [c for _, c in selection.co_mentions]
    hashes = np.fromiter((_hash_number(c.source, c.target) for c in links), dtype=np.uint64, count=len(links))
    order = np.argsort(hashes, kind="stable")
    comention, entity, weight, entities = _TYPE.iri(nodes.other[KG + "CoMention"]), _kg("entity"), _kg("weight"), nodes.entities

    def subjects() -> Iterator[_Subject]:
        in_order = chain.from_iterable(order[i : i + 65_536].tolist() for i in range(0, len(order), 65_536))  # not an int object a link at once
        for number, places in groupby(in_order, key=hashes.item):  # two links with one IRI (a hash collision) share a block
            places = list(places)
            yield f"comention/{number:016x}", scopes[places[-1]], None, [links[i] for i in places]

    def triples(same_subject: list[CoMention]) -> list[_Term]:
        made: list[_Term] = []
        for c in same_subject:
            made += [comention, entity.iri(entities[c.source]), entity.iri(entities[c.target]), weight.integer(c.weight)]
        return made

    return subjects(), triples


_TEXT = itemgetter(1)
