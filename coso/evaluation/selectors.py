"""The read side of evaluation. Every function takes the user's Scope and reads only through it.

A period is visible to a user when it was opened in their subtree, or above it (a district's
period covers the cells of a cell secretary, who records their members' steps in it). Its ratings
are visible when their organization lies in the user's subtree.

counts_by_level() gives the measure engine its figures: for a period and an organization's
subtree (as it stood on the period's reference date), the number of subjects at each level, by
kind of subject, in one grouped query.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404

from coso.members.models import EventType, MemberEvent
from coso.organizations.models import Organization, Placement, path_ids, path_prefix_q

from . import permissions as perms
from .choices import SubjectKind
from .models import CapGroup, Correction, Period, Rating, RemediedBreach

PAGE_SIZE = 50


def _org_id(organization) -> int:
    return organization.pk if isinstance(organization, Organization) else int(organization)


def visible_periods(scope):
    """Periods opened in the scope's subtree or above it, newest first."""
    if scope.is_empty or not perms.can(scope, perms.VIEW):
        return Period.objects.none()
    if scope.is_global:
        return Period.objects.order_by("-ends_on", "organization_id")
    above = {i for path in scope.root_paths for i in path_ids(path)}
    return (Period.objects.filter(Q(organization_id__in=scope.organization_ids()) | Q(organization_id__in=above))
            .order_by("-ends_on", "organization_id"))


def get_period_for_user(scope, pk, *, write: str | None = None) -> Period:
    """The period, 404 when the scope does not see it, 403 when it may not do `write` in it."""
    period = visible_periods(scope).filter(pk=pk).first()
    if period is None:
        raise Http404
    if write and not perms.can(scope, write):
        raise PermissionDenied
    return period


def subtree_ids(scope, period: Period, organization=None):
    """Subquery: the organizations under the organization (default: the period's) on the period's
    reference date, within the scope."""
    org_id = period.organization_id if organization is None else _org_id(organization)
    placement = Placement.objects.on(period.reference_date).filter(organization_id=org_id).only("path").first()
    if placement is None:
        return Placement.objects.none().values("organization_id")
    qs = Placement.objects.on(period.reference_date).filter(path_prefix_q(placement.path, connection.vendor))
    if scope is not None:
        qs = qs.filter(scope.placement_q())
    return qs.values("organization_id")


def ratings(scope, period: Period, organization=None, *, kind: str | None = None, state: str | None = None):
    """The period's ratings under the organization, visible to the scope, in list order: kind,
    organization, name. Joins the member and their person, the organization (one query; paginate)."""
    if organization is not None:
        perms.check(scope, _org_id(organization), perms.VIEW)
    elif not perms.can(scope, perms.VIEW):
        return Rating.objects.none()
    qs = (Rating.objects.filter(period=period, organization_id__in=subtree_ids(scope, period, organization))
          .select_related("period", "member__person", "mass_organization"))
    if kind:
        qs = qs.filter(subject_kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("subject_kind", "organization_id", "subject_name", "id")


def get_rating_for_user(scope, pk, *, write: str | None = None) -> Rating:
    """The rating, 404 outside the scope, 403 when the scope may not do `write`."""
    rating = Rating.objects.select_related("period", "member__person", "mass_organization").filter(pk=pk).first()
    if rating is None:
        raise Http404
    perms.check(scope, rating.organization_id, write or perms.VIEW)
    return rating


def corrections_of(rating: Rating) -> list[Correction]:
    return list(Correction.objects.filter(rating=rating).select_related("corrected_by").order_by("corrected_on", "id"))


def member_history(scope, member) -> list[Rating]:
    """A member's ratings over the periods, newest first (their record page): those rated in a
    cell of the scope."""
    if scope.is_empty or not perms.can(scope, perms.VIEW):
        return []
    qs = Rating.objects.filter(member=member, subject_kind=SubjectKind.MEMBER)
    if not scope.is_global:
        qs = qs.filter(organization_id__in=scope.organization_ids())
    return list(qs.select_related("period").order_by("-period__ends_on", "id"))


def counts_by_level(period: Period, organization=None, *, scope=None, published_only: bool = True,
                    organization_ids=None) -> dict[str, dict[str, int]]:
    """{subject kind: {level code: number}} for the period under the organization (default: the
    period's), as the tree stood on the reference date: one grouped query (after the
    organization's path, unless organization_ids, a subquery of the organizations to count in such
    as the measure engine's Subtree.organization_ids(), is given: then the grouped query alone).

    published_only (default): the published results, the official figures. Otherwise each subject
    counts with its decided level, else its proposal. Organizations count those under the
    organization, not itself (like the measure engine's organization figures); members count
    those placed in its cells; collectives, leaders and mass organizations those of its subtree.
    """
    org_id = period.organization_id if organization is None else _org_id(organization)
    ids = subtree_ids(scope, period, org_id) if organization_ids is None else organization_ids
    qs = Rating.objects.filter(period=period, organization_id__in=ids)
    qs = qs.exclude(subject_kind=SubjectKind.ORGANIZATION, organization_id=org_id)
    if published_only:
        qs = qs.filter(state=Rating.State.PUBLISHED).annotate(k=NullIf("level", Value("")))
    else:
        qs = qs.annotate(k=Coalesce(NullIf("level", Value("")), NullIf("proposed_level", Value(""))))
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, level, n in qs.exclude(k__isnull=True).values_list("subject_kind", "k").annotate(n=Count("id")).order_by():
        result[kind][level] = n
    return dict(result)


def cap_groups(scope, period: Period, organization=None):
    """The period's groups of comparable subjects defined under the organization (default: the
    period's) within the scope, each with its number of subjects, by name (two queries: the
    subtree's path, the groups)."""
    return (CapGroup.objects.filter(period=period, organization_id__in=subtree_ids(scope, period, organization))
            .annotate(subjects=Count("ratings")).order_by("name", "id"))


def get_cap_group_for_user(scope, pk, *, write: str | None = None) -> CapGroup:
    """The group, 404 outside the scope (its competent level's), 403 when the scope may not `write`."""
    group = CapGroup.objects.select_related("period").filter(pk=pk).first()
    if group is None:
        raise Http404
    perms.check(scope, group.organization_id, write or perms.VIEW)
    return group


def disciplines_in_period(rating: Rating) -> list:
    """The rated member's disciplines decided in the rating's period (the rules' window), each with
    .remedy: the competent level's finding that the member found and remedied it, or None (two
    queries). The rating comes from get_rating_for_user."""
    if rating.member_id is None:
        return []
    period = rating.period
    events = list(MemberEvent.objects.filter(member_id=rating.member_id, type=EventType.DISCIPLINED, effective_date__gte=period.starts_on,
                                             effective_date__lte=period.ends_on).order_by("effective_date", "id"))
    remedies = {r.discipline_id: r for r in RemediedBreach.objects.filter(period=period, discipline__in=events).select_related("decided_by")}
    for event in events:
        event.remedy = remedies.get(event.pk)
    return events
