"""``kg eval``: score a build against gold files written to the annotation guidelines.

Matching (guidelines): names match after NFKC, lower-casing and dropping spaces, hyphens,
underscores and dots; a found entity matches a gold one when its name or any surface form it
had in that digest matches the gold name or any gold alias, or their arXiv ids are equal.
Optional gold entities neither reward nor punish (when the found type is one they allow).

Scores:
- typed precision / recall / F1 per type and micro-averaged (a name match with the wrong type
  is a false positive and a miss);
- cross-digest linking: for every gold entity that appears in two digests and was found in
  both, was it the same node? Every pair of distinct gold entities found as one node counts
  against it too (a false merge);
- relations, per type and micro-averaged: precision, recall and F1 of typed relations.
  Recall: gold relations whose two ends were found, and joined by the same relation.
  Precision judges a found relation only when both its ends matched gold entities of that digest
  (required or optional): it is correct when the gold lists that relation between them, or
  implies it (variantOf is transitive in found and gold alike), and wrong otherwise. Two kinds
  are not judged, only counted as ``unjudged``: a relation with an end that matches no gold
  entity (or matches one only with the wrong type), because the entity scores already charge
  that end as a false positive and charging the relation too would count one error twice and
  make relation precision mostly a second entity precision; and a relation the gold does not
  list with an optional end, which neither rewards nor punishes, as the optional entity itself.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.errors import GoldFileError
from kg.graph import DIGEST, ENTITY, ITEM, KIND, MENTIONS
from kg.models import ENTITY_TYPES, RELATION_TYPES
from kg.resolve.normalize import match_key


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str
    keys: frozenset[str]
    arxiv: str | None
    optional: bool
    types: frozenset[str]


@dataclass(frozen=True)
class GoldDigest:
    digest: str
    entities: tuple[GoldEntity, ...]
    relations: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class FoundEntity:
    id: str
    type: str
    keys: frozenset[str]
    arxiv: str | None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @classmethod
    def total(cls, counts: Iterable[Counts]) -> Counts:
        """The micro-average's counts: every count summed."""
        total = cls()
        for c in counts:
            total.tp += c.tp
            total.fp += c.fp
            total.fn += c.fn
        return total

    def as_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class EvalReport:
    per_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ENTITY_TYPES})
    untyped: Counts = field(default_factory=Counts)
    link_correct: int = 0
    link_total: int = 0
    false_merges: int = 0
    relation_hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    relation_total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    relation_wrong: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """Found relations between two gold entities that the gold does not state (false positives)."""
    relation_unjudged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """Found relations with an end that matches no gold entity."""
    relation_misses: dict[str, list[str]] = field(default_factory=dict)
    relation_false_positives: dict[str, list[str]] = field(default_factory=dict)
    digests: list[str] = field(default_factory=list)
    missing_digests: list[str] = field(default_factory=list)
    misses: dict[str, list[str]] = field(default_factory=dict)
    false_positives: dict[str, list[str]] = field(default_factory=dict)

    @property
    def micro(self) -> Counts:
        return Counts.total(self.per_type.values())

    @property
    def linking(self) -> float:
        return self.link_correct / self.link_total if self.link_total else 0.0

    def relation_counts(self, rtype: str) -> Counts:
        hits = self.relation_hits[rtype]
        return Counts(tp=hits, fp=self.relation_wrong[rtype], fn=self.relation_total[rtype] - hits)

    @property
    def relation_micro(self) -> Counts:
        return Counts.total(self.relation_counts(t) for t in RELATION_TYPES)

    @property
    def relation_recall(self) -> float:
        return self.relation_micro.recall

    @property
    def relation_precision(self) -> float:
        return self.relation_micro.precision

    @property
    def relation_f1(self) -> float:
        return self.relation_micro.f1

    def as_dict(self) -> dict:
        return {
            "digests": self.digests,
            "missing_digests": self.missing_digests,
            "per_type": {t: c.as_dict() for t, c in self.per_type.items()},
            "micro": self.micro.as_dict(),
            "untyped": self.untyped.as_dict(),
            "linking": {
                "accuracy": round(self.linking, 4),
                "correct": self.link_correct,
                "pairs": self.link_total,
                "false_merges": self.false_merges,
            },
            "relations": {
                **self.relation_micro.as_dict(),
                "unjudged": sum(self.relation_unjudged.values()),
                "per_type": {
                    t: {
                        **self.relation_counts(t).as_dict(),
                        "hits": self.relation_hits[t],
                        "gold": self.relation_total[t],
                        "unjudged": self.relation_unjudged[t],
                    }
                    for t in RELATION_TYPES
                    if self.relation_total[t] or self.relation_wrong[t] or self.relation_unjudged[t]
                },
                "misses": self.relation_misses,
                "false_positives": self.relation_false_positives,
            },
            "misses": self.misses,
            "false_positives": self.false_positives,
        }


