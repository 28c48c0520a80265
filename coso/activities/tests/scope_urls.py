"""Scope-leak registry of the meeting pages (see coso/access/tests/scope_urls.py).

Huyện B's cell holds meetings in three months where a member with a name no page of huyện A may
show is absent without reason (so huyện B's removal list names them), with a task given to them.
"""

import datetime as dt

from coso.activities import scoring, services
from coso.activities.models import Mark, ScoreSheet

from .factories import member

SIBLING_NAMES = ["Trịnh Văn Vắng Mặt", "Nhiệm vụ bí mật của B", "Đinh Văn Phụ Trách B", "QĐ bí mật B", "Khen thưởng bí mật của B"]
D = dt.date


def extend_world(world, people):
    tree = world["tree"]
    absent = member(tree.cell_b1a, "Trịnh Văn Vắng Mặt")
    meetings = [services.record_meeting(actor=people.staff_b, organization=tree.cell_b1a, held_on=D(2024, month, 5)) for month in (1, 2, 3)]
    for meeting in meetings:
        services.mark_attendance(actor=people.staff_b, meeting=meeting, member_id=absent.pk, mark=Mark.UNEXCUSED)
    task = services.assign_task(actor=people.staff_b, meeting=meetings[0], description="Nhiệm vụ bí mật của B", member_id=absent.pk)
    services.set_dues_profile(actor=people.staff_b, member=absent, valid_from=D(2024, 1, 1), income_kind="other")
    services.record_dues(actor=people.staff_b, organization=tree.cell_b1a, member_id=absent.pk, month=D(2024, 1, 1), paid=True)
    # a point person of B's cell who attended the last meeting, which is scored on the province's sheet
    boss = member(tree.cell_b1a, "Đinh Văn Phụ Trách B")
    assignment = services.assign_point_person(actor=people.staff_b, member=boss, organization=tree.cell_b1a, role="in_charge",
                                              valid_from=D(2024, 1, 2), decision_number="QĐ bí mật B")
    meetings[-1] = services.change_meeting(actor=people.staff_b, meeting=meetings[-1], superior_attendee_id=boss.pk)
    if not ScoreSheet.objects.filter(owner=tree.province).exists():
        services.define_score_sheet(actor=None, owner=tree.province, valid_from=D(2024, 1, 1),
                                    **{k: scoring.DEFAULT_SHEET[k] for k in ("name", "criteria", "bands")})
    services.score_meeting(actor=people.staff_b, meeting=meetings[-1], rater="point_person",
                           points={c["key"]: c["points"] for c in scoring.DEFAULT_SHEET["criteria"]})
    services.record_commendation(actor=people.staff_b, organization=tree.cell_b1a, member=absent, form="praise",
                                 title="Khen thưởng bí mật của B", decision_number="QĐ khen B", decided_on=D(2024, 6, 1),
                                 awarded_by=tree.cell_b1a)
    world.update({"act_meeting": meetings[-1], "act_task": task, "act_member": absent, "act_point": assignment, "act_boss": boss})


def _meeting(w):
    return [{"pk": w["act_meeting"].pk}]


def _cell(w):
    return [{"pk": w["tree"].cell_b1a.pk}, {"pk": w["tree"].commune_b1.pk}]


OBJECT_URLS = {
    "activities:cell": _cell,
    "activities:create": _cell,
    "activities:meeting": _meeting,
    "activities:edit": _meeting,
    "activities:mark": _meeting,
    "activities:minutes_file": _meeting,
    "activities:add_task": _meeting,
    "activities:review_task": lambda w: [{"pk": w["act_task"].pk}],
    "activities:dues": _cell,
    "activities:dues_tap": _cell,
    "activities:dues_profile": lambda w: [{"pk": w["act_member"].pk}],
    "activities:point_person": lambda w: [{"pk": w["act_boss"].pk}],
    "activities:end_assignment": lambda w: [{"pk": w["act_point"].pk}],
    "activities:assign": _cell,
    "activities:scores": _cell,
    "activities:score": _meeting,
    "activities:commend": _cell,
    "activities:sheets": lambda w: [{"pk": w["tree"].commune_b1.pk}, {"pk": w["tree"].cell_b1a.pk}],
    "activities:define_sheet": lambda w: [{"pk": w["tree"].commune_b1.pk}],
}

LIST_URLS = {
    "activities:home": lambda w: [{}, {"ngay": "31/03/2024"}],
    "activities:missed": lambda w: [{"nam": "2024"}, {"to_chuc": w["tree"].district_b.pk, "nam": "2024"},
                                    {"to_chuc": w["tree"].province.pk, "nam": "2024"}],
    "activities:removal": lambda w: [{"nam": "2024"}, {"to_chuc": w["tree"].district_b.pk, "nam": "2024"},
                                     {"to_chuc": w["tree"].province.pk, "nam": "2024", "ngay": "31/12/2024"}],
    "activities:point_persons": lambda w: [{"nam": "2024", "quy": "1"}, {"to_chuc": w["tree"].district_b.pk, "nam": "2024", "quy": "1"},
                                           {"to_chuc": w["tree"].province.pk, "nam": "2024", "quy": "2", "ngay": "31/12/2024"}],
    "activities:commendations": lambda w: [{"nam": "2024"}, {"to_chuc": w["tree"].district_b.pk, "nam": "2024"},
                                           {"to_chuc": w["tree"].province.pk, "nam": "2024", "ngay": "31/12/2024"}],
}

EXEMPT: set[str] = set()
