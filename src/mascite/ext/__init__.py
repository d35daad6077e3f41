"""Adapters for documentation builds (MkDocs; Sphinx to come), thin layers over the public API."""
