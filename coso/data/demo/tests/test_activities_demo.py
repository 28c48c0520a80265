"""The demo's year of cell work: the README's first account (ducphu.bithu) lands on a secretary's
page full of its cell's meetings, with a member on the removal list and the month's dues."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coso.access.models import User
from coso.access.scope import scope_of
from coso.activities import selectors
from coso.activities.models import Commendation, DuesPayment, Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_secretary_of_the_demo_lands_on_a_year_of_meetings(demo, client):
    user = User.objects.get(username="ducphu.bithu")
    today = timezone.localdate()
    assert Meeting.objects.filter(organization_id=user.scope_id).count() >= 10
    assert DuesPayment.objects.filter(organization_id=user.scope_id).exists()
    cases = selectors.removal_list(scope_of(user), user.scope_id, today.year, today)
    assert len(cases) >= 1 or today.month <= 2  # the three months fall in the previous year in January, February
    client.force_login(user)
    home = client.get(reverse("activities:home"))
    assert home["Location"] == reverse("activities:cell", args=[user.scope_id])
    page = client.get(home["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="attendance-row"' in body and "Đảng phí tháng" in body
    # the year's commendations of Đức Phú: the commune's giấy khen and the cells' praise, on the list
    awards = Commendation.objects.filter(organization_id=user.scope_id)
    assert awards.filter(form="praise").exists()
    listing = client.get(reverse("activities:commendations"), {"to_chuc": user.scope_id, "nam": awards.first().decided_on.year})
    assert listing.status_code == 200 and awards.first().decision_number in listing.content.decode()
    tamson = User.objects.get(username="tamson.bithu")
    client.force_login(tamson)
    assert client.get(reverse("activities:home"), follow=True).status_code == 200
