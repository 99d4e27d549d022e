"""The Neo4j bulk bundle: CSV files for ``neo4j-admin database import`` and LOAD CSV, with scripts.

``write_bundle(graph, out)`` writes ``out/neo4j/``:

    nodes-<Label>.csv      one per label: id:ID(Entity|Digest|Item), then typed property columns
    rels-<TYPE>.csv        one per type: :START_ID(space), :END_ID(space), :TYPE, properties
    schema.cypher          the uniqueness constraints and indexes (after neo4j-admin import)
    load.cypher            for cypher-shell: the schema, then every CSV by LOAD CSV, MERGEd
    README.md              both ways to load, with the exact commands

The same files serve both readers because they are written for what the two share: every
string is quoted, a quote inside is doubled and a backslash doubled (what LOAD CSV does with
``db.import.csv.legacy_quote_escaping``, on by default, and neo4j-admin with
``--legacy-style-quoting=true``); list elements are joined by U+001F, the ASCII unit separator,
which text never contains (``--array-delimiter=U+001F``; a stray one is replaced by U+FFFD).
Rows are sorted, so the same graph gives the same bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import groupby, islice
from operator import attrgetter, gt, itemgetter
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.export.files import open_atomic, paused_gc, write_text_atomic
from kg.export.merge import Chunk, OldFile, SortedIndex, Written, write_sorted
from kg.export.scopes import ExportKeys, Selection, export_keys, whole
from kg.export.store import ExportRecords, write_reusing
from kg.graph import _digest_attrs, _entity_attrs, _item_attrs, _relation_attrs, digest_node, graph_data, item_node
from kg.memo import Memo
from kg.models import ENTITY_TYPES, Entity, ItemMentions, KnowledgeGraph, Relation
from kg.neo4j import model
from kg.neo4j.model import (
    BOOLEAN,
    CO_MENTIONED,
    DATE,
    DIGEST,
    ENDPOINTS,
    ENTITY,
    ID_SPACES,
    ITEM,
    LONG,
    MENTIONS,
    NODE_LABELS,
    NODE_PROPERTIES,
    PART_OF,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIP_TYPES,
    STRING,
    STRING_LIST,
    GraphRows,
    Property,
    schema_statements,
)

log = logging.getLogger(__name__)

BUNDLE_DIR = "neo4j"
ARRAY_DELIMITER = "\x1f"
"""Between list elements inside one CSV field: U+001F, the unit separator, never in text."""
ARRAY_DELIMITER_OPTION = "U+001F"
_REPLACEMENT = "\ufffd"
LOAD_CSV_BATCH = 5000
"""Rows per transaction in load.cypher (CALL { … } IN TRANSACTIONS OF n ROWS)."""


def node_file(label: str) -> str:
    return f"nodes-{label}.csv"


def relationship_file(rel_type: str) -> str:
    return f"rels-{rel_type}.csv"


def write_bundle(graph: Any, out_dir: Path, records: ExportRecords | None = None) -> list[Path]:
    """Write the bundle for ``graph`` into ``out_dir/neo4j/``; returns the files written.

    ``graph`` is a build's graph.json (its path, or the folder holding it), a KnowledgeGraph,
    a networkx graph from ``kg.graph.to_networkx``, or its node-link dict.

    For a KnowledgeGraph, each CSV but the entities' is written record by record (a row, or an
    item's MENTIONS rows): with ``records`` (kg.export.store), those of scopes unchanged since
    the previous build are copied from the old files and only the others made, then the new
    records are stored; without, every row is made (the same path, with nothing to copy).
    """
    folder = Path(out_dir) / BUNDLE_DIR
    if isinstance(graph, KnowledgeGraph):
        keys = records.keys if records is not None else export_keys(graph)
        if keys is not None:
            return _write_records(graph, keys, folder, records)
        graph = graph_data(graph, lazy_edges=True)  # what to_networkx would give, without the networkx graph
    written = []
    with paused_gc():  # the rows too: hundreds of thousands of acyclic dicts, and a large graph beside them
        rows = model.graph_rows(_node_link(graph))
        for name, lines in _bundle_lines(rows.nodes, rows.relationships).items():
            path = folder / name
            write_text_atomic(path, lines)  # a CSV is written as it is made
            written.append(path)
    return written


_INDEXED = frozenset({node_file(DIGEST), node_file(ITEM), *map(relationship_file, RELATIONSHIP_TYPES)})
"""The CSVs written record by record (a row, or all the rows from one item or one entity's
co-mention links). The entities' CSVs are small and change with most builds."""


