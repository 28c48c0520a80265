"""The permissions cell meetings ask for.

    activities.view     read meetings, attendance, the calendar and the lists
    activities.record   record meetings, mark attendance, give and review tasks, score meetings
    organizations.change  assign and end point persons (the superior committee's decisions)

coso/access/permissions.py grants them: every role reads; cell secretaries, organization staff
and administrators record. A read-only scope (decision 0007) keeps the reading.
"""

from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import Commendation, Meeting, PointPerson, Task

VIEW = "activities.view"
RECORD = "activities.record"
# assigning point persons records the superior committee's decision: organization staff and
# administrators, who change the organizations (not the cell secretaries)
ASSIGN = "organizations.change"


def visible_meetings(scope):
    if scope.is_empty or not scope.can(VIEW):
        return Meeting.objects.none()
    return Meeting.objects.filter(scope.organization_q("organization"))


def visible_commendations(scope):
    """The awards the scope reads: those counted under an organization of its subtree (the awarded
    organization, or the member's organization on the decision's date), as the commendations page
    lists them. A member's awards recorded elsewhere (before a transfer in, after a transfer out)
    stay with the organizations that recorded them."""
    if scope.is_empty or not scope.can(VIEW):
        return Commendation.objects.none()
    return Commendation.objects.filter(scope.organization_q("organization"))


def get_meeting_for_user(request, pk, *, write: bool | str = False) -> Meeting:
    """The meeting, 404 outside the scope, 403 when the scope may not `write`."""
    scope = scope_for(request)
    meeting = visible_meetings(scope).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if perm := write_permission(write, RECORD):
        scope.require(perm)
    return meeting


def get_task_for_user(request, pk, *, write: bool | str = False) -> Task:
    scope = scope_for(request)
    task = Task.objects.select_related("meeting").filter(pk=pk, meeting__in=visible_meetings(scope)).first()
    if task is None:
        raise Http404
    if perm := write_permission(write, RECORD):
        scope.require(perm)
    return task


def get_point_person_for_user(request, pk, *, write: bool | str = False) -> PointPerson:
    """An assignment whose organization the scope holds: 404 outside, 403 without ASSIGN to write."""
    scope = scope_for(request)
    assignment = PointPerson.objects.filter(pk=pk).first()
    if assignment is None or scope.is_empty or not scope.can(VIEW):
        raise Http404
    scope.check(assignment.organization_id, write=write_permission(write, ASSIGN))
    return assignment
