"""`stridewise openapi` prints the same document the service serves, without a server."""

from __future__ import annotations

import json

from click.testing import CliRunner
from openapi_spec_validator import validate
from stridewise.cli import cli


def test_openapi_command_prints_a_valid_document_with_every_v1_endpoint(tmp_path):
    result = CliRunner().invoke(cli, ["openapi"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    validate(document)
    assert "/v1/recommendations" in document["paths"]
    assert "/v1/recommendations:batch" in document["paths"]


def test_openapi_command_writes_to_a_file_when_asked(tmp_path):
    target = tmp_path / "openapi.json"
    result = CliRunner().invoke(cli, ["openapi", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["openapi"].startswith("3.")
