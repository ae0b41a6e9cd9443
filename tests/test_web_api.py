"""Every endpoint and error of the HTTP API through the Flask test client."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

import copy
import json

import pytest
from web_fixtures import (  # noqa: F401
    CONTEXT,
    app,
    client,
    fake_client,
    fake_engine,
    real_engine,
)

PROBLEM = "application/problem+json"


def test_recommendation_answers_with_the_ruleset_version(client, real_engine):
    response = client.post("/v1/recommendations", json=CONTEXT)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["ruleset"]["version"] == real_engine.ruleset.version
    assert response.headers["X-Stridewise-Ruleset-Version"] == real_engine.ruleset.version
    assert body["sessions"] and body["fired"]
    assert response.headers["ETag"]
    assert response.headers["X-Request-ID"]


def test_request_id_is_echoed_when_safe_and_replaced_when_not(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers[
        "X-Request-ID"
    ] == "abc-123"
    response = client.get("/healthz", headers={"X-Request-ID": "bad id; drop"})
    replaced = response.headers["X-Request-ID"]
    assert replaced and replaced != "bad id; drop"


def test_invalid_context_is_422_with_a_pointer_per_field(client):
    body = copy.deepcopy(CONTEXT)
    body["race"]["days_until"] = -1
    body["age"] = "old"
    body["injuries"] = [{"site": "knee", "severity": "awful"}]
    response = client.post("/v1/recommendations", json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"] == "urn:stridewise:problem:invalid-context"
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/race/days_until", "/age", "/injuries/0/severity"} <= pointers
    assert problem["request_id"] == response.headers["X-Request-ID"]
    assert problem["instance"] == "/v1/recommendations"


def test_unknown_field_is_named(client):
    response = client.post("/v1/recommendations", json={**CONTEXT, "wekly_run_km": 3})
    assert response.status_code == 422
    (error,) = [e for e in response.get_json()["errors"] if e["pointer"] == "/wekly_run_km"]
    assert "weekly_run_km" in error["detail"]


def test_non_object_body_points_at_the_root(client):
    response = client.post("/v1/recommendations", json=[1, 2])
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == ""


def test_unexpected_error_is_500_without_internals(fake_client):
    response = fake_client.post("/v1/recommendations", json={**CONTEXT, "athlete_id": "boom"})
    assert response.status_code == 500
    assert response.mimetype == PROBLEM
    text = response.get_data(as_text=True)
    assert "passwd" not in text and "Traceback" not in text
    assert response.get_json()["request_id"]


def test_rule_cycle_is_a_422_naming_the_rules_never_a_500(fake_client):
    response = fake_client.post("/v1/recommendations", json={**CONTEXT, "athlete_id": "cycle"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["type"] == "urn:stridewise:problem:rule-cycle" and body["rules"] == ["a", "b"]
    assert "Traceback" not in body["detail"]


def test_malformed_json_is_400(client):
    response = client.post(
        "/v1/recommendations", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    assert response.get_json()["title"] == "Bad Request"


def test_wrong_content_type_is_415(client):
    response = client.post("/v1/recommendations", data="age=3", content_type="text/plain")
    assert response.status_code == 415
    assert response.mimetype == PROBLEM


def test_oversized_body_is_413(client):
    big = {**CONTEXT, "athlete_id": "x" * (300 * 1024)}
    response = client.post("/v1/recommendations", json=big)
    assert response.status_code == 413
    assert response.mimetype == PROBLEM


def test_unknown_path_is_404_and_wrong_method_is_405(client):
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404 and missing.mimetype == PROBLEM
    wrong = client.get("/v1/recommendations")
    assert wrong.status_code == 405 and wrong.mimetype == PROBLEM
    assert "POST" in wrong.headers["Allow"]


def test_batch_answers_each_item_or_gives_its_own_problem(fake_client):
    bad = {**CONTEXT, "age": 7}
    response = fake_client.post(
        "/v1/recommendations:batch",
        json={"contexts": [CONTEXT, bad, {**CONTEXT, "athlete_id": "context-error"}, "nope"]},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == 4 and body["failed"] == 3
    statuses = [item["status"] for item in body["results"]]
    assert statuses == [200, 422, 422, 422]
    assert body["results"][0]["recommendation"]["ruleset"] == body["ruleset"]
    assert body["results"][1]["problem"]["errors"][0]["pointer"] == "/contexts/1/age"
    assert body["results"][2]["problem"]["type"] == "urn:stridewise:problem:invalid-context"
    assert body["results"][3]["problem"]["errors"][0]["pointer"] == "/contexts/3"


def test_batch_item_that_crashes_gets_its_own_500_and_the_rest_are_answered(fake_client):
    contexts = [{**CONTEXT, "athlete_id": "boom"}, {**CONTEXT, "athlete_id": "cycle"}, CONTEXT]
    response = fake_client.post("/v1/recommendations:batch", json={"contexts": contexts})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [500, 422, 200]
    assert results[0]["problem"]["type"] == "about:blank"
    assert "passwd" not in response.get_data(as_text=True)
    assert results[1]["problem"]["type"] == "urn:stridewise:problem:rule-cycle"


def test_batch_streams_ndjson_one_line_per_item_as_each_is_planned(fake_client, fake_engine):
    contexts = [CONTEXT, {**CONTEXT, "age": 7}, {**CONTEXT, "athlete_id": "a2"}]
    whole = fake_client.post("/v1/recommendations:batch", json={"contexts": contexts})
    calls: list[object] = []
    recommend = fake_engine.recommend
    fake_engine.recommend = lambda body: calls.append(body) or recommend(body)
    response = fake_client.post(
        "/v1/recommendations:batch", json={"contexts": contexts},
        headers={"Accept": "application/x-ndjson"}, buffered=False,
    )
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    chunks = iter(response.response)
    first = next(chunks)
    assert len(calls) == 1  # streamed: nothing else planned (or held) yet
    lines = [first, *chunks]
    assert len(calls) == 3 and all(line.endswith(b"\n") for line in lines)
    items = [json.loads(line) for line in lines]
    body = whole.get_json()
    assert [{k: v for k, v in i.items() if k != "ruleset"} for i in items] == body["results"]
    assert all(i["ruleset"] == body["ruleset"] for i in items)


def test_batch_envelope_is_validated(client):
    assert client.post("/v1/recommendations:batch", json={"contexts": []}).status_code == 422
    response = client.post("/v1/recommendations:batch", json={"contexts": [CONTEXT], "x": 1})
    assert response.status_code == 422
    assert {e["pointer"] for e in response.get_json()["errors"]} == {"/x"}
    assert client.post("/v1/recommendations:batch", json=[CONTEXT]).status_code == 422


def test_batch_item_limit(app, client):
    app.config["BATCH_MAX_ITEMS"] = 2
    response = client.post("/v1/recommendations:batch", json={"contexts": [CONTEXT] * 3})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/contexts"


def test_batch_with_the_real_engine_answers_in_order(client, real_engine):
    contexts = [CONTEXT, {**CONTEXT, "age": 3}, {**CONTEXT, "phase": "taper"}]
    body = client.post("/v1/recommendations:batch", json={"contexts": contexts}).get_json()
    assert [r["status"] for r in body["results"]] == [200, 422, 200]
    assert body["ruleset"]["version"] == real_engine.ruleset.version
    assert body["results"][2]["recommendation"]["phase"] == "taper"


def test_batch_of_1000_fits_its_own_body_limit(fake_client):
    response = fake_client.post("/v1/recommendations:batch", json={"contexts": [CONTEXT] * 1000})
    assert response.status_code == 200
    assert response.get_json()["count"] == 1000


def test_exercises_filter_through_the_catalog(client, real_engine):
    everything = client.get("/v1/exercises").get_json()
    assert everything["count"] == len(real_engine.catalog.exercises) >= 60
    assert all(e["plugin"] for e in everything["exercises"])
    core = client.get("/v1/exercises?category=core").get_json()["exercises"]
    assert core and all("core" in e["categories"] for e in core)
    bodyweight = client.get("/v1/exercises?equipment=band").get_json()["exercises"]
    assert bodyweight and all(set(e["equipment"]) <= {"band"} for e in bodyweight)
    ids = {e["id"] for e in bodyweight}
    assert "plank" in ids and "back_squat" not in ids
    tagged = client.get("/v1/exercises?tag=jump&tag=hop").get_json()["exercises"]
    assert tagged and all({"jump", "hop"} & set(e["tags"]) for e in tagged)
    uses = client.get("/v1/exercises?uses=barbell").get_json()["exercises"]
    assert "back_squat" in {e["id"] for e in uses}


def test_exercise_filter_with_unknown_equipment_is_422_naming_the_parameter(client):
    response = client.get("/v1/exercises?equipment=rocket")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["parameter"].startswith("equipment")


def test_categories_and_plugins(client):
    categories = client.get("/v1/categories").get_json()
    assert {c["id"] for c in categories["categories"]} >= {"core", "plyometrics", "upper_body"}
    assert all(c["exercises"] > 0 and c["plugin"] for c in categories["categories"])
    plugins = client.get("/v1/plugins").get_json()
    names = {p["name"] for p in plugins["plugins"]}
    assert "stridewise.categories" in names
    assert all(p["status"] == "loaded" for p in plugins["plugins"])


def test_rulesets_reports_version_status_and_reload(client, real_engine):
    body = client.get("/v1/rulesets").get_json()
    assert body["name"] == "default"
    assert body["version"] == real_engine.ruleset.version and body["version"].startswith("sha256:")
    assert any(f.endswith("periodization.yaml") for f in body["files"])
    assert body["status"] == "ok" and body["last_error"] is None
    assert body["reload"] == {"enabled": False}


def test_health_and_readiness(client, fake_client, fake_engine):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"
    fake_engine.last_error = "periodization.yaml:3:9: unknown phase 'peek'"
    degraded = fake_client.get("/readyz")  # a good version still serves: stay in the pool
    assert degraded.status_code == 200 and degraded.get_json()["status"] == "degraded"
    assert "peek" in " ".join(degraded.get_json()["detail"])


def test_readiness_is_503_only_when_nothing_good_can_be_served(fake_client, fake_engine):
    fake_engine.plugins.to_json = lambda: [
        {"name": "stridewise.constraints", "status": "failed", "hooks": [], "errors": []}
    ]
    broken = fake_client.get("/readyz")
    assert broken.status_code == 503 and broken.mimetype == PROBLEM
    assert "stridewise.constraints" in broken.get_json()["detail"]


def test_conditional_get_returns_304(client):
    first = client.get("/v1/categories")
    again = client.get("/v1/categories", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_metrics_count_requests_and_rules(client):
    client.post("/v1/recommendations", json=CONTEXT)
    text = client.get("/metrics").get_data(as_text=True)
    assert 'stridewise_http_requests_total{endpoint="/v1/recommendations"' in text
    assert 'stridewise_rules_fired_total{rule="base-template"} 1.0' in text
    assert "stridewise_recommendations_total 1.0" in text
    assert "stridewise_reload_failures_total 0.0" in text


def test_metrics_keep_counting_every_request_and_firing(client):
    for _ in range(3):
        client.post("/v1/recommendations", json=CONTEXT)
    client.open("/v1/recommendations", method="PROPFIND")
    text = client.get("/metrics").get_data(as_text=True)
    assert ('stridewise_http_requests_total{endpoint="/v1/recommendations",method="POST",'
            'status="200"} 3.0') in text
    assert 'stridewise_rules_fired_total{rule="base-template"} 3.0' in text
    assert 'method="other",status="405"} 1.0' in text
    assert 'stridewise_http_request_duration_seconds_count{endpoint="/v1/recommendations"} 3.0' \
        in text


def test_a_batch_counts_each_plan_and_firing_once_and_its_problems_not_at_all(client):
    bad = {**CONTEXT, "age": "old"}
    response = client.post("/v1/recommendations:batch", json={"contexts": [CONTEXT, bad, CONTEXT]})
    assert response.get_json()["failed"] == 1
    text = client.get("/metrics").get_data(as_text=True)
    assert "stridewise_recommendations_total 2.0" in text
    assert 'stridewise_rules_fired_total{rule="base-template"} 2.0' in text


def test_docs_page_and_assets_are_served_locally(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html and "//cdn" not in html
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.get_data()) > 100_000
    asset.close()


def test_access_log_is_one_json_line_per_request_with_the_request_id(client, capsys):
    import json

    capsys.readouterr()
    client.get("/v1/categories", headers={"X-Request-ID": "log-me", "Authorization": "Bearer x"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    (entry,) = [e for e in lines if e.get("event") == "request"]
    assert entry["request_id"] == "log-me" and entry["status"] == 200
    assert entry["path"] == "/v1/categories" and entry["ruleset_version"].startswith("sha256:")
    assert "Bearer" not in json.dumps(lines)


GOOD_RULE = """ruleset: taper
rules:
  - id: taper-light
    when: phase == "taper"
    then:
      sets: {max: 2}
