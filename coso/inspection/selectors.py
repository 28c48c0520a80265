"""The read side of inspection: scoped lists, the overdue work and the state of a program.

Every list starts from `.visible_to(scope)` and needs "inspection.view" (contents); the figures
(counts) come from the measure engine (coso/measures/inspection.py), never from here.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .choices import CorrectionKind, Form, Stage, SubjectKind
from .models import Case, Discipline, DisciplineCorrection, Intake, Plan, Recommendation
from .permissions import VIEW


def _require(scope) -> None:
    scope.require(VIEW)


def cases(scope):
    _require(scope)
    return Case.objects.visible_to(scope).select_related("organization")


def overdue_cases(scope, on: dt.date):
    """Cases whose current stage (or conclusion) is past its due date on the day, with their stage."""
    _require(scope)
    open_cases = (Case.objects.visible_to(scope).exclude(stage=Stage.CONCLUDED)
                  .filter(Q(preparation_due__lt=on) | Q(conduct_due__lt=on) | Q(conclusion_due__lt=on)))
    return [(c, Stage(c.overdue_stage(on)).label) for c in open_cases.order_by("decided_on", "id") if c.overdue_stage(on)]


def overdue_recommendations(scope, on: dt.date):
    _require(scope)
    return (Recommendation.objects.filter(case__in=Case.objects.visible_to(scope), due_on__lt=on)
            .filter(Q(remedied_on__isnull=True) | Q(remedied_on__gt=on)).select_related("case").order_by("due_on", "id"))


def plans(scope):
    _require(scope)
    return Plan.objects.visible_to(scope).select_related("organization")


def disciplines(scope):
    _require(scope)
    return Discipline.objects.visible_to(scope)


def intakes(scope):
    _require(scope)
    return Intake.objects.visible_to(scope)


DONE, IN_PROGRESS, NOT_STARTED = "done", "in_progress", "not_started"


@dataclass
class ItemState:
    item: object
    cases: list
    state: str


def plan_state(plan: Plan) -> tuple[list[ItemState], list[Case]]:
    """Each planned item with its cases and state (done: a case concluded; in progress: a case
    open; not started: none), and the body's cases within the plan's dates linked to no item of it
    (unplanned). Two queries."""
    items = list(plan.items.all())
    linked = {}
    for case in Case.objects.filter(plan_item__plan=plan).order_by("decided_on", "id"):
        linked.setdefault(case.plan_item_id, []).append(case)
    states = []
    for item in items:
        found = linked.get(item.pk, [])
        state = DONE if any(c.stage == Stage.CONCLUDED for c in found) else IN_PROGRESS if found else NOT_STARTED
        states.append(ItemState(item, found, state))
    unplanned = list(Case.objects.filter(organization_id=plan.organization_id, body=plan.body, decided_on__gte=plan.starts_on,
                                         decided_on__lte=plan.ends_on, plan_item__isnull=True).order_by("decided_on", "id"))
    return states, unplanned


# ---------------------------------------------------------------- what the evaluation reads (unscoped: its services' own use)


def standing_member_forms(event_ids) -> dict[int, str | None]:
    """The member events (DISCIPLINED) recorded by a disciplinary decision that a later decision
    changed or annulled: event id → the form as it stands (None: annulled). One query."""
    found: dict[int, str | None] = {}
    for event_id, kind, new_form in (DisciplineCorrection.objects.filter(discipline__member_event_id__in=list(event_ids))
                                     .exclude(kind=CorrectionKind.UPHELD).order_by("decided_on", "id")
                                     .values_list("discipline__member_event_id", "kind", "new_form")):
        found[event_id] = new_form if kind == CorrectionKind.CHANGED and new_form != Form.EXPULSION else None
    return found


def disciplined_organizations(organization_ids, starts_on: dt.date, ends_on: dt.date) -> set[int]:
    """The organizations among these disciplined with effect within the dates (enforced, not
    annulled since): what the year-end rating of an organization reads (issue 15, point 4).
    One query."""
    annulled = DisciplineCorrection.objects.filter(kind=CorrectionKind.ANNULLED).values("discipline_id")
    return set(Discipline.objects.filter(subject_kind=SubjectKind.ORGANIZATION, enforced=True, effective_on__gte=starts_on,
                                         effective_on__lte=ends_on, subject_organization_id__in=organization_ids)
               .exclude(pk__in=annulled).values_list("subject_organization_id", flat=True))
