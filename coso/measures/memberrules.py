"""The member family's breakdown keys and value columns for one member period: the rules the
ledger of counts applies (ledger.deltas(), the pure function, one member at a time; ledgerbuild,
every member at once in arrays). Each key is the one the engine's key_expression gives
(coso/measures/dimensions.py); each value the condition of a member measure (catalog.MEASURES).
"""

import datetime as dt
from dataclasses import dataclass

from coso.members.models import Status
from coso.people.choices import KINH, NO_RELIGION, Gender
from coso.people.selectors import AGE_BANDS, years_before

from .dimensions import TENURE_BANDS, UNKNOWN

STATIC_DIMS = ("", "gender", "ethnic_group", "ethnicity", "religion", "education", "qualification", "theory", "status")
BANDED_DIMS = ("age", "tenure")
DIMS = STATIC_DIMS + BANDED_DIMS

AGE_THRESHOLDS = (18, *[high + 1 for _low, high, _label in AGE_BANDS.values() if high is not None])
TENURE_THRESHOLDS = tuple(high for _key, _low, high, _label in TENURE_BANDS if high is not None)

AGE_KEYS = ("<18", *AGE_BANDS)  # the key when i age thresholds are crossed
TENURE_KEYS = tuple(key for key, _low, _high, _label in TENURE_BANDS)  # the same for party-age thresholds


@dataclass(frozen=True)
class Facts:
    """What the breakdowns and the measures read from the person and the member."""

    gender: str | None
    ethnicity: str | None
    religion: str | None
    education: str | None
    qualification: str | None
    theory_level: str | None
    birth_date: dt.date | None
    admitted_on: dt.date | None


def known(value):
    return UNKNOWN if value is None or value == "" else value


def age_key(born: dt.date | None, on: dt.date) -> str:
    """dimensions.key_expression("age", on) for one birth date."""
    if born is None:
        return UNKNOWN
    if born > years_before(on, 18):
        return "<18"
    for key, (_low, high, _label) in AGE_BANDS.items():
        if high is None or born > years_before(on, high + 1):
            return key
    raise AssertionError("the last age band is open")


def tenure_key(admitted: dt.date | None, on: dt.date) -> str:
    """dimensions.key_expression("tenure", on) for one admission date."""
    if admitted is None:
        return UNKNOWN
    for key, _low, high, _label in TENURE_BANDS:
        if high is None or admitted > years_before(on, high):
            return key
    raise AssertionError("the last party-age band is open")


def crossing(start: dt.date, years: int) -> dt.date:
    """The first day D with years_before(D, years) >= start: from D the band rule counts `years`
    full years since start (29 February: the engine's years_before decides)."""
    try:
        day = start.replace(year=start.year + years)
    except ValueError:
        day = start.replace(year=start.year + years, day=28)
    day -= dt.timedelta(days=3)
    while years_before(day, years) < start:
        day += dt.timedelta(days=1)
    return day


def ethnic_group(e) -> str:
    return "kinh" if e == KINH else UNKNOWN if e == "" else "minority"


# the static breakdowns: (dim, the Facts field or "status" of the period it reads, its key)
STATIC_KEYS = (
    ("", None, lambda v: ""),
    ("gender", "gender", lambda v: UNKNOWN if v is None else v),
    ("ethnic_group", "ethnicity", ethnic_group),
    ("ethnicity", "ethnicity", known),
    ("religion", "religion", known),
    ("education", "education", known),
    ("qualification", "qualification", known),
    ("theory", "theory_level", known),
    ("status", "status", lambda v: v),
)


def static_keys(f: Facts, status: str) -> list[tuple[str, str]]:
    return [(dim, keyfn(None if field is None else status if field == "status" else getattr(f, field)))
            for dim, field, keyfn in STATIC_KEYS]


def female(gender) -> int:
    return int(gender == Gender.FEMALE)


def minority(ethnicity) -> int:
    return int(ethnicity not in (KINH, "", None))


def religious(religion) -> int:
    return int(religion not in (NO_RELIGION, "", None))


def official(status) -> int:
    return int(status == Status.OFFICIAL)


def probationary(status) -> int:
    return int(status == Status.PROBATIONARY)


def values_of(f: Facts, status: str, exempted: bool, in_transit: bool, host_id) -> tuple:
    """The member measures' conditions (catalog.MEASURES) on one period: 0 or 1 each, in VALUE_COLUMNS order."""
    return (1, female(f.gender), minority(f.ethnicity), religious(f.religion), official(status), probationary(status),
            int(bool(exempted)), int(bool(in_transit)), int(host_id is not None))
