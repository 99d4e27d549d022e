"""kg ontology data: the OWL ontology, SHACL shapes and the curated gazetteer (data only)."""
