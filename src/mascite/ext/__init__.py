"""Adapters for documentation builds (MkDocs, Sphinx), thin layers over the public API."""
