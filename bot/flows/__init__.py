"""Run guided conversations defined as data."""
