"""The version of everything that decides what reading and extraction produce, as one hash.

A cache entry is trusted only when it was written under the same fingerprint: the same cache
format, the same source of the kg modules that read and extract (``kg/models.py``,
``kg/ingest/``, ``kg/extract/``, and the name normalisation of ``kg/resolve/`` that extraction
calls) and of ``kg/cache/`` itself, the same curated data (``gazetteer.tsv``, ``stopwords.txt``), and the same Python,
Unicode and library versions. Resolution and the exports are not part of it: they always
run over the whole corpus.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache
from pathlib import Path

from kg.cache.versions import VersionHash
from kg.ontology import data_file

CACHE_FORMAT = 5
"""Bump when the layout of the cache or of an entry changes (2: one pack file, marshal payloads;
3: entries keep what resolution reads, mentions as positions in tables of shapes and sentences;
4: xxh3-128 checksums, kg.checksum; 5: an entry's digest and extractions dumped apart)."""

PACKAGE = Path(__file__).resolve().parents[1]
"""The kg package folder."""

SOURCES: tuple[str, ...] = (
    "models.py",
    "errors.py",
    "memo.py",
    "ingest",
    "extract",
    "resolve/normalize.py",
    "resolve/modelname.py",
    "cache",
    "checksum.py",
)
"""Files and folders of kg (relative to the package) whose code reading and extraction run, and
the cache's own code (a codec change without a CACHE_FORMAT bump must not reuse old entries)."""

DATA_FILES: tuple[str, ...] = ("gazetteer.tsv", "stopwords.txt")
"""Curated data under ``ontology/`` that extraction reads."""

LIBRARIES: tuple[str, ...] = ("spacy", "ahocorasick-rs")
"""Installed distributions whose behaviour extraction depends on."""


def source_files() -> list[Path]:
    """Every file of SOURCES that exists, sorted (``__pycache__`` excluded)."""
    files = []
    for name in SOURCES:
        path = PACKAGE / name
        if path.is_dir():
            files += [p for p in path.rglob("*.py") if "__pycache__" not in p.parts]
        elif path.is_file():
            files.append(path)
    return sorted(files)


@cache
def extraction_fingerprint() -> str:
    """SHA-256 (hex) over the cache format, the sources, the data files and the versions."""
    h = VersionHash()
    h.part("format", str(CACHE_FORMAT).encode())
    h.part("python", f"{sys.version_info[0]}.{sys.version_info[1]} unicode {unicodedata.unidata_version}".encode())
    h.libraries(LIBRARIES)
    h.sources(source_files(), PACKAGE)
    for name in DATA_FILES:
        h.part(f"data {name}", data_file(name).read_bytes())
    return h.hexdigest()
