"""Everything that talks to PostgreSQL: servers, shadow databases, replay, catalogs, apply."""

# The oldest PostgreSQL pgmt-git works with: the catalog queries read PostgreSQL 14's
# catalogs (multiranges, SQL-standard function bodies); shadow databases are dropped
# WITH (FORCE) (13). Here, so that reading a catalog need not import the server module.
MIN_SERVER_VERSION = 140000
