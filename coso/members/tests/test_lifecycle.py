"""The lifecycle rules, on plain events (no database)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from coso.members.lifecycle import LifecycleError, add_months, replay
from coso.members.models import EventType, Status, TransferKind

D = dt.date


def ev(type, day, **kw):
    base = dict(organization_id=None, target_id=None, destination="", transfer_kind="", status="", discipline_form="",
                badge_years=None, card_number="", admitted_on=None, recognized_on=None, decision_date=None, note="")
    return SimpleNamespace(type=type, effective_date=day, **{**base, **kw})


ADMIT = ev(EventType.ADMITTED, D(2020, 3, 15), organization_id=1, decision_date=D(2020, 3, 1))


def test_it_recognizes_at_the_end_of_twelve_months_of_probation():
    result = replay([ADMIT, ev(EventType.RECOGNIZED, D(2021, 3, 15))])
    assert result.state.status == Status.OFFICIAL
    assert [(p.status, p.valid_from, p.valid_to) for p in result.periods] == [
        (Status.PROBATIONARY, D(2020, 3, 15), D(2021, 3, 15)),
        (Status.OFFICIAL, D(2021, 3, 15), None),
    ]


def test_it_refuses_recognition_on_another_date_or_of_a_member_never_admitted():
    with pytest.raises(LifecycleError, match="đủ 12 tháng dự bị: 15/03/2021"):
        replay([ADMIT, ev(EventType.RECOGNIZED, D(2021, 4, 1))])
    with pytest.raises(LifecycleError, match="Chỉ công nhận chính thức đảng viên dự bị"):
        replay([ev(EventType.RECOGNIZED, D(2021, 4, 1))])


def test_it_refuses_an_event_dated_before_the_previous_one():
    with pytest.raises(LifecycleError, match="trước sự kiện gần nhất"):
        replay([ADMIT, ev(EventType.EXEMPTED, D(2019, 1, 1))])


def test_it_keeps_a_member_in_the_sending_cell_until_the_receiving_cell_records_receipt():
    out = ev(EventType.TRANSFER_OUT, D(2022, 1, 10), target_id=2, transfer_kind=TransferKind.OFFICIAL)
    received = ev(EventType.TRANSFER_RECEIVED, D(2022, 2, 1), organization_id=2)
    result = replay([ADMIT, ev(EventType.RECOGNIZED, D(2021, 3, 15)), out, received])
    assert [(p.organization_id, p.in_transit, p.valid_from) for p in result.periods][-2:] == [
        (1, True, D(2022, 1, 10)), (2, False, D(2022, 2, 1)),
    ]
    assert result.state.organization_id == 2


def test_it_refuses_to_transfer_a_removed_member_or_receive_without_a_letter():
    removed = ev(EventType.REMOVED, D(2021, 1, 1))
    with pytest.raises(LifecycleError, match="không còn sinh hoạt đảng"):
        replay([ADMIT, removed, ev(EventType.TRANSFER_OUT, D(2021, 2, 1), target_id=2)])
    with pytest.raises(LifecycleError, match="không có giấy giới thiệu"):
        replay([ADMIT, ev(EventType.TRANSFER_RECEIVED, D(2021, 2, 1), organization_id=2)])


def test_a_temporary_member_stays_in_the_home_cells_headcount():
    out = ev(EventType.TRANSFER_OUT, D(2022, 1, 10), target_id=2, transfer_kind=TransferKind.TEMPORARY)
    received = ev(EventType.TRANSFER_RECEIVED, D(2022, 1, 20), organization_id=2)
    back = ev(EventType.TEMPORARY_RETURNED, D(2022, 9, 1))
    result = replay([ADMIT, out, received, back])
    assert all(p.organization_id == 1 for p in result.periods)
    assert [p.host_id for p in result.periods] == [None, None, 2, None]


def test_it_readmits_once_after_thirty_six_months_and_counts_party_age_without_the_gap():
    left = ev(EventType.REMOVED, D(2021, 3, 15))
    with pytest.raises(LifecycleError, match="Chưa đủ 36 tháng"):
        replay([ADMIT, left, ev(EventType.READMITTED, D(2023, 3, 15), organization_id=1)])
    result = replay([ADMIT, left, ev(EventType.READMITTED, D(2024, 3, 15), organization_id=1)])
    assert result.state.status == Status.PROBATIONARY
    # decision 01/03/2020 -> 15/03/2025: 60 months, minus 36 months out of the Party
    assert result.state.party_months(D(2025, 3, 15)) == 60 - 36 + 0
    with pytest.raises(LifecycleError, match="một lần"):
        replay([ADMIT, left, ev(EventType.READMITTED, D(2024, 3, 15), organization_id=1), ev(EventType.LEFT, D(2024, 5, 1)),
                ev(EventType.READMITTED, D(2028, 5, 1), organization_id=1)])


def test_badges_come_at_the_milestones_and_early_only_with_a_reason():
    admitted = ev(EventType.ADMITTED, D(1990, 5, 1), organization_id=1, decision_date=D(1990, 5, 1))
    recognized = ev(EventType.RECOGNIZED, D(1991, 5, 1))
    assert replay([admitted, recognized, ev(EventType.BADGE_AWARDED, D(2020, 5, 1), badge_years=30)]).state.badges == {30}
    with pytest.raises(LifecycleError, match="Chưa đủ 30 năm"):
        replay([admitted, recognized, ev(EventType.BADGE_AWARDED, D(2019, 9, 2), badge_years=30)])
    early = ev(EventType.BADGE_AWARDED, D(2019, 9, 2), badge_years=30, note="Bệnh nặng")
    assert 30 in replay([admitted, recognized, early]).state.badges
    with pytest.raises(LifecycleError, match="các mốc"):
        replay([admitted, recognized, ev(EventType.BADGE_AWARDED, D(2025, 5, 1), badge_years=35)])


def test_cards_go_to_official_members_only():
    with pytest.raises(LifecycleError, match="chính thức"):
        replay([ADMIT, ev(EventType.CARD_ISSUED, D(2020, 6, 1), card_number="123")])


def test_add_months_keeps_the_end_of_short_months():
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
