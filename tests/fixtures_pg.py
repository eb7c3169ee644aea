"""PostgreSQL fixtures (placeholder: being written)."""
