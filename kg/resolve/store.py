"""The resolution store: what the last build's resolution left (kg.resolve.resolver.Resolution),
kept beside its outputs so that a build which only adds digests (the day's digests, wherever
their names place them) gathers just theirs (``Resolver.resolve_keeping``)::

    DIR/.kg-cache/resolution.kgr          the resolution of some digests
    DIR/.kg-cache/resolution-added.kgr    what the digests added since gave, if any

    KGRESOLUTION <format>\\n
    {"base": null | "<checksum>", "checksum": "<hex>", "digests": D, "fingerprint": "<hex>", "format": <format>, "length": N}\\n
    <D bytes: marshal of the (id, file name, content hash) of its digests, in order>
    <N - D bytes: marshal of the rest of the Resolution as plain tuples, lists and dicts>

The digests come first, apart, so that a build whose corpus does not hold them all (a digest
changed or deleted) sets the file aside without loading the rest.

A build that gathered only added digests writes just what they gave, with the digests added
before them since the whole file was written, into the file of additions (a few kilobytes a
digest, where the whole is megabytes); its ``base`` is the checksum of the whole file it adds
to. When the additions reach ``WHOLE_AGAIN`` of the corpus, or the corpus was resolved whole,
the whole file is written again and the additions are removed. Either file alone, or both, is
the resolution of digests the corpus may hold, merged in the corpus's order, so losing the
additions only means gathering more again.

Like the export stores (kg.export.store): marshal, which loads plain values at memory speed and
cannot run code, behind a checksum (kg.checksum) that is checked before a byte is loaded. A
store written by other resolution or extraction code, data or Python (another fingerprint) is
stale and one that fails a check is corrupt: either is ignored, with one warning line for the
build, and the whole corpus is resolved, which gives the same graph.
"""

from __future__ import annotations

import logging
import marshal
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import starmap
from operator import attrgetter
from pathlib import Path
from typing import Any

from kg.cache.fingerprint import extraction_fingerprint
from kg.cache.versions import VersionHash
from kg.export.files import open_atomic
from kg.export.sealed import Unsealed, seal, unseal
from kg.models import CoMention, ItemMentions
from kg.resolve.resolver import Gathered, Resolution, Resolved, digest_places

log = logging.getLogger(__name__)


STORE_FORMAT = 2
"""Bump when the layout of the file or of the payload changes."""

STORE_NAME = "resolution.kgr"
"""The file name, in the cache folder, of a whole resolution."""
ADDED_NAME = "resolution-added.kgr"
"""The file name of the additions to it."""
WHOLE_AGAIN = 0.125
"""The share of the corpus that the digests added since the whole file was written may reach
before it is written whole again (each build reads and writes all the additions)."""

MAGIC = b"KGRESOLUTION"

PACKAGE = Path(__file__).resolve().parents[1]
SOURCES = ("resolve", "models.py", "memo.py")
"""kg's code that decides what resolution makes of the extractions (relative to the package);
the code of reading and extraction is in the extraction fingerprint."""
LIBRARIES = ("numpy",)
"""Installed distributions resolution runs (co-mentions are counted in numpy)."""

_MENTION_ROW = attrgetter("item_id", "entity_ids", "surfaces", "counts")


ResolutionProblem = Unsealed
"""A store file that cannot be trusted; the message says why, in a few words."""


@cache
def resolution_fingerprint() -> str:
    """SHA-256 (hex) over the store format, the resolution code, Python's version and the
    extraction fingerprint (which covers the code that reads digests, the curated data and the
    libraries extraction uses): a store is used only under the same one."""
    h = VersionHash()
    h.part("format", str(STORE_FORMAT).encode())
    h.part("python", f"{sys.version_info[0]}.{sys.version_info[1]}".encode())
    h.libraries(LIBRARIES)
    h.sources(source_files(), PACKAGE)
    h.part("extraction", extraction_fingerprint().encode())
    return h.hexdigest()


def source_files() -> list[Path]:
    """Every file of SOURCES, sorted (``__pycache__`` excluded)."""
    files = []
    for name in SOURCES:
        path = PACKAGE / name
        files += [p for p in path.rglob("*.py") if "__pycache__" not in p.parts] if path.is_dir() else [path]
    return sorted(files)


def encode(resolution: Resolution) -> tuple[Any, ...]:
    """The plain values of ``resolution`` but its digests (what marshal stores)."""
    g = resolution.gathered
    totals = resolution.totals
    return (
        tuple(totals.items()),
        resolution.definitions,
        tuple(map(resolution.entity_of.__getitem__, totals)),
        tuple(map(_MENTION_ROW, g.item_mentions)),
        g.first_sentences,
        dict(g.evidence),
        g.scores,
        dict(g.counts),
        g.first,
        g.last,
        {eid: tuple(sorted(ids)) for eid, ids in g.digests.items()},
        tuple(map(tuple, resolution.co_mentions)),
        tuple(sorted(g.unsorted)),
    )


