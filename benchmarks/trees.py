"""Measuring code run against a source tree of kg (the ``--tree DIR`` of add_one_bench.py and
exports_bench.py): a tree made by ``git worktree add`` or ``git archive <commit> kg ontology``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_OWN_ONTOLOGY = """
import importlib.util, pathlib, sys
_ontology = pathlib.Path({tree!r}) / "ontology"
if (_ontology / "__init__.py").is_file():
    # The editable install maps kg.ontology to its own checkout's ontology/, whatever PYTHONPATH
    # says: load the tree's own, so its code is measured with its own gazetteer and stop list.
    _spec = importlib.util.spec_from_file_location(
        "kg.ontology", _ontology / "__init__.py", submodule_search_locations=[str(_ontology)]
    )
    sys.modules["kg.ontology"] = _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
"""


def run_in_tree(tree: Path, code: str, args: list[str], cwd: Path) -> dict:
    """Run ``code`` with ``args`` in a Python process that imports ``tree``'s kg (and its
    ontology/, when the tree has one); return the JSON object its last output line holds, less
    its "kg" entry (the kg/__init__.py it imported, checked to be the tree's).

    ``cwd`` should not be this folder: ``-c`` puts the current folder first on sys.path.
    """
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-c", _OWN_ONTOLOGY.format(tree=str(tree)) + code, *args]
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: the measuring process failed:\n{done.stderr.strip()}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if not figures.pop("kg").startswith(str(tree)):
        raise SystemExit(f"{tree}: its kg/ was not the one imported")
    return figures
