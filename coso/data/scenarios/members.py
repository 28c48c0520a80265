"""The members of a scenario, with their history, fitted exactly to the figures.

On the count day (the day of the member figures) exactly N members are in the committee's cells,
the figures' sub-organizations hold exactly theirs, and exactly the stated numbers are women,
of an ethnic minority, believers, probationary or exempted. Around them are the history the
articles imply: admissions over six decades (before the records start, a member is recorded
with the dates of the record; after, admitted inside the system), recognition twelve months
after admission, transfers between cells, members transferred in from other districts, old-age
exemptions, badges on the ceremony days, and deaths, removals and transfers away over the ten
years before the count day. An admissions figure over a period is met exactly by moving
admission dates into or out of the period.

Everyone lives in a village: a village cell's members in its village, except in the villages
a figure says no member lives in (their cell's members live in the next village); the
agencies' members anywhere in the district.

Written through members.bulk.record_members (lifecycle.replay checks every member's events);
deterministic from the plan's random generator.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coso.data.demo.members import (
    GRASSROOTS_SIZES,
    OCCUPATION_OF_ROLE,
    OCCUPATION_OF_SECTOR,
    SIZES,
    _day,
    allocate,
)
from coso.data.synth import builder as synth
from coso.lib.dates import fmt
from coso.members.bulk import Row, record_members
from coso.members.lifecycle import add_months
from coso.members.models import EventType, TransferKind
from coso.people.models import Person
from coso.places.models import AdminUnit, Generation, Level

from . import profiles
from .kinds import FigureError

LEAVE_RATE = 0.012  # members leaving the committee a year (deaths, removals, transfers away), of N
ADMIT_RATE = 0.025  # admissions a year after the count day, of N
ADMISSION_SHARE = 0.022  # admissions a year, of the members, when a figure gives admissions only
JOINED_BEFORE, JOINED_AFTER = 0.03, 0.06  # share joining from elsewhere (admitted before / after the records start)
MOVED = 0.06  # share of the counted members who came from another cell of the committee
PROBATIONARY = 0.03
ELSEWHERE = ["Đảng bộ huyện lân cận", "Đảng bộ thành phố trực thuộc tỉnh", "Đảng bộ Quân đội", "Đảng bộ Công an tỉnh",
             "Đảng bộ tỉnh bạn"]
FEMALE_WEIGHT = {"school": 2.2, "health": 2.0, "office": 1.2, "village": 0.9, "military": 0.15, "police": 0.3}
FEMALE_WEIGHT_OF_SECTOR = {"school": 2.0, "public_service": 1.4, "agency": 1.2, "enterprise": 0.8, "other": 1.3, "armed_forces": 0.2}


@dataclass(eq=False)
class Life:
    cell: object  # the cell on the count day, or the last one
    present: bool = False  # counted on the count day
    later: bool = False  # admitted after the count day
    probationary: bool = False
    admitted: dt.date | None = None
    first: str = EventType.RECORDED
    joined_on: dt.date | None = None
    exit: tuple | None = None  # (event type, day, extra fields)
    start_cell: object = None
    moves: list = field(default_factory=list)  # (letter, receipt, to cell)
    exempt_on: dt.date | None = None
    birth: dt.date | None = None
    female: bool = False
    minority: bool = False
    religious: bool = False
    title: str = ""
    village: object = None  # where they live (a builder.Village)
    final_cell: object = None  # the cell at the end of the records

    @property
    def first_on(self) -> dt.date:
        return self.joined_on or (self.admitted if self.first == EventType.ADMITTED else None) or self._start

    _start: dt.date | None = None

    def last_on(self, end: dt.date) -> dt.date:
        return self.exit[1] if self.exit else end


def _weighted_pick(rng: random.Random, pool: list, k: int, weight) -> set:
    """k items of pool, each likelier by its weight (Efraimidis-Spirakis keys): deterministic."""
    if k > len(pool):
        raise ValueError(k)
    keyed = sorted(pool, key=lambda x: rng.random() ** (1 / max(weight(x), 1e-6)), reverse=True)
    return set(keyed[:k])


class Population:
    def __init__(self, plan):
        self.p = plan
        self.rng = plan.rng
        self.start, self.end, self.day = plan.start, plan.end, plan.count_day
        self.needs = plan.needs
        self.official_limit = add_months(self.day, -12)  # admitted on or before: official on the count day
        self.serials: set = set()

    def error(self, message: str) -> FigureError:
        return FigureError(_("Kịch bản %(scenario)s: %(message)s") % {"scenario": self.p.scenario.key, "message": message})

    # ------------------------------------------------------------ who is counted where

    def sizes(self) -> dict:
        """{cell: members on the count day}, the figures' organizations holding exactly theirs."""
        p, rng, needs = self.p, self.rng, self.needs
        cells = [c for c in p.cells if c.in_force(self.day)]
        groups = []  # (cells, total or None)
        rest = list(cells)
        for c in p.committees:
            wanted = needs.get("members", c.name)
            if wanted is not None and c is not p.main:
                mine = [cell for cell in rest if cell.parent is c]
                rest = [cell for cell in rest if cell.parent is not c]
                groups.append((mine, wanted))
        total = needs.get("members")
        if total is None and p.main is not None:
            total = needs.get("members", p.main.name)
        if total is not None:
            groups.append((rest, total - sum(t for _c, t in groups)))
        else:
            groups.append((rest, None))
        out = {}
        for group, wanted in groups:
            small = [c for c in group if c.village_on(self.day) is not None and c.village_on(self.day).no_resident]
            for c in small:  # a cell of a village where no member lives: three to five members from elsewhere
                out[c] = rng.randint(3, 5)
            others = [c for c in group if c not in out]
            if wanted is None:
                wanted = max(sum(rng.randint(*(SIZES.get(c.role) or GRASSROOTS_SIZES[c.sector])) for c in others),
                             self.implied_by_admissions() - sum(out.values()))
            else:
                wanted -= sum(out[c] for c in small)
            if not others:
                if wanted:
                    raise self.error(_("không có chi bộ để xếp %(n)s đảng viên.") % {"n": wanted})
                continue
            if wanted < len(others) * 3:
                raise self.error(_("%(n)s đảng viên quá ít cho %(cells)s chi bộ (mỗi chi bộ ít nhất 3).") % {"n": wanted, "cells": len(others)})
            low = min(8, wanted // len(others))
            high = max(60, -(-wanted // len(others)))
            for c, n in zip(others, allocate(rng, others, wanted, low, high), strict=True):
                out[c] = n
        return out

    def implied_by_admissions(self) -> int:
        """The members an admissions figure implies when no figure gives them: a committee admits
        about ADMISSION_SHARE of its members a year."""
        implied = 0
        for check in self.needs.events:
            years = ((check.period[1] - check.period[0]).days + 1) / 365.25
            implied = max(implied, round(check.expected / years / ADMISSION_SHARE))
        return implied

    # ------------------------------------------------------------ dates

    def _year(self, last_year: int) -> int:
        years = list(range(self.day.year - 62, last_year + 1))
        weights = [1 + (y - years[0]) * 0.12 for y in years]
        return self.rng.choices(years, weights=weights)[0]

    def official_admission(self) -> dt.date:
        year = self._year(self.official_limit.year)
        return _day(self.rng, dt.date(year, 1, 1), min(dt.date(year, 12, 31), self.official_limit))

    def present(self, sizes: dict) -> list[Life]:
        rng, needs = self.rng, self.needs
        lives = []
        for cell, n in sizes.items():
            for k in range(n):
                title = "Bí thư chi bộ" if k == 0 else "Phó Bí thư chi bộ" if k == 1 else ""
                lives.append(Life(cell=cell, present=True, title=title))
        total = len(lives)
        probationary = needs.get("members.probationary")
        if probationary is None and needs.get("members.official") is not None:
            probationary = total - needs.get("members.official")
        if probationary is None:
            probationary = round(total * PROBATIONARY)
        if not 0 <= probationary <= total:
            raise self.error(_("số đảng viên dự bị (%(n)s) không hợp với tổng số đảng viên.") % {"n": probationary})
        chosen = _weighted_pick(rng, [lf for lf in lives if not lf.title], probationary,
                                lambda lf: 1.5 if lf.cell.role in ("village", "school") else 1.0)
        for lf in lives:
            if lf in chosen:
                lf.probationary = True
                lf.admitted = _day(rng, self.official_limit + dt.timedelta(days=1), self.day)
            else:
                lf.admitted = self.official_admission()
        return lives

    def leavers(self, sizes: dict) -> list[Life]:
        """Members who died, were removed or moved away before the count day (not counted)."""
        rng = self.rng
        if self.start + dt.timedelta(days=60) >= self.day:
            return []  # records that begin shortly before the count day (a committee founded on 01/07/2025): no one left yet
        years = max((self.day - self.start).days / 365.25, 0)
        count = round(sum(sizes.values()) * LEAVE_RATE * years)
        cells, weights = list(sizes), [max(n, 1) for n in sizes.values()]
        out = []
        recent = self.day - dt.timedelta(days=4 * 365)
        for _i in range(count):
            cell = rng.choices(cells, weights=weights)[0]
            lo = self.start + dt.timedelta(days=60)
            day = _day(rng, max(lo, recent), self.day - dt.timedelta(days=1)) if rng.random() < 0.6 else _day(rng, lo, self.day - dt.timedelta(days=1))
            old = rng.random() < 0.7
            if old:
                admitted = _day(rng, dt.date(self.day.year - 68, 1, 1), dt.date(self.day.year - 30, 12, 31))
            else:
                admitted = _day(rng, dt.date(self.day.year - 28, 1, 1), day - dt.timedelta(days=400))
            lf = Life(cell=cell, admitted=admitted)
            lf.exit = (None, day, {})
            out.append(lf)
        return out

    def newcomers(self, sizes: dict) -> list[Life]:
        """Admissions between the count day and the last figure."""
        rng = self.rng
        if self.end <= self.day:
            return []
        count = round(sum(sizes.values()) * ADMIT_RATE * (self.end - self.day).days / 365.25)
        cells = [c for c in sizes if c.role in ("village", "school", "grassroots")] or list(sizes)
        return [Life(cell=rng.choice(cells), later=True, admitted=_day(rng, self.day + dt.timedelta(days=1), self.end)) for _i in range(count)]

    def limit(self, lf: Life) -> dt.date:
        """The last day the member's first event may fall on."""
        if lf.exit:
            return lf.exit[1] - dt.timedelta(days=30)
        return self.end if lf.later else self.day - dt.timedelta(days=1)

    def first_types(self, lives: list[Life]) -> None:
        rng = self.rng
        for lf in lives:
            lf._start = self.start
            lf.joined_on = None
            if lf.admitted < self.start:
                lf.first = EventType.RECORDED
                share = JOINED_BEFORE
            else:
                lf.first = EventType.ADMITTED
                share = JOINED_AFTER if not lf.probationary and not lf.later else 0
            if share and rng.random() < share:
                lo = max(lf.admitted + dt.timedelta(days=30), self.start + dt.timedelta(days=1))
                hi = self.limit(lf)
                if lo < hi:
                    lf.first = EventType.JOINED_BY_TRANSFER
                    lf.joined_on = _day(rng, lo, hi)

    def admission_range(self, lf: Life) -> tuple[dt.date, dt.date]:
        if lf.later:
            return self.day + dt.timedelta(days=1), self.end
        if lf.present and lf.probationary:
            return self.official_limit + dt.timedelta(days=1), self.day
        if lf.present:
            return dt.date(self.day.year - 62, 1, 1), self.official_limit
        return dt.date(self.day.year - 68, 1, 1), lf.exit[1] - dt.timedelta(days=60)

    def fit_windows(self, lives: list[Life]) -> None:
        """Exactly the stated admissions in each admissions figure's period."""
        rng = self.rng
        for check in self.needs.events:
            a, b = check.period
            if a < self.start:
                raise self.error(_("kỳ %(a)s–%(b)s bắt đầu trước ngày bắt đầu dữ liệu.") % {"a": fmt(a), "b": fmt(b)})
            inside = [lf for lf in lives if lf.first == EventType.ADMITTED and a <= lf.admitted <= b]
            rng.shuffle(inside)
            count = len(inside)
            for lf in inside:
                if count <= check.expected:
                    break
                lo, hi = self.admission_range(lf)
                options = [(lo, min(hi, a - dt.timedelta(days=1))), (max(lo, b + dt.timedelta(days=1)), hi)]
                options = [o for o in options if o[0] <= o[1]]
                if options:
                    lf.admitted = _day(rng, *rng.choice(options))
                    lf.first = EventType.ADMITTED if lf.admitted >= self.start else EventType.RECORDED
                    count -= 1
            outside = [lf for lf in lives if lf.first in (EventType.ADMITTED, EventType.RECORDED) and not a <= lf.admitted <= b]
            rng.shuffle(outside)
            for lf in outside:
                if count >= check.expected:
                    break
                lo, hi = self.admission_range(lf)
                lo, hi = max(lo, a, self.start), min(hi, b)
                if lo <= hi:
                    lf.admitted, lf.first = _day(rng, lo, hi), EventType.ADMITTED
                    count += 1
            if count != check.expected:
                raise self.error(_("không dựng được đúng %(n)s lượt kết nạp trong kỳ.") % {"n": check.expected})
        for check in self.needs.events:
            a, b = check.period
            got = sum(1 for lf in lives if lf.first == EventType.ADMITTED and a <= lf.admitted <= b)
            if got != check.expected:
                raise self.error(_("các kỳ kết nạp chồng lên nhau, không dựng được đúng cả hai."))

    # ------------------------------------------------------------ persons

    def births(self, lives: list[Life]) -> None:
        rng = self.rng
        oldest = synth.add_years(self.day, -90)
        for lf in lives:
            for _i in range(30):
                age = synth.ADMISSION_AGE[int(rng.random() * len(synth.ADMISSION_AGE))]
                birth = lf.admitted - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 300))
                if birth >= oldest or not lf.present:
                    break
            else:
                birth = max(oldest, lf.admitted - dt.timedelta(days=int(18.5 * 365.25)))
            lf.birth = birth
            if lf.exit and lf.exit[0] is None:
                lf.exit = self.exit_event(self.age(lf.birth, lf.exit[1]), lf.exit[1])

    @staticmethod
    def age(birth: dt.date, on: dt.date) -> int:
        return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))

    def exit_event(self, age: int, day: dt.date) -> tuple:
        r, rng = self.rng.random(), self.rng
        if r < (0.85 if age >= 60 else 0.2):
            return (EventType.DECEASED, day, {})
        if r < (0.93 if age >= 60 else 0.75):
            return (EventType.TRANSFER_OUT, day, {"destination": rng.choice(ELSEWHERE), "transfer_kind": TransferKind.OFFICIAL})
        if r < 0.97:
            return (EventType.REMOVED, day, {"decision_number": f"{rng.randint(1, 300)}-QĐ/ĐU", "note": "Bỏ sinh hoạt đảng không có lý do chính đáng"})
        return (EventType.LEFT, day, {"note": "Xin ra khỏi Đảng"})

    def exemptions(self, lives: list[Life]) -> None:
        rng = self.rng
        wanted = self.needs.get("members.exempted")
        eligible = [lf for lf in lives if lf.present and self.age(lf.birth, self.day) >= 70 and lf.first_on < self.day - dt.timedelta(days=60)]
        if wanted is None:
            chosen = {lf for lf in eligible if self.age(lf.birth, self.day) >= 75 and rng.random() < 0.25}
        else:
            try:
                chosen = _weighted_pick(rng, eligible, wanted, lambda lf: self.age(lf.birth, self.day) - 65)
            except ValueError:
                raise self.error(_("chỉ có %(n)s đảng viên đủ tuổi được miễn sinh hoạt.") % {"n": len(eligible)}) from None
        for lf in [lf for lf in eligible if lf in chosen]:  # in a fixed order: the draws below depend on it
            lo = max(lf.first_on + dt.timedelta(days=30), synth.add_years(lf.birth, 70))
            lf.exempt_on = _day(rng, min(lo, self.day - dt.timedelta(days=1)), self.day - dt.timedelta(days=1))

    def attributes(self, lives: list[Life]) -> None:
        """Exactly the stated women, minorities and believers among the counted members."""
        rng, prof, needs = self.rng, self.p.profile, self.needs
        present = [lf for lf in lives if lf.present]
        others = [lf for lf in lives if not lf.present]

        def female_weight(lf):
            w = FEMALE_WEIGHT.get(lf.cell.role) or FEMALE_WEIGHT_OF_SECTOR.get(lf.cell.sector, 1.0)
            return w * (1.4 if lf.admitted.year >= 2000 else 0.8)

        def minority_weight(lf):
            commune = lf.cell.commune
            w = 8.0 if commune is not None and commune.pk in self.p.minority_communes else 1.0
            village = lf.cell.village_on(self.day) if lf.cell.village else None
            if village is not None and village.minority:
                w *= 5
            return w if lf.cell.role == "village" else w * 0.5

        def religious_weight(lf):
            return (prof.minority_religion_factor if lf.minority else 1.0) * (1.3 if lf.birth.year < 1960 else 1.0)

        n = len(present)
        for attr, measure, share, weight in (
            ("female", "members.female", prof.female_share, female_weight),
            ("minority", "members.minority", prof.minority_share, minority_weight),
            ("religious", "members.religious", prof.religious_share, religious_weight),
        ):
            wanted = needs.get(measure)
            wanted = round(n * share) if wanted is None else wanted
            try:
                chosen = _weighted_pick(rng, present, wanted, weight)
            except ValueError:
                raise self.error(_("%(n)s vượt quá số đảng viên (%(total)s).") % {"n": wanted, "total": n}) from None
            for lf in present:
                setattr(lf, attr, lf in chosen)
            for lf in others:
                setattr(lf, attr, rng.random() < share * weight(lf) / max(1.0, weight(lf)))

    def moves(self, lives: list[Life]) -> None:
        """Transfers between the committee's cells before the count day; the merge's on its day."""
        rng, change_on = self.rng, self.p.change_on
        by_parent: dict = {}
        for cell in self.p.cells:
            by_parent.setdefault(cell.parent, []).append(cell)
        absorbed: dict = {}
        for cell in self.p.cells:
            if cell.successor is not None:
                absorbed.setdefault(cell.successor, []).append(cell)
        for lf in lives:
            first, last = lf.first_on, lf.last_on(self.end)
            lf.start_cell, explicit = lf.cell, []
            parts = absorbed.get(lf.cell, [])
            if change_on and parts and first < change_on and rng.random() < len(parts) / (len(parts) + 1):
                lf.start_cell = rng.choice(parts)  # they were in a part of the merged village
            elif lf.present and not lf.title and rng.random() < MOVED and first < self.day - dt.timedelta(days=150):
                pool = [c for c in by_parent.get(lf.cell.parent, []) if c is not lf.cell]
                if len(pool) < 2 or rng.random() < 0.3:
                    pool = [c for c in self.p.cells if c is not lf.cell]
                letter = _day(rng, first + dt.timedelta(days=60), self.day - dt.timedelta(days=60))
                if letter == change_on:
                    letter += dt.timedelta(days=1)
                origin = rng.choice(pool)
                if origin.in_force(letter):
                    receipt = letter + dt.timedelta(days=rng.randint(3, 20))
                    if change_on and letter < change_on <= receipt:
                        receipt = letter
                    lf.start_cell, explicit = origin, [(letter, receipt, lf.cell)]
            # a cell closed by a merge hands its members to its successor on that day
            lf.moves, current = [], lf.start_cell
            for letter, receipt, to in [*explicit, (None, None, None)]:
                until = letter or last
                while current.closes_on is not None and current.closes_on <= until:
                    on = current.closes_on
                    lf.moves.append((on, on, current.successor))
                    current = current.successor
                if letter:
                    lf.moves.append((letter, receipt, to))
                    current = to
            lf.final_cell = current

    def residences(self, lives: list[Life]) -> None:
        rng, p = self.rng, self.p
        pools: dict = {}

        def pool(day: dt.date, commune) -> list:
            key = (p.change_on is not None and day >= p.change_on, commune.pk if commune else None)
            if key not in pools:
                ref = day if day <= self.day else self.day
                pools[key] = [v for v in p.villages_on(ref) if not v.no_resident and (commune is None or v.commune == commune)]
            return pools[key]

        for lf in lives:
            last = min(lf.last_on(self.end), self.day) if lf.present else lf.last_on(self.end)
            cell = lf.final_cell
            village = cell.village_on(last) if cell.village else None
            if village is None or village.no_resident:
                village = rng.choice(pool(last, cell.commune) or pool(last, None))
            lf.village = village
        # every other village on the count day has a counted member living there
        counted = [lf for lf in lives if lf.present]
        living = {lf.village for lf in counted}
        movable = [lf for lf in counted if lf.cell.role != "village"] or counted
        rng.shuffle(movable)
        for v in pool(self.day, None):
            if v not in living:
                if not movable:
                    raise self.error(_("không đủ đảng viên để có người cư trú ở mọi thôn."))
                lf = movable.pop()
                lf.village = v
                living.add(v)

    # ------------------------------------------------------------ records

    def person(self, lf: Life) -> dict:
        rng, prof, province = self.rng, self.p.profile, self.p.area.province
        r = rng.random
        gender = "F" if lf.female else "M"
        ethnicity = "01"
        if lf.minority:
            codes, weights = zip(*prof.minorities, strict=True)
            ethnicity = rng.choices(codes, weights=weights)[0]
        parts = profiles.name_parts(r, gender, ethnicity)
        religion = "00"
        if lf.religious:
            codes, weights = zip(*(prof.religions_of.get(ethnicity) or prof.religions), strict=True)
            religion = rng.choices(codes, weights=weights)[0]
        home = lf.village.commune
        if r() < 0.85:
            province3, origin_unit, origin_text = "0" + province.code, home.pk, ""
        else:
            code = rng.choice(prof.elsewhere)
            province3, origin_unit, origin_text = "0" + code, None, self.province_names.get(code, "")
        nid = self.national_id(province3, gender == "F", lf.birth.year) if r() < 0.94 else None
        agency = lf.cell.role != "village"
        kind = "agency" if agency else "commune"
        qualification = synth.QUALIFICATION[kind][int(r() * len(synth.QUALIFICATION[kind]))]
        theory = synth.THEORY[kind][int(r() * len(synth.THEORY[kind]))]
        occ_key = OCCUPATION_OF_ROLE.get(lf.cell.role) or OCCUPATION_OF_SECTOR.get(lf.cell.sector, "agency")
        occupation = synth.OCCUPATION[occ_key][int(r() * len(synth.OCCUPATION[occ_key]))]
        age = self.age(lf.birth, lf.last_on(self.end))
        if not agency and age >= 62:
            occupation = "Hưu trí"
        elif occupation == "Hưu trí" and age < 55:
            occupation = "Nông dân" if kind == "commune" else "Công chức"
        education = synth.EDUCATION_OLD if lf.birth.year < 1960 else synth.EDUCATION_NEW
        return {
            "full_name": profiles.full_name(parts), "gender": gender, "birth_date": lf.birth, "national_id": nid,
            "ethnicity": ethnicity, "religion": religion, "origin_unit_id": origin_unit, "origin_text": origin_text,
            "residence_unit_id": home.pk, "residence_village_id": lf.village.unit.pk,
            "education": education[int(r() * len(education))], "qualification": qualification,
            "qualification_field": rng.choice(synth.FIELDS) if qualification in ("dai_hoc", "thac_si", "tien_si") else "",
            "theory_level": theory, "occupation": occupation, "job_title": lf.title,
        }

    def national_id(self, province3: str, female: bool, year: int) -> str:
        for _i in range(20):
            nid = synth.national_id(province3, female, year, self.rng.randrange(1_000_000))
            if nid not in self.serials:
                self.serials.add(nid)
                return nid
        return None

    def row(self, lf: Life) -> tuple[str, Row]:
        rng, end = self.rng, self.end
        recognized = add_months(lf.admitted, 12)
        first_on = lf.first_on
        decision = lf.admitted - dt.timedelta(days=rng.randint(0, 20)) if lf.first == EventType.ADMITTED else None
        official_at_first = lf.first != EventType.ADMITTED and recognized <= first_on
        exit_on = lf.exit[1] if lf.exit else None
        events = []  # (day, order, fields)
        if not official_at_first and recognized <= end and (exit_on is None or recognized < exit_on):
            events.append((recognized, 1, {"type": EventType.RECOGNIZED, "decision_number": f"{rng.randint(1, 400)}-QĐ/ĐU"}))
        for letter, receipt, to in lf.moves:
            same_day = letter == receipt
            events.append((letter, 6, {"type": EventType.TRANSFER_OUT, "target_id": to.organization.pk, "transfer_kind": TransferKind.OFFICIAL,
                                       **({"note": "Chuyển sinh hoạt khi sáp nhập chi bộ"} if same_day and letter == self.p.change_on else {})}))
            events.append((receipt, 7, {"type": EventType.TRANSFER_RECEIVED, "organization_id": to.organization.pk}))
        if lf.exempt_on:
            events.append((lf.exempt_on, 3, {"type": EventType.EXEMPTED, "note": "Tuổi cao, sức yếu"}))
        start = decision or lf.admitted
        for years in synth.BADGE_YEARS:
            day = synth.ceremony_on_or_after(synth.add_years(start, years))
            if day > end or (exit_on and day >= exit_on):
                break
            if day >= first_on:
                events.append((day, 4, {"type": EventType.BADGE_AWARDED, "badge_years": years}))
        if lf.exit:
            kind, day, extra = lf.exit
            events.append((day, 9, {"type": kind, **extra}))
        events.sort(key=lambda e: (e[0], e[1]))
        row = Row(person=self.person(lf), organization_id=lf.start_cell.organization.pk, on=first_on, admitted_on=lf.admitted,
                  recognized_on=recognized if official_at_first else None, decision_date=decision,
                  events=[{"effective_date": day, **fields} for day, _o, fields in events])
        return lf.first, row

    def build(self) -> tuple[list[tuple[str, Row]], int]:
        sizes = self.sizes()
        lives = self.present(sizes) + self.leavers(sizes) + self.newcomers(sizes)
        self.first_types(lives)
        self.fit_windows(lives)
        self.births(lives)
        self.exemptions(lives)
        self.attributes(lives)
        self.moves(lives)
        self.residences(lives)
        codes = {c for prof in [self.p.profile] for c in prof.elsewhere}
        self.province_names = dict(AdminUnit.objects.filter(generation=Generation.LEGACY, level=Level.PROVINCE, code__in=codes)
                                   .values_list("code", "full_name"))
        rows = [self.row(lf) for lf in lives]
        taken = set(Person.objects.filter(national_id__in=[r.person["national_id"] for _t, r in rows if r.person["national_id"]])
                    .values_list("national_id", flat=True))
        for _t, r in rows:
            if r.person["national_id"] in taken:
                r.person["national_id"] = None
        return rows, sum(sizes.values())


def populate(plan, *, actor=None) -> dict:
    rows, present = Population(plan).build()
    by_type: dict = {}
    for first, row in rows:
        by_type.setdefault(first, []).append(row)
    for first in (EventType.RECORDED, EventType.ADMITTED, EventType.JOINED_BY_TRANSFER):
        if by_type.get(first):
            record_members(by_type[first], actor=actor, event_type=first, audit_type="members.member.scenario")
    return {"present": present, "records": len(rows)}
