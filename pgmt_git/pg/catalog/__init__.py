"""Catalog introspection: one query per object kind (``*.sql`` here) and the loader."""

from pgmt_git.pg.catalog.loader import load_catalog

__all__ = ["load_catalog"]
