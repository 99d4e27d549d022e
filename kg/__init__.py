"""kg: a knowledge-graph builder and explorer for AI news digests."""

__version__ = "0.1.0"
