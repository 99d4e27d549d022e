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

Triples are generated in sorted order and serialized by pyoxigraph, so the same graph gives
the same bytes, fast.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.export.files import open_atomic, paused_gc
from kg.models import Evidence, KnowledgeGraph, Relation

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

_TYPE = ox.NamedNode(RDF + "type")
_RDF_TYPE = RDF + "type"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _kg(local: str) -> ox.NamedNode:
    return ox.NamedNode(KG + local)


def _s(value: str) -> ox.Literal:
    return ox.Literal(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def entity_iri(entity_id: str) -> str:
    return ID + entity_id


def digest_iri(digest_id: str) -> str:
    return f"{ID}digest/{digest_id}"


def item_iri(item_id: str) -> str:
    return f"{ID}item/{item_id}"


_IRI, _STRING = 0, 1
"""Object kinds in the compact (predicate, kind, value) form; any other kind is a datatype IRI."""
_INTEGER, _DATE, _BOOLEAN, _ANY_URI = XSD + "integer", XSD + "date", XSD + "boolean", XSD + "anyURI"


def to_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    """Every triple of the export, grouped by subject, subjects in sorted order."""
    return list(iter_triples(kg))


def iter_triples(kg: KnowledgeGraph) -> Iterator[ox.Triple]:
    """``to_triples``, one part of the graph at a time, one subject at a time.

    Subjects sort by the first segment of their path (``benchmark/``, ``comention/``,
    ``digest/``, ``evidence/``, ``item/``, ``model/`` …), so each segment's subjects are
    collected, sorted and written on their own: only one part's triples are held at once, as
    plain (predicate IRI, kind, value) tuples that mostly point at strings the
    KnowledgeGraph already holds; pyoxigraph terms are made per subject as it is written.
    """
    entity_parts: dict[str, dict[str, list[tuple[str, object, str]]]] = defaultdict(lambda: defaultdict(list))

    def add_entity(subject: str, predicate: str, kind: object, value: str) -> None:
        entity_parts[_segment(subject)][subject].append((predicate, kind, value))

    _entity_triples(kg, add_entity)  # entities, and the relation and co-mention links between them
    parts = {
        "comention": _comention_triples,
        "digest": _digest_triples,
        "evidence": _evidence_triples,
        "item": _item_triples,
        "statement": _statement_triples,
    }
    for segment in sorted(set(parts) | set(entity_parts)):
        by_subject = entity_parts.pop(segment, None) or defaultdict(list)
        if segment in parts:

            def add(subject: str, predicate: str, kind: object, value: str) -> None:
                by_subject[subject].append((predicate, kind, value))

            parts[segment](kg, add)
        yield from _subject_triples(by_subject)


def _segment(iri: str) -> str:
    return iri[len(ID) :].partition("/")[0]


_TYPE_IRI, _LABEL, _ALT_LABEL, _TITLE = RDF + "type", RDFS + "label", SKOS + "altLabel", DCTERMS + "title"


def _entity_triples(kg: KnowledgeGraph, add: Callable[[str, str, object, str], None]) -> None:
    for e in kg.entities:
        s = entity_iri(e.id)
        add(s, _TYPE_IRI, _IRI, KG + e.type)
        add(s, _LABEL, _STRING, e.name)
        for alias in e.aliases:
            add(s, _ALT_LABEL, _STRING, alias)
        add(s, KG + "mentionCount", _INTEGER, str(e.mention_count))
        if e.first_seen:
            add(s, KG + "firstSeen", _DATE, e.first_seen)
        if e.last_seen:
            add(s, KG + "lastSeen", _DATE, e.last_seen)
        if e.arxiv_id:
            add(s, KG + "arxivId", _STRING, e.arxiv_id)
        if e.wikidata:
            add(s, SKOS + "exactMatch", _IRI, WD + e.wikidata)
        if e.implied:
            add(s, KG + "implied", _BOOLEAN, "true")
    for r in kg.relations:
        add(entity_iri(r.source), KG + r.type, _IRI, entity_iri(r.target))
    for c in kg.co_mentions:
        add(entity_iri(c.source), KG + "coMentionedWith", _IRI, entity_iri(c.target))


def _digest_triples(kg: KnowledgeGraph, add: Callable[[str, str, object, str], None]) -> None:
    for d in kg.digests:
        s = digest_iri(d.id)
        add(s, _TYPE_IRI, _IRI, KG + "Digest")
        add(s, KG + "fileName", _STRING, d.file_name)
        add(s, _TITLE, _STRING, d.title)
        if d.date:
            add(s, KG + "date", _DATE, d.date)


def _item_triples(kg: KnowledgeGraph, add: Callable[[str, str, object, str], None]) -> None:
    part_of = KG + "partOf"
    for d in kg.digests:
        s = digest_iri(d.id)
        for item in d.items:
            i = item_iri(item.id)
            add(i, _TYPE_IRI, _IRI, KG + "Item")
            add(i, part_of, _IRI, s)
            add(i, KG + "position", _INTEGER, str(item.index))
            if item.title:
                add(i, _TITLE, _STRING, item.title)
            date = item.date or d.date
            if date:
                add(i, KG + "date", _DATE, date)
            for link in item.links:
                add(i, KG + "link", _ANY_URI, link)
            for arxiv in item.arxiv_ids:
                add(i, KG + "arxivId", _STRING, arxiv)
            for tag in item.tags:
                add(i, KG + "tag", _STRING, tag)
    mentions = KG + "mentions"
    entity_iris: dict[str, str] = {}
    for im in kg.item_mentions:
        i = item_iri(im.item_id)
        for entity_id in im.entity_ids:
            o = entity_iris.get(entity_id)
            if o is None:
                o = entity_iris[entity_id] = entity_iri(entity_id)
            add(i, mentions, _IRI, o)


def _statement_iri(r: Relation) -> str:
    return f"{ID}statement/{_hash(r.type, r.source, r.target)}"


def _evidence_iri(r: Relation, ev: Evidence) -> str:
    return f"{ID}evidence/{_hash(r.type, r.source, r.target, ev.item_id, ev.sentence)}"


def _statement_triples(kg: KnowledgeGraph, add: Callable[[str, str, object, str], None]) -> None:
    for r in kg.relations:
        stmt = _statement_iri(r)
        add(stmt, _TYPE_IRI, _IRI, KG + "RelationStatement")
        add(stmt, RDF + "subject", _IRI, entity_iri(r.source))
        add(stmt, RDF + "predicate", _IRI, KG + r.type)
        add(stmt, RDF + "object", _IRI, entity_iri(r.target))
        if r.score:
            add(stmt, KG + "score", _STRING, r.score)
        if r.metric:
            add(stmt, KG + "metric", _STRING, r.metric)
        for ev in r.evidence:
            add(stmt, KG + "evidence", _IRI, _evidence_iri(r, ev))


def _evidence_triples(kg: KnowledgeGraph, add: Callable[[str, str, object, str], None]) -> None:
    for r in kg.relations:
        for ev in r.evidence:
            evidence = _evidence_iri(r, ev)
            add(evidence, _TYPE_IRI, _IRI, KG + "Evidence")
            add(evidence, KG + "sentence", _STRING, ev.sentence)
            add(evidence, KG + "item", _IRI, item_iri(ev.item_id))
            add(evidence, KG + "digest", _IRI, digest_iri(ev.digest_id))
            if ev.date:
                add(evidence, KG + "date", _DATE, ev.date)


def _comention_triples(kg: KnowledgeGraph, add: Callable[[str, str, object, str], None]) -> None:
    for c in kg.co_mentions:
        node = f"{ID}comention/{_hash(c.source, c.target)}"
        add(node, _TYPE_IRI, _IRI, KG + "CoMention")
        add(node, KG + "entity", _IRI, entity_iri(c.source))
        add(node, KG + "entity", _IRI, entity_iri(c.target))
        add(node, KG + "weight", _INTEGER, str(c.weight))


def _subject_triples(by_subject: dict[str, list[tuple[str, object, str]]]) -> Iterator[ox.Triple]:
    """The triples of each subject in sorted order, objects ordered and deduplicated."""
    predicates: dict[str, ox.NamedNode] = {}
    datatypes: dict[object, ox.NamedNode] = {}
    for subject in sorted(by_subject):
        node = _n(subject)
        terms = by_subject.pop(subject)
        terms.sort(key=_order)
        last = None
        for term in terms:
            if term == last:
                continue
            last = term
            predicate, kind, value = term
            p = predicates.get(predicate)
            if p is None:
                p = predicates[predicate] = _n(predicate)
            if kind is _IRI:
                obj: ox.Term = _n(value)
            elif kind is _STRING:
                obj = _s(value)
            else:
                dt = datatypes.get(kind)
                if dt is None:
                    dt = datatypes[kind] = _n(str(kind))
                obj = ox.Literal(value, datatype=dt)
            yield ox.Triple(node, p, obj)


_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f]')


def _order(term: tuple[str, object, str]) -> tuple[int, str, str]:
    """rdf:type first, then by predicate IRI, then by the object as N-Triples writes it."""
    predicate, kind, value = term
    if kind is _IRI:
        written = f"<{value}>"
    elif _ESCAPED.search(value):  # rare: let pyoxigraph escape it
        written = str(_s(value) if kind is _STRING else ox.Literal(value, datatype=_n(str(kind))))
    elif kind is _STRING:
        written = f'"{value}"'
    else:
        written = f'"{value}"^^<{kind}>'
    return (0 if predicate == _RDF_TYPE else 1, predicate, written)


def to_turtle(kg: KnowledgeGraph) -> bytes:
    return ox.serialize(iter_triples(kg), format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)


def write_turtle(kg: KnowledgeGraph, path: Path) -> None:
    """Write ``to_turtle(kg)`` to ``path`` (atomically), streamed from the triples as they come."""
    with open_atomic(path) as handle, paused_gc():
        ox.serialize(iter_triples(kg), handle, format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)
