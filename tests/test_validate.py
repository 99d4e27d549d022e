"""kg.validate: the sample export against ontology/shapes.ttl, and a graph broken on purpose."""

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from kg.errors import KGError
from kg.validate import ValidationReport, Violation, format_report, validate_export

KG = rdflib.Namespace("https://w3id.org/ai-digest-kg/ontology#")
XSD_DATE = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def export(sample_export) -> Path:
    """The sample corpus built once by kg.pipeline.build (tests/conftest.py); read, never written."""
    return sample_export


@pytest.fixture(scope="module")
def sample_report(export) -> ValidationReport:
    return validate_export(export)


def first(graph: rdflib.Graph, type_: rdflib.URIRef, skip: int = 0) -> rdflib.URIRef:
    return sorted(graph.subjects(RDF.type, type_))[skip]


@pytest.fixture(scope="module")
def broken(export, tmp_path_factory) -> tuple[dict[str, tuple[str, str | None]], ValidationReport]:
    """The sample graph with one breakage of each kind, each on its own node; the expected
    (focus, path) per breakage; and the report on it."""
    g = rdflib.Graph().parse(export / "graph.ttl", format="turtle")
    expected: dict[str, tuple[str, str | None]] = {}

    org = first(g, KG.Organization)
    g.remove((org, RDFS.label, None))
    expected["label removed"] = (str(org), str(RDFS.label))

    model = first(g, KG.Model)
    g.add((model, RDFS.label, rdflib.Literal("A second name")))
    expected["second label"] = (str(model), str(RDFS.label))

    developer = first(g, KG.Model, skip=1)
    g.add((developer, KG.developedBy, first(g, KG.Benchmark)))
    expected["developedBy a benchmark"] = (str(developer), str(KG.developedBy))

    digest = first(g, KG.Digest)
    date = g.value(digest, KG.date)
    assert date is not None and date.datatype == XSD_DATE
    g.set((digest, KG.date, rdflib.Literal(str(date))))
    expected["untyped date"] = (str(digest), str(KG.date))

    evidence = first(g, KG.Evidence)
    assert g.value(evidence, KG.sentence) is not None
    g.remove((evidence, KG.sentence, None))
    expected["sentence dropped"] = (str(evidence), str(KG.sentence))

    statement = next(s for s in sorted(g.subjects(RDF.predicate, KG.uses)) if g.value(s, KG.evidence) is not None)
    g.remove((g.value(statement, RDF.subject), KG.uses, g.value(statement, RDF.object)))
    expected["statement not asserted"] = (str(KG.RelationStatement), None)

    item = first(g, KG.Item)
    stranger = rdflib.URIRef("https://w3id.org/ai-digest-kg/id/model/No%20Such%20Model")
    g.add((item, KG.mentions, stranger))
    expected["mentions an untyped node"] = (str(stranger), str(RDF.type))

    file = tmp_path_factory.mktemp("broken") / "broken.ttl"
    g.serialize(file, format="turtle")
    return expected, validate_export(file)


def new_violations(report: ValidationReport, baseline: ValidationReport) -> list[Violation]:
    """What the breakages added: the sample export's own violations (if any) are not theirs."""
    known = set(baseline.violations)
    return [v for v in report.violations if v not in known]


def test_sample_export_conforms(sample_report):
    assert sample_report.conforms, format_report(sample_report)
    assert sample_report.violations == ()


def test_broken_graph_does_not_conform(broken):
    _, report = broken
    assert not report.conforms
    assert report.counts()["Violation"] >= 7


@pytest.mark.parametrize(
    "breakage",
    [
        "label removed",
        "second label",
        "developedBy a benchmark",
        "untyped date",
        "sentence dropped",
        "statement not asserted",
        "mentions an untyped node",
    ],
)
def test_each_breakage_is_reported_on_its_node_and_property(broken, sample_report, breakage):
    expected, report = broken
    found = {(v.focus, v.path) for v in new_violations(report, sample_report)}
    assert expected[breakage] in found


def test_each_breakage_is_reported_once_and_nothing_else(broken, sample_report):
    expected, report = broken
    found = sorted((v.focus, v.path or "") for v in new_violations(report, sample_report))
    assert found == sorted((focus, path or "") for focus, path in expected.values())


def test_violations_name_the_offending_value_and_say_what_is_expected(broken, sample_report):
    expected, report = broken
    by_place = {(v.focus, v.path): v for v in new_violations(report, sample_report)}
    wrong_developer = by_place[expected["developedBy a benchmark"]]
    assert wrong_developer.value is not None and "/id/benchmark/" in wrong_developer.value
    assert "organization" in wrong_developer.message.lower()
    untyped = by_place[expected["untyped date"]]
    assert "xsd:date" in untyped.message and untyped.value is not None and "^^" not in untyped.value
    assert all(v.severity == "Violation" for v in by_place.values())


def test_violations_are_sorted(broken):
    _, report = broken
    keys = [(v.focus, v.path or "", v.message, v.value or "") for v in report.violations]
    assert keys == sorted(keys)


def test_format_report_shortens_names_and_counts(broken):
    expected, report = broken
    text = format_report(report)
    assert "kgid:organization/" in text  # the focus of the removed label, prefixed
    assert "\nkgid:model/No Such Model\n" in text  # percent-escapes decoded
    assert "\n  kg:developedBy " in text
    assert "(value: kgid:benchmark/" in text
    assert "https://w3id.org/ai-digest-kg/" not in text
    n = report.counts()["Violation"]
    assert text.splitlines()[-1] == f"does not conform: {n} violations"


def test_format_report_limit(broken):
    _, report = broken
    text = format_report(report, limit=2)
    assert sum(line.startswith("  ") for line in text.splitlines()) == 2
    assert text.splitlines()[-1].endswith(f"; {len(report.violations) - 2} more not shown (first 2 above)")


def test_format_report_of_a_conforming_graph():
    assert format_report(ValidationReport(conforms=True, violations=())) == "conforms: 0 violations"


def test_a_graph_file_is_accepted_as_well_as_its_folder(export, sample_report):
    assert validate_export(export / "graph.ttl") == sample_report


def test_missing_export(tmp_path):
    with pytest.raises(KGError, match=r"no graph\.ttl here; run `kg build --out "):
        validate_export(tmp_path)
    with pytest.raises(KGError, match="no graph.ttl here"):
        validate_export(tmp_path / "nowhere")
    with pytest.raises(KGError, match=r"missing\.ttl: no such file"):
        validate_export(tmp_path / "missing.ttl")


def test_malformed_turtle(tmp_path):
    (tmp_path / "graph.ttl").write_text('@prefix kg: <https://w3id.org/ai-digest-kg/ontology#> .\nkg:a kg:b "unterminated .\n')
    with pytest.raises(KGError) as err:
        validate_export(tmp_path)
    message = str(err.value)
    assert "graph.ttl: not valid Turtle: " in message and "line 2" in message
    assert "\n" not in message


def test_undecodable_file(tmp_path):
    (tmp_path / "graph.ttl").write_bytes(b"\xff\xfe\x00 not turtle")
    with pytest.raises(KGError, match="not valid Turtle"):
        validate_export(tmp_path)
