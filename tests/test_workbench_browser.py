"""The workbench page in a real browser: headless Chromium (Debian's package) via Playwright.

Skipped with a message where Chromium or Playwright is missing, except under CI=true, where
that is a failure (.ci/run installs Chromium). STRIDEWISE_SCREENSHOTS=DIR keeps the screenshots
(docs/img holds the committed ones); otherwise they go to the test's tmp_path.
"""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from web_fixtures import real_engine  # noqa: F401

CHROMIUM = os.environ.get("STRIDEWISE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
ATHLETE = "b-race-tune-up-half-in-6-days"
TIMEOUT_MS = 20_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run; .ci/run installs chromium)")
    pytest.skip(f"{reason}; install it with: apt-get install -y chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(real_engine) -> Iterator[str]:
    """The app on 127.0.0.1 at a free port, in a werkzeug server thread."""
    from stridewise.web import create_app

    yield from _serve(create_app({"ENGINE": real_engine, "RELOAD": False, "ACCESS_LOG": False}))


def _serve(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def keyed_server(real_engine) -> Iterator[str]:
    """The app with API keys configured."""
    from stridewise.web import create_app

    yield from _serve(create_app({"ENGINE": real_engine, "RELOAD": False, "ACCESS_LOG": False,
                                  "API_KEYS": "s3cret"}))


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("STRIDEWISE_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture
def page(browser, server) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/")
    page.wait_for_selector(".session")
    yield page
    context.close()
    assert not errors, errors


def _editor_line(page: Any, text: str) -> int:
    """The 0-based line of the rule editor holding `text`."""
    return page.evaluate(
        "t => window.workbench.ruleEditor.getValue().split('\\n').findIndex(l => l.includes(t))",
        text,
    )


def _type_at(page: Any, line: int, ch: int, keys: str) -> None:
    page.evaluate("([l, c]) => { const e = window.workbench.ruleEditor; e.focus();"
                  " e.setCursor({line: l, ch: c}); e.scrollIntoView({line: l, ch: c}, 120); }",
                  [line, ch])
    page.keyboard.type(keys)


def test_pick_an_athlete_edit_a_rule_see_the_error_fix_it_and_download_the_week(
    page, server, shots: Path
) -> None:
    page.select_option("#sample", label=ATHLETE)
    page.wait_for_selector(f"#week-summary:has-text('{ATHLETE}')")
    plan = page.evaluate("window.workbench.state.result.recommendation")
    dates = [s["date"] for s in plan["sessions"]]
    assert dates, "the sample athlete has sessions this week"
    shown = page.eval_on_selector_all(".day.has-session", "cells => cells.map(c => c.dataset.date)")
    assert shown == dates
    assert page.locator(".mark.race").count() == 1  # the B race in 6 days
    assert page.locator(".mark.run").count() >= 1  # the key run
    first = plan["sessions"][0]["exercises"][0]
    cell = page.locator(f".day[data-date='{dates[0]}'] .exercise").first
    assert first["name"] in cell.inner_text() and first["dose"] in cell.inner_text()
    page.screenshot(path=str(shots / "workbench-week.png"))

    # Clicking a rule under an exercise explains it.
    rules = {r["rule"] for r in page.evaluate("window.workbench.state.result.rules")}
    rule = next(b for b in first["because"] if b in rules)
    cell.locator(f"button.chip[data-rule='{rule}']").click()
    page.wait_for_selector(f"#rule-detail h3:has-text('{rule}')")
    assert "Values it read" in page.inner_text("#rule-detail")
    # A rule that did not fire says why.
    quiet = next(r for r in page.evaluate("window.workbench.state.result.rules")
                 if not r["fired"])
    page.click(f"#rule-list button[data-rule='{quiet['rule']}']")
    page.wait_for_selector("#rule-detail .why-message")
    detail = page.inner_text("#rule-detail")
    assert quiet["why_not"]["message"] in detail and quiet["why_not"]["clause"] in detail
    page.screenshot(path=str(shots / "workbench-rules.png"))
    page.click("#tab-week")

    # A typo in a condition is reported at its line and column, in the list and the gutter.
    page.select_option("#rule-file", "base.yaml")
    line = _editor_line(page, 'when: "true"')
    assert line > 0
    text = page.evaluate("l => window.workbench.ruleEditor.getLine(l)", line)
    column = text.index('"true"') + 1  # inside the quotes: "ttrue"
    _type_at(page, line, column, "t")
    where = f"base.yaml:{line + 1}:"
    page.wait_for_selector(f"#diagnostics li:has-text('{where}')")
    assert page.evaluate(
        "l => !!(window.workbench.ruleEditor.lineInfo(l).gutterMarkers || {})"
        "['CodeMirror-lint-markers']", line)
    assert page.locator(".CodeMirror-lint-mark-error").count() >= 1
    assert "edited" in page.inner_text("#file-state")
    page.screenshot(path=str(shots / "workbench-error.png"))

    # Fixing it clears the problem and plans again.
    page.keyboard.press("Backspace")
    page.wait_for_selector("#diagnostics .ok")
    assert page.locator(".CodeMirror-lint-mark-error").count() == 0
    page.wait_for_selector("#week-summary .badge.same")  # text back to the active rules

    # The week as a calendar file.
    with page.expect_download() as info:
        page.click("#download-ics")
    path = info.value.path()
    assert info.value.suggested_filename == f"stridewise-{ATHLETE}.ics"
    events = list(Calendar.from_ical(Path(path).read_bytes()).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"{ATHLETE}-{d}@stridewise" for d in dates]


def test_a_rule_edit_shows_its_impact_on_the_sample_corpus(page, shots: Path) -> None:
    page.select_option("#rule-file", "base.yaml")
    line = _editor_line(page, "session_minutes: {max: 60}")
    assert line > 0, "base.yaml caps session minutes"
    text = page.evaluate("l => window.workbench.ruleEditor.getLine(l)", line)
    _type_at(page, line, text.index("60"), "")
    page.keyboard.press("Delete")
    page.keyboard.press("Delete")
    page.keyboard.type("20")  # sessions of at most 20 minutes for everyone
    page.wait_for_selector("#week-summary .badge.draft")
    page.click("#tab-diff")
    page.click("#run-diff")
    page.wait_for_selector("table.diff tbody tr")
    summary = page.inner_text(".diff-summary")
    changed = int(summary.split(" of ")[0])
    assert changed > 0
    assert page.locator("table.diff tbody tr").count() == changed
    assert page.locator("table.diff li:has-text('exercises removed')").count() > 0
    page.screenshot(path=str(shots / "workbench-diff.png"))


def test_the_page_is_keyboard_usable(page) -> None:
    page.focus("#rule-file")
    page.keyboard.press("Tab")  # reset button
    page.keyboard.press("Tab")  # into the rule editor
    page.keyboard.press("Tab")  # Tab leaves the editor instead of inserting a tab
    assert page.evaluate("document.activeElement.id") == "sample"
    page.focus("#tab-week")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-rules"
    assert page.is_visible("#view-rules") and not page.is_visible("#view-week")


def test_completion_offers_names_from_the_rule_schema(page) -> None:
    page.select_option("#rule-file", "base.yaml")
    line = _editor_line(page, "sessions_per_week: {max: 3}")
    text = page.evaluate("l => window.workbench.ruleEditor.getLine(l)", line)
    _type_at(page, line, len(text), "")
    page.keyboard.press("Enter")
    page.keyboard.type("reve")
    page.wait_for_selector(".CodeMirror-hints")
    # an exercise id no active rule mentions: it comes from GET /v1/schemas/rules.json
    assert "reverse_lunge" in page.inner_text(".CodeMirror-hints").split()
    page.keyboard.press("Escape")
    page.keyboard.type(" sessio")
    page.wait_for_selector(".CodeMirror-hints")
    assert "session_minutes" in page.inner_text(".CodeMirror-hints").split()
    page.keyboard.press("Escape")
    assert page.locator(".CodeMirror-hints").count() == 0


def test_a_season_is_a_grid_of_weeks(page, shots: Path) -> None:
    page.select_option("#sample", label="four-week-plan-base-to-build-race")
    page.wait_for_selector("#week-summary:has-text('for 28 days')")
    assert page.locator(".week-row").count() == 4
    assert page.inner_text(".week-label >> nth=1") == "Week 2 · 2026-03-09 to 2026-03-15"
    assert page.locator(".day").count() == 28
    page.screenshot(path=str(shots / "workbench-season.png"))


def test_with_api_keys_the_page_asks_for_one_and_the_api_enforces_it(browser, keyed_server):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(keyed_server + "/")
    page.wait_for_selector("#key-form:not([hidden])")
    assert page.locator(".session").count() == 0
    page.fill("#api-key", "wrong")
    page.click("#key-form button")
    page.wait_for_selector("#key-error:has-text('not accepted')")
    page.fill("#api-key", "s3cret")
    page.click("#key-form button")
    page.wait_for_selector(".session")
    assert page.is_hidden("#key-form")
    context.close()


def test_a_missing_browser_skips_locally_but_fails_under_ci(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        _unavailable("no Chromium at /nowhere")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        _unavailable("no Chromium at /nowhere")
