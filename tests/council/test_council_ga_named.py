"""GA roll calls naming a state: the text matcher (one test per rule) and the member stance, on the
real roll calls."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from r2p.council._alignment import GA_CODE_FIXES, ga_scores
from r2p.council._ga_named import (
    SUBJECT_PHRASES,
    ga_stance,
    named_record,
    named_states,
    normalise_text,
)
from r2p.data import read_table


@lru_cache(maxsize=1)
def _texts() -> dict[int, str]:
    calls = read_table("ga_roll_calls")
    text = calls["short"].fillna("").astype(str) + " " + calls["descr"].fillna("").astype(str)
    return dict(zip(calls["rcid"].astype(int), text, strict=True))


def _text(rcid: int) -> str:
    return _texts()[rcid]


@pytest.mark.parametrize(("rcid", "iso3"), [
    (5135, "SYR"),  # Situation of human rights in the Syrian Arab Republic (2011)
    (4820, "MMR"),  # HUMAN RIGHTS, MYANMAR, REPORTS (2007)
    (4007, "IRN"),  # HUMAN RIGHTS, IRAN: ... in the Islamic Republic of Iran (1996)
    (3908, "TCA"),  # TURKS AND CAICOS ISLANDS: only ISO's "Turks and Caicos Islands (the)" has "and"
])
def test_rule_crosswalk_names(warehouse: object, rcid: int, iso3: str) -> None:
    """Rule: a crosswalk name or alias in the text names that state (and nothing else here)."""
    assert named_states(_text(rcid)) == {iso3}


def test_rule_longest_name_wins(warehouse: object) -> None:
    """Rule: at one position the longest name wins, so a name inside a longer one is not matched."""
    assert named_states(_text(4813)) == {"PRK"}  # Democratic People's Republic of Korea, not KOR
    assert named_states("Situation of human rights in the Democratic Republic of the Congo") == {"COD"}
    assert named_states("Situation in South Sudan") == {"SSD"}
    assert named_states("Papua New Guinea and Equatorial Guinea") == {"PNG", "GNQ"}
    assert named_states("Situation in Guinea-Bissau") == {"GNB"}  # "guinea" is also a name


def test_rule_country_codes_are_not_names(warehouse: object) -> None:
    """Rule: ISO codes are not names ("as" is American Samoa's ISO2, "in" India's, "us" the United
    States', "can" Canada's ISO3); short names that are not codes still are ("UK", "DRC")."""
    text = _text(3966)  # Elimination of coercive economic measures as a means of political ... compulsion
    assert " as " in f" {normalise_text(text)} "
    assert named_states(text) == frozenset()
    assert named_states("it is in order for us to vote per paragraph, can we") == frozenset()
    assert named_states("TO ADOPT THE UK PROPOSAL ON THE DRC") == {"GBR", "COD"}


def test_rule_occupation_and_territory_phrases(warehouse: object) -> None:
    """Rule: ``SUBJECT_PHRASES`` map places to the state answerable for them, before the names."""
    assert named_states(_text(3972)) == {"ISR"}  # the occupied Syrian Golan: Israel's conduct, not Syria
    assert named_states("SYRIAN GOLAN") == {"ISR"}
    crimea = ("Situation of human rights in the Autonomous Republic of Crimea and the city of Sevastopol, "
              "Ukraine")
    assert named_states(crimea) == {"RUS", "UKR"}
    assert named_states("MILITARIZATION OF CRIMEA") == {"RUS"}
    assert named_states(_text(3870)) == {"SRB"}  # HUMAN RIGHTS, KOSOVO (1994): the FRY, not XKX
    assert SUBJECT_PHRASES["palestine"] == "ISR" and named_states("PALESTINE QUESTION") == {"ISR"}


def test_rule_ga_shorthand_and_lost_apostrophes(warehouse: object) -> None:
    """Rule: GA shorthand ("DEMOCRATIC CONGO", "DPRK") and apostrophes lost to mis-encoding."""
    assert named_states("HUMAN RIGHTS, DEMOCRATIC CONGO") == {"COD"}
    assert named_states("DPRK, NUCLEAR TESTS") == {"PRK"}
    assert "People?" in _text(5029)  # "Democratic People?Ã†s Republic of Korea" (2009)
    assert named_states(_text(5029)) == {"PRK"}
    assert normalise_text("is it? The question") == "is it the question"  # a real "?" stays a break


def test_serbia_votes_kept_under_yugoslavia_code(warehouse: object) -> None:
    """unvotes codes Serbia "YU" through 2020; ``GA_CODE_FIXES`` keeps those votes as SRB."""
    assert GA_CODE_FIXES["YU"] == "SRB"
    scores = ga_scores(GA_CODE_FIXES)
    srb = scores[scores["iso3"] == "SRB"]
    assert srb["date"].dt.year.min() <= 1950 and srb["date"].dt.year.max() >= 2019


def test_stance_uses_only_earlier_roll_calls(warehouse: object) -> None:
    """A roll call counts from the day after its date: a draft never sees same-day GA votes."""
    day = pd.Timestamp("2007-12-22")  # 4820, Situation of human rights in Myanmar
    before = ga_stance("RUS", "MMR", day)
    after = ga_stance("RUS", "MMR", day + pd.Timedelta(days=1))
    one_day = 0.5 ** (1 / (2.0 * 365.25))
    assert after.weight == pytest.approx((before.weight + 1.0) * one_day, rel=1e-9)
    assert after.shield > before.shield > 0


def test_stance_matches_a_direct_computation(warehouse: object) -> None:
    """Recompute RUS on MMR (1 July 2010) from the raw votes: decayed, shrunk mean of
    |mean vote − MMR's vote| − |RUS's vote − MMR's vote| over the roll calls naming Myanmar."""
    when = pd.Timestamp("2010-07-01")
    rcids = [r for r, text in _texts().items() if "MMR" in named_states(text)]
    s = ga_scores(GA_CODE_FIXES)
    s = s[s["rcid"].isin(rcids) & (s["date"] < when)]
    num = den = 0.0
    for _, g in s.groupby("rcid"):
        votes = g.groupby("iso3")["score"].mean()
        if "MMR" not in votes or "RUS" not in votes:
            continue
        w = 0.5 ** ((when - g["date"].iloc[0]).days / (2.0 * 365.25))
        num += w * (abs(votes.mean() - votes["MMR"]) - abs(votes["RUS"] - votes["MMR"]))
        den += w
    got = ga_stance("RUS", "MMR", when)
    assert den > 1.0
    assert got.weight == pytest.approx(den, rel=1e-6)
    assert got.shield == pytest.approx(num / (den + 1.0), rel=1e-5)


