"""Shared fixtures: one build of the bundled sample corpus for the tests that only read it."""

from pathlib import Path

import pytest

from kg.pipeline import SAMPLE_CORPUS, build


@pytest.fixture(scope="session")
def sample_export(tmp_path_factory) -> Path:
    """A build of the sample corpus (graph.ttl, graph.json); tests must not modify it."""
    out = tmp_path_factory.mktemp("sample-export")
    build([SAMPLE_CORPUS], out)
    return out
