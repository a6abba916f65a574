"""Regimes, crisis scenarios and simulations for the country page and the scenario editor.

Regimes come from ``r2p.law`` (six shipped, or the user's YAML, validated by its schema);
simulations run ``r2p.crisis.simulate`` on a background worker with progress. A request
is validated completely before anything is queued, so bad input changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import yaml

from r2p.errors import R2PInputError, suggest
from r2p.web._jobs import Progress
from r2p.web._parts import cached, part
from r2p.web._schemas import SimulationRequest
from r2p.web._services import NotFound, _clean, _library, country, data_years, records

WEEKS = 52  # simulated horizon (weeks) of dashboard runs, as `r2p simulate` defaults
MAX_CRISIS_WEEKS = 8_000_000  # draws × regimes × weeks of one request (about half a minute)
MAX_YAML_NODES = 5_000  # nodes in a pasted regime (the shipped ones have under 200)

#: What the comparison shows, in order: summary key, label, unit ("share" = 0–1 shown as %), chart?
METRICS: tuple[tuple[str, str, str, bool], ...] = (
    ("deaths_civilian", "Civilian deaths", "persons", True),
    ("weeks_to_first_coercion", "Weeks to first coercive measure", "weeks", True),
    ("weeks_to_protection", "Weeks until killing falls below a tenth of its peak", "weeks", False),
    ("weeks_to_council_force", "Weeks to Council-authorised force", "weeks", False),
    ("force_used", "Force used", "share", False),
    ("force_withheld", "Force withheld although atrocities were manifest", "share", False),
    ("abuse", "Force used where no atrocity trigger held (abuse)", "share", False),
    ("legitimacy_western", "Legitimacy: Western bloc", "share", True),
    ("legitimacy_russia_china", "Legitimacy: Russia–China", "share", True),
    ("legitimacy_nam_g77", "Legitimacy: Non-Aligned / G77", "share", True),
    ("legitimacy_regional", "Legitimacy: regional organisation", "share", False),
    ("coordination_index", "Coordination (share of relevant actors inside)", "share", True),
    ("troop_weeks", "Troop-weeks", "troop-weeks", False),
    ("council_erosion", "Erosion of the Council's authority", "share", False),
    ("deadlocks", "Council deadlocks", "drafts", False),
)


# ----------------------------------------------------------------------------- regimes


def regime_list() -> dict[str, Any]:
    """Return the shipped regimes in the report's order: name, title, category, summary."""
    law = part("law")
    return {"regimes": [{"name": n, "title": r.title, "category": r.category, "description": r.summary}
                        for n, r in law.regimes().items()]}


def _regime_names() -> tuple[str, ...]:
    law = part("law")
    return tuple(getattr(law, "REGIME_NAMES", tuple(law.regimes())))


def regime_detail(name: str) -> dict[str, Any]:
    """Return one shipped regime: its YAML text (with the sources in its comments) and parsed fields."""
    law = part("law")
    names = _regime_names()
    if name not in names:
        raise NotFound(f"no shipped regime named {name[:60]!r}; expected one of {', '.join(names)}."
                       + suggest(name, names))
    # ``name`` is one of the shipped names, so this reads only the package's own files.
    text = resources.files("r2p.law").joinpath("regimes").joinpath(f"{name}.yaml").read_text("utf-8")
    regime = law.regimes()[name]
    return _clean({"name": name, "yaml": text, "regime": regime.model_dump(mode="json")})


