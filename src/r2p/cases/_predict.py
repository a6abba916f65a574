"""Mechanistic as-of probabilities of the four validation outcomes from the crisis simulator.

For one case and one setting of the simulator's timing parameters (``SimParams``) the crisis
simulator (``r2p.crisis.simulate``) is run on the case's as-of inputs (``_features``) under
two "history" regimes built from the shipped ones (``r2p.law``):

- ``history_council`` — ``status_quo`` with the given Council pace: the Council climbs the
  ladder one class per session (statement → sanctions → embargo → ICC → peace operation →
  force authorisation), each vote drawn from the as-of Council.
- ``history_coalition`` — ``break_the_law`` with the same Council and the coalition's political
  will set to ``coalition_will``: after two deadlocks a coalition may act without the Council.

Common random numbers make the Council identical in both regimes. From the draws:

- ``coercive_12m``: the first Council art. 41 class (targeted sanctions) adopted within 12
  months (with one class per session the first coercive adoption is an art. 41 measure);
- ``force_authorized_24m``: the Council adopts the force-authorisation class within 24 months;
- ``veto_24m``: 1 − E[(1 − q)^D], where D is a draw's number of deadlocked sessions within the
  horizon and q the share of failures at the class it was climbing to that are vetoes
  (P(any P5 veto) / P(fail) of that class);
- ``force_unauthorized_24m``: the share of draws in which the coalition path acted; run once with
  a coalition willing with certainty and scaled by ``coalition_will`` (exact under common
  random numbers, see ``CouncilRun``).

Months are whole months from onset (``week // (52/12)``), inclusive, as in truth.csv.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from r2p.cases._features import CaseInputs

OUTCOMES = ("veto_24m", "coercive_12m", "force_authorized_24m", "force_unauthorized_24m")
WEEKS_PER_MONTH = 52.0 / 12.0
#: Simulated horizon: the whole 24th month after onset (months 0..24 inclusive).
HORIZON_WEEKS = 109
#: Monte Carlo draws per case and parameter setting (Monte Carlo s.e. of a share ≤ 0.016).
DRAWS = 1000
SEED = 20090701
MAX_MONTH = 24
COALITION_PATH = "coalition_of_the_willing"


@dataclass(frozen=True)
class SimParams:
    """The simulator parameters that the case library can calibrate.

    - ``deliberation_weeks``: mean weeks between Council sessions on a crisis (status_quo: 4).
    - ``first_session_weeks``: mean weeks from detection to the first session (status_quo: 2).
    - ``coalition_will``: probability that a coalition is willing to act without the Council
      after two deadlocks (break_the_law: 0.45).
    - ``nonstate_relief``: share of each permanent member's veto propensity that falls away when
      the perpetrator is not the state (half of it when both state and non-state forces are
      perpetrators): measures aimed at armed groups do not touch a patron's client government.
      Not a mechanism of the shipped simulator (0 = off); applied to the as-of inputs.
    - ``engagement_power``: κ of the Council's engagement, P(engaged) = (1 − P(a statement is
      vetoed))^κ (see ``CouncilRun``); 0 = always engaged (the shipped simulator).
    """

    deliberation_weeks: float = 4.0
    first_session_weeks: float = 2.0
    coalition_will: float = 0.45
    nonstate_relief: float = 0.0
    engagement_power: float = 0.0

    def council_part(self) -> tuple[float, float, float]:
        """The parameters a simulation run depends on (not the coalition will nor κ)."""
        return (self.deliberation_weeks, self.first_session_weeks, self.nonstate_relief)


#: Exposure of the state to measures, by perpetrator (the complement is relieved, see SimParams).
STATE_EXPOSURE = {"state": 1.0, "both": 0.5, "non-state": 0.0}
#: The R2P crime a case is simulated as: the first of its crime types in this order.
CRIME_ORDER = ("genocide", "crimes_against_humanity", "ethnic_cleansing", "war_crimes")


@dataclass(frozen=True)
class CaseSetting:
    """What the onset fields say about the crisis simulated: the crime (the gravest listed), whether
    an R2P crime is alleged at all (``trigger_holds``; a case with no crime type is simulated as a
    crisis without an atrocity trigger), and the state's exposure (``STATE_EXPOSURE``)."""

    crime: str = "genocide"
    trigger_holds: bool = True
    exposure: float = 1.0


def case_setting(crime_types: Sequence[str], perpetrator: str) -> CaseSetting:
    """The ``CaseSetting`` of a case from its onset fields."""
    listed = [c for c in CRIME_ORDER if c in set(crime_types)]
    return CaseSetting(listed[0] if listed else "crimes_against_humanity", bool(listed),
                       STATE_EXPOSURE[perpetrator])


