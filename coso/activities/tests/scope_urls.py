"""Scope-leak registry of the meeting pages (see coso/access/tests/scope_urls.py).

Huyện B's cell holds meetings in three months where a member with a name no page of huyện A may
show is absent without reason (so huyện B's removal list names them), with a task given to them.
"""

import datetime as dt

from coso.activities import services
from coso.activities.models import Mark

from .factories import member

SIBLING_NAMES = ["Trịnh Văn Vắng Mặt", "Nhiệm vụ bí mật của B"]
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
    world.update({"act_meeting": meetings[-1], "act_task": task, "act_member": absent})


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
}

LIST_URLS = {
    "activities:home": lambda w: [{}, {"ngay": "31/03/2024"}],
    "activities:missed": lambda w: [{"nam": "2024"}, {"to_chuc": w["tree"].district_b.pk, "nam": "2024"},
                                    {"to_chuc": w["tree"].province.pk, "nam": "2024"}],
    "activities:removal": lambda w: [{"nam": "2024"}, {"to_chuc": w["tree"].district_b.pk, "nam": "2024"},
                                     {"to_chuc": w["tree"].province.pk, "nam": "2024", "ngay": "31/12/2024"}],
}

EXEMPT: set[str] = set()
