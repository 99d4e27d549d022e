"""Pages to files: a Jinja environment that escapes everything, and an atomic html/ folder.

All pages are written into a fresh folder beside ``DIR/html`` and swapped in at the end, so a
failed run leaves the previous views whole and pages of deleted entities never linger.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pyvis

from kg.export.files import current_umask
from kg.views.safe import script_json

VIS_NETWORK = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
"""vis-network as pyvis ships it (9.1.2); copied once into html/assets/, never from a CDN."""


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.views", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped for element text and attributes
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    return env


class PageWriter:
    """Renders templates into files under one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = environment()
        self.templates = {name: self.env.get_template(f"{name}.html") for name in ("index", "entity", "digest")}
        self.bytes_written = 0
        self.pages = 0

    def page(self, template: str, path: str, context: dict[str, Any]) -> None:
        self.write(path, self.templates[template].render(**context).encode("utf-8"))
        self.pages += 1

    def write(self, path: str, data: bytes) -> None:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.bytes_written += len(data)

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
