"""Click commands of the `stridewise` CLI, one module per pipeline step."""
