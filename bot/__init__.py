"""Channel-neutral core of the Article 16 Assistant."""
