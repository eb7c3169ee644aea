"""pgmt-git: PostgreSQL schema as code, with migrations that git cannot break."""

__version__ = "0.1.0"
