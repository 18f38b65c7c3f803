"""Deliver notifications: the outbox dispatcher, its rate limiter, renderer and scheduler."""
