"""Neo4j for kg: a local development and test server (``kg.neo4j.server``)."""
