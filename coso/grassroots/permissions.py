"""The permissions the political-system pages ask for, and the access contract.

    grassroots.view     read bodies, posts and their figures
    grassroots.change   create bodies; appoint, end and replace posts

coso/access/permissions.py grants them: every role reads; organization staff and administrators
change. A body is in a scope when its unit (a commune, a district before 01/07/2025) is the area
of an organization of the scope or lies under such an area (models.units_q).
"""

from django.db.models import Q
from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for
from coso.members.permissions import visible_persons
from coso.people.models import Person
from coso.places.models import AdminUnit, Level

from .models import Body, Post, units_q

VIEW = "grassroots.view"
CHANGE = "grassroots.change"


def _require(scope, write) -> None:
    scope.require(write_permission(write, CHANGE) or VIEW)


def get_unit_for_user(request, pk, *, write: bool | str = False) -> AdminUnit:
    """A commune or district whose political system the scope covers (404 otherwise; 403 without
    the permission)."""
    scope = scope_for(request)
    unit = (AdminUnit.objects.filter(units_q(scope), pk=pk, level__in=[Level.COMMUNE, Level.DISTRICT])
            .select_related("parent").first())
    if unit is None:
        raise Http404
    _require(scope, write)
    return unit


def get_body_for_user(request, pk, *, write: bool | str = False) -> Body:
    """The body, 404 outside the scope, 403 when the scope may not `write`."""
    scope = scope_for(request)
    body = Body.objects.visible_to(scope).select_related("unit", "unit__parent", "village", "parent").filter(pk=pk).first()
    if body is None:
        raise Http404
    _require(scope, write)
    return body


def get_post_for_user(request, pk, *, write: bool | str = False) -> Post:
    """The post, 404 outside the scope, 403 when the scope may not `write`."""
    scope = scope_for(request)
    post = Post.objects.visible_to(scope).select_related("body", "body__unit", "person").filter(pk=pk).first()
    if post is None:
        raise Http404
    _require(scope, write)
    return post


def visible_holders(scope):
    """Persons the scope sees in the political system: its members and candidates, the holders of
    its posts, its communes' staff (coso/staffing) and its courses' trainees (coso/training) —
    party members or not: the pickers of posts, employment and enrolment offer them all."""
    from coso.staffing.models import Employment
    from coso.training.models import Enrolment

    if scope.is_global:
        return Person.objects.all()
    return Person.objects.filter(Q(pk__in=visible_persons(scope).values("pk"))
                                 | Q(pk__in=Post.objects.visible_to(scope).values("person_id"))
                                 | Q(pk__in=Employment.objects.visible_to(scope).values("person_id"))
                                 | Q(pk__in=Enrolment.objects.filter(scope.organization_q("course__organizer")).values("person_id")))


def get_holder_for_user(request, pk, *, write: bool | str = False) -> Person:
    """A person the scope sees (a member, a candidate, a holder of a post, staff or a trainee)."""
    scope = scope_for(request)
    _require(scope, write)
    person = visible_holders(scope).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person
