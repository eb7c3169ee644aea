"""The SQL of each change type, one module per family of kinds; importing this package
fills the table of renderers (``RENDERERS``: change type -> function)."""

from pgmt_git.diff.sql import routines, schemas, security, tables, types  # noqa: F401
from pgmt_git.diff.sql.common import RENDERERS, ref

__all__ = ["RENDERERS", "ref"]
