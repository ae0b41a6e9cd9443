"""Filtering the catalog by a name nobody provides is an error with a suggestion, never an
empty answer that looks like "no such exercises"."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from stridewise.cli import cli
from stridewise.service import Engine
from stridewise.web import create_app


@pytest.fixture(scope="module")
def client():
    app = create_app(
        {"TESTING": True, "ACCESS_LOG": False, "RELOAD": False, "ENGINE": Engine.create()}
    )
    return app.test_client()


def test_catalog_names_unknown_filter_values_with_the_closest_known_one():
    catalog = Engine.create().catalog
    problems = catalog.unknown_filters(categories=["core", "mobilty"], tags=["jmp"])
    assert problems["category"][0].startswith("unknown category 'mobilty'; did you mean")
    assert "'joint_mobility'" in problems["category"][0]
    assert "did you mean 'jump'" in problems["tag"][0]
    assert catalog.unknown_filters(categories=["core"], tags=["jump"]) == {}


def test_api_rejects_an_unknown_category_filter_with_a_422_naming_the_parameter(client):
    response = client.get("/v1/exercises?category=mobilty")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    (error,) = response.get_json()["errors"]
    assert error["parameter"] == "category"
    assert "did you mean 'joint_mobility'" in error["detail"]


def test_api_filters_by_known_category_and_tag(client):
    body = client.get("/v1/exercises?category=core&tag=anti_rotation").get_json()
    assert body["count"] == len(body["exercises"]) > 0
    for exercise in body["exercises"]:
        assert "core" in exercise["categories"] and "anti_rotation" in exercise["tags"]


def test_cli_rejects_an_unknown_tag_with_a_suggestion():
    result = CliRunner().invoke(cli, ["exercises", "--tag", "jmp"])
    assert result.exit_code == 2
    assert "did you mean 'jump'" in result.output
