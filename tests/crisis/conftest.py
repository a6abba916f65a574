"""Fixtures of the crisis tests: the explicit inputs of ``crisis_inputs.make_inputs`` (a real code
path: users may override every input) and a scenario built on them."""

from __future__ import annotations

import pytest
from crisis_inputs import make_inputs

from r2p.crisis import Scenario, ScenarioInputs


@pytest.fixture
def inputs() -> ScenarioInputs:
    return make_inputs()


@pytest.fixture
def scenario(inputs: ScenarioInputs) -> Scenario:
    return Scenario(inputs=inputs)
