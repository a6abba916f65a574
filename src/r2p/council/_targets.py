"""Map Council agenda items and crisis topics to the target state (ISO3).

The *target* of a draft is the state whose conduct or territory the draft is
about: for an occupation or an invasion the occupying or invading state (the
Palestinian question → ISR, Ukraine 2014– → RUS), for an internal crisis the state
where it happens. Thematic items (terrorism, children and armed conflict, …) have
no target. Topics that name a region or two states are mapped to the state the
drafts were mainly about; ``UNMAPPED_TOPICS`` lists what was deliberately left
without a target (reported in ``docs/council.md``).
"""

from __future__ import annotations

#: Topic label (``Topic`` column of the draft-vote file, or a veto's crisis topic) → target ISO3.
TOPIC_TARGETS: dict[str, str] = {
    "Middle East (Syria)": "SYR",
    "Somalia": "SOM",
    "Sudan and South Sudan": "SDN",
    "The Democratic Republic of the Congo": "COD",
    "Western Sahara": "MAR",
    "Cyprus": "CYP",
    "Liberia": "LBR",
    "Middle East (Lebanon)": "LBN",
    "Cote d'Ivoire": "CIV",
    "Afghanistan": "AFG",
    "Sudan": "SDN",
    "Haiti": "HTI",
    "Libya": "LBY",
    "Iraq and Kuwait": "IRQ",
    "Angola": "AGO",
    "Bosnia and Herzegovina": "BIH",
    "Rep. of Bosnia and Herzegovina": "BIH",
    "Sierra Leone": "SLE",
    "Central African Republic": "CAF",
    "Georgia": "GEO",
    "Iraq": "IRQ",
    "Eritrea and Ethiopia": "ERI",
    "Rwanda": "RWA",
    "Croatia": "HRV",
    "Middle East, incl. the Palestinian question": "ISR",
    "Middle East, inc. Palestinian question": "ISR",
    "Occupied Arab territories": "ISR",
    "Middle East (Yemen)": "YEM",
    "Yemen": "YEM",
    "Non-proliferation/DPRK": "PRK",
    "2006 Letter from Japan (DPRK)": "PRK",
    "Burundi": "BDI",
    "Mali": "MLI",
    "Guinea-Bissau": "GNB",
    "Timor-Leste": "TLS",
    "East Timor": "IDN",  # 1999: Indonesian conduct in the territory
    "Timor": "TLS",
    "Colombia": "COL",
    "Tajikistan (Tajik-Afghan border)": "TJK",
    "FYR Macedonia": "MKD",
    "2001 Letter from the FYR Macedonia (Kosovo)": "MKD",
    "Nepal": "NPL",
    "Chad": "TCD",
    "Ukraine": "RUS",
    "2014 Letter from Ukraine (Ukraine)": "RUS",
    "2014 Letter from Russian Federation (Ukraine)": "RUS",
    "Mozambique": "MOZ",
    "South Africa": "ZAF",
    "1996 Letter from Ethiopia (Addis Ababa)": "SDN",  # the Mubarak assassination attempt: sanctions on Sudan
    "1998 Letter from United Kingdom (Yugoslavia)": "SRB",  # Kosovo 1998: FRY
    "1999 Letter from Russian Federation (Yugoslavia)": "SRB",  # NATO strikes on the FRY
    "Kosovo": "SRB",
    "Yugoslavia": "SRB",
    "Former Yugoslavia": "SRB",
    "Albania": "ALB",
    "Myanmar": "MMR",
    "Venezuela": "VEN",
    "The safe area of Bihac": "BIH",
    "UNPROFOR": "BIH",
    "Agreement signed 4 April 1994 between Chad and Libya concerning modalities for  implementing "
    "ICJ Judgment of 3 Feb 1994": "LBY",
    "Agreement signed 4 April 1994 between Chad and Libya concerning modalities for implementing "
    "ICJ Judgment of 3 Feb 1994": "LBY",
    "Letters dated 20 and 23 December 1991 from France, the United Kingdom of Great Britain and "
    "Northern Ireland and the United States of America": "LBY",  # Lockerbie
    "Shooting down of two civil aircraft on 24 Feb 1996": "CUB",
    "Reports of the Secretary-General on the Sudan Monthly report of the Secretary-General on Darfur "
    "Report of the Secretary-General on the Sudan": "SDN",
    "Great Lakes": "COD",
    "Central America: efforts towards peace": "GTM",  # 1997 MINUGUA draft (China's veto)
    "International Criminal tribunal for the Genocide and Violations the Rwanda": "RWA",
    "International Tribunal for Rwanda": "RWA",
    "IRMCT of the former Yugoslavia": "SRB",
    "Establishment of an IRMCT of the former Yugoslavia": "SRB",
    "Appointment of the Prosecutor (Former Yugoslavia)": "SRB",
    # crisis_topic labels of the veto list (unsc_vetoes), for mapping vetoes before 1994
    "Syria": "SYR",
    "Israel": "ISR",
    "Palestine": "ISR",
    "Lebanon": "LBN",
    "Bosnia": "BIH",
    "Macedonia": "MKD",
    "Guatemala": "GTM",
    "Zimbabwe": "ZWE",
    "Crimea": "RUS",
    "Russia-Ukraine": "RUS",
    "Mali ": "MLI",
}

