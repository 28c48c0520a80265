"""Members with complete, consistent records by default; each test spoils the field it checks.

bulk.record_members writes persons as given, so a record the people services would refuse (a
bad national ID, a missing field) can be set up the way an old file would bring it in. Dates the
lifecycle refuses are written afterwards with update(), as a hand correction would.
"""

import datetime as dt
import itertools

from coso.members.bulk import Row, record_members
from coso.people.checks import national_id_century

D = dt.date
ON = D(2024, 1, 5)  # when the members are recorded in the test tree
BORN, ADMITTED, RECOGNIZED = D(1980, 5, 1), D(2005, 3, 1), D(2006, 3, 1)
# above the serials the cases below write by hand (000001–000003): a generated ID never meets them
_serial = itertools.count(1000)


def national_id(gender: str, birth: dt.date | None, province: str = "001", serial: int | None = None) -> str:
    year = birth.year if birth else 1980
    digit = 2 * ((year - national_id_century(0)) // 100) + (1 if gender == "F" else 0)
    return f"{province}{digit}{year % 100:02d}{serial if serial is not None else next(_serial):06d}"


def person(name: str = "Nguyễn Văn An", gender: str = "M", birth: dt.date | None = BORN, **fields) -> dict:
    data = {
        "full_name": name, "gender": gender, "birth_date": birth, "national_id": national_id(gender, birth),
        "ethnicity": "01", "religion": "00", "origin_text": "Xã Tam Sơn, huyện Núi Thành", "residence_text": "Thôn 1",
        "education": "12/12", "qualification": "dai_hoc", "theory_level": "trung_cap", "occupation": "Giáo viên",
    }
    data.update(fields)
    return data


def row(cell, *, admitted_on=ADMITTED, recognized_on=RECOGNIZED, card="auto", on=ON, **person_fields) -> Row:
    if card == "auto":
        card = f"{next(_serial):08d}" if recognized_on else ""
    return Row(person=person(**person_fields), organization_id=cell.pk, on=on, admitted_on=admitted_on,
               recognized_on=recognized_on, card_number=card)


def members(*rows):
    return record_members(list(rows))


def member(cell, **kw):
    return members(row(cell, **kw))[0]
