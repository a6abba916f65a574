"""Agents of the Mesa peer: Perpetrator, CouncilMember, Council, Coalition."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from mesa_peer.model import CrisisModel


class CouncilMember(mesa.Agent):
    """One of the fifteen members; votes yes, vetoes (P5 only) or abstains/no on a draft."""

    def __init__(self, model: CrisisModel, seat: int, p_yes: np.ndarray, p_veto: np.ndarray | None) -> None:
        super().__init__(model)
        self.seat = seat
        self.p_yes = p_yes  # per Council class
        self.p_veto = p_veto  # per Council class (P5) or None

    def vote(self, cls: int) -> str:
        u = self.model.random.random()
        if u < self.p_yes[cls]:
            return "yes"
        if self.p_veto is not None and u < self.p_yes[cls] + self.p_veto[cls]:
            return "veto"
        return "other"


class Council(mesa.Agent):
    """Tables drafts one rung (or the regime's jump) above what is in force and waters them down."""

    def __init__(self, model: CrisisModel, members: list[CouncilMember]) -> None:
        super().__init__(model)
        c = model.compiled
        self.members = members
        self.rung = -1
        self.deadlocks = 0
        self.force_week: float = math.nan
        self.next_session = model.detection + model.first_unit * c.first_session_weeks
        if c.council_top < 0:
            self.next_session = math.inf
        self.delib = max(model.delib_unit * c.deliberation_weeks, 1.0)

    def passes(self, cls: int) -> bool:
        votes = [m.vote(cls) for m in self.members]
        return "veto" not in votes and votes.count("yes") >= 9

    def step(self) -> None:
        m, c = self.model, self.model.compiled
        if self.next_session > m.week:
            return
        jump = c.jump_first if self.rung < 0 else c.jump_next
        adopted = self.rung
        for cls in range(min(self.rung + jump, c.council_top), self.rung, -1):
            if self.passes(cls):
                adopted = cls
                break
        if adopted == self.rung:
            self.deadlocks += 1
            self.next_session += self.delib
            return
        self.rung = adopted
        m.enact(c.council_package[adopted], route=0, cap=1.0, coord=c.council_coordination)
        if adopted == c.force_class and math.isnan(self.force_week):
            self.force_week = m.week
            for coalition in m.coalitions:
                coalition.moot = True
        self.next_session = math.inf if adopted >= c.council_top else self.next_session + self.delib


class Coalition(mesa.Agent):
    """An actor that may use an alternative authority path the regime opens."""

    def __init__(self, model: CrisisModel, index: int) -> None:
        super().__init__(model)
        p = model.compiled.paths[index]
        self.index, self.path = index, p
        trig = True if model.compiled.trigger_holds else model.rng.random() < p.pretext_p
        willing = model.rng.random() < p.political_will
        self.ready = (
            model.detection + p.min_weeks_manifest if (p.applicable and willing and trig) else math.inf
        )
        self.open_since = math.inf
        self.acted = False
        self.moot = False
        self.validate_u = model.rng.random()

    def step(self) -> None:
        m = self.model
        if self.acted or self.moot or self.ready > m.week or m.council.deadlocks < self.path.min_deadlocks:
            return
        self.open_since = min(self.open_since, m.week)
        if m.week >= self.open_since + self.path.decision_weeks:
            m.enact(
                self.path.package, route=1 + self.index, cap=self.path.capacity, coord=self.path.coordination
            )
            self.acted = True

    def perceived_threat(self) -> float:
        m, p = self.model, self.path
        if not p.applicable or p.perceived_cut <= 0 or self.acted or self.moot:
            return 0.0
        prob = p.political_will * p.signal * (1.0 if m.compiled.trigger_holds else p.pretext_p)
        wait = (
            max(p.min_deadlocks - m.council.deadlocks, 0) * m.compiled.deliberation_weeks
            + max(m.detection + p.min_weeks_manifest - m.week, 0.0)
            + p.decision_weeks
            + p.mean_lag
        )
        return prob * p.perceived_cut * m.discount**wait


class Perpetrator(mesa.Agent):
    """Escalates toward its capacity unless deterred by the perceived threat; kills."""

    def __init__(self, model: CrisisModel, a0: float, growth: float, capacity: float, resolve: float) -> None:
        super().__init__(model)
        self.capacity = capacity
        self.intended = min(a0, capacity)
        self.growth = growth
        self.resolve = resolve
        self.deaths = 0.0
        self.peak = 0.0

    def step(self) -> None:
        m, per = self.model, self.model.scenario.perpetrator
        deterred = 0.0
        if per.deterrable:
            c = m.compiled
            theta = c.theta_council[min(m.council.rung + 1, len(c.theta_council) - 1)]
            theta *= m.discount ** max(m.detection - m.week, 0.0)
            theta += sum(coalition.perceived_threat() for coalition in m.coalitions)
            tb = theta**per.steepness
            deterred = tb / (tb + self.resolve**per.steepness)
        x = self.intended * (1.0 - deterred) * m.survival()
        self.deaths += min(x, per.target_population - self.deaths)
        self.peak = max(self.peak, x)
        free = 1.0 - deterred
        rate = self.growth * free * (1.0 + per.gaming * free)
        self.intended = min(
            self.intended + rate * self.intended * (1.0 - self.intended / self.capacity), self.capacity
        )