#: Topics deliberately left without a target: thematic, procedural or multi-state items.
UNMAPPED_TOPICS: tuple[str, ...] = (
    "Threats to peace and security caused by international terrorist acts",
    "Maintenance of international peace and security",
    "Peace and security in Africa",
    "Non-proliferation",
    "Children and armed conflict",
    "Threats to international peace and security",
    "United Nations peacekeeping operations",
    "Protection of civilians in armed conflict",
    "Date of an election to fill a vacancy in the ICJ",
    "Admission of new members",
    "Women and peace and security",
    "Appointment of the Secretary-General",
    "Non-proliferation of weapons of mass destruction",
    "Africa",
    "Cooperation with regional/subregional organizations",
    "Post-conflict peacebuilding",
    "IRMCT",
    "Threats to international peace and security caused by terrorist attacks",
    "United Nations peacekeeping",
    "The responsibility of the Security Council in the maintenance of peace and security",
    "Sanctions",
    "Non-proliferation weapons of mass destruction",
    "General issues relating to sanctions",
    "Tribute to the outgoing Secretary-General",
    "Peace consolidation in West Africa",
    "Small arms",
    "Peacebuilding and sustaining peace",
    "1994 Letter from Pres. of Trusteeship Council",
    "The proposal by China, France, the Russian Federation, the United Kingdom of Great Britain and "
    "Northern Ireland and the United States of America on security assurances",
    "Navigation on the Danube river",
    "Consideration of appointment of Secretary-General",
    "Briefing by Mr. Carl Bildt, Special Envoy of the Secretary-General for the Balkans",
    "Ensuring an effective role of the Security Council in the maintenance of international peace and "
    "security, particularly in Africa",
    "Ensuring an effective role of the Security Council in the maintenance of international peace and "
    "security",
    "Strengthening cooperation with troop-contributing countries",
    "Role of the Security Council in the prevention of armed conflicts",
    "High-level meeting of the Security Council:  combatting terrorism",
    "Kimberley Process Certification Scheme",
    "Proliferation of small arms and light weapons and mercenary activities: threats to peace and "
    "security in West Africa",
    "Protection of United Nations personnel",
    "Security Council meetings in Nairobi (18-19 November 2004)",
)


#: Agenda-item phrases → target, used when a draft's topic label is missing (regex, lower case).
AGENDA_TARGETS: tuple[tuple[str, str], ...] = (
    (r"palestinian question", "ISR"),
    (r"peace and security of ukraine|letter .* from the permanent representative of ukraine", "RUS"),
    (r"on the sudan|sudan and south sudan", "SDN"),
    (r"democratic republic of the congo", "COD"),
    (r"situation in afghanistan", "AFG"),
    (r"situation in somalia", "SOM"),
    (r"central african republic", "CAF"),
    (r"situation in cyprus|sitution in cyprus", "CYP"),
)


def target_of(topic: object, agenda_item: object = None) -> str | None:
    """Return the target ISO3 of a draft from its topic label (then agenda item), or None if thematic."""
    import re

    for key in (topic, agenda_item):
        if isinstance(key, str):
            k = key.strip()
            if k in TOPIC_TARGETS:
                return TOPIC_TARGETS[k]
            # tolerate double spaces and case differences
            norm = " ".join(k.split()).lower()
            if norm in _NORMALISED:
                return _NORMALISED[norm]
    if isinstance(agenda_item, str) and not (isinstance(topic, str) and topic.strip() in UNMAPPED_TOPICS):
        low = agenda_item.lower()
        for pattern, iso in AGENDA_TARGETS:
            if re.search(pattern, low):
                return iso
    return None


_NORMALISED = {" ".join(k.split()).lower(): v for k, v in TOPIC_TARGETS.items()}