def _write_records(kg: KnowledgeGraph, keys: ExportKeys, folder: Path, records: ExportRecords | None) -> list[Path]:
    previous: dict[str, tuple[OldFile, SortedIndex]] | None = None
    kept: frozenset[str] = frozenset()
    reuse = records.reuse(kg) if records is not None and records.previous_keys is not None else None
    if reuse is not None and reuse.kept:
        previous = _previous_files(folder, records.old_index())  # type: ignore[union-attr]
        if previous is None:
            log.info("%s: not the files the export store describes; written whole", folder)
        else:
            kept = reuse.kept

    def write(attempt: dict[str, tuple[OldFile, SortedIndex]] | None) -> tuple[list[Path], dict[str, Any]]:
        selection = reuse.fresh if reuse is not None and attempt is not None else whole(kg, keys)
        with paused_gc():
            return _write_files(kg, selection, folder, attempt, kept if attempt is not None else frozenset())

    done = write_reusing(folder, previous, write, records, itemgetter(1))
    if done is None:
        return write_bundle(graph_data(kg, lazy_edges=True), folder.parent)
    return done[0]


def _previous_files(folder: Path, value: Any) -> dict[str, tuple[OldFile, SortedIndex]] | None:
    """The old CSVs and their indexes, when every one is the file indexed."""
    if not isinstance(value, dict) or set(value) != _INDEXED:
        return None
    found = {}
    for name, packed in value.items():
        index = SortedIndex.unpack(packed)
        old = OldFile.open(folder / name, index.stamp) if index is not None else None
        if old is None:
            return None
        found[name] = (old, index)  # type: ignore[assignment]
    return found


def _write_files(
    kg: KnowledgeGraph, selection: Selection, folder: Path, previous: dict[str, tuple[OldFile, SortedIndex]] | None, kept: frozenset[str]
) -> tuple[list[Path], dict[str, tuple]]:
    """Every file of the bundle, the indexed CSVs from the records of ``selection`` and the kept
    ones of ``previous``; the files written and the new indexes.

    Every row is made as it is written, the indexed CSVs' a batch of records at a time: made all
    at once, the rows took 0.37 GB (graph_rows) and the items' 0.24 GB more at 100x a corpus whose
    names vary."""
    relations: dict[str, list[tuple[tuple[str, str], str, Relation]]] = {t: [] for t in model.RELATION_TYPES.values()}
    for scope, r in selection.relations:
        relations[model.RELATION_TYPES[r.type]].append(((r.source, r.target), scope, r))
    # the items, sorted once for the three CSVs of their rows (ids sort as their IRIs do)
    items = sorted(((item.id, scope, (item, d)) for scope, d in selection.digests for item in d.items), key=itemgetter(0))
    chunks_of: dict[str, Callable[[], Iterator[Chunk]]] = {
        node_file(DIGEST): partial(_digest_chunks, selection),
        node_file(ITEM): partial(_item_node_chunks, items),
        relationship_file(MENTIONS): partial(_mention_chunks, items, selection),
        relationship_file(PART_OF): partial(_part_of_chunks, items),
        relationship_file(CO_MENTIONED): partial(_co_mention_chunks, selection),
        **{relationship_file(t): partial(_relation_chunks, t, records) for t, records in relations.items()},
    }
    written, indexes = [], {}
    for name, lines in _bundle_lines(_entity_rows(kg), {}).items():
        path = folder / name
        if name not in _INDEXED:
            write_text_atomic(path, lines)
        else:
            head = next(iter(lines)).encode("utf-8")
            with open_atomic(path) as handle:
                index = write_sorted(Written(handle), head, chunks_of[name](), previous[name] if previous else None, kept)
            indexes[name] = index.pack()
        written.append(path)
    return written, indexes


