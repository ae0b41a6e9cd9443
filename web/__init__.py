"""The thin Flask layer over the engine."""
