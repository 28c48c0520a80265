"""The read side of training: a course's enrolments, a person's courses and derived theory level,
the lists of who lacks the level their post requires and who is due for refresher training."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from coso.organizations.models import Placement
from coso.people.models import Person
from coso.people.selectors import years_before

from . import holders as holder_registry
from . import requirements
from .choices import DEGREE_PROGRAMS, LEVEL_OF_PROGRAM, LEVEL_OF_RANK, RANK, SHORT_PROGRAMS
from .models import Course, Enrolment
from .permissions import visible_courses, visible_enrolments

PAGE_SIZE = 50
E = Enrolment.State


def courses(scope, *, year: int | None = None, program: str = "", organizer_ids=None):
    qs = visible_courses(scope)
    if year:
        qs = qs.filter(starts_on__year=year)
    if program:
        qs = qs.filter(program=program)
    if organizer_ids is not None:
        qs = qs.filter(organizer_id__in=organizer_ids)
    return qs.annotate(
        enrolled=Count("enrolments"),
        completed=Count("enrolments", filter=Q(enrolments__state=E.COMPLETED)),
    ).order_by("-starts_on", "-id")


def course_enrolments(course: Course):
    return course.enrolments.select_related("person").order_by("person__name_order", "id")


def course_counts(course: Course) -> dict[str, int]:
    counts = dict(course.enrolments.values_list("state").annotate(n=Count("id")).order_by())
    return {state: counts.get(state, 0) for state in E.values} | {"total": sum(counts.values())}


# -- derived theory level ---------------------------------------------------------------------------


def level_from(typed: str, programs) -> str:
    """The highest of the typed starting level and the levels of the completed programmes."""
    rank = max([RANK.get(typed, 0), *(RANK[LEVEL_OF_PROGRAM[p]] for p in programs if p in LEVEL_OF_PROGRAM)])
    return LEVEL_OF_RANK.get(rank, "")


def levels_on(person_ids, on: dt.date) -> dict[int, str]:
    """{person id: theory level on the date} ("" when none): the typed starting value raised by the
    degree programmes completed on or before the date. Two queries."""
    ids = list(person_ids)
    programs = defaultdict(set)
    for person_id, program in (Enrolment.objects.filter(person_id__in=ids, state=E.COMPLETED, completed_on__lte=on,
                                                        course__program__in=DEGREE_PROGRAMS)
                               .values_list("person_id", "course__program")):
        programs[person_id].add(program)
    typed = dict(Person.objects.filter(pk__in=ids).values_list("id", "theory_level"))
    return {pid: level_from(typed.get(pid, ""), programs[pid]) for pid in ids}


@dataclass
class LevelStep:
    on: dt.date | None  # None: the undated starting value
    level: str
    course: Course | None = None


def rank_rises(typed: str, completions) -> list[tuple]:
    """(day, rank, item) each time a person's level rises: first (None, the typed starting rank,
    None), then each completion (day, degree programme, item) that raises it, in the order of
    their days. The one rule of a derived level over time (level_history; the political system's
    ledger, coso/measures/politicalledger.py)."""
    current = RANK.get(typed, 0)
    rises = [(None, current, None)]
    for day, program, item in sorted(completions, key=lambda c: c[0]):
        rank = RANK[LEVEL_OF_PROGRAM[program]]
        if rank > current:
            current = rank
            rises.append((day, rank, item))
    return rises


def level_history(person: Person, scope=None) -> list[LevelStep]:
    """The dates the person's level rose: the typed starting value, then each completion above it.
    With a scope, a course the scope does not see is not named (its date and level still count)."""
    done = list(Enrolment.objects.filter(person=person, state=E.COMPLETED, course__program__in=DEGREE_PROGRAMS)
                .select_related("course").order_by("completed_on", "id"))
    seen = None if scope is None else set(visible_courses(scope).filter(pk__in=[e.course_id for e in done]).values_list("pk", flat=True))
    first, *rises = rank_rises(person.theory_level, [(e.completed_on, e.course.program, e) for e in done])
    steps = [LevelStep(None, person.theory_level)] if first[1] else []
    for day, _rank, e in rises:
        steps.append(LevelStep(day, LEVEL_OF_PROGRAM[e.course.program], e.course if seen is None or e.course_id in seen else None))
    return steps


def person_enrolments(scope, person: Person) -> tuple[list[Enrolment], int]:
    """The person's enrolments in courses the scope sees, and how many others there are."""
    mine = list(visible_enrolments(scope).filter(person=person).select_related("course").order_by("-course__starts_on", "-id"))
    total = Enrolment.objects.filter(person=person).count()
    return mine, total - len(mine)


# -- the lists ---------------------------------------------------------------------------------------


@dataclass
class Gap:
    person: Person
    title: str
    title_label: str
    where: str
    level: str
    required: str
    requirement: requirements.Requirement


def lacking_level(scope, on: dt.date) -> list[Gap]:
    """Holders of a post on the date whose theory level then is below the level the post requires
    (requirements.REQUIREMENTS in force on the date). Posts without a requirement are left out."""
    required = requirements.required_levels(on)
    # one row per person and title: a post of the political system and an employment record may both hold it
    held, seen = [], set()
    for h in holder_registry.holders(scope, on):
        if h.title in required and (h.person_id, h.title) not in seen:
            seen.add((h.person_id, h.title))
            held.append(h)
    if not held:
        return []
    levels = levels_on({h.person_id for h in held}, on)
    persons = Person.objects.in_bulk({h.person_id for h in held})
    gaps = []
    for h in held:
        need = required[h.title]
        if RANK.get(levels.get(h.person_id, ""), 0) < RANK[need.level]:
            gaps.append(Gap(persons[h.person_id], h.title, str(requirements.TITLES.get(h.title, h.title)), h.where,
                            levels.get(h.person_id, ""), need.level, need))
    return sorted(gaps, key=lambda g: (g.person.name_order, g.person.pk, g.title))


@dataclass
class Due:
    person: Person
    title: str
    title_label: str
    where: str
    last: dt.date | None  # the last short course completed, None: never


def due_for_refresher(scope, on: dt.date) -> tuple[list[Due], requirements.RefresherRule]:
    """Holders of a post on the date who completed no short course (bồi dưỡng) within the refresher
    interval in force then (requirements.REFRESHER_RULES), one row per person."""
    rule = requirements.refresher_rule(on)
    by_person: dict[int, holder_registry.Holder] = {}
    for h in holder_registry.holders(scope, on):
        by_person.setdefault(h.person_id, h)
    if not by_person:
        return [], rule
    last = dict(Enrolment.objects.filter(person_id__in=list(by_person), state=E.COMPLETED, completed_on__lte=on,
                                         course__program__in=SHORT_PROGRAMS)
                .values_list("person_id").annotate(last=Max("completed_on")).order_by())
    since = years_before(on, rule.years)
    persons = Person.objects.in_bulk(list(by_person))
    due = [Due(persons[pid], h.title, str(requirements.TITLES.get(h.title, h.title)), h.where, last.get(pid))
           for pid, h in by_person.items() if last.get(pid) is None or last[pid] <= since]
    return sorted(due, key=lambda d: (d.last or dt.date.min, d.person.name_order, d.person.pk)), rule


def organization_names(ids) -> dict[int, str]:
    """{organization id: its current (or last) name}: one query."""
    names = {}
    for org_id, name in Placement.objects.filter(organization_id__in=set(ids)).order_by("valid_from").values_list("organization_id", "name"):
        names[org_id] = name
    return names
