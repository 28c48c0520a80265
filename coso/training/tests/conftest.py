import datetime as dt

import pytest

from coso.members import services as members
from coso.people.services import create_person
from coso.training import holders
from coso.training.holders import Holder

D = dt.date


BORN = D(1980, 1, 1)


def make_member(actor, organization, name, gender="M", born=BORN, theory_level=""):
    person = create_person(actor=actor, full_name=name, gender=gender, birth_date=born, theory_level=theory_level)
    members.record_existing_member(actor=actor, person=person, organization=organization, on=D(2024, 1, 10),
                                   admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    return person


@pytest.fixture
def posts():
    """A stand-in for the apps that hold posts: tests put (person, title, where, organization) rows
    in it; the provider answers those whose organization the scope contains."""
    rows: list = []

    def provider(scope, on):
        for person, title, where, organization in rows:
            if scope is None or scope.contains(organization.pk):
                yield Holder(person.pk, title, where)

    holders.register("tests", provider)
    yield rows
    holders.PROVIDERS.pop("tests", None)
