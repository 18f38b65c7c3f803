"""Carry out the assistant's use cases on the database."""
