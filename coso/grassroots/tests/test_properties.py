"""Whatever is appointed, ended or replaced, and in whatever order: no two people hold a
single-holder title (nor three the two deputy secretaries' title) on any date, a refused change
writes nothing, and a person is counted once however many posts they hold.

Each example runs in a savepoint rolled back at its end, on one tree and one commune.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.grassroots import config, services
from coso.grassroots.models import Post
from coso.measures import engine

from .conftest import ON, person

pytestmark = pytest.mark.django_db
D = dt.date
DAYS = 900  # ON + 900 days crosses 14/04/2025, where the deputies' limit begins

SEATS = [("ubnd", "chair"), ("party_committee", "deputy_secretary"), ("hdnd", "chair"), ("ubnd", "vice_chair")]
step = st.tuples(
    st.sampled_from(["appoint", "end", "replace"]),
    st.sampled_from(range(len(SEATS))),
    st.integers(0, 3),  # which of a few people
    st.integers(0, DAYS),  # start (days after ON)
    st.one_of(st.none(), st.integers(-5, DAYS)),  # length (a negative one must be refused)
    st.integers(0, 20),  # which post to end or replace
)


def snapshot():
    return list(Post.objects.order_by("id").values_list("id", "person_id", "title", "valid_from", "valid_to")), AuditEvent.objects.count()


def holders_ok() -> bool:
    """The limit in force holds on every day a holding begins (the count only grows on those days)."""
    posts = list(Post.objects.select_related("body"))
    for p in posts:
        same = [o for o in posts if o.body_id == p.body_id and o.title == p.title]
        day = p.valid_from
        holding = [o for o in same if o.in_force_on(day)]
        limit = config.limit_on(p.body.kind, p.title, day)
        if limit is not None and len(holding) > limit.holders:
            return False
        for change in config.limit_changes(p.body.kind, p.title):
            holding = [o for o in same if o.in_force_on(change)]
            limit = config.limit_on(p.body.kind, p.title, change)
            if limit is not None and len(holding) > limit.holders:
                return False
    return True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_no_two_holders_of_a_single_holder_title_and_refusals_write_nothing(tree, place, steps):
    with transaction.atomic():
        people = [person(f"Người Số {i}") for i in range(4)]
        for action, seat, who, start, length, which in steps:
            kind, title = SEATS[seat]
            body = place.body(kind)
            begin = ON + dt.timedelta(days=start)
            end = None if length is None else begin + dt.timedelta(days=length)
            before = snapshot()
            try:
                if action == "appoint":
                    services.appoint(actor=None, body=body, title=title, person=people[who], valid_from=begin, valid_to=end)
                else:
                    posts = list(Post.objects.order_by("id"))
                    if not posts:
                        continue
                    post = posts[which % len(posts)]
                    if action == "end":
                        services.end_post(actor=None, post=post, valid_to=end or begin)
                    else:
                        services.replace(actor=None, post=post, on=begin, person=people[who])
            except ValidationError:
                assert snapshot() == before
            assert holders_ok()
        # a person is counted once however many posts they hold
        day = ON + dt.timedelta(days=DAYS // 2)
        held = Post.objects.on(day).filter(body__unit=place.commune)
        assert engine.count("posts.holders", tree.commune_a1, on=day) == held.values("person_id").distinct().count()
        assert engine.count("posts", tree.commune_a1, on=day) == held.count()
        transaction.set_rollback(True)
