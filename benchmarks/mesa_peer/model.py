"""The Mesa peer model: one crisis (one Monte Carlo draw) per ``CrisisModel``."""

from __future__ import annotations

import math
import time

import mesa
import numpy as np

from mesa_peer.agents import Coalition, Council, CouncilMember, Perpetrator
from r2p.crisis import Scenario
from r2p.crisis._response import DELIBERATION_CV, DETECTION_CV, LAG_CV, Compiled, compile_regime
from r2p.crisis._simulate import resolve_regimes
from r2p.law import Regime


class CrisisModel(mesa.Model):
    """One crisis under one regime, stepped week by week (seed required)."""

    def __init__(self, compiled: Compiled, scenario: Scenario, regime: Regime, *, seed: int) -> None:
        super().__init__(seed=seed)
        self.compiled, self.scenario = compiled, scenario
        per, lad, rng = scenario.perpetrator, compiled.ladder, self.rng
        self.week = 0
        self.discount = per.discount

        def lognormal(mean: float, cv: float) -> float:
            s2 = math.log1p(cv * cv)
            return float(mean * math.exp(math.sqrt(s2) * rng.standard_normal() - s2 / 2))

        a0 = lognormal(per.initial_intensity, per.uncertainty)
        growth = lognormal(per.growth, per.uncertainty)
        capacity = lognormal(per.capacity, per.uncertainty)
        resolve = lognormal(per.resolve, per.uncertainty)
        self.detection = lognormal(1.0, DETECTION_CV) * compiled.detection_mean
        self.delib_unit = lognormal(1.0, DELIBERATION_CV)
        self.first_unit = lognormal(1.0, DETECTION_CV)
        self.robustness = 1.0 / (
            1.0 + np.exp(-(lad.logit_mu + lad.logit_sd * rng.standard_normal(len(lad.names))))
        )
        self.lag = (
            np.array([lognormal(1.0, LAG_CV) for _ in lad.names]) * lad.lag * compiled.deployment_factor
        )
        self.logsurv = np.zeros(len(lad.names))
        self.active_from = np.full(len(lad.names), np.inf)

        inputs = scenario.inputs
        m = 1 if compiled.trigger_holds else 0
        from r2p.crisis._council import restrained_veto

        regime_veto = restrained_veto(
            inputs.p_veto[m],
            regime.council.restraint,
            regime.council.veto_threat_cost,
            compiled.manifest_applies_restraint,
        )
        members = [
            CouncilMember(self, j, inputs.p_yes[m, :, j], regime_veto[:, j] if j < 5 else None)
            for j in range(15)
        ]
        self.council = Council(self, members)
        self.coalitions = [Coalition(self, i) for i in range(len(compiled.paths))]
        self.perpetrator = Perpetrator(self, a0, growth, capacity, resolve)

    def enact(self, package: np.ndarray, route: int, cap: float, coord: float) -> None:
        lad = self.compiled.ladder
        for k in np.flatnonzero(package):
            cut = cap * (1.0 - lad.leak[k] * (1.0 - coord)) * self.robustness[k]
            new_ls = math.log1p(-min(cut, 0.999999))
            if new_ls < self.logsurv[k]:
                self.logsurv[k] = new_ls
                self.active_from[k] = min(self.active_from[k], self.week + self.lag[k])

    def survival(self) -> float:
        return float(math.exp(self.logsurv[self.active_from <= self.week].sum()))

    def step(self) -> None:
        self.council.step()
        for coalition in self.coalitions:
            coalition.step()
        self.perpetrator.step()
        self.week += 1


def run_peer(scenario: Scenario, regime: str, draws: int, weeks: int, seed: int) -> dict[str, float]:
    """Run ``draws`` Mesa models for ``weeks`` weeks; return mean deaths, its standard error and
    the CPU seconds taken."""
    chosen = resolve_regimes(regime)[0]
    compiled = compile_regime(chosen, scenario)
    deaths = np.empty(draws)
    started = time.process_time()
    for i in range(draws):
        model = CrisisModel(compiled, scenario, chosen, seed=seed * 1_000_003 + i)
        for _ in range(weeks):
            model.step()
        deaths[i] = model.perpetrator.deaths
    cpu = time.process_time() - started
    return {
        "mean_deaths": float(deaths.mean()),
        "se_deaths": float(deaths.std(ddof=1) / math.sqrt(draws)),
        "cpu_seconds": cpu,
        "crisis_weeks": draws * weeks,
    }
