"""The JSON API on the real warehouse: what each endpoint returns, and how it refuses bad requests."""

from __future__ import annotations

import time
from typing import Any

import pytest
from webutil import VETO_TRAIN_UNTIL, needs

pytestmark = pytest.mark.xdist_group("elastic_net_backtest")


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and isinstance(body["error"], str) and len(body["error"]) > 10
    assert "Traceback" not in response.text
    return str(body["error"])


def test_status_lists_every_part(client: Any) -> None:
    parts = client.get("/api/status").json()["parts"]
    assert set(parts) == {"risk", "council", "law", "crisis", "report"}
    for p in parts.values():
        assert p["available"] or "not available yet" in p["reason"]


def test_countries_and_one_country(client: Any) -> None:
    countries = client.get("/api/countries").json()
    by = {c["iso3"]: c for c in countries}
    assert by["SDN"]["name"] == "Sudan" and by["SDN"]["ccode"] == 625
    one = client.get("/api/countries/sdn").json()  # any case
    assert one["iso3"] == "SDN"
    assert [c["id"] for c in one["cases"]] == ["darfur-2003"]


@pytest.mark.parametrize("code", ["XYZ", "SUDAN", "..%2F..%2Fetc%2Fpasswd", "%00", "S D N"])
def test_unknown_country_is_a_404_with_a_message(client: Any, code: str) -> None:
    for suffix in ("", "/risk", "/council"):
        msg = _error(client.get(f"/api/countries/{code}{suffix}"), 404)
        assert "country" in msg or "no page" in msg


def test_unknown_country_suggests_close_codes(client: Any) -> None:
    assert "SDN" in _error(client.get("/api/countries/SDM"), 404)


