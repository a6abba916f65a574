"""Gather every number a brief shows from the parts that compute it (no number is typed by hand).

``collect(...)`` calls ``r2p.risk``, ``r2p.council``, ``r2p.law``, ``r2p.crisis`` and ``r2p.cases``
through their public names and returns one JSON-ready ``dict`` (``numbers``) that the template
renders and that ``write_brief`` stores beside the brief. A brief for ``year`` Y is written as of
the end of Y: the risk forecast is the one made from Y data (onsets in Y+1 and Y+2, as
``r2p.risk.country_risk(iso3, Y)`` and the dashboard show it), and the Council outlook and the
simulated crisis are for the year the forecast looks at, Y+1 (``crisis_year``; ``r2p simulate
--year Y+1`` runs the same crisis, whose baseline risk is this same forecast).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from r2p.errors import R2PInputError

#: Headline metrics of the regime comparison: (simulator metric, statistic shown).
SIM_METRICS: tuple[tuple[str, str], ...] = (
    ("deaths_civilian", "mean"),
    ("deaths_civilian", "p05"),
    ("deaths_civilian", "p95"),
    ("weeks_to_first_coercion", "median"),
    ("weeks_to_protection", "median"),
    ("legitimacy_western", "mean"),
    ("legitimacy_russia_china", "mean"),
    ("legitimacy_nam_g77", "mean"),
    ("legitimacy_regional", "mean"),
    ("coordination_index", "mean"),
    ("force_used", "mean"),
    ("abuse", "mean"),
    ("council_erosion", "mean"),
)

Step = Callable[[str], None]


def _f(x: Any) -> float | None:
    """Return ``x`` as a float, or None for NaN/None (JSON has no NaN)."""
    if x is None:
        return None
    v = float(x)
    return None if math.isnan(v) else v


def check_year_span(iso3: str, ewp_name: str | None, year: Any) -> int:
    """Return ``year`` as an int if a brief can cover it for this country, else ``R2PInputError``.

    A brief for year Y needs the country in the EWP panel in Y (the risk forecast's base year).
    """
    from r2p.data import query

    if isinstance(year, bool) or not isinstance(year, int):
        raise R2PInputError(f"year: {year!r} is not a whole year (e.g. 2025).")
    if not ewp_name:
        raise R2PInputError(f"country: {iso3} is not covered by the Early Warning Project panel, so it "
                            "has no risk forecast; choose a country listed by `r2p data countries`.")
    span = query("select min(year) as lo, max(year) as hi from ewp_panel where ewp_name = ?", [ewp_name])
    lo, hi = span["lo"].iloc[0], span["hi"].iloc[0]
    if lo != lo:  # NaN: no rows
        raise R2PInputError(f"country: {iso3} has no rows in the Early Warning Project panel.")
    # 1991: the first base year of the risk protocol (its first training window ends in 1991)
    first, last = max(int(lo), 1991), int(hi)
    if not first <= year <= last:
        raise R2PInputError(f"year: {year} is outside the years a brief on {iso3} can cover ({first}–{last}: "
                            f"the years of Early Warning Project data a risk forecast can be made from).")
    return year


def _risk(iso3: str, base_year: int) -> dict[str, Any]:
    from r2p.risk import DEFAULT_MODEL, country_risk

    try:
        cr = country_risk(iso3, base_year)
    except R2PInputError as exc:
        raise R2PInputError(f"year: no risk forecast for {iso3} from {base_year} data: {exc}") from None
    prev = [r for y, r in cr.history if y == base_year - 1]
    return {
        "model": str(DEFAULT_MODEL),
        "base_year": cr.base_year,
        "risk_1y": cr.risk_1y,
        "risk_2y": cr.risk_2y,
        "rank": cr.rank,
        "n_countries": cr.n_countries,
        "prev_risk_2y": prev[0] if prev else None,
        "change_2y": (cr.risk_2y - prev[0]) if prev else None,
        "history": [[int(y), float(r)] for y, r in cr.history],
        "drivers": [{"feature": d.feature, "label": d.label, "value": d.value, "contribution": d.contribution,
                     "odds_ratio": math.exp(d.contribution)} for d in cr.drivers],
    }


def _backtest() -> dict[str, Any]:
    from r2p.risk import backtest

    # One process: by now this process holds native (DuckDB) threads, and a cold cache refitted in
    # forked workers can hang there. Results do not depend on the number of jobs; cached afterwards.
    m = backtest(n_jobs=1).metrics
    keep = ("model", "scoring", "auc", "brier", "log_loss", "n_onsets", "n_rows", "top30", "recall_top30")
    return {k: m[k] for k in keep if k in m}


def _council(iso3: str, year: int, regimes: Sequence[Any]) -> dict[str, Any]:
    from r2p.council import P5, load_model

    # The same model the crisis simulator uses for this year (r2p.crisis.scenario_inputs), so the
    # outlook shown and the simulated Council agree.
    as_of = dt.date(year, 12, 31)
    model = load_model(as_of=as_of)
    out = model.outlook(iso3, year)
    votes = out.votes
    p5_rows = votes[votes["member"].isin(list(P5))]
    p5 = [{"instrument": str(r.instrument), "member": str(r.member), "p_yes": float(r.p_yes),
           "p_abstain": float(r.p_abstain), "p_no": float(r.p_no), "p_veto": float(r.p_veto)}
          for r in p5_rows.itertuples(index=False)]
    elected = sorted({str(m) for m in votes["member"]} - set(P5))
    drafts = [{"instrument": d.instrument, "p_pass": d.p_pass, "p_veto": d.p_veto,
               "p_short_of_nine": d.p_short_of_nine} for d in out.drafts]
    restrained = []
    for regime in regimes:
        pledge = dict(regime.council.restraint)
        if not any(v > 0 for v in pledge.values()):
            continue
        o2 = model.outlook(iso3, year, restraint=pledge)
        restrained.append({"regime": regime.name, "restraint": pledge,
                           "strongest_passable": o2.strongest_passable,
                           "drafts": [{"instrument": d.instrument, "p_pass": d.p_pass, "p_veto": d.p_veto}
                                      for d in o2.drafts]})
    return {
        "as_of": as_of.isoformat(),
        "model_votes": int(model.fitted.n_votes),
        "model_data": [model.fitted.first_date, model.fitted.last_date],
        "manifest": bool(out.manifest),
        "drafts": drafts,
        "strongest_passable": out.strongest_passable,
        "expected_rounds": out.expected_rounds,
        "p5": list(P5),
        "elected": elected,
        "p5_votes": p5,
        "restraint": restrained,
    }


#: Charter route the Council uses for an instrument: art. 42 for force, art. 41 for other coercive
#: measures, chapter VI (non-coercive) otherwise — the same rule ``r2p.crisis`` applies.
def council_route(coercive: bool, force: bool) -> str:
    """Return the ``r2p.law`` authority-path name the Council acts by for such an instrument."""
    return "chapter_vii_art42" if force else "chapter_vii_art41" if coercive else "chapter_vi"


def _options(regimes: Sequence[Any], drafts: list[dict[str, Any]], regional_org: str) -> list[dict[str, Any]]:
    """Return the ladder with each rung's Council route and the routes outside the Council each regime
    opens for this target (a path reserved to some regional organisations counts only if the target's
    own organisation, ``regional_org``, is one of them)."""
    from r2p.law import authority_path, instruments

    p_pass = {d["instrument"]: d["p_pass"] for d in drafts}
    rows = []
    for ins in instruments():
        route = authority_path(council_route(ins.coercive, ins.force))
        outside: list[dict[str, Any]] = []
        capped: list[str] = []  # regimes under which the Council may not go this high
        for regime in regimes:
            cap = next(i.rung for i in instruments() if i.name == regime.council.max_instrument)
            for rule in regime.paths:
                if rule.regional_orgs and regional_org not in rule.regional_orgs:
                    continue
                if ins.name in rule.instruments:
                    ap = authority_path(rule.authority)
                    outside.append({"regime": regime.name, "path": rule.name, "authority": ap.name,
                                    "authority_title": ap.title, "legal": ap.legal,
                                    "min_deadlocks": rule.min_deadlocks,
                                    "political_will": rule.political_will})
            if ins.rung > cap:
                capped.append(regime.name)
        rows.append({
            "instrument": ins.name, "title": ins.title, "rung": ins.rung, "kind": ins.kind,
            "coercive": ins.coercive, "force": ins.force, "council_class": ins.council_class,
            "council_path": route.name, "council_path_title": route.title,
            "p_pass": p_pass.get(ins.council_class), "lag_weeks": ins.lag_weeks,
            "outside": outside, "council_capped_in": capped,
        })
    return rows


def _simulation(iso3: str, year: int, regimes: Sequence[Any], draws: int, seed: int) -> dict[str, Any]:
    from r2p.crisis import Scenario, simulate

    scenario = Scenario.for_country(iso3, year)
    result = simulate(scenario, list(regimes), draws, scenario.horizon_weeks, seed=seed)
    s = result.summary.set_index(["regime", "metric"])
    table = []
    for name in result.regimes:
        row: dict[str, Any] = {"regime": name}
        for metric, stat in SIM_METRICS:
            row[f"{metric}_{stat}"] = _f(s.loc[(name, metric), stat])
        row["weeks_to_protection_share"] = _f(s.loc[(name, "weeks_to_protection"), "share_defined"])
        inst = result.instruments[result.instruments["regime"] == name].sort_values("share", ascending=False)
        if len(inst):
            top = inst.iloc[0]
            row["modal_instrument"] = str(top["highest_instrument"])
            row["modal_authority"] = str(top["authority_path"])
            row["modal_share"] = float(top["share"])
        table.append(row)
    inputs = scenario.inputs
    return {
        "draws": int(draws), "weeks": int(result.weeks), "seed": int(result.seed),
        "regimes": list(result.regimes),
        "scenario": {"crime": scenario.crime, "trigger_holds": scenario.trigger_holds,
                     "horizon_weeks": scenario.horizon_weeks, "detection_weeks": scenario.detection_weeks,
                     "baseline_risk_1y": _f(inputs.baseline_risk), "regional_org": inputs.regional_org,
                     "region": inputs.region, "closed_state": _f(inputs.closed_state),
                     "members": list(inputs.members), "inputs_source": inputs.source},
        "table": table,
    }


def _regimes_meta(regimes: Sequence[Any]) -> list[dict[str, Any]]:
    out = []
    for r in regimes:
        out.append({"name": r.name, "title": r.title, "category": r.category, "summary": r.summary})
    return out


def _provenance() -> list[dict[str, Any]]:
    from r2p.data import query

    p = query("SELECT table_name, rel_path, source, sha256, rows FROM provenance "
              "ORDER BY table_name, rel_path")
    rows: list[dict[str, Any]] = []
    grouped: dict[str, list[Any]] = {}
    for r in p.itertuples(index=False):
        grouped.setdefault(str(r.table_name), []).append(r)
    for name, items in grouped.items():
        if len(items) == 1:
            r = items[0]
            rows.append({"table": name, "files": 1, "path": str(r.rel_path), "source": str(r.source),
                         "sha256": str(r.sha256), "rows": int(r.rows)})
        else:  # many files of one table (the case documents): one digest over their digests, in path order
            digest = hashlib.sha256("".join(f"{r.rel_path}:{r.sha256}\n" for r in items).encode()).hexdigest()
            folder = str(Path(str(items[0].rel_path)).parent) + "/"
            rows.append({"table": name, "files": len(items), "path": folder,
                         "source": str(items[0].source), "sha256": digest,
                         "rows": int(sum(int(r.rows) for r in items))})
    return rows


def _regime_sources(regimes: Sequence[Any], specs: Sequence[str]) -> list[dict[str, Any]]:
    """Return, for regimes loaded from a user's YAML file, the file and its SHA-256."""
    out = []
    for spec in specs:
        path = Path(spec).expanduser()
        if path.is_file():
            out.append({"file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    return out


def collect(iso3: str, country_name: str, region: str, year: int, regimes: Sequence[Any],
            regime_specs: Sequence[str], draws: int, seed: int, step: Step | None = None) -> dict[str, Any]:
    """Return the brief's numbers (JSON-ready) for a validated country, year and regimes.

    ``step(description)`` is called as each part starts (for progress bars).
    """
    from r2p import __version__
    from r2p.report._analogues import WEIGHTS, nearest_cases

    def tick(what: str) -> None:
        if step is not None:
            step(what)

    crisis_year = year + 1
    tick("risk forecast and drivers")
    backtest = _backtest()  # first: country_risk's history reads the same (now cached) backtest
    risk = _risk(iso3, year)
    tick("Security Council outlook")
    council = _council(iso3, crisis_year, regimes)
    from r2p.law import regional_organisation

    options = _options(regimes, council["drafts"], regional_organisation(iso3, region).name)
    tick("simulating the regimes")
    sim = _simulation(iso3, crisis_year, regimes, draws, seed)
    tick("nearest historical analogues")
    analogues = nearest_cases(iso3, crisis_year, region)
    return {
        "r2p_version": __version__,
        "country": {"iso3": iso3, "name": country_name, "region": region,
                    "regional_org": sim["scenario"]["regional_org"]},
        "year": year,
        "crisis_year": crisis_year,
        "risk": risk,
        "council": council,
        "options": options,
        "regimes": _regimes_meta(regimes),
        "simulation": sim,
        "analogues": analogues,
        "analogue_weights": dict(WEIGHTS),
        "provenance": {"datasets": _provenance(), "risk_backtest": backtest,
                       "user_regimes": _regime_sources(regimes, regime_specs)},
    }
