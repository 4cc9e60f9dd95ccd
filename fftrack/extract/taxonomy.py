"""ACLED's public event taxonomy (2019 codebook), the pre-2019 types, and CASE 2021's 30 types.

``map_old_acled(type)`` maps ACLED's pre-2019 event types (as in 2018 data) onto today's
(event_type, sub_event_type); the sub-type is None where the old type does not determine it.
``CASE2021_TO_ACLED`` maps CASE 2021 task 2's fine-grained types onto ACLED sub-types (its
five non-ACLED types map onto fftrack's own "Other" sub-types).
"""

from __future__ import annotations

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"
OTHER = "Other"  # not an ACLED type: disasters, diplomacy, crime (CASE 2021 extras)

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    BATTLES: ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    EXPLOSIONS: (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    VAC: ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    PROTESTS: (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    RIOTS: ("Violent demonstration", "Mob violence"),
    STRATEGIC: (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
    OTHER: (
        "Natural disaster",
        "Man-made disaster",
        "Diplomatic event",
        "Organized crime",
        "Attribution",
    ),
}

SUB_TO_TYPE: dict[str, str] = {
    sub: t for t, subs in EVENT_TYPES.items() for sub in subs if sub != "Other"
}
SUB_TO_TYPE["Other"] = STRATEGIC

OLD_ACLED: dict[str, tuple[str, str | None]] = {
    "Battle-No change of territory": (BATTLES, "Armed clash"),
    "Battle-Government regains territory": (BATTLES, "Government regains territory"),
    "Battle-Non-state actor overtakes territory": (BATTLES, "Non-state actor overtakes territory"),
    "Remote violence": (EXPLOSIONS, None),
    "Violence against civilians": (VAC, None),
    "Riots/Protests": ("Protests|Riots", None),
    "Strategic development": (STRATEGIC, None),
    "Non-violent transfer of territory": (STRATEGIC, "Non-violent transfer of territory"),
    "Headquarters or base established": (STRATEGIC, "Headquarters or base established"),
}

CASE2021_TO_ACLED: dict[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "CHEM_WEAP": "Chemical weapon",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
    "NATURAL_DISASTER": "Natural disaster",
    "MAN_MADE_DISASTER": "Man-made disaster",
    "DIPLO": "Diplomatic event",
    "ORG_CRIME": "Organized crime",
    "ATTRIB": "Attribution",
}


def map_old_acled(old_type: str) -> tuple[str, str | None]:
    """(event_type, sub_event_type) in today's taxonomy for a pre-2019 ACLED type.

    Riots/Protests maps to the pseudo-type "Protests|Riots" (either is right).
    """
    if old_type in OLD_ACLED:
        return OLD_ACLED[old_type]
    if old_type in EVENT_TYPES:
        return old_type, None
    return old_type, None


def type_of(sub_event_type: str) -> str:
    """The event type a sub-event type belongs to."""
    return SUB_TO_TYPE.get(sub_event_type, STRATEGIC)


__all__ = [
    "BATTLES",
    "CASE2021_TO_ACLED",
    "EVENT_TYPES",
    "EXPLOSIONS",
    "OLD_ACLED",
    "OTHER",
    "PROTESTS",
    "RIOTS",
    "STRATEGIC",
    "SUB_TO_TYPE",
    "VAC",
    "map_old_acled",
    "type_of",
]
