"""Fixtures of the crisis tests: the explicit inputs of ``crisis_inputs.make_inputs`` (a real code
path: users may override every input) and a scenario built on them."""

from __future__ import annotations

import os

import pytest
from crisis_inputs import make_inputs

from r2p.crisis import Scenario, ScenarioInputs

# r2p.risk fits its windows in forked worker processes by default; forking this (multi-threaded)
# test process can deadlock, so the real-input tests fit in-process.
os.environ.setdefault("R2P_JOBS", "1")


@pytest.fixture
def inputs() -> ScenarioInputs:
    return make_inputs()


@pytest.fixture
def scenario(inputs: ScenarioInputs) -> Scenario:
    return Scenario(inputs=inputs)
