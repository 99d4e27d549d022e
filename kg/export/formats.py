"""``kg export rdf``: the Turtle export in the other RDF formats.

Triple formats (N-Triples, JSON-LD) hold exactly the triples of ``graph.ttl``. Dataset formats
(TriG, N-Quads) put each statement in a named graph so one digest's statements can be queried
or dropped on their own:

    GRAPH <id/digest/D>    the digest, its items, their kg:mentions, the evidence read in D, and
                           every relation (direct triple and statement node) D gives evidence for
    GRAPH <id/graph/entities>   entities, their labels and counts, co-mention links

A relation stated in two digests is in both graphs. The union of all named graphs is the Turtle
graph, triple for triple.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.export.files import turtle_export, write_atomic
from kg.export.rdf import ID, KG, RDF, SERIALIZATION_PREFIXES
from kg.models import RELATION_TYPES
from kg.ontology import data_file

FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "ttl": (ox.RdfFormat.TURTLE, "graph.ttl"),
    "nt": (ox.RdfFormat.N_TRIPLES, "graph.nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "graph.jsonld"),
    "trig": (ox.RdfFormat.TRIG, "graph.trig"),
    "nq": (ox.RdfFormat.N_QUADS, "graph.nq"),
}
ENTITIES_GRAPH = ox.NamedNode(f"{ID}graph/entities")
CONTEXT_FILE = "context.jsonld"
"""The published JSON-LD @context, shipped in ontology/ and copied beside graph.jsonld."""

_TYPE = ox.NamedNode(RDF + "type")
_RELATIONS = {ox.NamedNode(KG + r) for r in RELATION_TYPES}


def read_export(out_dir: Path) -> list[ox.Triple]:
    """The triples of the Turtle export in ``out_dir`` (a build folder or a .ttl file), in file order."""
    path = turtle_export(out_dir)
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as err:
        raise KGError(f"{path}: not valid Turtle ({err})") from None


def to_quads(triples: list[ox.Triple]) -> list[ox.Quad]:
    """Each triple in the named graph(s) of the digest(s) it comes from (see module docstring)."""
    types: dict[ox.NamedNode, set] = defaultdict(set)
    part_of: dict = {}
    evidence_digest: dict = {}
    statement_evidence: dict = defaultdict(set)
    statement_spo: dict = defaultdict(dict)
    for t in triples:
        p = t.predicate.value
        if t.predicate == _TYPE:
            types[t.subject].add(t.object)
        elif p == KG + "partOf":
            part_of[t.subject] = t.object
        elif p == KG + "digest":
            evidence_digest[t.subject] = t.object
        elif p == KG + "evidence":
            statement_evidence[t.subject].add(t.object)
        elif p in (RDF + "subject", RDF + "predicate", RDF + "object"):
            statement_spo[t.subject][p] = t.object
    statement_graphs = {
        stmt: {evidence_digest[e] for e in evs if e in evidence_digest} for stmt, evs in statement_evidence.items()
    }
    relation_graphs: dict[tuple, set] = defaultdict(set)
    for stmt, spo in statement_spo.items():
        key = (spo.get(RDF + "subject"), spo.get(RDF + "predicate"), spo.get(RDF + "object"))
        relation_graphs[key] |= statement_graphs.get(stmt, set())

    def graphs_of(t: ox.Triple) -> set:
        s = t.subject
        kinds = types.get(s, set())
        if ox.NamedNode(KG + "Digest") in kinds:
            return {s}
        if ox.NamedNode(KG + "Item") in kinds:
            return {part_of[s]} if s in part_of else set()
        if ox.NamedNode(KG + "Evidence") in kinds:
            return {evidence_digest[s]} if s in evidence_digest else set()
        if ox.NamedNode(KG + "RelationStatement") in kinds:
            return statement_graphs.get(s, set())
        if t.predicate in _RELATIONS:
            return relation_graphs.get((t.subject, t.predicate, t.object), set())
        return set()

    quads = []
    for t in triples:
        for g in sorted(graphs_of(t) or {ENTITIES_GRAPH}, key=lambda n: n.value):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, g))
    quads.sort(key=lambda q: q.graph_name.value)  # stable: subjects stay in order within a graph
    return quads


def context() -> dict:
    """The JSON-LD @context kg publishes: its prefixes and the plain names of its terms."""
    return json.loads(data_file(CONTEXT_FILE).read_text(encoding="utf-8"))


def serialize(triples: list[ox.Triple], fmt: str) -> bytes:
    rdf_format, _ = FORMATS[fmt]
    if fmt in ("trig", "nq"):
        return ox.serialize(to_quads(triples), format=rdf_format, prefixes=SERIALIZATION_PREFIXES if fmt == "trig" else None)
    if fmt == "jsonld":
        return _json_ld(triples)
    return ox.serialize(triples, format=rdf_format, prefixes=SERIALIZATION_PREFIXES if fmt == "ttl" else None)


def _json_ld(triples: list[ox.Triple]) -> bytes:
    """JSON-LD compacted with kg's published @context (embedded, so the file parses offline)."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    ctx = context()["@context"]
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=True, sort_keys=True, ensure_ascii=False)
    return text.encode("utf-8")


def export_rdf(out_dir: Path, formats: list[str]) -> list[Path]:
    """Write ``out_dir/graph.<ext>`` for each format (atomically) from ``out_dir/graph.ttl``."""
    triples = read_export(out_dir)
    written = []
    for fmt in formats:
        _, name = FORMATS[fmt]
        path = out_dir / name
        write_atomic(path, serialize(triples, fmt))
        written.append(path)
        if fmt == "jsonld":
            ctx = out_dir / CONTEXT_FILE
            write_atomic(ctx, data_file(CONTEXT_FILE).read_bytes())
            written.append(ctx)
    return written
