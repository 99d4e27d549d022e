"""Ingest: find digest files, decode them, split them into items and read their metadata."""

from kg.ingest.files import find_digest_files
from kg.ingest.reader import read_digest

__all__ = ["find_digest_files", "read_digest"]