"""


def test_validate_accepts_good_rules_and_never_activates_them(client, real_engine):
    before = real_engine.ruleset.version
    response = client.post("/v1/rulesets:validate", json={"files": {"taper.yaml": GOOD_RULE}})
    assert response.status_code == 200
    assert response.get_json() == {"valid": True, "files": ["taper.yaml"], "diagnostics": []}
    assert real_engine.ruleset.version == before


def test_validate_reports_file_line_col_against_the_engine_vocabulary(client):
    bad = GOOD_RULE.replace('"taper"', '"peek"').replace(
        "sets: {max: 2}", "sets: {max: 2}\n      require: {categories: [mobilty]}"
    )
    body = client.post("/v1/rulesets:validate", json={"files": {"taper": bad}}).get_json()
    assert body["valid"] is False and body["files"] == ["taper.yaml"]
    texts = [d["text"] for d in body["diagnostics"]]
    assert any(t.startswith("taper.yaml:4:") and "peek" in t for t in texts), texts
    assert any("mobilty" in t for t in texts), texts
    assert all("/tmp" not in t and "stridewise-validate" not in t for t in texts)


def test_validate_takes_one_yaml_body(client):
    response = client.post(
        "/v1/rulesets:validate?name=mine.yaml", data="rules: [", content_type="application/yaml"
    )
    body = response.get_json()
    assert body["valid"] is False and body["diagnostics"][0]["file"] == "mine.yaml"


@pytest.mark.parametrize(
    "payload",
    [
        {"files": {}},
        {"files": {"../evil.yaml": "x"}},
        {"files": {".hidden": "x"}},
        {"files": "x"},
        [],
    ],
)
def test_validate_rejects_bad_requests_with_pointers(client, payload):
    response = client.post("/v1/rulesets:validate", json=payload)
    assert response.status_code == 422
    assert response.get_json()["type"] == "urn:stridewise:problem:invalid-request"


def test_web_exports_only_the_app_factory():
    from stridewise import web

    assert web.__all__ == ["create_app"]