def _entity_rows(kg: KnowledgeGraph) -> dict[str, Iterator[model.NodeRow]]:
    """Per entity type, its entities' rows, sorted by id and made as they are read."""
    by_type: dict[str, list[Entity]] = {t: [] for t in ENTITY_TYPES}
    for e in sorted(kg.entities, key=attrgetter("id")):
        by_type[e.type].append(e)
    return {t: (model.node_row({**_entity_attrs(e), "id": e.id})[1] for e in entities) for t, entities in by_type.items()}  # type: ignore[index]


Record = tuple[Any, str, Any]
"""(sort key, scope, what the record's text is made from), as the chunk makers below sort them."""


def _record_chunks(records: Sequence[Record], key: Callable[[Any], str], text: Callable[[str, Any], str], size: int = 4096) -> Iterator[Chunk]:
    """Records sorted by their sort key, ``size`` at a time, each as its index key (``key`` of
    its sort key) and its text (``text`` of that index key and what it is made from), made a
    batch at a time."""
    for first in range(0, len(records), size):
        batch = records[first : first + size]
        keys = [key(record[0]) for record in batch]
        encoded = [text(k, record[2]).encode("utf-8") for k, record in zip(keys, batch)]
        yield Chunk(keys, [record[1] for record in batch], list(map(len, encoded)), b"".join(encoded))


def _digest_chunks(selection: Selection) -> Iterator[Chunk]:
    """nodes-Digest.csv's rows for the selection's digests, one record each, keyed by its IRI."""
    line = _node_line(DIGEST)
    records = sorted(((d.id, scope, d) for scope, d in selection.digests), key=itemgetter(0))
    return _record_chunks(records, lambda id: model.iri(digest_node(id)), lambda _, d: line(_node_row(digest_node(d.id), _digest_attrs(d))))


def _item_node_chunks(items: list[Record]) -> Iterator[Chunk]:
    """nodes-Item.csv's rows for ``items`` ((id, scope, (item, digest)), sorted), one record
    each, keyed by its IRI."""
    line = _node_line(ITEM)
    return _record_chunks(items, _item_iri, lambda _, item_of: line(_node_row(item_node(item_of[0].id), _item_attrs(*item_of))))


def _item_iri(item_id: str) -> str:
    return model.iri(item_node(item_id))


def _node_row(node: str, attrs: dict[str, Any]) -> model.NodeRow:
    return model.node_row({**attrs, "id": node})[1]  # type: ignore[index]  # a digest's or item's is never None


def _relation_chunks(rel_type: str, records: list[Record]) -> Iterator[Chunk]:
    """A typed relation's CSV rows for the selection's relations of that type, one record each,
    keyed by its start and end IRIs with a NUL between (which sorts as the pair: no IRI holds
    one); each record is ((source id, target id), scope, relation)."""
    line = _relationship_line(rel_type)
    iris = Memo(model.iri)  # an entity is the end of many relations

    def text(r: Relation) -> str:
        edge = {**_relation_attrs(r), "source": r.source, "target": r.target}
        return line(model.relationship_row(edge, iris.__getitem__)[3])  # type: ignore[index]  # a typed relation's is never None

    records.sort(key=itemgetter(0))  # ids sort as their IRIs do: one prefix before each
    return _record_chunks(records, lambda ends: f"{iris[ends[0]]}\0{iris[ends[1]]}", lambda _, r: text(r))


