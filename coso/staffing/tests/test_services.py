import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from coso.audit.models import AuditEvent
from coso.people.services import create_person
from coso.staffing import selectors, services
from coso.staffing.models import Employment, Quota
from coso.staffing.reference import BodyKind, Category, Ending, ExitForm

pytestmark = pytest.mark.django_db
D = dt.date


def person(actor, name="Nguyễn Văn Cán"):
    return create_person(actor=actor, full_name=name, gender="M", birth_date=D(1980, 1, 1))


JANUARY = D(2024, 1, 1)


def employ(actor, commune, p, category=Category.COMMUNE_CIVIL_SERVANT, position="Công chức Văn phòng – thống kê", on=JANUARY, **kw):
    return services.start_employment(actor=actor, person=p, commune=commune, body_kind=BodyKind.COMMITTEE, category=category,
                                     position=position, valid_from=on, **kw)


def state():
    return (list(Employment.objects.order_by("pk").values()), list(Quota.objects.order_by("pk").values()), AuditEvent.objects.count())


def test_headcount_against_quota_on_any_date(tree, people, communes):
    a, _b = communes
    services.set_quota(actor=people.staff_a, commune=a, category=Category.COMMUNE_CIVIL_SERVANT, number=6, valid_from=D(2023, 8, 1))
    services.set_quota(actor=people.staff_a, commune=a, category=Category.COMMUNE_CIVIL_SERVANT, number=5, valid_from=D(2024, 6, 1))
    first = employ(people.staff_a, a, person(people.staff_a, "Một"))
    employ(people.staff_a, a, person(people.staff_a, "Hai"), on=D(2024, 3, 1))
    services.end_employment(actor=people.staff_a, employment=first, valid_to=D(2024, 9, 1), ending=Ending.RETIREMENT)
    employments, quotas = Employment.objects.all(), Quota.objects.all()

    def row(on):
        return next(r for r in selectors.against_quota(employments, quotas, on).rows if r.category == Category.COMMUNE_CIVIL_SERVANT)

    assert (row(D(2024, 2, 1)).headcount, row(D(2024, 2, 1)).quota) == (1, 6)
    assert (row(D(2024, 7, 1)).headcount, row(D(2024, 7, 1)).quota, row(D(2024, 7, 1)).against_quota) == (2, 5, -3)
    assert row(D(2024, 9, 1)).headcount == 1


def test_before_after_counts_streamlining_exits_with_their_decree(tree, people, communes):
    a, _b = communes
    staff = [employ(people.staff_a, a, person(people.staff_a, f"Người {i}"), position=f"Công chức {i}") for i in range(5)]
    services.end_employment(actor=people.staff_a, employment=staff[0], valid_to=D(2025, 5, 1), ending=Ending.STREAMLINING,
                            basis="178/2024+67/2025", exit_form=ExitForm.EARLY_RETIREMENT)
    services.end_employment(actor=people.staff_a, employment=staff[1], valid_to=D(2025, 7, 1), ending=Ending.STREAMLINING,
                            basis="154/2025", exit_form=ExitForm.RESIGNATION)
    services.end_employment(actor=people.staff_a, employment=staff[2], valid_to=D(2025, 7, 1), ending=Ending.TRANSFER)
    [r] = selectors.before_after(Employment.objects.all(), D(2025, 1, 1), D(2025, 7, 1))
    assert (r.before, r.after, r.change, r.exits, r.streamlined) == (5, 2, -3, 3, 2)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"ending": Ending.STREAMLINING}, "basis"),
    ({"ending": Ending.STREAMLINING, "basis": "29/2023", "exit_form": ExitForm.RESIGNATION}, "basis"),  # replaced from 16/06/2025
    ({"ending": Ending.STREAMLINING, "basis": "154/2025"}, "exit_form"),
    ({"ending": "bogus"}, "ending"),
    ({"ending": Ending.RETIREMENT, "valid_to": D(2023, 1, 1)}, "valid_to"),
])
def test_an_exit_against_the_rules_is_refused_naming_the_field_and_writes_nothing(tree, people, communes, kwargs, field):
    e = employ(people.staff_a, communes[0], person(people.staff_a))
    before = state()
    with pytest.raises(ValidationError) as error:
        services.end_employment(actor=people.staff_a, employment=e, **({"valid_to": D(2025, 8, 1)} | kwargs))
    assert field in error.value.message_dict
    assert state() == before


def test_a_category_is_refused_on_a_day_it_is_not_in_force(tree, people, communes):
    p = person(people.staff_a)
    with pytest.raises(ValidationError) as error:
        employ(people.staff_a, communes[0], p, category=Category.COMMUNE_PART_TIME, on=D(2025, 8, 1))
    assert "01/08/2025" in error.value.message_dict["category"][0] or "category" in error.value.message_dict
    with pytest.raises(ValidationError):
        employ(people.staff_a, communes[0], p, category=Category.CIVIL_SERVANT, on=D(2025, 6, 30))
    employ(people.staff_a, communes[0], p, category=Category.CIVIL_SERVANT, on=D(2025, 7, 1))


