"""``kg sparql``: SPARQL over an export (pyoxigraph) or a remote endpoint, and the query pack.

The common prefixes (kg, kgid, rdf, rdfs, skos, xsd, prov, schema, dcterms, wd) are declared
for the user. Named queries live in ``kg/queries/*.rq``: a comment header says what a query
answers and which parameters it takes (``# param: org = OpenAI  (help)``). Parameter values are
bound as escaped RDF literals in a ``VALUES`` block: a value is never spliced into query text
as written, so it cannot change the query.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.export.formats import read_export
from kg.export.rdf import PREFIXES
from kg.querypack import NamedQuery, checked, load_pack
from kg.tables import Result

QUERY_DIR = Path(__file__).parent / "queries"
SPARQL_PREFIXES = {**PREFIXES, "schema": "https://schema.org/"}


def query_pack() -> dict[str, NamedQuery]:
    """Every named SPARQL query, by name."""
    return load_pack(QUERY_DIR, ".rq", "#")


def named_query(name: str, values: dict[str, str]) -> str:
    """The named query with its parameters bound as escaped literals in a VALUES block."""
    query = checked(query_pack(), name, values, "kg sparql --list")
    block = " ".join(f"VALUES ?{p} {{ {ox.Literal(values[p])} }}" for p, _, _ in query.params)
    return query.text.replace("#PARAMS", block)


def check_syntax(query: str) -> None:
    """Parse ``query`` (with the common prefixes) and report a syntax error with line and column."""
    try:
        ox.Store().query(query, prefixes=SPARQL_PREFIXES)
    except SyntaxError as err:
        raise KGError(f"the query is not valid SPARQL: {err}") from None


def load_store(data: Path) -> ox.Store:
    """An in-memory store holding the export in ``data`` (a build folder or a .ttl file)."""
    store = ox.Store()
    store.bulk_extend(read_export(data))
    return store


def run_local(store: ox.Store, query: str) -> Result:
    try:
        solutions = store.query(query, prefixes=SPARQL_PREFIXES)
    except SyntaxError as err:
        raise KGError(f"the query is not valid SPARQL: {err}") from None
    except (ValueError, OSError) as err:
        raise KGError(f"the query failed: {err}") from None
    if isinstance(solutions, bool):
        return Result(("answer",), ((str(solutions).lower(),),))
    if not isinstance(solutions, ox.QuerySolutions):
        raise KGError("only SELECT and ASK queries are supported here; use CONSTRUCT through an endpoint")
    columns = tuple(v.value for v in solutions.variables)
    rows = tuple(tuple(_value(s[c]) for c in columns) for s in solutions)
    return Result(columns, rows)


def _value(term: ox.Term | None) -> str | None:
    return None if term is None else term.value


def run_remote(endpoint: str, query: str, timeout: float = 60.0) -> Result:
    """Run ``query`` through the SPARQL 1.1 protocol (POST, JSON results)."""
    check_syntax(query)
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in SPARQL_PREFIXES.items())
    body = urllib.parse.urlencode({"query": prologue + query}).encode()
    request = urllib.request.Request(
        endpoint,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = json.load(response)
    except urllib.error.HTTPError as err:
        raise KGError(f"{endpoint} refused the query: HTTP {err.code} {err.read()[:300].decode(errors='replace')}") from None
    except (urllib.error.URLError, OSError) as err:
        raise KGError(f"cannot reach the SPARQL endpoint {endpoint}: {getattr(err, 'reason', err)}") from None
    if "boolean" in data:
        return Result(("answer",), ((str(data["boolean"]).lower(),),))
    columns = tuple(data["head"]["vars"])
    rows = tuple(tuple(b.get(c, {}).get("value") for c in columns) for b in data["results"]["bindings"])
    return Result(columns, rows)
