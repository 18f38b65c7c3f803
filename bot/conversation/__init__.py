"""Hold the channel-neutral conversation handlers, one module per capability."""
