"""Appointing, ending and replacing posts: the rules a user relies on, refusals that write nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from coso.audit.models import AuditEvent
from coso.grassroots import config, services
from coso.grassroots.models import Body, Post

from .conftest import ON, member, person

D = dt.date
pytestmark = pytest.mark.django_db


def _events():
    # the persons a test makes for the call are not part of the change
    return AuditEvent.objects.exclude(event_type="people.person.created").count()


def _refused(call, field):
    posts, events = Post.objects.count(), _events()
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    assert (Post.objects.count(), _events()) == (posts, events)
    return caught.value.message_dict[field][0]


def test_it_creates_the_old_models_bodies_for_a_commune_and_its_villages(tree, place):
    kinds = {k for k, _v in place.bodies}
    assert {"party_committee", "hdnd", "ubnd", "fatherland_front", "women", "village", "village_front_board"} <= kinds
    assert "party_building_board" not in kinds  # the 2025 model's board
    assert place.body("party_committee").organization_id == tree.commune_a1.pk
    assert place.body("standing_committee").parent == place.body("party_committee")
    assert {b.name for b in Body.objects.filter(kind="hdnd_board")} == {"Ban Kinh tế - Xã hội", "Ban Pháp chế"}


def test_it_is_idempotent_and_creates_the_2025_model_on_its_date(tree, place):
    assert services.create_standard_bodies(actor=None, unit=place.commune, on=ON, villages=[place.village1]) == []
    new_commune = place.commune  # a legacy unit ends on 01/07/2025: the 2025 model needs a unit of that date
    assert not new_commune.in_force_on(config.TWO_TIER)
    with pytest.raises(ValidationError):
        services.create_body(actor=None, kind="party_building_board", unit=new_commune, valid_from=ON)


def test_it_appoints_and_audits(tree, place):
    chair = person("Nguyễn Văn Chủ")
    post = services.appoint(actor=None, body=place.body("ubnd"), title="chair", person=chair, valid_from=ON,
                            obtained="elected", decision_number="12/NQ-HĐND")
    assert post.in_force_on(ON) and not post.in_force_on(ON - dt.timedelta(days=1))
    assert AuditEvent.objects.filter(event_type="grassroots.post.appointed", target_id=str(post.pk)).exists()


def test_it_refuses_a_second_chair_at_once_naming_the_holder(tree, place):
    ubnd = place.body("ubnd")
    services.appoint(actor=None, body=ubnd, title="chair", person=person("Nguyễn Văn Chủ"), valid_from=ON)
    message = _refused(lambda: services.appoint(actor=None, body=ubnd, title="chair", person=person("Lê Thị Hai"),
                                                valid_from=D(2024, 6, 1)), "valid_from")
    assert "Nguyễn Văn Chủ" in message and "1 người" in message


def test_it_refuses_a_chair_ending_into_the_next_ones_term(tree, place):
    ubnd = place.body("ubnd")
    services.appoint(actor=None, body=ubnd, title="chair", person=person("Sau Này"), valid_from=D(2024, 6, 1))
    # begins before, but would still hold on 01/06/2024
    _refused(lambda: services.appoint(actor=None, body=ubnd, title="chair", person=person("Trước Đó"), valid_from=ON,
                                      valid_to=D(2024, 6, 2)), "valid_from")
    # ending the day the next one begins is fine: valid_to is the first day no longer held
    services.appoint(actor=None, body=ubnd, title="chair", person=person("Trước Đó"), valid_from=ON, valid_to=D(2024, 6, 1))


def test_it_allows_two_deputy_secretaries_under_chi_thi_45_and_refuses_a_third(tree, place):
    committee = place.body("party_committee")
    day = D(2025, 5, 1)  # Chỉ thị 45-CT/TW from 14/04/2025
    services.appoint(actor=None, body=committee, title="deputy_secretary", person=person("Phó Một"), valid_from=day)
    services.appoint(actor=None, body=committee, title="deputy_secretary", person=person("Phó Hai"), valid_from=day)
    _refused(lambda: services.appoint(actor=None, body=committee, title="deputy_secretary", person=person("Phó Ba"),
                                      valid_from=day), "valid_from")


def test_before_chi_thi_45_deputy_secretaries_are_not_limited(tree, place):
    committee = place.body("party_committee")
    for name in ("Phó Một", "Phó Hai", "Phó Ba"):
        services.appoint(actor=None, body=committee, title="deputy_secretary", person=person(name), valid_from=ON,
                         valid_to=D(2025, 4, 14) if name == "Phó Ba" else None)
    # a fourth still holding on 14/04/2025 would make three at once under the limit of two
    message = _refused(lambda: services.appoint(actor=None, body=committee, title="deputy_secretary", person=person("Phó Bốn"),
                                                valid_from=D(2025, 1, 1)), "valid_from")
    assert "14/04/2025" in message and "2 người" in message


def test_it_offers_old_titles_only_while_they_existed(tree, place):
    village = place.body("village", place.village1)
    services.appoint(actor=None, body=village, title="police_assistant", person=person("Công An Viên"),
                     valid_from=ON, valid_to=D(2024, 7, 1))
    message = _refused(lambda: services.appoint(actor=None, body=village, title="police_assistant", person=person("Muộn"),
                                                valid_from=D(2024, 8, 1)), "title")
    assert "01/07/2024" in message
    assert "police_assistant" not in {t.code for t in config.titles_of("village", D(2024, 8, 1))}
    assert "police_assistant" in {t.code for t in config.titles_of("village", D(2024, 6, 1))}


def test_it_refuses_a_post_in_a_body_not_in_force_on_the_date(tree, place):
    _refused(lambda: services.appoint(actor=None, body=place.body("ubnd"), title="chair", person=person("Sớm"),
                                      valid_from=D(2023, 1, 1)), "valid_from")


def test_it_refuses_an_end_before_the_start(tree, place):
    message = _refused(lambda: services.appoint(actor=None, body=place.body("ubnd"), title="vice_chair", person=person("Ngược"),
                                                valid_from=D(2024, 5, 1), valid_to=D(2024, 4, 1)), "valid_to")
    assert "sau ngày bắt đầu" in message
    post = services.appoint(actor=None, body=place.body("ubnd"), title="vice_chair", person=person("Xuôi"), valid_from=D(2024, 5, 1))
    _refused(lambda: services.end_post(actor=None, post=post, valid_to=D(2024, 5, 1)), "valid_to")


def test_it_refuses_a_title_of_another_kind_of_body(tree, place):
    _refused(lambda: services.appoint(actor=None, body=place.body("ubnd"), title="village_head", person=person("Lạc"),
                                      valid_from=ON), "title")


def test_it_ends_a_post(tree, place):
    post = services.appoint(actor=None, body=place.body("women"), title="chair", person=person("Bà Hội", "F"), valid_from=ON)
    services.end_post(actor=None, post=post, valid_to=D(2024, 9, 1), reason="Nghỉ hưu")
    post.refresh_from_db()
    assert post.valid_to == D(2024, 9, 1) and post.end_reason == "Nghỉ hưu"
    _refused(lambda: services.end_post(actor=None, post=post, valid_to=D(2024, 10, 1)), "valid_to")


def test_it_replaces_both_or_neither(tree, place):
    ubnd = place.body("ubnd")
    old = services.appoint(actor=None, body=ubnd, title="chair", person=person("Cũ"), valid_from=ON)
    new = services.replace(actor=None, post=old, on=D(2024, 9, 1), new_person={"full_name": "Mới Đến", "gender": "F"})
    old.refresh_from_db()
    assert old.valid_to == D(2024, 9, 1) and new.valid_from == D(2024, 9, 1) and new.person.full_name == "Mới Đến"
    # a successor refused (the same person) leaves the holder in post
    _refused(lambda: services.replace(actor=None, post=new, on=D(2024, 10, 1), person=new.person), "person")
    new.refresh_from_db()
    assert new.open and new.valid_to == D(2025, 7, 1)  # held until the legacy commune ends


def test_it_creates_a_new_person_with_the_post_or_neither(tree, place):
    from coso.people.models import Person

    before = Person.objects.count()
    services.appoint(actor=None, body=place.body("village", place.village1), title="village_head", valid_from=ON,
                     new_person={"full_name": "Trưởng Thôn Mới", "gender": "M"})
    assert Person.objects.count() == before + 1
    _refused(lambda: services.appoint(actor=None, body=place.body("village", place.village1), title="village_head",
                                      valid_from=ON, new_person={"full_name": "Người Thứ Hai", "gender": "M"}), "valid_from")
    assert Person.objects.count() == before + 1


def test_one_person_may_hold_several_posts_at_once(tree, place):
    secretary = member(tree, "Bí Thư Kiêm")
    services.appoint(actor=None, body=place.body("party_committee"), title="secretary", person=secretary, valid_from=ON)
    services.appoint(actor=None, body=place.body("hdnd"), title="chair", person=secretary, valid_from=ON)
    assert Post.objects.on(ON).filter(person=secretary).count() == 2
    _refused(lambda: services.appoint(actor=None, body=place.body("hdnd"), title="chair", person=secretary,
                                      valid_from=D(2024, 5, 1)), "person")


def test_closing_a_body_ends_its_posts(tree, place):
    front = place.body("village_front_board", place.village2)
    post = services.appoint(actor=None, body=front, title="board_head", person=person("Trưởng Ban"), valid_from=ON)
    services.close_body(actor=None, body=front, valid_to=D(2024, 12, 1))
    post.refresh_from_db()
    assert post.valid_to == D(2024, 12, 1)
    _refused(lambda: services.appoint(actor=None, body=front, title="board_head", person=person("Sau"), valid_from=D(2025, 1, 1)),
             "valid_from")
