"""r2p.law: the rules of the international response to mass atrocities, as data.

The report's "International Norms of Intervention and Calls for Reform" made executable:

- ``instruments()``: the response ladder (statement … full intervention), each with its
  robustness, troops, deployment lag, leakage and the Council draft class it needs.
- ``authority_paths()``: the legal bases an action can go by (Chapter VII, art. 51,
  Chapter VIII, AU art. 4(h), Uniting for Peace, host consent, ex post validation,
  claimed necessity, and the two reform paths) with their acceptance by bloc.
- ``crimes()``, ``criteria()``, ``manifest_failing()``: triggers and criteria.
- ``regional_organisation(iso3, region)``: the target's regional organisation.
- ``Regime``, ``regimes()``, ``load_regime(name_or_path)``, ``parse_regime(mapping)``: the six
  shipped regimes and users' own YAML, all validated by one schema.
"""

from r2p.law._catalog import (
    REGIME_NAMES,
    authority_path,
    authority_paths,
    crime,
    crimes,
    criteria,
    instrument,
    instruments,
    load_regime,
    manifest_failing,
    parse_regime,
    regimes,
    regional_organisation,
    regional_organisations,
)
from r2p.law._schema import (
    BLOCS,
    COUNCIL_CLASSES,
    P5,
    AuthorityPath,
    Crime,
    Instrument,
    PathRule,
    Regime,
    RegionalOrganisation,
)

__all__ = [
    "BLOCS",
    "COUNCIL_CLASSES",
    "P5",
    "REGIME_NAMES",
    "AuthorityPath",
    "Crime",
    "Instrument",
    "PathRule",
    "RegionalOrganisation",
    "Regime",
    "authority_path",
    "authority_paths",
    "crime",
    "crimes",
    "criteria",
    "instrument",
    "instruments",
    "load_regime",
    "manifest_failing",
    "parse_regime",
    "regimes",
    "regional_organisation",
    "regional_organisations",
]
