"""kg ontology data: the OWL ontology, SHACL shapes, JSON-LD context and the curated gazetteer."""

from importlib import resources
from pathlib import Path


def data_file(name: str) -> Path:
    """Path of a data file shipped under ``ontology/`` (installed as ``kg.ontology``)."""
    return Path(str(resources.files(__name__).joinpath(name)))
