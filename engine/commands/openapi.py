"""`stridewise openapi`: print the HTTP API's OpenAPI document without starting a server."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("openapi")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the document to this file instead of standard output.",
)
def openapi_command(output: Path | None) -> None:
    """Print the OpenAPI 3 document the service serves at /openapi.json."""
    from stridewise.web import create_app  # the web layer owns the document; import only when asked

    app = create_app({"RELOAD": False, "ACCESS_LOG": False})
    response = app.test_client().get("/openapi.json")
    if response.status_code != 200:
        raise click.ClickException(f"the app answered {response.status_code} for /openapi.json")
    text = json.dumps(response.get_json(), indent=2, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
