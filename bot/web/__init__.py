"""Serve the assistant's HTTP endpoints."""
