"""r2p.crisis: the crisis simulator — a perpetrator who escalates or is deterred, and an
international response that climbs a ladder of instruments under a regime's rules.

The readable shape (Mesa-style), with a vectorised engine underneath:

- ``Scenario``: target and year (real inputs via ``scenario_inputs``), crime, ``Perpetrator``,
  horizon; ``Scenario.for_country(iso3, year)``.
- ``ScenarioInputs`` / ``scenario_inputs(target, year)``: Council vote and veto
  probabilities, alignments, baseline risk, region and regional organisation.
- ``Regime``: from ``r2p.law`` (six shipped, or your own YAML).
- ``simulate(scenario, regimes, draws, weeks, seed=...) -> SimulationResult`` with
  ``.draws`` (one row per regime × draw), ``.summary`` (tidy mean/median/90 % interval/se)
  and ``.instruments`` (highest instrument × authority path shares).
- ``simulate_rows(scenarios, regimes, seeds, draws, weeks)``: many parameter rows (one
  scenario × regime × seed each) × Monte Carlo draws run as vectorised blocks of draws; row r
  equals ``simulate`` on that row alone (what ``r2p.sweep`` runs).
- ``pass_probability``: exact P(>= 9 yes and no veto), the Council arithmetic used.
"""

from r2p.crisis._council import pass_probability
from r2p.crisis._inputs import ScenarioInputs, council_available, scenario_inputs, vote_arrays
from r2p.crisis._scenario import Perpetrator, Scenario
from r2p.crisis._simulate import SimulationResult, estimate_bytes, simulate, simulate_rows, summarise
from r2p.law import Regime

__all__ = [
    "Perpetrator",
    "Regime",
    "Scenario",
    "ScenarioInputs",
    "SimulationResult",
    "council_available",
    "estimate_bytes",
    "pass_probability",
    "scenario_inputs",
    "simulate",
    "simulate_rows",
    "summarise",
    "vote_arrays",
]