def decode(digests: Any, value: Any) -> Resolution:
    """The Resolution of ``digests`` that ``encode`` gave ``value``; ResolutionProblem when it is not one."""
    try:
        (totals, definitions, entity_ids, mentions, first_sentences, evidence, scores, counts, first, last, in_digests, co_mentions, unsorted) = value
        counted = Counter(dict(totals))
        tables = (definitions, first_sentences, evidence, scores, counts, first, last, in_digests)
        if len(counted) != len(entity_ids) or not all(type(x) is dict for x in tables):
            raise ValueError("tables of other lengths or kinds")
        gathered = Gathered(
            list(starmap(ItemMentions, mentions)),
            first_sentences,
            evidence,
            scores,
            Counter(counts),
            first,
            last,
            {eid: set(ids) for eid, ids in in_digests.items()},
            set(map(tuple, unsorted)),
        )
        return Resolution(
            digests,
            counted,
            definitions,
            dict(zip(counted, entity_ids)),
            gathered,
            tuple(starmap(CoMention, co_mentions)),
        )
    except (TypeError, ValueError):
        raise ResolutionProblem("bad payload") from None


@dataclass
class Kept:
    """A stored resolution, as loaded: the whole file with its additions added."""

    resolution: Resolution
    identity: str
    """The checksum of the whole file's payload (what a file of additions names as its base)."""
    additions: Resolution | None
    """The file of additions, as stored."""


def load(folder: Path, digests: Sequence[tuple[str, str, str]]) -> tuple[Kept | None, str | None]:
    """The resolution stored in ``folder`` (None when there is none to trust, or when it is of
    digests that ``digests``, the corpus's keys in order, do not all hold), and the warning line
    when a file could not be used."""
    folder = Path(folder)
    place = {key: i for i, key in enumerate(digests)}
    try:
        whole, header = _read(folder / STORE_NAME, place)
    except FileNotFoundError:
        return None, None
    except ResolutionProblem as err:
        return None, f"{folder / STORE_NAME}: ignored ({err}); resolved the whole corpus"
    if whole is None:
        return None, None
    identity = header["checksum"]
    try:
        added, added_header = _read(folder / ADDED_NAME, place, base=identity)
    except FileNotFoundError:
        return Kept(whole, identity, None), None
    except ResolutionProblem as err:
        return Kept(whole, identity, None), f"{folder / ADDED_NAME}: ignored ({err})"
    if added is None:
        return Kept(whole, identity, None), None
    return Kept(whole.add(added, digest_places(digests)), identity, added), None


def save(folder: Path, resolved: Resolved, kept: Kept | None) -> None:
    """Store what ``resolved`` left, as the additions to ``kept`` when it gathered only the
    digests added to it. A file that cannot be written is a logged warning (the next build
    resolves more), as for the exports' stores."""
    folder = Path(folder)
    added = resolved.added
    if added is not None and kept is not None:
        if not added.digests:
            return  # nothing added: what is stored is still right
        additions = added if kept.additions is None else kept.additions.add(added, digest_places(resolved.kept.digests))
        if len(additions.digests) < WHOLE_AGAIN * len(resolved.kept.digests):
            _write(folder / ADDED_NAME, additions, base=kept.identity)
            return
    _write(folder / STORE_NAME, resolved.kept, base=None)
    try:
        (folder / ADDED_NAME).unlink(missing_ok=True)
    except OSError:
        pass  # it names the whole file replaced as its base: it will not be used


def _write(path: Path, resolution: Resolution, base: str | None) -> None:
    digests = marshal.dumps(resolution.digests)
    payload = digests + marshal.dumps(encode(resolution))
    head = seal(MAGIC, STORE_FORMAT, {"base": base, "digests": len(digests), "fingerprint": resolution_fingerprint()}, payload)
    try:
        with open_atomic(path) as handle:
            handle.write(head)
            handle.write(payload)
    except OSError as err:
        log.warning("cannot write %s (%s); the next build resolves more of the corpus", path, err.strerror or err)


def _read(path: Path, place: dict[tuple[str, str, str], int], base: str | None = None) -> tuple[Resolution | None, dict[str, Any]]:
    """The resolution in the file at ``path`` and its header: None for one written for another
    ``base`` file, or of digests that are not all in the corpus (``place``: each digest key of
    the corpus -> its place), in its order. FileNotFoundError when there is none,
    ResolutionProblem when it cannot be trusted."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # none, or no cache folder but a file in its place
        raise FileNotFoundError(path) from None
    except OSError as err:
        raise ResolutionProblem(f"cannot read it: {err.strerror or err}") from None
    header, payload = unseal(data, MAGIC, STORE_FORMAT, "resolution store")
    if header.get("fingerprint") != resolution_fingerprint():
        raise ResolutionProblem("written by another version of kg's code, data or libraries", stale=True)
    if header.get("base") != base:
        return None, header  # the additions to a whole file since replaced
    split = header.get("digests")
    if type(split) is not int or not 0 <= split <= len(payload):
        raise ResolutionProblem("unreadable header")
    try:
        digests = tuple(map(tuple, marshal.loads(payload[:split])))
        places = [place.get(key, -1) for key in digests]
        if -1 in places or places != sorted(places):
            return None, header
        return decode(digests, marshal.loads(payload[split:])), header
    except (EOFError, ValueError, TypeError):
        raise ResolutionProblem("bad payload") from None
