"""Channel adapters: turn platform traffic into core messages and back."""
