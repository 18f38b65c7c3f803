"""Fake platform servers the tests drive the real SDKs against."""
