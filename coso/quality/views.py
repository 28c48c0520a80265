"""The data-quality page of an organization: its open problems and its completeness on a date."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from coso.access.scope import scope_for
from coso.lib.dates import fmt
from coso.organizations import selectors as organizations
from coso.organizations.permissions import get_organization_for_user
from coso.organizations.workday import working_day

from . import checks, selectors

SENSITIVE = "people.sensitive"


def _member_url():
    """The member page's URL for a member id, or None while the members pages do not exist."""
    try:
        reverse("members:detail", args=[1])
    except NoReverseMatch:
        return None
    return lambda pk: reverse("members:detail", args=[pk])


@require_GET
def organization(request, pk):
    organization = get_organization_for_user(request, pk)
    scope = scope_for(request)
    scope.require("quality.view")
    day = working_day(request, organization_id=organization.pk)  # a closed organization: its last day
    on = day.on
    placement = organizations.display_placement(organization.pk, on)
    run = selectors.run_for(placement, on, scope)
    check = checks.get(request.GET.get("van_de"))
    overview = selectors.overview(run)
    paginator = Paginator(selectors.with_problems(run, check), selectors.PAGE_SIZE)
    paginator.count = overview.count(check)  # counted by the aggregate already: no second pass
    page = paginator.get_page(request.GET.get("trang"))
    rows = selectors.explain_rows(page.object_list, run, check)
    member_url = _member_url()
    sensitive = scope.can(SENSITIVE)
    for row in rows:
        row.url = member_url(row.member.pk) if member_url else ""
        row.texts = [(checks.REGISTRY[p.code], p.text(sensitive)) for p in row.problems]
    return render(request, "quality/organization.html", {
        "organization": organization,
        "placement": placement,
        "in_force": placement.in_force_on(on),
        "ancestors": organizations.ancestors(placement, on, scope),
        "workday": day,
        "on": on,
        "on_text": fmt(on),
        "overview": overview,
        "check": check,
        "checks": checks.CHECKS,
        "page": page,
        "rows": rows,
    })
