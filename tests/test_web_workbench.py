"""The workbench page at / and its draft endpoints, through the Flask test client."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

import re
from html.parser import HTMLParser

from icalendar import Calendar
from stridewise.samples import load_samples
from test_workbench import RULE
from web_fixtures import CONTEXT, app, client, real_engine  # noqa: F401


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.add(attr["id"])
        if tag == "script" and attr.get("src"):
            self.assets.append(attr["src"])
        if tag == "link" and attr.get("href"):
            self.assets.append(attr["href"])
        if tag == "label" and attr.get("for"):
            self.label_for.add(attr["for"])
        if tag in {"select", "input"}:
            self.controls.append(attr)


def _fetch(client, url):
    """GET a static file and close it (send_from_directory keeps the file open until then)."""
    with client.get(url) as response:
        return response.status_code, response.mimetype, response.get_data(as_text=True)


def _draft(client):
    return {f["name"]: f["text"] for f in client.get("/v1/workbench/rules").get_json()["files"]}


def test_the_page_is_at_root_and_swagger_ui_stays_at_docs(client):
    status, mimetype, text = _fetch(client, "/")
    assert status == 200 and mimetype == "text/html"
    assert "Stridewise workbench" in text
    assert b"swagger" in client.get("/docs").data.lower()


def test_every_asset_is_served_by_the_app_itself(client):
    parser = _Page()
    parser.feed(_fetch(client, "/")[2])
    local = [a for a in parser.assets if not a.startswith("data:")]
    assert local and all(a.startswith("/") and not a.startswith("//") for a in local)
    for asset in local:
        assert _fetch(client, asset)[0] == 200, asset
    for asset in ("/workbench/workbench.js", "/workbench/render.js", "/workbench/api.js"):
        assert not re.search(r"https?://", _fetch(client, asset)[2]), asset  # no CDN
    assert "MIT" in _fetch(client, "/vendor/codemirror/LICENSE")[2]


def test_every_form_control_has_a_label(client):
    parser = _Page()
    parser.feed(_fetch(client, "/")[2])
    for control in parser.controls:
        assert control.get("id") in parser.label_for or control.get("aria-label"), control


def test_samples_are_the_corpus(client):
    body = client.get("/v1/samples").get_json()
    assert body["athletes"] == load_samples() and body["count"] == len(body["athletes"])


def test_rule_files_are_the_active_ruleset(client, real_engine):
    body = client.get("/v1/workbench/rules").get_json()
    assert body["ruleset"]["version"] == real_engine.ruleset.version
    assert "base.yaml" in {f["name"] for f in body["files"]}


def test_run_plans_with_the_draft_and_explains_every_rule(client, real_engine):
    files = {**_draft(client), "trial.yaml": RULE}
    context = {**CONTEXT, "age": 44, "key_run_sessions": [{"day_offset": 2, "type": "tempo"}]}
    response = client.post("/v1/workbench:run", json={"files": files, "context": context})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert "Keep the tempo run easy the day after lifting." in body["recommendation"]["notes"]
    assert {r["rule"] for r in body["rules"]} == {r.id for r in real_engine.ruleset.rules} | {
        "masters-tempo"}
    assert body["active_version"] == real_engine.ruleset.version != body["ruleset"]["version"]
    status = client.get("/v1/rulesets").get_json()
    assert status["version"] == real_engine.ruleset.version  # nothing was activated


def test_run_with_a_typo_is_a_422_with_the_line_and_column(client):
    files = {**_draft(client), "trial.yaml": RULE.replace("weekly_run_km", "weekly_run_kmm")}
    response = client.post("/v1/workbench:run", json={"files": files, "context": CONTEXT})
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["type"] == "urn:stridewise:problem:invalid-ruleset"
    (diagnostic,) = problem["diagnostics"]
    column = RULE.splitlines()[4].index("weekly_run_km") + 1
    assert (diagnostic["file"], diagnostic["line"], diagnostic["col"]) == ("trial.yaml", 5, column)
    assert "weekly_run_kmm" in diagnostic["message"]


def test_run_with_a_bad_context_points_into_the_context(client):
    response = client.post("/v1/workbench:run",
                           json={"files": _draft(client), "context": {**CONTEXT, "age": 5}})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.get_json()["errors"]] == ["/context/age"]


def test_run_rejects_bad_envelopes_and_file_names(client):
    assert client.post("/v1/workbench:run", json={"files": {}}).status_code == 422
    response = client.post("/v1/workbench:run",
                           json={"files": {"../x.yaml": "ruleset: x"}, "context": CONTEXT})
    assert response.status_code == 422


def test_run_answers_the_draft_week_as_a_calendar(client):
    files = {**_draft(client), "trial.yaml": RULE}
    response = client.post("/v1/workbench:run", json={"files": files, "context": CONTEXT},
                           headers={"Accept": "text/calendar"})
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    plan = client.post("/v1/workbench:run", json={"files": files, "context": CONTEXT}).get_json()
    events = list(Calendar.from_ical(response.data).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [
        f"a-1-{s['date']}@stridewise" for s in plan["recommendation"]["sessions"]]


def test_with_api_keys_the_page_loads_and_the_api_asks_for_a_key(real_engine):
    from stridewise.web import create_app

    keyed = create_app({"TESTING": True, "ENGINE": real_engine, "RELOAD": False,
                        "API_KEYS": "s3cret"}).test_client()
    assert _fetch(keyed, "/")[0] == 200
    assert _fetch(keyed, "/workbench/workbench.js")[0] == 200
    assert keyed.get("/v1/workbench/rules").status_code == 401
    assert keyed.get("/v1/samples").status_code == 401
    body = {"files": {"a.yaml": RULE}, "context": CONTEXT}
    assert keyed.post("/v1/workbench:run", json=body).status_code == 401
    ok = keyed.post("/v1/workbench:run", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200


def test_openapi_documents_the_workbench_endpoints(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {"/v1/samples", "/v1/workbench/rules", "/v1/workbench:run"} <= set(paths)
    assert "/" not in paths