def _part_of_chunks(items: list[Record]) -> Iterator[Chunk]:
    """The PART_OF rows of ``items`` (as ``_item_node_chunks`` takes them), as graph_rows and
    ``_relationship_lines`` make them, one record each, keyed by the item's IRI."""
    digest = Memo(lambda digest_id: _quote(model.iri(digest_node(digest_id))))  # a digest is the end of many rows
    return _record_chunks(items, _item_iri, lambda start, item_of: f"{_quote(start)},{digest[item_of[1].id]},{PART_OF}\n")


def _mention_chunks(items: list[Record], selection: Selection) -> Iterator[Chunk]:
    """The MENTIONS rows of ``items`` (as ``_item_node_chunks`` takes them), as graph_rows and
    ``_relationship_lines`` make them: one record per item holding all its rows (sorted by
    their end), keyed by the item's IRI; an item that mentions nothing has none."""
    count_column, surfaces_column = RELATIONSHIP_PROPERTIES[MENTIONS]  # as _fields formats them
    quoted = Memo(_quote)  # an entity is named by many items
    mentions = {im.item_id: im for _, im in selection.item_mentions}
    records = [(item_id, scope, im) for item_id, scope, _ in items if (im := mentions.get(item_id)) is not None and im.entity_ids]

    def rows(start: str, im: ItemMentions) -> str:
        head = _quote(start)
        return "".join(
            [
                f"{head},{quoted[end]},{MENTIONS},{_long_field(count, count_column)},{_list_field(surfaces, surfaces_column)}\n"
                for end, surfaces, count in sorted(zip(map(model.iri, im.entity_ids), im.surfaces, im.counts))
            ]
        )

    return _record_chunks(records, _item_iri, rows)


def _co_mention_chunks(selection: Selection, size: int = 4096) -> Iterator[Chunk]:
    """The rows of CO_MENTIONED for the selection's co-mentions, as graph_rows and
    ``_relationship_lines`` make them, but straight from the links: one record for the rows from one
    entity, keyed by the links' scope (their source's, ``c\\0<source>``).

    There are ten times as many links as entities (a million and more in a large corpus), and a
    row dict each, with its key and scope held twice more, took more memory than the whole graph.
    The scopes sort as the rows' start IRIs do: ids hold no NUL (scopes.well_formed) and every
    IRI is its id after one prefix; a source's rows sort by their end, as its links do."""
    weight_column = RELATIONSHIP_PROPERTIES[CO_MENTIONED][0]
    quoted = Memo(lambda node: _quote(model.iri(node)))  # an entity's IRI is quoted once, however many links name it
    links = selection.co_mentions
    ends = map(_ENDS, map(_LINK, links))
    if any(map(gt, ends, islice(map(_ENDS, map(_LINK, links)), 1, None))):  # the resolver's are sorted; any graph's may not be
        links = sorted(links, key=lambda link: _ENDS(link[1]))
    records = ((scope, [c for _, c in rows]) for scope, rows in groupby(links, key=itemgetter(0)))
    while batch := list(islice(records, size)):
        encoded = [
            "".join([f"{quoted[c.source]},{quoted[c.target]},{CO_MENTIONED},{_long_field(c.weight, weight_column)}\n" for c in rows]).encode()
            for _, rows in batch
        ]
        scopes = [scope for scope, _ in batch]
        yield Chunk(scopes, scopes, list(map(len, encoded)), b"".join(encoded))


_LINK, _ENDS = itemgetter(1), attrgetter("source", "target")


def bundle_files(rows: GraphRows) -> dict[str, bytes]:
    """Every file of the bundle by name: the pure half of ``write_bundle``."""
    return {name: _text("".join(lines)) for name, lines in _bundle_lines(rows.nodes, rows.relationships).items()}


def _bundle_lines(nodes: Mapping[str, Iterable[model.NodeRow]], relationships: Mapping[str, Iterable[model.RelationshipRow]]) -> dict[str, Iterable[str]]:
    """Every file of the bundle by name, as lazily made pieces of text, from each label's and
    type's rows (sorted already, as GraphRows' are)."""
    files: dict[str, Iterable[str]] = {}
    for label in NODE_LABELS:
        files[node_file(label)] = _node_lines(label, nodes.get(label, ()))
    for rel_type in RELATIONSHIP_TYPES:
        files[relationship_file(rel_type)] = _relationship_lines(rel_type, relationships.get(rel_type, ()))
    files["schema.cypher"] = [";\n".join(schema_statements()) + ";\n"]
    files["load.cypher"] = [load_cypher()]
    files["README.md"] = [readme()]
    return files


