"""The dashboard as a user sees it: each page in headless Chromium, a simulation clicked through,
bad input shown as a message, and every page working with the network cut off."""

from __future__ import annotations

import os
import re
import shutil
from typing import Any

import pytest
from webutil import ARTIFACTS, ROOT, VETO_TRAIN_UNTIL, needs, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("elastic_net_backtest")]

README_SHOTS = ROOT / "docs" / "screenshots"
#: The track record page with the short veto backtest (its default, 2010, is a minute's computation).
TRACK = f"/track-record?train_until={VETO_TRAIN_UNTIL}"


def _readme_copy(path: Any, name: str) -> None:
    """Copy a screenshot to docs/screenshots/ for the README when it is missing or when
    R2P_UPDATE_SCREENSHOTS=1 (so ordinary test runs do not rewrite tracked files)."""
    target = README_SHOTS / name
    if target.exists() and os.environ.get("R2P_UPDATE_SCREENSHOTS") != "1":
        return
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)


@needs("risk")
def test_map_colours_countries_and_switches_views(page: Any, client: Any) -> None:
    top = client.get("/api/risk/views/top", params={"limit": 10}).json()
    page.goto("/")
    page.wait_for_selector("#world-map[data-loaded=top]")
    # Every country with a forecast is coloured; the ranked list is the API's top ten.
    coloured = page.eval_on_selector_all(
        "#world-map .country[data-iso3]",
        "ps => ps.filter(p => p.style.fill && p.style.fill !== 'rgb(228, 228, 228)')"
        ".map(p => p.dataset.iso3)")
    assert len(set(coloured)) >= 140
    listed = page.eval_on_selector_all("#ranked-list li", "ls => ls.map(l => l.dataset.iso3)")
    assert listed[:10] == [r["iso3"] for r in top["items"]]
    _readme_copy(shot(page, "map-top"), "map.png")
    for view in ("movers", "surprises", "persistent"):
        page.click(f"#tab-{view}")
        page.wait_for_selector(f"#world-map[data-loaded={view}]")
        api = client.get(f"/api/risk/views/{view}", params={"limit": 30}).json()
        listed = page.eval_on_selector_all("#ranked-list li[data-iso3]", "ls => ls.map(l => l.dataset.iso3)")
        assert listed == [r["iso3"] for r in api["items"]], view
        shot(page, f"map-{view}")
    assert page.problems == [], page.problems


@needs("risk")
def test_clicking_a_country_on_the_map_opens_its_page(page: Any) -> None:
    page.goto("/")
    page.wait_for_selector("#world-map[data-loaded=top]")
    page.click("#world-map .country[data-iso3=SDN]")
    page.wait_for_url(re.compile(r"/countries/SDN$"))
    assert "Sudan" in page.inner_text("h1")


@needs("risk")
@needs("council")
@needs("crisis")
def test_country_page_shows_risk_council_and_runs_a_simulation(page: Any, client: Any) -> None:
    risk = client.get("/api/countries/SDN/risk").json()
    page.goto("/countries/SDN")
    page.wait_for_selector("#risk-section[data-loaded=ok]")
    cards = page.inner_text("#risk-cards")
    assert f"{risk['rank']} of {risk['n_countries']}" in cards
    assert f"{100 * risk['risk_2y']:.1f}%" in cards
    assert page.locator("#risk-history svg circle").count() == len(risk["history"])
    assert page.locator("#risk-drivers svg rect").count() == min(12, len(risk["drivers"]))
    page.wait_for_selector("#council-section[data-loaded=ok]")
    assert page.locator("#drafts-table tbody tr").count() >= 5
    assert page.locator("#p5-table thead th").count() == 6  # instrument + the P5
    # Simulate: two regimes, a small run, progress shown, then the side-by-side table.
    page.wait_for_selector("#regime-choices input[value=status_quo]")
    for box in page.locator("#regime-choices input").all():
        box.set_checked(box.get_attribute("value") in ("status_quo", "un_reform"))
    page.fill("#draws", "200")
    page.fill("#seed", "7")
    page.click("#simulate-button")
    page.wait_for_selector("#simulate-progress:not([hidden])")
    page.wait_for_selector("#simulate-result[data-loaded=ok]", timeout=300_000)
    headers = page.eval_on_selector_all("#comparison-table thead th", "hs => hs.map(h => h.textContent)")
    assert headers == ["Measure", "status quo", "un reform"]
    assert "Done in" in page.inner_text("#simulate-status")
    assert page.get_attribute("#simulate-progress", "value") == "1"
    _readme_copy(shot(page, "country-SDN"), "country.png")
    assert page.problems == [], page.problems