def test_path_traversal_is_refused(client: Any) -> None:
    for path in ("/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                 "/static/..%2F..%2Fsrc/r2p/web/_app.py", "/api/regimes/..%2F..%2Fdata%2Finstruments",
                 "/api/cases/..%2F..%2Fetc%2Fpasswd"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "root:" not in r.text and "import" not in r.text


def test_map_shapes_cover_the_world(client: Any) -> None:
    shapes = client.get("/api/map/shapes").json()
    iso = {s["iso3"] for s in shapes["shapes"]}
    assert len(shapes["shapes"]) == 176  # Natural Earth 1:110m countries less Antarctica
    assert {"SDN", "MMR", "RUS", "FJI", "USA", "BRA", "XKX"} <= iso
    assert all(s["d"].startswith("M") for s in shapes["shapes"])
    assert "Natural Earth" in shapes["attribution"]


def test_cases_and_a_timeline(client: Any) -> None:
    cases = client.get("/api/cases").json()
    assert len(cases) >= 15
    assert [c["onset_date"] for c in cases] == sorted(c["onset_date"] for c in cases)
    case = client.get("/api/cases/rwanda-1994").json()
    assert case["target_state"] == "RWA"
    months = [e["month"] for e in case["timeline"]]
    assert months and all(isinstance(m, int) for m in months)
    assert case["first_steps"]["first_unsc_action"] is not None
    _error(client.get("/api/cases/rwanda-1995"), 404)


@needs("risk")
def test_risk_views_agree_with_the_forecast(client: Any) -> None:
    from r2p.risk import forecast

    meta = client.get("/api/risk").json()
    year = meta["last_year"]
    frame = forecast(year, meta["default_model"])
    top = client.get("/api/risk/views/top", params={"limit": 5}).json()
    expected = list(frame.sort_values("risk_2y", ascending=False)["iso3"][:5])
    assert [r["iso3"] for r in top["items"]] == expected
    assert len(top["values"]) == len(frame)
    movers = client.get("/api/risk/views/movers", params={"limit": 10}).json()
    changes = [abs(r["change"]) for r in movers["items"]]
    assert changes == sorted(changes, reverse=True)
    persistent = client.get("/api/risk/views/persistent").json()
    assert persistent["years"] == list(range(year - 4, year + 1))
    for r in persistent["items"]:
        assert max(r["ranks"].values()) <= 20 and len(r["ranks"]) == 5
    surprises = client.get("/api/risk/views/surprises", params={"limit": 100}).json()
    assert all(r["rank"] > 30 for r in surprises["items"])
    assert len(surprises["items"]) == surprises["onsets"] - surprises["caught_in_top30"]


@needs("risk")
def test_country_risk_is_the_forecast_row(client: Any) -> None:
    r = client.get("/api/countries/SDN/risk").json()
    frame = client.get("/api/risk/forecast").json()["rows"]
    row = next(x for x in frame if x["iso3"] == "SDN")
    assert r["rank"] == row["rank"] and r["risk_2y"] == pytest.approx(row["risk_2y"])
    assert 0 < r["risk_1y"] <= r["risk_2y"] < 1
    assert r["history"][-1]["base_year"] == r["base_year"]
    assert len(r["drivers"]) >= 1 and all(isinstance(d["label"], str) for d in r["drivers"])
    assert "not in the Early Warning Project panel" in _error(client.get("/api/countries/ABW/risk"), 404)


@needs("risk")
def test_risk_bad_parameters_are_4xx_with_messages(client: Any) -> None:
    assert "outside the data" in _error(client.get("/api/risk/views/top", params={"year": 1950}), 400)
    _error(client.get("/api/risk/views/top", params={"year": 1800}), 422)
    _error(client.get("/api/risk/views/top", params={"year": "soon"}), 422)
    msg = _error(client.get("/api/risk/forecast", params={"model": "elastic"}), 400)
    assert "Did you mean 'elastic_net'" in msg
    _error(client.get("/api/risk/views/biggest"), 404)
    _error(client.get("/api/risk/views/top", params={"limit": 10**9}), 422)


@needs("risk")
def test_track_record_reproduces_the_backtest(client: Any) -> None:
    from r2p.risk import backtest

    record = client.get("/api/risk/track-record").json()
    assert record["ewp_method"] == "elastic_net"
    by_model = {m["model"]: m for m in record["models"]}
    en = backtest("elastic_net").metrics
    assert by_model["elastic_net"]["metrics"]["auc"] == pytest.approx(en["auc"])
    assert by_model["elastic_net"]["metrics"]["brier"] == pytest.approx(en["brier"])
    bins = by_model["elastic_net"]["reliability"]
    assert sum(b["n"] for b in bins) == en["n_rows"] and sum(b["onsets"] for b in bins) == en["n_onsets"]
    predicted = [b["predicted"] for b in bins]
    assert predicted == sorted(predicted)


@needs("council")
def test_council_outlook(client: Any) -> None:
    o = client.get("/api/countries/SYR/council", params={"year": 2012}).json()
    assert [d["instrument"] for d in o["drafts"]][0] == "statement"
    for d in o["drafts"]:
        assert d["p_pass"] + d["p_veto"] + d["p_short_of_nine"] == pytest.approx(1.0, abs=1e-6)
    members = {v["member"] for v in o["votes"]}
    assert set(o["p5"]) <= members and len(members) == 15
    assert "outside" in _error(client.get("/api/countries/SYR/council", params={"year": 2090}), 400)


@needs("council")
def test_council_track_record_reproduces_the_veto_backtest(client: Any) -> None:
    from r2p.council import P5, veto_backtest

    record = client.get("/api/council/track-record", params={"train_until": VETO_TRAIN_UNTIL}).json()
    result = veto_backtest(VETO_TRAIN_UNTIL)
    m, rows = result.metrics, result.rows
    assert record["metrics"] == pytest.approx(m)
    assert (record["train_until"], record["first_year"]) == (VETO_TRAIN_UNTIL, VETO_TRAIN_UNTIL + 1)
    assert m["p5_votes"] == len(rows) and m["vetoes"] > 0
    scores = {s["name"]: s for s in record["scores"]}
    assert [scores[k]["brier"] for k in ("model", "repeat_veto", "base_rate")] == pytest.approx(
        [m["brier_model"], m["brier_repeat_veto"], m["brier_base_rate"]])
    assert scores["model"]["skill_vs_base_rate"] == pytest.approx(m["brier_skill_vs_base_rate"])
    assert scores["model"]["auc"] == pytest.approx(m["auc_model"])
    assert record["skill_goal_met"] is (m["brier_skill_vs_base_rate"] >= record["skill_goal"])
    # Expected (sum of p_veto) and observed vetoes by member add up to the pooled totals.
    members = {r["member"]: r for r in record["by_member"]}
    assert set(members) == set(P5)
    assert sum(r["p5_votes"] for r in members.values()) == m["p5_votes"]
    assert sum(r["observed_vetoes"] for r in members.values()) == m["vetoes"]
    assert sum(r["expected_vetoes"] for r in members.values()) == pytest.approx(rows["p_veto"].sum())
    rus = rows[rows["member"] == "RUS"]
    assert members["RUS"]["expected_vetoes"] == pytest.approx(rus["p_veto"].sum())
    assert members["RUS"]["observed_vetoes"] == rus["vetoed"].sum()
    periods = record["by_period"]
    assert periods[0]["first_year"] == VETO_TRAIN_UNTIL + 1
    assert periods[-1]["last_year"] == record["last_year"]
    assert sum(p["vetoes"] for p in periods) == m["vetoes"]
    assert sum(p["drafts"] for p in periods) == m["drafts"]
    if len(periods) == 1:
        assert periods[0]["skill_vs_base_rate"] == pytest.approx(m["brier_skill_vs_base_rate"])
    bins = record["reliability"]
    assert sum(b["n"] for b in bins) == m["p5_votes"] and sum(b["vetoes"] for b in bins) == m["vetoes"]
    assert all(b["lo"] <= b["predicted"] <= b["hi"] and 0 <= b["observed"] <= 1 for b in bins)
    assert [b["predicted"] for b in bins] == sorted(b["predicted"] for b in bins)


@needs("council")
def test_council_track_record_refuses_a_bad_training_window(client: Any) -> None:
    from r2p.errors import R2PInputError
    from r2p.web._services import veto_track_record

    for value in (1993, 2025, "soon", 2010.5):
        msg = _error(client.get("/api/council/track-record", params={"train_until": value}), 422)
        assert "train_until" in msg
    assert "greater than or equal to 1994" in _error(
        client.get("/api/council/track-record", params={"train_until": 1980}), 422)
    with pytest.raises(R2PInputError, match="1994 to 2024"):
        veto_track_record(2030)


@needs("law")
def test_regimes_and_inline_validation(client: Any) -> None:
    names = [r["name"] for r in client.get("/api/regimes").json()["regimes"]]
    assert names[0] == "status_quo" and len(names) == 6
    sq = client.get("/api/regimes/status_quo").json()
    ok = client.post("/api/regimes/validate", json={"yaml": sq["yaml"]}).json()
    assert ok == {"valid": True, "name": "status_quo", "errors": []}
    lines = sq["yaml"].splitlines()
    line_no = next(i for i, t in enumerate(lines, 1) if "deliberation_weeks:" in t)
    bad = sq["yaml"].replace("deliberation_weeks: 4.0", "deliberation_weeks: -2")
    res = client.post("/api/regimes/validate", json={"yaml": bad}).json()
    assert res["valid"] is False
    assert res["errors"][0]["field"] == "council.deliberation_weeks" and res["errors"][0]["line"] == line_no
    contradictory = sq["yaml"].replace("max_instrument: precision_strikes", "max_instrument: carpet_bombing")
    res = client.post("/api/regimes/validate", json={"yaml": contradictory}).json()
    assert res["errors"][0]["field"] == "council.max_instrument"
    assert "unknown name" in res["errors"][0]["message"]
    res = client.post("/api/regimes/validate", json={"yaml": "name: [unclosed"}).json()
    assert res["valid"] is False and "not valid YAML" in res["errors"][0]["message"]
    bomb = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: [*b, *b, *b, *b]\n")
    res = client.post("/api/regimes/validate", json={"yaml": bomb}).json()
    assert "aliases" in res["errors"][0]["message"]
    _error(client.post("/api/regimes/validate", json={"yaml": "x" * 60_000}), 422)
    _error(client.get("/api/regimes/anarchy"), 404)


def _wait(client: Any, job_id: str, timeout: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        job = client.get(f"/api/simulations/{job_id}").json()
        seen.append(job["progress"])
        if job["state"] in ("done", "failed"):
            assert seen == sorted(seen), "progress never goes back"
            return dict(job)
        time.sleep(0.2)
    raise AssertionError("simulation did not finish")


@needs("crisis")
def test_simulation_runs_with_progress_and_is_reproducible(client: Any) -> None:
    body = {"scenario": "darfur-2003", "regimes": ["status_quo", "un_reform"], "draws": 150, "seed": 11}
    first = client.post("/api/simulations", json=body)
    assert first.status_code == 202
    a = _wait(client, first.json()["id"])
    assert a["state"] == "done", a["message"]
    result = a["result"]
    assert [r["name"] for r in result["regimes"]] == ["status_quo", "un_reform"]
    assert result["target"] == "SDN" and result["year"] == 2003
    assert result["command"].startswith("r2p simulate --target SDN --year 2003")
    deaths = result["regimes"][0]["summary"]["deaths_civilian"]
    assert deaths["p05"] <= deaths["mean"] <= deaths["p95"]
    b = _wait(client, client.post("/api/simulations", json=body).json()["id"])
    assert b["result"]["regimes"] == result["regimes"]  # same seed, same numbers


@needs("crisis")
def test_bad_simulation_requests_are_refused_and_queue_nothing(client: Any, server: Any) -> None:
    jobs = server.app.state.jobs
    before = len(jobs)
    cases = [
        ({"country": "SDN", "draws": 10**9}, 422, "too many"),
        ({"country": "SDN", "draws": 0}, 422, "at least 1"),
        ({"country": "SDN", "draws": 20000, "custom_regime_yaml": "name: x",
          "regimes": ["status_quo", "un_reform", "hi_doctrine", "democracies", "recommended",
                      "break_the_law"]},
         400, "not valid"),
        ({"country": "ZZZ"}, 400, "no country"),
        ({"regimes": ["status_quo"]}, 400, "choose a crisis"),
        ({"country": "SDN", "regimes": ["status_qou"]}, 400, "Did you mean 'status_quo'"),
        ({"scenario": "atlantis-2000"}, 400, "case library"),
        ({"country": "SDN", "seed": -1}, 422, "seed"),
        ({"country": "SDN", "year": 1800}, 422, "year"),
        ({"country": "SDN", "colour": "red"}, 422, "colour"),
        ({"country": "SDN", "custom_regime_yaml": "a: &x [1]\nb: *x"}, 400, "aliases"),
    ]
    for body, status, words in cases:
        assert words in _error(client.post("/api/simulations", json=body), status), body
    _error(client.post("/api/simulations", content=b"{not json",
                       headers={"content-type": "application/json"}), 422)
    assert len(jobs) == before
    _error(client.get("/api/simulations/deadbeef"), 404)


def test_pages_answer_and_unknown_paths_are_404(client: Any) -> None:
    for path in ("/", "/countries", "/countries/SDN", "/cases", "/cases/bosnia-1992", "/scenarios",
                 "/track-record", "/api-docs", "/static/app.js", "/static/style.css", "/favicon.ico"):
        assert client.get(path).status_code == 200, path
    r = client.get("/cases/nowhere")
    assert r.status_code == 404 and "no case with id" in r.text and "nowhere" in r.text
    assert "Traceback" not in r.text
    _error(client.get("/api/nothing-here"), 404)
    _error(client.delete("/api/countries/SDN"), 405)
    csp = client.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
