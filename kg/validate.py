"""``kg validate``: check an export's graph.ttl against the SHACL shapes in ``ontology/shapes.ttl``.

    report = validate_export(Path("exports"))      # a build folder or a .ttl file
    print(format_report(report))                    # violations by focus node, then the counts

The shapes are the export's contract (counts, data types, relation domains and ranges, the
statement, evidence and co-mention nodes); pyshacl checks them without inference, so the report
is about the triples as written.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.errors import KGError
from kg.export.files import turtle_export
from kg.export.rdf import ID, PREFIXES
from kg.ontology import data_file

log = logging.getLogger(__name__)

SHAPES_FILE = "shapes.ttl"
"""The SHACL shapes, shipped under ``ontology/``."""

SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")
"""SHACL severities, most severe first (the local names of sh:Violation, sh:Warning, sh:Info)."""

_PATH_OPERATORS = {
    SH.inversePath: "^{}",
    SH.zeroOrMorePath: "{}*",
    SH.oneOrMorePath: "{}+",
    SH.zeroOrOnePath: "{}?",
}


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    """The node that breaks the shape: its full IRI (``_:id`` for a blank node)."""
    path: str | None
    """The property: its full IRI; a SPARQL property path with ``<IRI>``s for a complex path;
    None when the node itself breaks the shape (a wrong subject type, say)."""
    message: str
    """What the graph should hold, from the shape's sh:message."""
    severity: str
    """One of SEVERITIES."""
    value: str | None = None
    """The offending value when there is one, in N-Triples syntax (``<IRI>``, ``"text"^^<type>``)."""


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating one export."""

    conforms: bool
    violations: tuple[Violation, ...]
    """Every result, sorted by focus node, path, message and value."""

    def counts(self) -> dict[str, int]:
        """Number of results per severity, every severity present (0 when none)."""
        found = Counter(v.severity for v in self.violations)
        return {s: found.get(s, 0) for s in SEVERITIES}


def read_turtle(file: Path) -> rdflib.Graph:
    """Parse a Turtle file into an rdflib graph (for pyshacl); a malformed one is a KGError
    naming the file, the line and the reason.

    pyoxigraph parses (several times faster than rdflib's Turtle parser, with one-line messages,
    and the same parser as the exporter's serializer); the triples are then copied into rdflib.
    """
    graph = rdflib.Graph()
    try:
        for triple in ox.parse(path=file, format=ox.RdfFormat.TURTLE):
            graph.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
    except SyntaxError as err:
        raise KGError(f"{file}: not valid Turtle: {' '.join(str(err).split())}") from err
    return graph


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(term: object) -> rdflib.term.Identifier:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # A plain string has no datatype in rdflib, as its own parser leaves it.
        return rdflib.Literal(term.value, datatype=None if datatype == _XSD_STRING else rdflib.URIRef(datatype))
    raise KGError(f"unsupported RDF term {term} (RDF 1.2 triple terms are not part of kg's export)")


def validate_export(path: Path) -> ValidationReport:
    """Validate ``path`` (a build folder holding graph.ttl, or a Turtle file) against the shapes."""
    import pyshacl  # imported here: it is slow to import and only this command needs it

    file = turtle_export(path)
    data = read_turtle(file)
    shapes_path = data_file(SHAPES_FILE)
    if not shapes_path.is_file():
        raise KGError(f"{shapes_path}: the SHACL shapes are missing; reinstall kg")
    shapes = read_turtle(shapes_path)
    started = time.perf_counter()
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        meta_shacl=False,
        do_owl_imports=False,
        inplace=True,  # the graph is ours and is dropped afterwards: skip pyshacl's copy
    )
    violations = tuple(sorted(_violations(results), key=_order))
    log.info("%s: %d triples, %d results in %.2fs", file, len(data), len(violations), time.perf_counter() - started)
    return ValidationReport(conforms=bool(conforms), violations=violations)


def _violations(results: rdflib.Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        found.append(
            Violation(
                focus=_node(results.value(result, SH.focusNode)),
                path=None if path is None else _path(results, path),
                message=_message(results, result),
                severity=str(severity).removeprefix(str(SH)) if severity is not None else "Violation",
                value=None if value is None else value.n3(),
            )
        )
    return found


def _node(term: rdflib.term.Node | None) -> str:
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def _path(graph: rdflib.Graph, path: rdflib.term.Node) -> str:
    """A simple path as its IRI; a complex one as a SPARQL property path."""
    if isinstance(path, rdflib.URIRef):
        return str(path)
    return _sparql_path(graph, path)


def _sparql_path(graph: rdflib.Graph, path: rdflib.term.Node) -> str:
    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    if graph.value(path, RDF.first) is not None:
        return "(" + "/".join(_sparql_path(graph, step) for step in Collection(graph, path)) + ")"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_sparql_path(graph, step) for step in Collection(graph, alternatives)) + ")"
    for operator, template in _PATH_OPERATORS.items():
        inner = graph.value(path, operator)
        if inner is not None:
            return template.format(_sparql_path(graph, inner))
    return f"_:{path}"


def _message(graph: rdflib.Graph, result: rdflib.term.Node) -> str:
    messages = sorted(
        str(m) for m in graph.objects(result, SH.resultMessage) if not isinstance(m, rdflib.Literal) or m.language in (None, "en")
    )
    return "; ".join(dict.fromkeys(messages)) or "(the shape gives no message)"


def _order(v: Violation) -> tuple[str, str, str, str, int]:
    return (v.focus, v.path or "", v.message, v.value or "", SEVERITIES.index(v.severity) if v.severity in SEVERITIES else len(SEVERITIES))


# --- the report a person reads ----------------------------------------------------------------

_NAMESPACES = sorted(((iri, prefix) for prefix, iri in PREFIXES.items()), key=lambda p: -len(p[0]))


def short(iri: str) -> str:
    """An IRI with kg's prefixes (``kgid:model/GPT-4o``, ``kg:developedBy``), percent-escapes decoded."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            return f"{prefix}:{unquote(local) if namespace == ID else local}"
    return iri if iri.startswith("_:") else f"<{iri}>"


def _short_value(term: str, width: int = 80) -> str:
    """An N-Triples term shortened for reading: prefixed IRIs and datatypes, long text cut."""
    if term.startswith("<") and term.endswith(">"):
        return short(term[1:-1])
    text, sep, datatype = term.rpartition("^^<")
    if not sep:
        text, datatype = term, ""
    if len(text) > width:
        text = text[: width - 2] + "…" + text[-1]
    return text + (f"^^{short(datatype[:-1])}" if datatype else "")


def _short_terms(text: str) -> str:
    """Shorten every ``<IRI>`` in a SPARQL property path."""
    out, rest = [], text
    while (start := rest.find("<")) >= 0 and (end := rest.find(">", start)) > start:
        out += [rest[:start], short(rest[start + 1 : end])]
        rest = rest[end + 1 :]
    return "".join(out) + rest


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_report(report: ValidationReport, limit: int = 50) -> str:
    """Violations grouped by focus node (path, message, value), then a line with the counts."""
    lines: list[str] = []
    shown = report.violations[: max(limit, 0)]
    width = max((len(_short_path(v.path)) for v in shown), default=0)
    focus = None
    for v in shown:
        if v.focus != focus:
            focus = v.focus
            lines.append(short(focus))
        label = "" if v.severity == "Violation" else f"[{v.severity}] "
        value = f" (value: {_short_value(v.value)})" if v.value is not None and v.value != f"<{v.focus}>" else ""
        lines.append(f"  {_short_path(v.path):<{width}}  {label}{v.message}{value}")
    counts = report.counts()
    tally = ", ".join(_plural(counts[s], s.lower()) for s in SEVERITIES if counts[s] or s == "Violation")
    hidden = len(report.violations) - len(shown)
    more = f"; {hidden} more not shown (first {len(shown)} above)" if hidden > 0 else ""
    lines.append(f"{'conforms' if report.conforms else 'does not conform'}: {tally}{more}")
    return "\n".join(lines)


def _short_path(path: str | None) -> str:
    if path is None:
        return "(node)"
    return _short_terms(path) if path.startswith(("(", "<", "^")) else short(path)