def test_the_same_position_twice_at_once_is_refused_but_concurrent_posts_are_not(tree, people, communes):
    p = person(people.staff_a)
    employ(people.staff_a, communes[0], p, position="Chủ tịch UBND", category=Category.COMMUNE_CADRE)
    employ(people.staff_a, communes[0], p, position="Chủ tịch HĐND", category=Category.COMMUNE_CADRE)
    with pytest.raises(ValidationError) as error:
        employ(people.staff_a, communes[0], p, position="chủ tịch ubnd", category=Category.COMMUNE_CADRE, on=D(2024, 5, 1))
    assert "position" in error.value.message_dict
    # counted once in the headcount however many positions
    assert selectors.headcount(Employment.objects.all(), D(2024, 6, 1)) == {(communes[0].pk, Category.COMMUNE_CADRE): 1}


def test_a_new_person_is_created_with_the_record_or_nothing_is(tree, people, communes):
    e = services.start_employment(actor=people.staff_a, commune=communes[0], body_kind=BodyKind.VILLAGE, category=Category.VILLAGE_PART_TIME,
                                  position="Trưởng thôn", valid_from=D(2024, 1, 1), new_person={"full_name": "Lò Văn Thôn", "gender": "M"})
    assert e.person.full_name == "Lò Văn Thôn"
    before = state()
    with pytest.raises(ValidationError):
        services.start_employment(actor=people.staff_a, commune=communes[0], body_kind="nope", category=Category.VILLAGE_PART_TIME,
                                  position="Trưởng thôn", valid_from=D(2024, 1, 1), new_person={"full_name": "Lò Văn Khác", "gender": "M"})
    assert state() == before
    from coso.people.models import Person
    assert not Person.objects.filter(full_name="Lò Văn Khác").exists()


def test_quotas_are_dated_a_new_one_closes_the_last_and_a_back_dated_one_is_refused(tree, people, communes):
    a = communes[0]
    q1 = services.set_quota(actor=people.staff_a, commune=a, category=Category.COMMUNE_CIVIL_SERVANT, number=6, valid_from=D(2023, 8, 1))
    services.set_quota(actor=people.staff_a, commune=a, category=Category.COMMUNE_CIVIL_SERVANT, number=7, valid_from=D(2024, 1, 1))
    q1.refresh_from_db()
    assert q1.valid_to == D(2024, 1, 1)
    with pytest.raises(ValidationError) as error:
        services.set_quota(actor=people.staff_a, commune=a, category=Category.COMMUNE_CIVIL_SERVANT, number=8, valid_from=D(2023, 12, 1))
    assert "valid_from" in error.value.message_dict
    # the same day corrects it
    services.set_quota(actor=people.staff_a, commune=a, category=Category.COMMUNE_CIVIL_SERVANT, number=9, valid_from=D(2024, 1, 1))
    assert list(Quota.objects.on(D(2024, 2, 1)).values_list("number", flat=True)) == [9]


def test_the_end_of_commune_part_time_posts_is_data(tree, people, communes):
    a = communes[0]
    records = [employ(people.staff_a, a, person(people.staff_a, f"KCT {i}"), category=Category.COMMUNE_PART_TIME, position=f"Phó chỉ huy {i}")
               for i in range(4)]
    result = services.end_commune_part_time(actor=people.staff_a, commune=a, retained=[records[0].pk])
    assert result == {"ended": 3, "retained": 1}
    qs = Employment.objects.all()
    assert selectors.headcount(qs, D(2025, 7, 31)) == {(a.pk, Category.COMMUNE_PART_TIME): 4}
    assert selectors.headcount(qs, D(2025, 8, 1)) == {(a.pk, Category.PART_TIME_RETAINED): 1}
    assert selectors.headcount(qs, D(2026, 6, 1)) == {}
    # no streamlining counted: the posts were abolished, not streamlined
    assert not selectors.exits(qs, D(2025, 1, 1), D(2026, 12, 31), streamlining=True).exists()
    assert AuditEvent.objects.filter(event_type="staffing.part_time.ended").count() == 4


def test_positions_with_a_title_feed_trainings_lists(tree, people, communes):
    from coso.access.scope import scope_of
    from coso.training import selectors as training

    p = create_person(actor=people.staff_a, full_name="Lê Văn Chủ Tịch", gender="M", theory_level="so_cap")
    employ(people.staff_a, communes[0], p, position="Chủ tịch UBND xã", category=Category.COMMUNE_CADRE, title="chu_tich_ubnd")
    gaps = training.lacking_level(scope_of(people.staff_a), D(2024, 6, 1))
    assert [(g.person.full_name, g.required) for g in gaps] == [("Lê Văn Chủ Tịch", "trung_cap")]
    assert training.lacking_level(scope_of(people.staff_b), D(2024, 6, 1)) == []
