"""Test helper: a library case's recorded history turned inside out (for the LOO leak tests)."""

from __future__ import annotations

import dataclasses
from typing import Any


def flip_footprint(footprints: dict[str, Any], case_id: str) -> dict[str, Any]:
    """Return a copy of ``footprints`` in which case ``case_id``'s recorded outcomes are reversed:
    months of first art. 41 measure and force authorisation swapped between "month 3" and "never",
    unauthorised force and every validation outcome 0 ↔ 1. The other cases are unchanged."""
    flipped = dict(footprints)
    fp = flipped[case_id]
    flipped[case_id] = dataclasses.replace(
        fp, coercion_month=None if fp.coercion_month is not None else 3,
        force_auth_month=None if fp.force_auth_month is not None else 3,
        force_unauthorized_24m=1 - fp.force_unauthorized_24m,
        outcomes={k: 1 - v for k, v in fp.outcomes.items()})
    return flipped