def test_stance_separates_shielding_members(warehouse: object) -> None:
    """Golden facts: the US shields Israel and Russia and China shield Myanmar and the DPRK in the
    GA; the others do not."""
    when = pd.Timestamp("2010-07-01")
    isr = {m: ga_stance(m, "ISR", when).shield for m in ("USA", "GBR", "FRA", "RUS", "CHN")}
    assert isr["USA"] > 0.5 and max(isr["GBR"], isr["FRA"], isr["RUS"], isr["CHN"]) < 0.2
    for target in ("MMR", "PRK"):
        st = {m: ga_stance(m, target, when).shield for m in ("USA", "RUS", "CHN")}
        assert min(st["RUS"], st["CHN"]) > 0.3 > 0 > st["USA"]
    assert ga_stance("USA", None, when).shield == 0.0
    assert ga_stance("USA", "ATA", when).weight == 0.0  # a state no roll call names


def test_stance_carried_forward_after_the_ga_data(warehouse: object) -> None:
    """After the GA data end (January 2020) the last value is kept, without further decay, and flagged."""
    end = pd.Timestamp(np.datetime64(int(named_record().end_day), "D"))
    last = ga_stance("RUS", "SYR", end)
    later = ga_stance("RUS", "SYR", pd.Timestamp("2024-06-01"))
    assert end.year == 2020 and not last.carried_forward and later.carried_forward
    assert later.shield == pytest.approx(last.shield) and later.weight == pytest.approx(last.weight)
    assert later.shield > 0.3
