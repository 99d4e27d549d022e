"""Pages to files: a Jinja environment that escapes everything, and an atomic html/ folder.

All pages are written into a fresh folder beside ``DIR/html`` and swapped in at the end, so a
failed run leaves the previous views whole and pages of deleted entities never linger. Pages
whose fingerprint is unchanged are hard links to the previous build's files (reuse.py); since
files are only ever created, never rewritten, the previous folder stays as it was until the swap.
"""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import pyvis

from kg.checksum import checksum
from kg.export.files import current_umask, write_atomic
from kg.views.reuse import MANIFEST, PageRecord, PreviousPages, code_salt, fingerprint, manifest_bytes
from kg.views.safe import script_json

VIS_NETWORK = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
"""vis-network as pyvis ships it (9.1.2); copied once into html/assets/, never from a CDN."""


class _Environment(jinja2.Environment):
    """Jinja's environment, reading ``row.name`` from a dict as its key ``name`` first.

    Contexts are dicts (pages.py), and Jinja's own ``getattr`` looks for an attribute first,
    which raises and catches an AttributeError for every field of every row (a third of the
    time a hub's page took to render). No context key is also the name of a dict method
    (``items``, ``keys``, ``get``...) that a template would mean instead.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.PackageLoader("kg.views", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped for element text and attributes
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    return env


TEMPLATE_CACHE = "page-templates"
"""The folder, in a build's cache folder, of the page templates the last build compiled."""


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled page templates, kept between builds in ``folder``.

    A build that renders a few dozen pages (an add-one build) would otherwise spend 0.017 s
    compiling the templates, 2% of the build. A file is used only when its checksum matches
    and it was compiled by the same kg code, libraries and Python (``salt``, which covers the
    environment's options too); Jinja itself rejects bytecode of another template source or
    Jinja version. Anything else is compiled afresh and written back. Nothing here raises: a
    file that cannot be read or written is as good as none.
    """

    def __init__(self, folder: Path, salt: bytes, *, read: bool = True) -> None:
        self.folder = folder
        self.salt = salt
        self.read = read

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if not self.read:
            return
        try:
            head, _, body = (self.folder / f"{bucket.key}.jbc").read_bytes().partition(b"\n")
        except OSError:
            return
        if head == checksum(self.salt + body).encode():  # only bytes this code wrote reach marshal
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # Jinja's own layout (Bucket.write_bytecode), with marshal version 2: later versions mark
        # an object met twice, which follows the process's string interning, so one template
        # could give other bytes from one process to the next (Jinja reads either version)
        body = jinja2.bccache.bc_magic + pickle.dumps(bucket.checksum, 2) + marshal.dumps(bucket.code, 2)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / f"{bucket.key}.jbc", checksum(self.salt + body).encode() + b"\n" + body)
        except OSError:
            pass  # the next build compiles again


def use_compiled_templates(templates: CompiledTemplates | None) -> None:
    """Load and keep the page templates in ``templates`` (None: compile them without keeping them).

    Templates this process already holds are loaded again through ``templates``, so what a build
    leaves in its cache folder does not depend on what the process did before (0.5 ms a template)."""
    env = _shared_environment()
    if templates is None and env.bytecode_cache is None:
        return  # nothing kept before, nothing to keep now: the templates held are as good
    env.bytecode_cache = templates
    if env.cache is not None:
        env.cache.clear()
    page_template.cache_clear()


@cache
def page_template(kind: str) -> jinja2.Template:
    """The template of one kind of page, compiled once per process and only when a page of that
    kind is rendered (a build that reuses every page compiles none; forked writers inherit it)."""
    return _shared_environment().get_template(f"{kind}.html")


@cache
def _shared_environment() -> jinja2.Environment:
    return environment()


@dataclass(frozen=True)
class PagesWritten:
    """What writers did with a share of the pages (plain data: it comes back from a forked worker)."""

    records: dict[str, PageRecord]
    """The manifest entry of every page written."""
    rendered: int
    reused: int
    bytes: int
    """Bytes of every file written, rendered or reused."""

    @classmethod
    def total(cls, shares: Iterable[PagesWritten]) -> PagesWritten:
        shares = list(shares)
        records = {path: r for share in shares for path, r in share.records.items()}
        return cls(records, sum(s.rendered for s in shares), sum(s.reused for s in shares), sum(s.bytes for s in shares))


class PageWriter:
    """Renders templates into files under one fresh folder, or takes unchanged pages from the
    previous build (``previous``, see reuse.py) instead of rendering them."""

    def __init__(self, folder: Path, previous: PreviousPages | None = None) -> None:
        self.folder = folder
        self._root = os.fspath(folder)
        self.previous = previous
        self.salt = code_salt()
        self.bytes_written = 0
        """Bytes of every file this writer put in the folder, rendered or reused."""
        self.records: dict[str, PageRecord] = {}
        """The manifest entry of every page this writer put in the folder."""
        self.rendered = 0
        self.reused = 0
        self._folders: set[Path] = set()
        """Folders this writer made or found (one mkdir per folder, not per page)."""

    def done(self) -> PagesWritten:
        return PagesWritten(dict(self.records), self.rendered, self.reused, self.bytes_written)

    def page(self, template: str, path: str, context: dict[str, Any]) -> None:
        """Take the page from the previous build when its context is unchanged, else render it."""
        made_from = fingerprint(template, context, self.salt)
        if not self.reuse(path, made_from):
            self.render(template, path, context, made_from)

    def reuse(self, path: str, made_from: str) -> bool:
        """Take ``path`` from the previous build when it was made from ``made_from`` (a
        fingerprint) and is intact; False when it must be rendered."""
        record = self.previous.take(path, made_from, f"{self._root}/{path}") if self.previous is not None else None
        if record is None:
            return False
        self.records[path] = record
        self.bytes_written += record.size
        self.reused += 1
        return True

    def render(self, template: str, path: str, context: dict[str, Any], made_from: str) -> None:
        data = page_template(template).render(**context).encode("utf-8")
        self.write(path, data)
        self.records[path] = PageRecord(made_from, len(data), checksum(data))
        self.rendered += 1

    def write(self, path: str, data: bytes) -> None:
        """Create ``path`` in the folder; never opens an existing file, which could be a hard link
        to a page of the previous build (writing into it would change that build's file too)."""
        target = self.folder / path
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        with open(target, "xb") as handle:
            handle.write(data)
        self.bytes_written += len(data)

    def write_manifest(self, records: dict[str, PageRecord]) -> None:
        self.write(MANIFEST, manifest_bytes(records, self.salt))

    def copy_assets(self) -> None:
        assets = resources.files("kg.views") / "assets"
        for name in ("kg.js", "kg.css"):
            self.write(f"assets/{name}", (assets / name).read_bytes())
        for name in ("vis-network.min.js", "vis-network.css"):
            source = VIS_NETWORK / name
            self.write(f"assets/{name.replace('network.css', 'network.min.css')}", source.read_bytes())


@contextmanager
def swapped_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target`` whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield fresh
        os.chmod(fresh, 0o777 & ~current_umask())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(fresh, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
