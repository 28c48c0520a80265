"""The permissions training asks for, and the access helpers of its objects.

    training.view     read courses, enrolments and a person's training
    training.change   open courses, enrol, record completions and withdrawals

coso/access/permissions.py grants them: every role reads; organization staff (and administrators)
change. A course is seen in the scope of the organization that records it (its organizer); its
enrolments with it.
"""

from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import Course, Enrolment

VIEW = "training.view"
CHANGE = "training.change"


def visible_courses(scope):
    """Courses recorded by an organization of the scope."""
    scope.require(VIEW)
    return Course.objects.filter(scope.organization_q("organizer"))


def visible_enrolments(scope):
    scope.require(VIEW)
    return Enrolment.objects.filter(scope.organization_q("course__organizer"))


def get_course_for_user(request, pk, *, write: bool | str = False) -> Course:
    """The course, 404 outside the scope, 403 when the scope may not do `write`."""
    scope = scope_for(request)
    course = visible_courses(scope).filter(pk=pk).first()
    if course is None:
        raise Http404
    if perm := write_permission(write, CHANGE):
        scope.check(course.organizer_id, write=perm)
    return course


def get_enrolment_for_user(request, pk, *, write: bool | str = False) -> Enrolment:
    """The enrolment, 404 outside the scope, 403 when the scope may not do `write`."""
    scope = scope_for(request)
    enrolment = visible_enrolments(scope).select_related("course", "person").filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    if perm := write_permission(write, CHANGE):
        scope.check(enrolment.course.organizer_id, write=perm)
    return enrolment