def load_gold(gold_dir: Path) -> list[GoldDigest]:
    """Every ``*.json`` gold file in ``gold_dir``, sorted by digest name."""
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldFileError(str(gold_dir), "no gold files (*.json) in this folder")
    return sorted((_read_gold(f) for f in files), key=lambda g: g.digest)


def _read_gold(path: Path) -> GoldDigest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GoldFileError(str(path), f"not readable JSON ({err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("digest"), str):
        raise GoldFileError(str(path), 'expected an object with "digest", "entities" and "relations"')
    entities = []
    for n, e in enumerate(data.get("entities", [])):
        if not isinstance(e, dict) or not e.get("name") or e.get("type") not in ENTITY_TYPES:
            raise GoldFileError(str(path), f"entity {n}: needs a name and one of the types {', '.join(ENTITY_TYPES)}")
        names = [e["name"], *e.get("aliases", [])]
        optional = bool(e.get("optional", False))
        entities.append(
            GoldEntity(
                name=e["name"],
                type=e["type"],
                keys=frozenset(k for k in (match_key(str(x)) for x in names) if k),
                arxiv=e.get("arxiv"),
                optional=optional,
                types=frozenset(e.get("types") or [e["type"]]) | {e["type"]},
            )
        )
    relations = []
    for r in data.get("relations", []):
        if isinstance(r, dict) and r.get("type") in RELATION_TYPES and r.get("source") and r.get("target"):
            relations.append((r["type"], str(r["source"]), str(r["target"])))
    return GoldDigest(data["digest"], tuple(entities), tuple(relations))


def found_by_digest(g: nx.MultiDiGraph) -> dict[str, tuple[dict[str, FoundEntity], set[tuple[str, str, str]]]]:
    """For each digest file name: the entities its items mention (with the forms used there)
    and the typed relations with evidence in it."""
    file_of = {n: d["file_name"] for n, d in g.nodes(data=True) if d.get(KIND) == DIGEST}
    digest_of_item = {n: f"digest/{d['digest']}" for n, d in g.nodes(data=True) if d.get(KIND) == ITEM}
    entities: dict[str, dict[str, FoundEntity]] = defaultdict(dict)
    surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, entity, data in g.edges(data=True):
        if data.get("type") != MENTIONS:
            continue
        file_name = file_of[digest_of_item[item]]
        surfaces[(file_name, entity)].update(data.get("surfaces", []))
    for (file_name, entity), forms in surfaces.items():
        node = g.nodes[entity]
        keys = {match_key(node["name"]), *(match_key(s) for s in forms)}
        entities[file_name][entity] = FoundEntity(entity, node["type"], frozenset(k for k in keys if k), node.get("arxiv_id"))
    digest_id_to_file = {n.split("/", 1)[1]: f for n, f in file_of.items()}
    relations: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for s, t, data in g.edges(data=True):
        rtype = data.get("type")
        if rtype not in RELATION_TYPES:
            continue
        for ev in data.get("evidence", []):
            relations[digest_id_to_file.get(ev["digest"], "")].add((rtype, s, t))
    # variantOf is transitive: Qwen3-8B -> Qwen3 -> Qwen says Qwen3-8B is a variant of Qwen.
    families: dict[str, set[str]] = defaultdict(set)
    for s, t, data in g.edges(data=True):
        if data.get("type") == "variantOf":
            families[s].add(t)
    for s in list(families):
        seen, stack = set(), list(families[s])
        while stack:
            f = stack.pop()
            if f not in seen:
                seen.add(f)
                stack.extend(families.get(f, ()))
        for file_name, found in entities.items():
            if s in found:
                relations[file_name].update(("variantOf", s, t) for t in seen if t in found)
    return {f: (entities.get(f, {}), relations.get(f, set())) for f in file_of.values()}


def evaluate(gold: list[GoldDigest], g: nx.MultiDiGraph) -> EvalReport:
    report = EvalReport()
    found = found_by_digest(g)
    matched_nodes: list[tuple[str, GoldEntity, str]] = []  # (digest, gold entity, node id)
    merged_into: dict[tuple[str, GoldEntity], set[str]] = {}  # every node that carries a gold entity's names
    for gd in gold:
        if gd.digest not in found:
            report.missing_digests.append(gd.digest)
            found_entities, found_relations = {}, set()
        else:
            report.digests.append(gd.digest)
            found_entities, found_relations = found[gd.digest]
        node_of = _score_digest(gd, found_entities, report)
        matched_nodes += [(gd.digest, ge, node) for ge, node in node_of.items()]
        for ge in gd.entities:
            named = {f.id for f in found_entities.values() if f.type in ge.types and _matches(f, ge)}
            merged_into[(gd.digest, ge)] = named
        _score_relations(gd, node_of, found_relations, report)
    _score_linking(matched_nodes, merged_into, report)
    return report


def _score_relations(
    gd: GoldDigest, node_of: dict[GoldEntity, str], found: set[tuple[str, str, str]], report: EvalReport
) -> None:
    misses: list[str] = []
    for rtype, source, target in gd.relations:
        report.relation_total[rtype] += 1
        s_nodes = {n for ge, n in node_of.items() if match_key(source) in ge.keys}
        t_nodes = {n for ge, n in node_of.items() if match_key(target) in ge.keys}
        if any((rtype, s, t) in found for s in s_nodes for t in t_nodes):
            report.relation_hits[rtype] += 1
        else:
            misses.append(f"{rtype}: {source} -> {target}")
    gold_of = {node: ge for ge, node in node_of.items()}
    stated = _gold_relation_keys(gd)
    wrong: list[str] = []
    for rtype, s, t in sorted(found):
        gs, gt = gold_of.get(s), gold_of.get(t)
        if gs is None or gt is None:
            report.relation_unjudged[rtype] += 1
        elif any((rtype, a, b) in stated for a in gs.keys for b in gt.keys):
            continue  # a hit, counted with the gold relations above
        elif gs.optional or gt.optional:
            report.relation_unjudged[rtype] += 1
        else:
            report.relation_wrong[rtype] += 1
            wrong.append(f"{rtype}: {gs.name} -> {gt.name}")
    report.relation_misses[gd.digest] = misses
    report.relation_false_positives[gd.digest] = wrong


def _gold_relation_keys(gd: GoldDigest) -> set[tuple[str, str, str]]:
    """The gold's relations by matching key, with every alias of each end, variantOf closed."""
    keys_of: dict[str, frozenset[str]] = {}
    for ge in gd.entities:
        for k in ge.keys:
            keys_of[k] = keys_of.get(k, frozenset()) | ge.keys
    def forms(name: str) -> frozenset[str]:
        k = match_key(name)
        return keys_of.get(k, frozenset({k}))
    stated = {(r, a, b) for r, s, t in gd.relations for a in forms(s) for b in forms(t)}
    parents: dict[str, set[str]] = defaultdict(set)
    for r, a, b in stated:
        if r == "variantOf":
            parents[a].add(b)
    for a in list(parents):
        seen, stack = set(), list(parents[a])
        while stack:
            b = stack.pop()
            if b not in seen and b != a:
                seen.add(b)
                stack.extend(parents.get(b, ()))
        stated.update(("variantOf", a, b) for b in seen)
    return stated


def _matches(f: FoundEntity, ge: GoldEntity) -> bool:
    return bool(f.keys & ge.keys) or bool(f.arxiv and ge.arxiv and f.arxiv == ge.arxiv)


def _score_digest(gd: GoldDigest, found: dict[str, FoundEntity], report: EvalReport) -> dict[GoldEntity, str]:
    node_of: dict[GoldEntity, str] = {}
    misses = []
    false_positives = []
    untyped_hit: set[GoldEntity] = set()
    for f in sorted(found.values(), key=lambda f: f.id):
        same_type = [ge for ge in gd.entities if ge.type == f.type and _matches(f, ge)]
        required = [ge for ge in same_type if not ge.optional and ge not in node_of]
        if required:
            node_of[required[0]] = f.id
            report.per_type[f.type].tp += 1
        elif any(ge.optional for ge in same_type) or any(
            ge.optional and f.type in ge.types and _matches(f, ge) for ge in gd.entities
        ):
            optional = next(ge for ge in gd.entities if ge.optional and f.type in ge.types and _matches(f, ge))
            node_of.setdefault(optional, f.id)
        else:
            report.per_type[f.type].fp += 1
            false_positives.append(f"{f.type}: {f.id.split('/', 1)[1]}")
        any_match = [ge for ge in gd.entities if not ge.optional and _matches(f, ge) and ge not in untyped_hit]
        if any_match:
            untyped_hit.add(any_match[0])
            report.untyped.tp += 1
        elif not any(_matches(f, ge) for ge in gd.entities):
            report.untyped.fp += 1
    for ge in gd.entities:
        if ge.optional:
            continue
        if ge not in node_of:
            report.per_type[ge.type].fn += 1
            misses.append(f"{ge.type}: {ge.name}")
        if ge not in untyped_hit:
            report.untyped.fn += 1
    report.misses[gd.digest] = misses
    report.false_positives[gd.digest] = false_positives
    return node_of


def _score_linking(
    matched: list[tuple[str, GoldEntity, str]], merged_into: dict[tuple[str, GoldEntity], set[str]], report: EvalReport
) -> None:
    """Pairs across digests of one gold entity found as one node; each pair of distinct gold
    entities that share a node (a false merge: GPT-4 and GPT-4o as one) counts against."""
    groups: list[list[tuple[str, GoldEntity, str]]] = []
    for entry in matched:
        _, ge, _ = entry
        for group in groups:
            if any(other.type == ge.type and (other.keys & ge.keys) for _, other, _ in group):
                group.append(entry)
                break
        else:
            groups.append([entry])
    for group in groups:
        for i, (d1, _, n1) in enumerate(group):
            for d2, _, n2 in group[i + 1 :]:
                if d1 != d2:
                    report.link_total += 1
                    report.link_correct += n1 == n2
    # distinct gold entities of one digest that one node carries
    by_digest: dict[str, list[tuple[GoldEntity, set[str]]]] = defaultdict(list)
    for (digest, ge), nodes in merged_into.items():
        if nodes and not ge.optional:
            by_digest[digest].append((ge, nodes))
    for entries in by_digest.values():
        for i, (a, nodes_a) in enumerate(entries):
            for b, nodes_b in entries[i + 1 :]:
                if nodes_a & nodes_b and not (a.keys & b.keys):
                    report.false_merges += 1
                    report.link_total += 1


def format_report(report: EvalReport) -> str:
    lines = [f"{'type':<14}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for t, c in [*report.per_type.items(), ("micro (typed)", report.micro), ("untyped", report.untyped)]:
        lines.append(f"{t:<14}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}")
    lines.append(
        f"cross-digest linking: {report.linking:.3f} ({report.link_correct}/{report.link_total} pairs, "
        f"{report.false_merges} false merges)"
    )
    rows = [(t, report.relation_counts(t)) for t in RELATION_TYPES if report.relation_total[t] or report.relation_wrong[t]]
    if rows:
        lines.append(f"{'relation':<14}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}")
        for t, c in [*rows, ("micro", report.relation_micro)]:
            lines.append(f"{t:<14}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}")
        lines.append(f"relations not judged (an end matches no gold entity): {sum(report.relation_unjudged.values())}")
    else:
        lines.append("relations: no gold relations")
    if report.missing_digests:
        lines.append(f"not in the build: {', '.join(report.missing_digests)}")
    return "\n".join(lines)


def entity_nodes(g: nx.MultiDiGraph) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d.get(KIND) == ENTITY]