def relieved(inputs: CaseInputs, relief: float, exposure: float) -> Any:
    """The as-of ``ScenarioInputs`` with each P5 veto propensity cut by ``relief × (1 − exposure)``
    (the withheld vetoes become yes votes)."""
    si = inputs.scenario_inputs()
    cut = float(relief) * (1.0 - float(exposure))
    if cut <= 0:
        return si
    p_veto = np.array(si.p_veto) * (1.0 - cut)
    p_yes = np.array(si.p_yes)
    p_yes[:, :, :5] += np.array(si.p_veto) - p_veto
    return dataclasses.replace(si, p_yes=np.clip(p_yes, 0.0, 1.0), p_veto=p_veto)


SHIPPED = SimParams()


@functools.lru_cache(maxsize=256)
def history_regimes(params: SimParams) -> tuple[Any, Any]:
    """Return the ``(history_council, history_coalition)`` regimes for ``params``."""
    from r2p.law import load_regime, parse_regime

    council = load_regime("status_quo").model_dump()
    council["name"] = "history_council"
    council["council"].update(deliberation_weeks=params.deliberation_weeks,
                              first_session_weeks=params.first_session_weeks)
    coalition = load_regime("break_the_law").model_dump()
    coalition["name"] = "history_coalition"
    coalition["council"].update(deliberation_weeks=params.deliberation_weeks,
                                first_session_weeks=params.first_session_weeks)
    for p in coalition["paths"]:
        if p["name"] == COALITION_PATH:
            p["political_will"] = params.coalition_will
    return parse_regime(council), parse_regime(coalition)


def month_histogram(weeks: NDArray[np.float64]) -> NDArray[np.float64]:
    """Shares of draws per month 0..24 and a last bin for later or never (NaN)."""
    months = np.floor(np.asarray(weeks, dtype=float) / WEEKS_PER_MONTH)
    months = np.where(np.isnan(months) | (months > MAX_MONTH), MAX_MONTH + 1, months).astype(int)
    return np.bincount(months, minlength=MAX_MONTH + 2)[: MAX_MONTH + 2] / max(len(months), 1)


def _scenario(inputs: CaseInputs, setting: CaseSetting, relief: float) -> Any:
    from r2p.crisis import Scenario

    return Scenario(inputs=relieved(inputs, relief, setting.exposure), crime=setting.crime,
                    trigger_holds=setting.trigger_holds, horizon_weeks=HORIZON_WEEKS)


def simulate_case(inputs: CaseInputs, setting: CaseSetting, pace: tuple[float, float, float], *,
                  draws: int = DRAWS, seed: int = SEED) -> CouncilRun:
    """Run ``history_council`` and ``history_coalition`` (coalition will 1) for a case at
    ``pace = (deliberation_weeks, first_session_weeks, nonstate_relief)`` with the as-of Council,
    and ``history_coalition`` with a blocked Council (see ``blocked_coalition``)."""
    from r2p.crisis import pass_probability, simulate
    from r2p.law import COUNCIL_CLASSES, instrument

    params = SimParams(pace[0], pace[1], 1.0, pace[2])
    regime, coalition = history_regimes(params)
    scenario = _scenario(inputs, setting, pace[2])
    res = simulate(scenario, [regime, coalition], draws=draws, weeks=HORIZON_WEEKS, seed=seed)
    d = res.draws[res.draws["regime"] == regime.name]
    coerc = month_histogram(d["weeks_to_first_coercion"].to_numpy(dtype=float))
    force = month_histogram(d["weeks_to_council_force"].to_numpy(dtype=float))
    m = int(setting.trigger_holds)
    si = scenario.inputs
    p_pass = pass_probability(si.p_yes[m], si.p_veto[m])
    p_any_veto = 1.0 - np.prod(1.0 - si.p_veto[m], axis=-1)
    q = np.clip(p_any_veto / np.maximum(1.0 - p_pass, 1e-9), 0.0, 1.0)
    cls_of = {"none": -1}
    for name in d["highest_instrument"].cat.categories:
        if name != "none":
            cls_of[str(name)] = COUNCIL_CLASSES.index(instrument(str(name)).council_class)
    best = d["highest_instrument"].astype(str).map(cls_of).to_numpy(dtype=int)
    nxt = np.minimum(best + 1, len(COUNCIL_CLASSES) - 1)
    dead = d["deadlocks"].to_numpy(dtype=float)
    p_veto = float(np.mean(1.0 - (1.0 - q[nxt]) ** dead))
    b = res.draws[res.draws["regime"] == coalition.name]
    acted = float((b["authority_path"].astype(str) == "claimed_necessity").mean())
    p = {"veto_24m": p_veto, "coercive_12m": float(coerc[:13].sum()),
         "force_authorized_24m": float(force[: MAX_MONTH + 1].sum())}
    blocked = blocked_coalition(inputs, setting, pace[0], pace[1], draws=draws, seed=seed)
    return CouncilRun(p, coerc, force, acted, float(p_any_veto[0]), blocked)


