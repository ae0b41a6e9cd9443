"""Built-in Stridewise plugins: registered through the `stridewise` entry-point group exactly
like third-party ones (see pyproject.toml)."""
