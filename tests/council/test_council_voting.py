"""Mechanisms of the vote arithmetic: exact pass probability and veto restraint."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from r2p.council import P5, RESTRAINT_PRESETS, apply_restraint, pass_probability
from r2p.errors import R2PInputError


def _brute_force(p_yes: np.ndarray, p_veto: np.ndarray) -> float:
    """P(>= 9 yes, no veto) by enumerating every P5 outcome and the elected yes-count."""
    # elected: Poisson-binomial by convolution, checked independently of the DP
    dist = np.array([1.0])
    for p in p_yes[5:]:
        dist = np.convolve(dist, [1 - p, p])
    total = 0.0
    for outcome in itertools.product(("yes", "other", "veto"), repeat=5):
        if "veto" in outcome:
            continue
        prob, n_yes = 1.0, 0
        for i, o in enumerate(outcome):
            if o == "yes":
                prob *= p_yes[i]
                n_yes += 1
            else:
                prob *= 1 - p_yes[i] - p_veto[i]
        total += prob * dist[max(0, 9 - n_yes):].sum()
    return total


probs = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(probs, min_size=15, max_size=15), st.lists(probs, min_size=5, max_size=5))
def test_pass_probability_is_exact(yes: list[float], veto_share: list[float]) -> None:
    p_yes = np.array(yes)
    p_veto = (1 - p_yes[:5]) * np.array(veto_share)  # keep p_yes + p_veto <= 1
    assert pass_probability(p_yes, p_veto) == pytest.approx(_brute_force(p_yes, p_veto), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(probs, min_size=15, max_size=15), st.integers(0, 14), st.floats(0.0, 1.0))
def test_more_yes_never_lowers_and_more_veto_never_raises_pass(yes: list[float], i: int, bump: float) -> None:
    p_yes = np.array(yes) * 0.5
    p_veto = np.full(5, 0.1)
    base = pass_probability(p_yes, p_veto)
    up = p_yes.copy()
    up[i] = min(up[i] + bump * 0.5, 1 - (0.1 if i < 5 else 0))
    assert pass_probability(up, p_veto) >= base - 1e-12
    more_veto = p_veto.copy()
    more_veto[i % 5] = min(0.5, more_veto[i % 5] + bump * 0.4)
    assert pass_probability(p_yes, more_veto) <= base + 1e-12


def test_pass_probability_edges_and_broadcasting() -> None:
    assert pass_probability(np.ones(15), np.zeros(5)) == pytest.approx(1.0)
    yes = np.ones(15)
    yes[0] = 0.0
    veto = np.zeros(5)
    veto[0] = 1.0
    assert pass_probability(yes, veto) == pytest.approx(0.0)
    yes8 = np.r_[np.ones(8), np.zeros(7)]
    assert pass_probability(yes8, np.zeros(5)) == pytest.approx(0.0)  # eight votes are not enough
    batch = np.random.default_rng(0).uniform(0, 0.9, size=(4, 3, 15))
    out = pass_probability(batch, np.full((4, 3, 5), 0.05))
    assert out.shape == (4, 3)
    assert out[2, 1] == pytest.approx(pass_probability(batch[2, 1], np.full(5, 0.05)))
    with pytest.raises(R2PInputError):
        pass_probability(np.ones(14), np.zeros(5))


def test_restraint_scales_vetoes_only_when_manifest() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    full = apply_restraint(p, RESTRAINT_PRESETS["all_p5_pledge"], True)
    assert np.allclose(full, 0.0)
    assert np.allclose(apply_restraint(p, RESTRAINT_PRESETS["all_p5_pledge"], False), p)
    half = apply_restraint(p, {"RUS": 0.5}, True)
    assert half[P5.index("RUS")] == pytest.approx(0.2)
    assert np.allclose(np.delete(half, P5.index("RUS")), np.delete(p, P5.index("RUS")))
    vec = apply_restraint(np.tile(p, (2, 1)), np.full(5, 0.5), np.array([True, False]))
    assert np.allclose(vec[0], p * 0.5) and np.allclose(vec[1], p)
    assert all(v == 0 for v in RESTRAINT_PRESETS["none"].values())


@pytest.mark.parametrize("bad", [{"RUS": 1.5}, {"RUS": -0.1}, {"IND": 0.5}, {"RUS": "lots"}])
def test_bad_restraint_is_an_input_error(bad: dict) -> None:
    with pytest.raises(R2PInputError):
        apply_restraint(np.zeros(5), bad, True)
