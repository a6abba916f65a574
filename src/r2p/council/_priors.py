"""Every quantity the vote data cannot identify, in one place, with its source.

The draft-vote record says who voted how, on what agenda item, sponsored by whom,
but not *what instrument* a draft carried (no title or text is in the shipped
data; see ``docs/council.md``, classifier accuracy). So the effect of an
instrument's robustness on votes is a prior, not an estimate. The same holds for
the restraint pledges (no pledge has ever been tested by a vote in the data).
"""

from __future__ import annotations

#: The response ladder, ordered by robustness (rung 0 … 5). Source: the issue / DESIGN.md, after the
#: Charter's order (art. 41 measures before art. 42) and the report's "the more robust the response,
#: the higher the standard for authorization" (CFR 2009).
INSTRUMENTS: tuple[str, ...] = (
    "statement", "targeted_sanctions", "arms_embargo", "icc_referral", "peace_operation",
    "force_authorization",
)
RUNG: dict[str, int] = {name: i for i, name in enumerate(INSTRUMENTS)}

#: Robustness rung of the *average* draft in the training record (the model's baseline, where the
#: instrument offset is zero). About half of the Council's resolutions renew or set peace-operation
#: mandates and about a quarter concern sanctions regimes (our reading of Security Council Report's
#: annual "Security Council in numbers" statistics), so the average draft sits near rung 2.5.
#: Judgement prior.
REFERENCE_RUNG: float = 2.5

#: Change in the log-odds of a "no" (and, for a permanent member, of a veto) per rung of robustness
#: above the reference. Judgement prior, sized so that moving from a statement to a force
#: authorisation multiplies the odds of a "no" by e^(5·0.45) ≈ 9.5: the direction is the report's
#: claim above; the size is ours, chosen to match the case library's qualitative record (sanctions and
#: ICC referrals drew abstentions, force authorisations drew veto threats: Darfur 2004–06, Libya
#: 2011, Syria 2011–) and is a parameter to vary in sensitivity analysis.
LOGIT_NO_PER_RUNG: float = 0.45

#: Change in the log-odds of an abstention per rung (judgement prior, as above: abstention is the
#: usual form of dissent on sanctions and referrals — res. 1593 (2005), 1973 (2011)).
LOGIT_ABSTAIN_PER_RUNG: float = 0.30

#: Sponsors assumed for a hypothetical draft when none are given: the P3 are the penholders on most
#: atrocity situations on the Council's agenda (Security Council Report, "Penholders" list).
DEFAULT_SPONSORS: tuple[str, ...] = ("GBR", "USA", "FRA")

#: Veto-restraint presets: the fraction of a P5 member's veto probability withheld (turned into an
#: abstention) when atrocities are manifest. Sources:
#: - "none": the status quo, no pledge.
#: - "french_mexican": the France–Mexico Political Declaration on Suspension of Veto Powers in Cases of
#:   Mass Atrocity (2015), signed by France (the UK supports the idea of restraint and says it will never
#:   vote against credible action to stop mass atrocities); neither the US, Russia nor China has signed.
#:   We read France's pledge as full (1.0) and the UK's statement as strong (0.8).
#: - "act_code": the ACT Code of Conduct (2015) pledges not to vote against credible drafts on
#:   atrocity crimes; France and the UK signed, the US, Russia and China did not (same values).
#: - "all_p5_pledge": a hypothetical in which all five pledge restraint and keep it (1.0).
#: - "p3_pledge": the report's recommended US declaration joined by France and the UK (1.0).
RESTRAINT_PRESETS: dict[str, dict[str, float]] = {
    "none": {"USA": 0.0, "GBR": 0.0, "FRA": 0.0, "RUS": 0.0, "CHN": 0.0},
    "french_mexican": {"USA": 0.0, "GBR": 0.8, "FRA": 1.0, "RUS": 0.0, "CHN": 0.0},
    "act_code": {"USA": 0.0, "GBR": 1.0, "FRA": 1.0, "RUS": 0.0, "CHN": 0.0},
    "p3_pledge": {"USA": 1.0, "GBR": 1.0, "FRA": 1.0, "RUS": 0.0, "CHN": 0.0},
    "all_p5_pledge": {"USA": 1.0, "GBR": 1.0, "FRA": 1.0, "RUS": 1.0, "CHN": 1.0},
}

#: Votes needed to adopt a substantive draft (Charter art. 27(3)).
VOTES_TO_PASS: int = 9