def test_unknown_country_page_is_a_404_with_a_message(page: Any) -> None:
    response = page.goto("/countries/XYZ")
    assert response is not None and response.status == 404
    assert "no country with ISO3 code 'XYZ'" in page.inner_text("#error-message")


@needs("crisis")
def test_huge_draw_count_is_refused_in_the_page(page: Any) -> None:
    page.goto("/countries/SDN")
    page.wait_for_selector("#regime-choices input[value=status_quo]")
    page.fill("#draws", "50000000")
    page.eval_on_selector("#draws", "e => e.removeAttribute('max')")
    page.click("#simulate-button")
    page.wait_for_selector("#simulate-status.error")
    assert "too many" in page.inner_text("#simulate-status")
    assert page.locator("#comparison-table").count() == 0


def test_case_timeline_marks_every_event_and_each_veto(page: Any, client: Any) -> None:
    case = client.get("/api/cases/bangladesh-1971").json()
    page.goto("/cases/bangladesh-1971")
    page.wait_for_selector("#timeline[data-loaded=ok]")
    marks = page.locator("#timeline .mark")
    assert marks.count() == len(case["timeline"])
    vetoes = sum(e["vetoed"] for e in case["timeline"])
    assert vetoes > 0
    assert page.locator("#timeline .mark.veto").count() == vetoes
    marks.first.focus()
    assert case["timeline"][0]["description"][:30] in page.inner_text("#event-detail")
    _readme_copy(shot(page, "case-bangladesh-1971"), "case-timeline.png")
    page.goto("/cases")
    assert page.locator("#case-table tbody tr").count() == len(client.get("/api/cases").json())
    assert page.problems == [], page.problems


@needs("law")
@needs("crisis")
def test_scenario_editor_validates_inline_and_compares_regimes(page: Any) -> None:
    page.goto("/scenarios")
    page.wait_for_selector("#validation li.ok")
    original = page.input_value("#regime-yaml")
    # A typo in a field name and an impossible value: both reported inline, with their lines.
    broken = original.replace("deliberation_weeks:", "deliberation_wekks:")
    broken = broken.replace("max_jump: 1", "max_jump: -4")
    page.fill("#regime-yaml", broken)
    page.wait_for_selector("#validation li:not(.ok) >> nth=1")
    problems = page.inner_text("#validation")
    assert "council.deliberation_wekks" in problems and "unknown field" in problems
    assert "council.max_jump" in problems and re.search(r"line \d+", problems)
    shot(page, "scenario-editor-invalid")
    # Running with the broken regime is refused with the same message; nothing runs.
    page.click("#run-button")
    page.wait_for_selector("#simulate-status.error")
    assert "not valid" in page.inner_text("#simulate-status")
    # Fix it (a faster Council) and compare it with the shipped status quo, side by side.
    fixed = original.replace("name: status_quo", "name: faster_council").replace(
        "deliberation_weeks: 4.0", "deliberation_weeks: 1.0")
    page.fill("#regime-yaml", fixed)
    page.wait_for_selector("#validation li.ok")
    for box in page.locator("#compare-choices input").all():
        box.set_checked(box.get_attribute("value") == "status_quo")
    page.select_option("#scenario-pick", "rwanda-1994")
    page.fill("#draws", "200")
    page.click("#run-button")
    page.wait_for_selector("#simulate-result[data-loaded=ok]", timeout=300_000)
    headers = page.eval_on_selector_all("#comparison-table thead th", "hs => hs.map(h => h.textContent)")
    assert headers == ["Measure", "status quo", "faster council (edited)"]
    _readme_copy(shot(page, "scenario-editor"), "scenario-editor.png")


