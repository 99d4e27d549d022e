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
from collections import defaultdict

import pyoxigraph as ox

from kg.models import KnowledgeGraph

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


def to_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    """Every triple of the export, grouped by subject, subjects in sorted order."""
    by_subject: dict[str, list[tuple[ox.NamedNode, ox.Term]]] = defaultdict(list)

    def add(subject: str, predicate: ox.NamedNode, obj: ox.Term) -> None:
        by_subject[subject].append((predicate, obj))

    for e in kg.entities:
        s = entity_iri(e.id)
        add(s, _TYPE, _kg(e.type))
        add(s, _n(RDFS + "label"), _s(e.name))
        for alias in e.aliases:
            add(s, _n(SKOS + "altLabel"), _s(alias))
        add(s, _kg("mentionCount"), _int(e.mention_count))
        if e.first_seen:
            add(s, _kg("firstSeen"), _date(e.first_seen))
        if e.last_seen:
            add(s, _kg("lastSeen"), _date(e.last_seen))
        if e.arxiv_id:
            add(s, _kg("arxivId"), _s(e.arxiv_id))
        if e.wikidata:
            add(s, _n(SKOS + "exactMatch"), _n(WD + e.wikidata))
        if e.implied:
            add(s, _kg("implied"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
    for d in kg.digests:
        s = digest_iri(d.id)
        add(s, _TYPE, _kg("Digest"))
        add(s, _kg("fileName"), _s(d.file_name))
        add(s, _n(DCTERMS + "title"), _s(d.title))
        if d.date:
            add(s, _kg("date"), _date(d.date))
        for item in d.items:
            i = item_iri(item.id)
            add(i, _TYPE, _kg("Item"))
            add(i, _kg("partOf"), _n(s))
            add(i, _kg("position"), _int(item.index))
            if item.title:
                add(i, _n(DCTERMS + "title"), _s(item.title))
            date = item.date or d.date
            if date:
                add(i, _kg("date"), _date(date))
            for link in item.links:
                add(i, _kg("link"), ox.Literal(link, datatype=ox.NamedNode(XSD + "anyURI")))
            for arxiv in item.arxiv_ids:
                add(i, _kg("arxivId"), _s(arxiv))
            for tag in item.tags:
                add(i, _kg("tag"), _s(tag))
    for im in kg.item_mentions:
        for entity_id in im.entity_ids:
            add(item_iri(im.item_id), _kg("mentions"), _n(entity_iri(entity_id)))
    for r in kg.relations:
        s, o = entity_iri(r.source), entity_iri(r.target)
        add(s, _kg(r.type), _n(o))
        stmt = f"{ID}statement/{_hash(r.type, r.source, r.target)}"
        add(stmt, _TYPE, _kg("RelationStatement"))
        add(stmt, _n(RDF + "subject"), _n(s))
        add(stmt, _n(RDF + "predicate"), _kg(r.type))
        add(stmt, _n(RDF + "object"), _n(o))
        if r.score:
            add(stmt, _kg("score"), _s(r.score))
        if r.metric:
            add(stmt, _kg("metric"), _s(r.metric))
        for ev in r.evidence:
            evidence = f"{ID}evidence/{_hash(r.type, r.source, r.target, ev.item_id, ev.sentence)}"
            add(stmt, _kg("evidence"), _n(evidence))
            add(evidence, _TYPE, _kg("Evidence"))
            add(evidence, _kg("sentence"), _s(ev.sentence))
            add(evidence, _kg("item"), _n(item_iri(ev.item_id)))
            add(evidence, _kg("digest"), _n(digest_iri(ev.digest_id)))
            if ev.date:
                add(evidence, _kg("date"), _date(ev.date))
    for c in kg.co_mentions:
        a, b = entity_iri(c.source), entity_iri(c.target)
        add(a, _kg("coMentionedWith"), _n(b))
        node = f"{ID}comention/{_hash(c.source, c.target)}"
        add(node, _TYPE, _kg("CoMention"))
        add(node, _kg("entity"), _n(a))
        add(node, _kg("entity"), _n(b))
        add(node, _kg("weight"), _int(c.weight))
    triples = []
    for subject in sorted(by_subject):
        node = _n(subject)
        seen = set()
        for predicate, obj in sorted(by_subject[subject], key=_predicate_order):
            key = (predicate.value, str(obj))
            if key not in seen:
                seen.add(key)
                triples.append(ox.Triple(node, predicate, obj))
    return triples


def _predicate_order(po: tuple[ox.NamedNode, ox.Term]) -> tuple[int, str, str]:
    predicate, obj = po
    return (0 if predicate == _TYPE else 1, predicate.value, str(obj))


def to_turtle(kg: KnowledgeGraph) -> bytes:
    return ox.serialize(to_triples(kg), format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)