def blocked_coalition(inputs: CaseInputs, setting: CaseSetting, deliberation_weeks: float,
                      first_session_weeks: float, *, draws: int = DRAWS, seed: int = SEED) -> float:
    """Share of draws in which a coalition willing with certainty acts without the Council when
    the Council is *blocked*: the target's strongest patron among the P5 vetoes every draft
    (``ScenarioInputs.with_veto(member, 1)``), so every session deadlocks."""
    return _blocked_cached(inputs.id, inputs.onset_date, inputs.target, setting, deliberation_weeks,
                           first_session_weeks, draws, seed, inputs)


_BLOCKED: dict[tuple[Any, ...], float] = {}


def _blocked_cached(case_id: str, onset: str, target: str, setting: CaseSetting, d: float, f: float,
                    draws: int, seed: int, inputs: CaseInputs) -> float:
    from r2p.crisis import Scenario, simulate
    from r2p.law import P5

    key = (case_id, onset, target, setting, d, f, draws, seed)
    if key not in _BLOCKED:
        si = inputs.scenario_inputs()
        m = int(setting.trigger_holds)
        patron = P5[int(np.argmax(si.p_veto[m, 0]))]
        scenario = Scenario(inputs=si.with_veto(patron, 1.0), crime=setting.crime,
                            trigger_holds=setting.trigger_holds, horizon_weeks=HORIZON_WEEKS)
        _, coalition = history_regimes(SimParams(d, f, 1.0, 0.0))
        res = simulate(scenario, [coalition], draws=draws, weeks=HORIZON_WEEKS, seed=seed)
        _BLOCKED[key] = float((res.draws["authority_path"].astype(str) == "claimed_necessity").mean())
    return _BLOCKED[key]


@dataclass(frozen=True)
class CouncilRun:
    """Simulated outcomes at one pace, for an *engaged* Council (one that takes the crisis up):
    the three Council outcomes ``p``, the month histograms of the first art. 41 adoption and
    force authorisation, and ``acted_if_willing``: the share of draws in which a coalition
    *willing with certainty* acts without the Council; ``p_veto_statement``: P(any P5 veto) of
    a statement, and ``acted_if_willing_blocked``: the coalition's share when the Council is
    blocked.

    Engagement (``engagement``): the Council takes a crisis up only if no permanent member
    blocks even a statement, modelled as P(engaged) = (1 − p_veto_statement)^κ, κ =
    ``SimParams.engagement_power`` (0: always engaged, the shipped simulator). A blocked Council
    adopts nothing and casts no veto (drafts are not tabled against a threat).

    The coalition acts only in draws where its will-uniform falls below ``coalition_will`` and
    nothing else depends on that uniform (common random numbers), so P(unauthorised force) =
    ``coalition_will`` × ``acted_if_willing`` (per branch).
    """

    p: dict[str, float]
    coercion_months: NDArray[np.float64]
    force_auth_months: NDArray[np.float64]
    acted_if_willing: float
    p_veto_statement: float = 0.0
    acted_if_willing_blocked: float = 0.0

    def engagement(self, power: float) -> float:
        """P(the Council takes the crisis up) for engagement power κ."""
        return float((1.0 - self.p_veto_statement) ** float(power))

    def outcomes(self, coalition_will: float, engagement_power: float = 0.0) -> dict[str, float]:
        """The four mechanistic probabilities for a coalition will and engagement power."""
        e = self.engagement(engagement_power)
        out = {k: e * v for k, v in self.p.items()}
        out["force_unauthorized_24m"] = float(coalition_will) * (
            e * self.acted_if_willing + (1.0 - e) * self.acted_if_willing_blocked)
        return {k: out[k] for k in OUTCOMES}

    def months(self, engagement_power: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The coercion and force-authorisation month histograms including the blocked branch."""
        e = self.engagement(engagement_power)
        never = np.zeros_like(self.coercion_months)
        never[-1] = 1.0
        return e * self.coercion_months + (1 - e) * never, e * self.force_auth_months + (1 - e) * never


def mechanistic(inputs: CaseInputs, setting: CaseSetting, params: SimParams = SHIPPED, *,
                draws: int = DRAWS, seed: int = SEED) -> dict[str, float]:
    """Return the simulated probabilities (0–1) of the four outcomes for a case under ``params``."""
    run = simulate_case(inputs, setting, params.council_part(), draws=draws, seed=seed)
    return run.outcomes(params.coalition_will, params.engagement_power)
