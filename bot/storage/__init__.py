"""Keep the assistant's state in SQLite or PostgreSQL."""
