"""The read side of evaluation. Every function takes the user's Scope and reads only through it.

A period is visible to a user when it was opened in their subtree, or above it (a district's
period covers the cells of a cell secretary, who records their members' steps in it). Its ratings
are visible when their organization lies in the user's subtree.

The figures of a period (its subjects by kind and level) come from the measure engine
(coso.measures.engine.evaluation_levels), which sits above this app.
"""

from collections import defaultdict

from django.db.models import Count, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404

from coso.access.models import User
from coso.members.models import EventType, Member, MemberEvent, MemberPeriod
from coso.members.selectors import members_on
from coso.organizations.models import Organization, Placement

from . import permissions as perms
from .choices import SubjectKind
from .models import CapGroup, Correction, MassOrganization, Period, Rating, RemediedBreach
from .permissions import visible_periods  # noqa: F401 (the periods list reads it from here)

PAGE_SIZE = 50


def _org_id(organization) -> int:
    return organization.pk if isinstance(organization, Organization) else int(organization)


def subtree_ids(scope, period: Period, organization=None):
    """Subquery: the organizations under the organization (default: the period's) on the period's
    reference date, within the scope."""
    org_id = period.organization_id if organization is None else _org_id(organization)
    placement = Placement.objects.on(period.reference_date).filter(organization_id=org_id).only("path").first()
    if placement is None:
        return Placement.objects.none().values("organization_id")
    qs = Placement.objects.under(placement.path, on=period.reference_date)
    if scope is not None:
        qs = qs.visible_to(scope)
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


def ratings_of_group(scope, period: Period, organization, grassroots_id: int | None):
    """ratings() of the subjects counted in one grassroots organization (None: in none)."""
    qs = ratings(scope, period, organization)
    return qs.filter(grassroots_id=grassroots_id) if grassroots_id is not None else qs.filter(grassroots__isnull=True)


def ratings_at(scope, period: Period, organization):
    """ratings() of the subjects placed at the organization itself (a cell's members, the cell)."""
    return ratings(scope, period, organization).filter(organization_id=_org_id(organization))


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


def organization_names(periods) -> dict[int, str]:
    """{period id: its organization's name on the period's reference date (its last name when
    closed by then)}: one query."""
    spans: dict[int, list[Placement]] = defaultdict(list)
    for placement in Placement.objects.filter(organization_id__in={p.organization_id for p in periods}).only(
            "organization_id", "name", "valid_from", "valid_to").order_by("valid_from"):
        spans[placement.organization_id].append(placement)
    names = {}
    for p in periods:
        found = spans.get(p.organization_id, [])
        names[p.id] = next((f.name for f in found if f.in_force_on(p.reference_date)), found[-1].name if found else "")
    return names


def progress(scope, periods) -> dict[int, dict[str, int]]:
    """{period id: {state: number of ratings}} within the scope: one grouped query."""
    counted = Rating.objects.filter(period__in=periods)
    if not scope.is_global:
        counted = counted.filter(organization_id__in=scope.organization_ids())
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for period_id, state, n in counted.values_list("period_id", "state").annotate(n=Count("id")).order_by():
        result[period_id][state] = n
    return dict(result)


def subject_count(period: Period) -> int:
    return period.ratings.count()


def placements_on(period: Period, ids) -> dict[int, Placement]:
    """The organizations' placements on the period's reference date (one query)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {p.organization_id: p for p in Placement.objects.on(period.reference_date).filter(organization_id__in=ids).only(
        "organization_id", "name", "name_order", "path", "kind", "parent_id")}


def group_counts(scope, period: Period, organization) -> list[tuple]:
    """[(grassroots organization id, subject kind, state, level, number)] of the period's ratings
    under the organization within the scope, the level being the decided one, else the proposal:
    one grouped query (after the organization's path)."""
    level = Coalesce(NullIf("level", Value("")), NullIf("proposed_level", Value("")))
    return list(Rating.objects.filter(period=period, organization_id__in=subtree_ids(scope, period, organization))
                .annotate(k=level).values_list("grassroots_id", "subject_kind", "state", "k").annotate(n=Count("id")).order_by())


def grassroots_of(period: Period, organization_ids) -> dict[int, int | None]:
    """{organization id: the grassroots organization its ratings in the period count in}: one query."""
    return dict(Rating.objects.filter(period=period, organization_id__in=organization_ids)
                .values_list("organization_id", "grassroots_id").distinct())


def organizations_under(scope, period: Period, path: str) -> list[tuple]:
    """[(organization id, name, kind, sector, path)] under the path on the period's reference
    date, within the scope, in tree order: one query."""
    return list(Placement.objects.under(path, on=period.reference_date).visible_to(scope)
                .values_list("organization_id", "name", "kind", "sector", "path").order_by("path"))


def mass_organizations_to_add(period: Period, organization_ids) -> list[tuple]:
    """[(pk, name, organization id)] of the Front and mass organizations named at the
    organizations and not yet in the period: one query."""
    return list(MassOrganization.objects.filter(organization_id__in=organization_ids).exclude(ratings__period=period)
                .order_by("organization_id", "name").values_list("pk", "name", "organization_id"))


def members_placed(scope, path: str, on) -> list[tuple]:
    """[(member id, full name, organization id)] of the members placed under the path on the
    date, within the scope, by the Vietnamese name order: one query."""
    return list(members_on(scope, path, on).order_by("member__person__name_order", "member_id")
                .values_list("member_id", "member__person__full_name", "organization_id"))


def get_member(scope, pk) -> Member:
    """A member chosen in a form whose choices came from the scope (members_placed): one placed,
    at some time, in an organization of the scope; 404 otherwise."""
    found = Member.objects.select_related("person").filter(pk=pk, pk__in=MemberPeriod.objects.visible_to(scope).values("member_id")).first()
    if found is None:
        raise Http404
    return found


def get_mass_organization(scope, pk) -> MassOrganization:
    """A mass organization chosen in a form whose choices came from the scope (mass_organizations_to_add); 404 outside it."""
    found = MassOrganization.objects.filter(scope.organization_q(), pk=pk).first()
    if found is None:
        raise Http404
    return found


def step_users(rating: Rating) -> dict[int, User]:
    """The users who took the rating's steps, by id: one query (none when nobody has yet)."""
    ids = {rating.self_assessed_by_id, rating.commented_by_id, rating.proposed_by_id, rating.decided_by_id, rating.published_by_id}
    ids.discard(None)
    return User.objects.in_bulk(ids) if ids else {}


def cap_groups(scope, period: Period, organization=None):
    """The period's groups of comparable subjects defined under the organization (default: the
    period's) within the scope, each with its number of subjects, by name (two queries: the
    subtree's path, the groups)."""
    return (CapGroup.objects.filter(period=period, organization_id__in=subtree_ids(scope, period, organization))
            .annotate(subjects=Count("ratings")).order_by("name", "id"))


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


def organization_choices(scope, period: Period, root_path: str) -> list[tuple[int, str]]:
    """The organizations under the path within the scope on the reference date, in tree order (one query)."""
    return list(Placement.objects.under(root_path, on=period.reference_date).visible_to(scope)
                .order_by("path").values_list("organization_id", "name"))
