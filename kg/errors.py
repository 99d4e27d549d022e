"""Errors kg raises; the CLI turns each into one clear line and an exit code.

    KGError
    ├── DigestReadError(path, reason)   a digest file cannot be read or holds no digest
    ├── NoDigestsError                  no readable digest at all in the inputs
    ├── InputPathError(path)            a path given on the command line does not exist
    ├── OutputWriteError                an output file cannot be written (disk full, permissions)
    ├── GoldFileError(path, reason)     a gold file for ``kg eval`` is malformed
    └── GazetteerError(path, reason)    the curated gazetteer data is malformed
"""

from __future__ import annotations


class KGError(Exception):
    """Base of every error kg reports to the user."""


class DigestReadError(KGError):
    """A digest file that cannot be read, decoded or split into items."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NoDigestsError(KGError):
    """Nothing could be built: every input failed or none was found."""


class OutputWriteError(KGError):
    """An output of a build cannot be written; the outputs already there are left whole."""


class InputPathError(KGError):
    """A path named on the command line does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: no such file or folder")
        self.path = path


class GoldFileError(KGError):
    """A gold file that does not follow the annotation guidelines' format."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GazetteerError(KGError):
    """The curated gazetteer under ontology/ is malformed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
