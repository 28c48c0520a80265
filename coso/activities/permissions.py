"""The permissions cell meetings ask for.

    activities.view     read meetings, attendance, the calendar and the lists
    activities.record   record meetings, mark attendance, give and review tasks

coso/access/permissions.py grants them: every role reads; cell secretaries, organization staff
and administrators record. A read-only scope (decision 0007) keeps the reading.
"""

from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import Meeting, Task

VIEW = "activities.view"
RECORD = "activities.record"


def visible_meetings(scope):
    if scope.is_empty or not scope.can(VIEW):
        return Meeting.objects.none()
    return Meeting.objects.filter(scope.organization_q("organization"))


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