# CSV


def node_header(label: str) -> list[str]:
    return [f"id:ID({ID_SPACES[label]})", *(_column(p) for p in NODE_PROPERTIES[label])]


def relationship_header(rel_type: str) -> list[str]:
    start, end = ENDPOINTS[rel_type]
    return [f":START_ID({start})", f":END_ID({end})", ":TYPE", *(_column(p) for p in RELATIONSHIP_PROPERTIES[rel_type])]


def _node_lines(label: str, rows: Iterable[model.NodeRow]) -> Iterator[str]:
    """The CSV of ``rows``, sorted by id already."""
    yield ",".join(node_header(label)) + "\n"
    yield from map(_node_line(label), rows)


def _relationship_lines(rel_type: str, rows: Iterable[model.RelationshipRow]) -> Iterator[str]:
    """The CSV of ``rows``, sorted by (start, end) already."""
    yield ",".join(relationship_header(rel_type)) + "\n"
    yield from map(_relationship_line(rel_type), rows)


def _node_line(label: str) -> Callable[[model.NodeRow], str]:
    """The function that makes one CSV line of a node of ``label``."""
    fields = _fields(NODE_PROPERTIES[label])
    return lambda row: ",".join([_quote(row["id"]), *fields(row["props"])]) + "\n"


def _relationship_line(rel_type: str) -> Callable[[model.RelationshipRow], str]:
    """The function that makes one CSV line of a relationship of ``rel_type``."""
    fields = _fields(RELATIONSHIP_PROPERTIES[rel_type])
    quoted = Memo(_quote)  # a node's id is quoted once, however many relationships name it
    return lambda row: ",".join([quoted[row["start"]], quoted[row["end"]], rel_type, *fields(row["props"])]) + "\n"


def _fields(properties: Sequence[Property]) -> Callable[[dict[str, Any]], list[str]]:
    """The function that makes a row's property fields, with each property's formatter chosen once."""
    columns = [(p.name, _formatter(p), p) for p in properties]

    def fields(props: dict[str, Any]) -> list[str]:
        return [formatter(value, p) if (value := props.get(name)) is not None else "" for name, formatter, p in columns]

    return fields


def _column(prop: Property) -> str:
    return prop.name if prop.kind == STRING else f"{prop.name}:{prop.kind}"


def _field(value: Any, prop: Property) -> str:
    """One CSV field. Empty and unquoted means "no property"; an empty list is no property too
    (neo4j-admin import cannot write an empty array)."""
    return "" if value is None else _formatter(prop)(value, prop)


def _formatter(prop: Property) -> Callable[[Any, Property], str]:
    if prop.kind not in _FORMATTERS:
        raise ValueError(f"unknown property kind {prop.kind!r}")
    return _FORMATTERS[prop.kind]


def _string_field(value: Any, prop: Property) -> str:
    return _quote(str(value))


def _long_field(value: Any, prop: Property) -> str:
    return str(int(value))


def _boolean_field(value: Any, prop: Property) -> str:
    return "true" if value else "false"


def _date_field(value: Any, prop: Property) -> str:
    return value.isoformat()  # type: ignore[no-any-return]


def _list_field(value: Any, prop: Property) -> str:
    if not value:
        return ""
    try:
        joined = ARRAY_DELIMITER.join(value)
    except TypeError:  # not all strings
        joined = ARRAY_DELIMITER.join(map(str, value))
    if joined.count(ARRAY_DELIMITER) != len(value) - 1:  # an element holds the delimiter
        joined = ARRAY_DELIMITER.join(_element(str(v), prop) for v in value)
    return _quote(joined)


