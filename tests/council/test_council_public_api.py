"""The public namespace other parts code against."""

from __future__ import annotations

import r2p.council as council


def test_public_names() -> None:
    assert set(council.__all__) >= {
        "INSTRUMENTS", "P5", "RESTRAINT_PRESETS", "Member", "council_members", "alignment", "Alignment",
        "load_model", "CouncilModel", "CouncilOutlook", "DraftOutcome", "pass_probability",
        "apply_restraint"}
    assert council.INSTRUMENTS == ("statement", "targeted_sanctions", "arms_embargo", "icc_referral",
                                   "peace_operation", "force_authorization")
    assert council.P5 == ("USA", "GBR", "FRA", "RUS", "CHN")
    assert {"none", "act_code", "french_mexican"} <= set(council.RESTRAINT_PRESETS)
    for preset in council.RESTRAINT_PRESETS.values():
        assert set(preset) == set(council.P5) and all(0 <= v <= 1 for v in preset.values())
