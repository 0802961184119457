// Placeholder: shared helpers for tests that need PostgreSQL.
