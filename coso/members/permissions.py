"""Who may see and change which member, candidate and person (DESIGN principle 4).

A member is visible when any of their periods lay in an organization of the user's scope (as
its cell or as the host of a temporary stay) or, while they are in transit, when the transfer's
target lies in the scope: the receiving side must see whom it is about to receive. A member is
writable when their current organization is in the scope; recording receipt of a transfer is
the receiving side's act, so it needs the target in the scope instead.

Object helpers answer 404 outside the scope and 403 where the user may only read.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for
from coso.organizations.scope import Scope
from coso.people.models import Person

from .models import Candidate, EventType, Member, MemberEvent, MemberPeriod

VIEW = "members.view"
CHANGE = "members.change"


def last_transfer_target():
    """Subquery: the target of the member's latest transfer letter (their transit target while in_transit)."""
    return Subquery(
        MemberEvent.objects.filter(member=OuterRef("pk"), type=EventType.TRANSFER_OUT)
        .order_by("-effective_date", "-sequence", "-id")
        .values("target_id")[:1]
    )


def visible_members(scope: Scope):
    scope.require(VIEW)
    members = Member.objects.all()
    if scope.is_global:
        return members
    orgs = scope.organization_ids()
    placed = MemberPeriod.objects.filter(member=OuterRef("pk")).filter(Q(organization_id__in=orgs) | Q(host_id__in=orgs))
    return members.annotate(transit_target=last_transfer_target()).filter(
        Exists(placed) | Q(in_transit=True, transit_target__in=orgs)
    )


def get_member_for_user(request, pk, *, write: bool | str = False, receiving: bool = False) -> Member:
    """The member if visible (404 otherwise); with write, one the user may change (403 otherwise).

    receiving=True: the write is the receipt of a transfer, allowed to the side holding its target.
    """
    scope = scope_for(request)
    member = get_object_or_404(visible_members(scope).select_related("person__origin_unit", "person__residence_unit"), pk=pk)
    if write := write_permission(write, CHANGE):
        scope.require(write)
        if receiving:
            target = transit_target(member)
            if target is None or not scope.contains(target):
                raise PermissionDenied
        elif not scope.contains(member.organization_id):
            raise PermissionDenied
    return member


def transit_target(member: Member) -> int | None:
    if not member.in_transit:
        return None
    event = (
        MemberEvent.objects.filter(member=member, type=EventType.TRANSFER_OUT)
        .order_by("-effective_date", "-sequence", "-id")
        .only("target_id")
        .first()
    )
    return event.target_id if event else None


def visible_candidates(scope: Scope):
    scope.require(VIEW)
    candidates = Candidate.objects.all()
    if scope.is_global:
        return candidates
    return candidates.filter(organization_id__in=scope.organization_ids())


def get_candidate_for_user(request, pk, *, write: bool | str = False) -> Candidate:
    scope = scope_for(request)
    candidate = get_object_or_404(visible_candidates(scope).select_related("person__origin_unit", "person__residence_unit"), pk=pk)
    if write := write_permission(write, CHANGE):
        scope.require(write)
    return candidate


def visible_persons(scope: Scope):
    """Persons holding a visible membership or a candidacy in the scope."""
    if scope.is_global:
        scope.require(VIEW)
        return Person.objects.all()
    return Person.objects.filter(
        Q(pk__in=visible_members(scope).values("person_id")) | Q(pk__in=visible_candidates(scope).values("person_id"))
    )


def get_person_for_user(request, pk, *, write: bool | str = False) -> Person:
    """A person holding a visible membership or candidacy; with write, 403 without the permission
    (a person's record is changed by those who change members)."""
    scope = scope_for(request)
    person = visible_persons(scope).filter(pk=pk).first()
    if person is None:
        raise Http404
    if write := write_permission(write, CHANGE):
        scope.require(write)
    return person