def _node_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Return the 1-based line of the YAML node at ``loc`` (the deepest one that exists)."""
    node, line = root, None
    if node is not None:
        line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == str(key)), None)
            if nxt is None:
                return line
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
        else:
            return line
        line = node.start_mark.line + 1
    return line


_FIELD = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (.*)$", re.S)
_SPLIT = re.compile(r"; (?=[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*: )")


def _path_loc(field: str) -> tuple[Any, ...]:
    loc: list[Any] = []
    for part_ in field.split("."):
        m = re.match(r"^([a-z_]+)(?:\[(\d+)\])?$", part_)
        if not m:
            break
        loc.append(m.group(1))
        if m.group(2) is not None:
            loc.append(int(m.group(2)))
    return tuple(loc)


def _field_name(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _parse_yaml(text: str) -> tuple[Any, yaml.Node | None, list[dict[str, Any]]]:
    """Parse ``text`` safely (no aliases, so no YAML bomb; bounded size); return data, tree, errors."""
    try:
        for events, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), start=1):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                return None, None, [{"line": mark.line + 1 if mark else None, "field": None,
                                     "message": "anchors and aliases (*name) are not allowed in a regime; "
                                                "write the values out"}]
            if events > MAX_YAML_NODES:
                return None, None, [{"line": None, "field": None,
                                     "message": f"the regime is too large (over {MAX_YAML_NODES} YAML "
                                                "nodes); a regime has a few dozen fields"}]
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, None, [{"line": mark.line + 1 if mark else None,
                             "column": mark.column + 1 if mark else None,
                             "field": None, "message": f"not valid YAML: {problem}"}]
    return data, root, []


def check_regime(text: str) -> tuple[Any, list[dict[str, Any]]]:
    """Return (the ``Regime`` or None, the problems found: each with line, field and message)."""
    from pydantic import ValidationError

    law = part("law")
    data, root, errors = _parse_yaml(text)
    if errors:
        return None, errors
    if not isinstance(data, dict):
        got = "nothing" if data is None else f"a {type(data).__name__}"
        return None, [{"line": 1, "field": None,
                       "message": f"a regime must be a mapping of fields (name: …, title: …), got {got}"}]
    try:
        return law.Regime.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err.get("loc", ()))
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            if err.get("type") == "extra_forbidden":
                msg = "unknown field (not part of a regime; check the spelling)"
            elif err.get("type") == "missing":
                msg = "required field is missing"
            elif "input" in err and err.get("type") != "value_error" and not isinstance(err["input"], dict):
                msg = f"{msg} (got {str(err['input'])[:60]!r})"
            if loc:
                problems.append({"line": _node_line(root, loc), "field": _field_name(loc), "message": msg})
                continue
            for piece in _SPLIT.split(msg):  # the whole-regime check reports "field: problem; …"
                m = _FIELD.match(piece)
                if m:
                    sub = _path_loc(m.group(1))
                    problems.append({"line": _node_line(root, sub), "field": m.group(1),
                                     "message": m.group(2)})
                else:
                    problems.append({"line": None, "field": None, "message": piece})
        return None, problems
    except (R2PInputError, ValueError, TypeError) as exc:
        return None, [{"line": None, "field": None, "message": str(exc)}]


def _problem_text(e: dict[str, Any]) -> str:
    where = (f"line {e['line']}: " if e.get("line") else "") + (f"{e['field']}: " if e.get("field") else "")
    return where + str(e["message"])


def validate_regime(text: str) -> dict[str, Any]:
    """Return ``{"valid", "name", "errors"}`` for a regime written in YAML (never raises on bad YAML)."""
    regime, errors = check_regime(text)
    name = regime.name if regime is not None else None
    return {"valid": regime is not None, "name": name, "errors": errors}


# ----------------------------------------------------------------------------- scenarios


def _case_scenarios() -> list[dict[str, Any]]:
    crimes = ("genocide", "crimes_against_humanity", "ethnic_cleansing", "war_crimes")
    out = []
    for c in _library():
        crime = next((k for k in c.crime_types if k in crimes), "genocide")
        out.append({"name": c.id, "title": c.name, "target": c.target_state, "year": c.onset_year,
                    "crime": crime, "description": f"{c.name}: {c.target_state}, onset {c.onset_date}"})
    return out


def scenario_list() -> dict[str, Any]:
    """Return the crises the editor offers: every case of the library (target state, onset year, crime)."""
    part("crisis")
    return {"scenarios": _case_scenarios(),
            "note": "Any country and year can be simulated too: give its ISO3 code (and a year)."}


# ----------------------------------------------------------------------------- simulations


def _resolve_target(req: SimulationRequest) -> tuple[str, int, str, str]:
    """Return (iso3, year, crime, description) of the crisis ``req`` asks for."""
    if req.scenario:
        cases = {s["name"]: s for s in _case_scenarios()}
        if req.scenario not in cases:
            raise R2PInputError(f"scenario {req.scenario[:60]!r} is not a crisis of the case library."
                                + suggest(req.scenario, cases))
        s = cases[req.scenario]
        year = req.year if req.year is not None else int(s["year"])
        return str(s["target"]), year, str(s["crime"]), f"{s['title']} ({s['target']}, {year})"
    if not req.country:
        raise R2PInputError("choose a crisis: give a country (ISO3 code) or a scenario from the case "
                            "library.")
    try:
        c = country(req.country)
    except NotFound as exc:
        raise R2PInputError(f"country: {exc}") from None
    lo, hi = data_years()
    year = req.year if req.year is not None else hi
    if not 1946 <= year <= hi:
        raise R2PInputError(f"year {year} is outside the data: simulations need Council and risk inputs, "
                            f"available for 1946–{hi}.")
    return c.iso3, year, "genocide", f"{c.name} ({c.iso3}), {year}"


def prepare_simulation(req: SimulationRequest) -> tuple[dict[str, Any], Callable[[Progress], dict[str, Any]]]:
    """Validate ``req`` completely and return (params, run(progress)); nothing is queued if this raises."""
    crisis = part("crisis")
    names = _regime_names()
    chosen: list[Any] = []
    for name in dict.fromkeys(req.regimes):
        if name not in names:
            raise R2PInputError(f"regime {name[:60]!r} is not a shipped regime ({', '.join(names)})."
                                + suggest(name, names))
        chosen.append(name)
    label_custom = None
    if req.custom_regime_yaml is not None and req.custom_regime_yaml.strip():
        regime, errors = check_regime(req.custom_regime_yaml)
        if regime is None:
            shown = "; ".join(_problem_text(e) for e in errors[:5])
            raise R2PInputError(f"the edited regime is not valid: {shown}")
        if regime.name in chosen:
            regime = regime.model_copy(update={"name": f"{regime.name}_edited"})
        label_custom = regime.name
        chosen.append(regime)
    if not chosen:
        raise R2PInputError(f"regimes: choose at least one of {', '.join(names)} (or paste your own).")
    iso3, year, crime, description = _resolve_target(req)
    total = req.draws * len(chosen) * WEEKS
    if total > MAX_CRISIS_WEEKS:
        raise R2PInputError(f"draws × regimes × weeks = {total:,} crisis-weeks is too much for one dashboard "
                            f"run (at most {MAX_CRISIS_WEEKS:,}): lower the draws or compare fewer regimes, "
                            "or use `r2p simulate` / `r2p sweep`.")
    shipped = [c for c in chosen if isinstance(c, str)]
    command = (f"r2p simulate --target {iso3} --year {year} --crime {crime} --regime {','.join(shipped)} "
               f"--draws {req.draws} --weeks {WEEKS} --seed {req.seed}") if shipped else None
    params = {"target": iso3, "year": year, "crime": crime, "scenario": description,
              "regimes": [c if isinstance(c, str) else c.name for c in chosen], "custom_regime": label_custom,
              "draws": req.draws, "seed": req.seed, "weeks": WEEKS, "command": command}

    def run(progress: Progress) -> dict[str, Any]:
        progress(0.01, "building the crisis from Council, risk and warehouse data (the first time can take "
                       "a minute)")
        scenario = cached(("crisis", "scenario", iso3, year, crime),
                          lambda: crisis.Scenario.for_country(iso3, year, crime=crime, horizon_weeks=WEEKS))
        done = [0]

        def step(k: int) -> None:
            done[0] += int(k)
            progress(0.1 + 0.9 * done[0] / total, f"simulated {done[0]:,} of {total:,} crisis-weeks")

        progress(0.1, "simulating")
        result = crisis.simulate(scenario, chosen, req.draws, WEEKS, seed=req.seed, progress=step)
        return _format_result(result, params)

    return params, run


def _format_result(result: Any, params: dict[str, Any]) -> dict[str, Any]:
    summary = result.summary.set_index(["regime", "metric"])
    inst = result.instruments
    regimes = []
    for name in result.regimes:
        stats: dict[str, Any] = {}
        for key, *_ in METRICS:
            if (name, key) in summary.index:
                row = summary.loc[(name, key)]
                stats[key] = {k: row[k] for k in ("mean", "median", "p05", "p95", "se", "share_defined")}
        top = inst[inst["regime"] == name].head(3)
        regimes.append({"name": name, "custom": name == params.get("custom_regime"), "summary": stats,
                        "highest": records(top[["highest_instrument", "authority_path", "share"]])})
    inputs = result.scenario.inputs
    return _clean({
        **params,
        "country": getattr(inputs, "country", params["target"]),
        "baseline_risk_1y": getattr(inputs, "baseline_risk", None),
        "regional_org": getattr(inputs, "regional_org", None),
        "inputs_source": getattr(inputs, "source", None),
        "metrics": [{"key": k, "label": lab, "unit": unit, "chart": chart}
                    for k, lab, unit, chart in METRICS],
        "regimes": regimes,
    })