_FORMATTERS: dict[str, Callable[[Any, Property], str]] = {
    STRING: _string_field,
    LONG: _long_field,
    BOOLEAN: _boolean_field,
    DATE: _date_field,
    STRING_LIST: _list_field,
}
"""The CSV field of a value that is not None, by property kind."""


def _element(value: str, prop: Property) -> str:
    if ARRAY_DELIMITER in value:
        log.warning("%s: %r holds U+001F, the list delimiter; written as U+FFFD", prop.name, value)
        return value.replace(ARRAY_DELIMITER, _REPLACEMENT)
    return value


def _quote(value: str) -> str:
    # Doubling backslashes keeps a value that ends in one, or holds \" , from ending the field
    # early for a reader that takes \" as an escaped quote (LOAD CSV by default).
    return '"' + value.replace("\\", "\\\\").replace('"', '""') + '"'


def _text(text: str) -> bytes:
    return text.encode("utf-8")


# Cypher


def load_cypher(batch: int = LOAD_CSV_BATCH) -> str:
    """The cypher-shell script: schema, then nodes, then relationships; statements end ';\\n'."""
    statements = [
        "// kg's graph from the CSV files beside this script, copied into the server's import folder.\n"
        "// Idempotent: nodes MERGE on id, relationships on (start, type, end). Run: cypher-shell -f load.cypher\n"
        + schema_statements()[0],
        *schema_statements()[1:],
        "CALL db.awaitIndexes(300)",
    ]
    for label in NODE_LABELS:
        id_column = node_header(label)[0]
        extra = f"\n  SET n:`{ENTITY}`" if label in ENTITY_TYPES else ""
        statements.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{node_file(label)}' AS row\n"
            "CALL (row) {\n"
            f"  MERGE (n:`{label}` {{id: row.`{id_column}`}}){extra}\n"
            f"  SET n += {_props_map(NODE_PROPERTIES[label])}\n"
            f"}} IN TRANSACTIONS OF {batch} ROWS"
        )
    for rel_type in RELATIONSHIP_TYPES:
        start, end = ENDPOINTS[rel_type]
        start_column, end_column = relationship_header(rel_type)[:2]
        statements.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{relationship_file(rel_type)}' AS row\n"
            "CALL (row) {\n"
            f"  MATCH (a:`{start}` {{id: row.`{start_column}`}})\n"
            f"  MATCH (b:`{end}` {{id: row.`{end_column}`}})\n"
            f"  MERGE (a)-[r:`{rel_type}`]->(b)\n"
            + (f"  SET r += {_props_map(RELATIONSHIP_PROPERTIES[rel_type])}\n" if RELATIONSHIP_PROPERTIES[rel_type] else "")
            + f"}} IN TRANSACTIONS OF {batch} ROWS"
        )
    return ";\n".join(statements) + ";\n"


def _props_map(properties: Sequence[Property]) -> str:
    entries = [f"{p.name}: {_read(p)}" for p in properties]
    return "{" + ", ".join(entries) + "}"


def _read(prop: Property) -> str:
    """The Cypher that turns a LOAD CSV field (a string or null) into the property's value."""
    field = f"row.`{_column(prop)}`"
    if prop.kind == STRING:
        return field
    if prop.kind == LONG:
        return f"toInteger({field})"
    if prop.kind == BOOLEAN:
        return f"toBoolean({field})"
    if prop.kind == DATE:
        return f"date({field})"
    if prop.kind == STRING_LIST:
        return f"coalesce(split({field}, '\\u001F'), [])"
    raise ValueError(f"unknown property kind {prop.kind!r}")


def import_arguments(database: str = "neo4j") -> list[str]:
    """The arguments of ``neo4j-admin`` that import the bundle, run inside its folder."""
    args = ["database", "import", "full"]
    for label in NODE_LABELS:
        labels = f"{label}:{ENTITY}" if label in ENTITY_TYPES else label
        args.append(f"--nodes={labels}={node_file(label)}")
    for rel_type in RELATIONSHIP_TYPES:
        args.append(f"--relationships={relationship_file(rel_type)}")
    args += [
        f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
        "--legacy-style-quoting=true",
        "--multiline-fields=true",
        database,
    ]
    return args


