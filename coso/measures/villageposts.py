"""The posts of each village on a date, as flags the villages family counts (coverage, §A.3):

- with_head: the village has a head (trưởng thôn, tổ trưởng tổ dân phố);
- head_member: its head is a party member on the date;
- cell_secretary_head: the secretary of its cell is also its head (Nghị định 33/2023 Điều 33.6);
- cell_committee: its cell has a cell committee (a deputy secretary or a chi ủy viên besides the
  secretary).

One query over the posts in force on the date of the villages' bodies.
"""

from collections import defaultdict

from django.db.models import FilteredRelation

from coso.grassroots.models import Post
from coso.lib.dated import in_force_q

VILLAGE_POST_FLAGS = ("with_head", "head_member", "cell_secretary_head", "cell_committee")
_TITLES = {("village", "village_head"), ("cell", "cell_secretary"), ("cell", "cell_deputy"), ("cell", "cell_committee_member")}


def village_posts(on, village_ids) -> dict[int, frozenset]:
    if not village_ids:
        return {}
    rows = (Post.objects.on(on).filter(body__village_id__in=list(village_ids), body__kind__in=["village", "cell"],
                                       title__in=[t for _k, t in _TITLES])
            # the holder's membership period on the date as a join (see measures.grassroots.Posts)
            .annotate(active_period=FilteredRelation("person__membership__periods", condition=in_force_q(on, "person__membership__periods__")))
            .values_list("body__village_id", "body__kind", "title", "person_id", "active_period__id"))
    heads, secretaries, flags = defaultdict(set), defaultdict(set), defaultdict(set)
    for village_id, kind, title, person_id, is_member in rows:
        if (kind, title) not in _TITLES:
            continue
        if title == "village_head":
            heads[village_id].add(person_id)
            flags[village_id].add("with_head")
            if is_member:
                flags[village_id].add("head_member")
        elif title == "cell_secretary":
            secretaries[village_id].add(person_id)
        else:
            flags[village_id].add("cell_committee")
    for village_id, persons in secretaries.items():
        if persons & heads.get(village_id, set()):
            flags[village_id].add("cell_secretary_head")
    return {v: frozenset(f) for v, f in flags.items()}