@needs("risk")
def test_track_record_page_shows_backtest_scores(page: Any, client: Any) -> None:
    record = client.get("/api/risk/track-record").json()
    page.goto(TRACK)
    page.wait_for_selector("#track-metrics[data-loaded=ok]")
    table = page.inner_text("#metrics-table")
    first = record["models"][0]["metrics"]
    assert f"{first['auc']:.3f}" in table
    assert "EWP method" in table
    assert page.locator("#track-reliability svg circle").count() >= 5
    _readme_copy(shot(page, "track-record"), "track-record.png")
    assert page.problems == [], page.problems


def _num(value: float, digits: int) -> str:
    """The page's ``num``: at most ``digits`` decimals, no trailing zeros, thousands separated."""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@needs("council")
def test_track_record_page_shows_veto_forecasts(page: Any, client: Any) -> None:
    record = client.get("/api/council/track-record", params={"train_until": VETO_TRAIN_UNTIL}).json()
    m = record["metrics"]
    page.goto(TRACK)
    page.wait_for_selector("#veto-section[data-loaded=ok]")
    assert page.inner_text("#veto-status") == ""
    assert page.inner_text("#veto-title") == "Security Council: veto forecasts"
    hint = page.inner_text("#veto-section >> xpath=preceding-sibling::p[1]")
    assert f"up to {VETO_TRAIN_UNTIL}, then refitted every quarter" in hint
    assert f"from {VETO_TRAIN_UNTIL + 1} to {record['last_year']}" in hint
    assert ("was met" if record["skill_goal_met"] else "was not met") in hint
    metrics = page.inner_text("#veto-metrics-table")
    for key in ("brier_model", "brier_repeat_veto", "brier_base_rate"):
        assert _num(m[key], 5) in metrics, key
    assert _num(m["auc_model"], 3) in metrics and _num(m["brier_skill_vs_base_rate"], 3) in metrics
    cards = page.inner_text("#veto-cards")
    assert all(_num(m[k], 0) in cards for k in ("drafts", "p5_votes", "vetoes"))
    rows = page.eval_on_selector_all("#veto-members-table tbody tr",
                                     "rs => rs.map(r => Array.from(r.cells, c => c.textContent))")
    expect = [[r["member"], _num(r["p5_votes"], 0), _num(r["expected_vetoes"], 1),
               _num(r["observed_vetoes"], 0)] for r in record["by_member"]]
    assert rows[:-1] == expect
    assert rows[-1][0] == "All five" and rows[-1][3] == _num(m["vetoes"], 0)
    assert page.locator("#veto-periods-table tbody tr").count() == len(record["by_period"])
    assert page.locator("#veto-reliability svg circle").count() == len(record["reliability"])
    assert page.locator("#veto-members-chart svg rect").count() >= 2 * len(record["by_member"])
    shot(page, "track-record-council")
    assert page.problems == [], page.problems


def test_pages_work_with_the_network_cut_off(browser: Any, server: Any) -> None:
    """Every request that does not go to the loopback server is aborted: the pages still work."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, base_url=server.url)
    outside: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(server.url) or url.startswith("data:"):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(120_000)
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    for path in ("/", "/cases/rwanda-1994", "/scenarios", "/countries/SDN", TRACK, "/api-docs"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("header.top").count() == 1, path
    page.goto("/")
    assert page.locator("#world-map .country").count() >= 170  # shapes are in the page itself
    box = page.locator("#world-map").bounding_box()
    assert box is not None and box["width"] > 600
    # The stylesheet applied (it is served by the package, not fetched from outside).
    colour = page.eval_on_selector("header.top", "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(29, 35, 48)"
    shot(page, "offline-map")
    context.close()
    assert outside == [] and failed == []
    assert ARTIFACTS.exists()


@needs("report")
@needs("crisis")
def test_brief_is_prepared_with_progress_and_downloaded(page: Any) -> None:
    page.goto("/countries/SDN")
    page.fill("#brief-draws", "60")
    page.click("#brief-button")
    page.wait_for_selector("#brief-progress:not([hidden])")
    page.wait_for_selector("#brief-section[data-loaded=ok]", timeout=900_000)
    with page.expect_download() as info:
        page.click("#brief-pdf")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    assert path is not None
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    html = page.request.get(page.get_attribute("#brief-html", "href"))
    assert html.status == 200 and "Sudan" in html.text()
    shot(page, "country-SDN-brief")