def readme() -> str:
    args = import_arguments()
    command = " \\\n    ".join([" ".join(["neo4j-admin", *args[:3]]), *args[3:]])
    files = "\n".join(
        [f"| `{node_file(label)}` | `:{label}` nodes |" for label in NODE_LABELS]
        + [f"| `{relationship_file(t)}` | `:{t}` relationships |" for t in RELATIONSHIP_TYPES]
    )
    return f"""# kg's graph for Neo4j

Written by `kg build`; the same graph `kg neo4j load` sends over Bolt. Every node's `id` is its
IRI in `graph.ttl`. Needs Neo4j 5.23 or later (the 5.26 LTS, or 2025.x).

| file | holds |
| --- | --- |
{files}
| `schema.cypher` | uniqueness constraints on `id` per label, an index on `Entity.name` |
| `load.cypher` | the schema, then every CSV through `LOAD CSV`, for `cypher-shell` |

## Into a new database: neo4j-admin (offline, fastest)

`neo4j-admin database import full` creates a database that must not exist yet (or add
`--overwrite-destination=true` to replace it). Stop the server, then inside this folder:

```sh
{command}
```

Start the server (Enterprise: `CREATE DATABASE neo4j` if it is a new name) and add the constraints:

```sh
cypher-shell -d neo4j -f schema.cypher
```

The result is the graph `load.cypher` and the Bolt loader give, but for two kinds of list that
neo4j-admin cannot write: an empty list (`aliases`, `links`, `tags`: `[]` elsewhere) and a
list of one empty string (`evidence_dates` of a relation whose only evidence is undated: `[""]`
elsewhere) are left out.

## Into a running server: LOAD CSV

Copy the CSV files into the server's import folder (`server.directories.import`, e.g.
`/var/lib/neo4j/import`, or `/import` in the Docker image), then:

```sh
cp *.csv /var/lib/neo4j/import/
cypher-shell -a bolt://localhost:7687 -u neo4j -d neo4j -f load.cypher
```

It MERGEs, so running it again changes nothing, and it never deletes: to drop what a newer
build no longer has, use `kg neo4j load --replace`.

## Format

- Strings are always quoted; a `"` inside is written `""` and a backslash `\\\\`. That is how
  LOAD CSV reads them by default (`db.import.csv.legacy_quote_escaping=true`) and how
  neo4j-admin reads them with `--legacy-style-quoting=true`: keep that option. (A server
  configured with `db.import.csv.legacy_quote_escaping=false` would read backslashes doubled.)
- List elements are separated by U+001F (the ASCII unit separator, `--array-delimiter=U+001F`),
  which text never contains; `load.cypher` splits on it.
- Fields may span lines (`--multiline-fields=true`). Files are UTF-8, rows sorted by id.
- Relationship evidence is four parallel lists: `evidence_sentences`, `evidence_items` (item
  ids), `evidence_digests` (digest ids) and `evidence_dates` (ISO dates, `""` when unknown).
"""


def _node_link(graph: Any) -> dict[str, Any]:
    if isinstance(graph, (str, Path)):
        path = Path(graph)
        if path.is_dir():
            path = path / "graph.json"
        try:
            return dict(json.loads(path.read_bytes()))
        except FileNotFoundError as exc:
            raise KGError(f"{path}: no such file: build it first (`kg build`)") from exc
        except ValueError as exc:
            raise KGError(f"{path}: not a kg graph.json ({exc})") from exc
    return model.node_link_data(graph)


__all__ = [
    "ARRAY_DELIMITER",
    "BUNDLE_DIR",
    "bundle_files",
    "import_arguments",
    "load_cypher",
    "node_file",
    "readme",
    "relationship_file",
    "write_bundle",
]
