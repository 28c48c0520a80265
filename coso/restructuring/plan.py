"""What a restructuring would do on its effective date, computed without writing anything.

`build(restructuring)` reads the deciding committee's subtree as it stands (the open placements),
applies the operations in order to an in-memory copy of it, and returns a Plan: the
organizations ended and started, every placement to close and open (moves carry their whole
subtree, as organizations.services.move_organization does), every member handed over with their
replayed events and periods (members.lifecycle, the one definition of what an event does), the
lineage, and every conflict. The preview page shows the plan; services.commit writes it, after
building it again inside its transaction. A few queries whatever the number of members: the
subtree, the members of the cells concerned, their events, the member counts, the open
evaluation periods.

Conflicts (Conflict.acceptable says whether the user may accept one and commit anyway):
- a member in transit (or hosted temporarily) concerning an organization that ends on the date:
  not acceptable, record the receipt or cancel the letter first (the hand-off would leave the
  letter pointing nowhere);
- a member in transit or hosted whose own cell only moves (the 2025 change re-parents every
  cell) and whose letter and host do not end: acceptable; the member then keeps the letter or
  the stay and has no hand-off event (their periods name the same cell before and after);
- a member whose later events do not fit after the hand-off (members.lifecycle refuses them): not
  acceptable;
- an evaluation period of an organization concerned open across the date: acceptable (the
  period stays with the organization that opened it, its ratings readable);
- a cell left with fewer than three official members (Điều lệ Điều 21: a cell has at least three
  official members; a smaller one is attached to a neighbour until it has them): acceptable;
- a kind not allowed under its new parent on the date (organizations/rules.py): not acceptable;
- whatever the checks registered in conflicts.py say (a post holder whose body ends).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from coso.evaluation.models import Period as EvaluationPeriod
from coso.lib.dates import fmt
from coso.members import lifecycle
from coso.members.models import EventType, MemberEvent, MemberPeriod, Status
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.models import Change, Kind, Placement, Sector
from coso.organizations.rules import placement_error

from . import conflicts as registry
from .models import LineageKind, OperationKind

ACCEPTABLE = frozenset({"evaluation_open", "small_cell", "in_transit_moved"})  # and those registered in conflicts.ACCEPTABLE
MIN_OFFICIAL = 3  # Điều lệ Đảng Điều 21: a cell has at least three official members

Ref = int | str  # an existing organization's id, or "n<operation id>" for one the decision establishes


def new_ref(operation_id: int) -> str:
    return f"n{operation_id}"


@dataclass
class Node:
    ref: Ref
    parent: Ref | None
    name: str
    kind: str
    sector: str
    area_id: int | None = None
    placement: Placement | None = None  # the open placement of an existing organization
    ended: str = ""  # a LineageKind when the decision ends it
    operation_id: int | None = None  # the establishing operation of a new one
    villages: set | None = None  # the villages it covers from the date, when they change (ids, or VillageMerge refs)

    @property
    def is_new(self) -> bool:
        return self.placement is None


@dataclass
class Conflict:
    code: str
    subject: str
    message: str
    acceptable: bool

    @property
    def key(self) -> str:
        return f"{self.code}:{self.subject}"


@dataclass
class Handoff:
    member_id: int
    name: str
    status: str
    source: int  # the cell the member was in the day before
    target: Ref  # the cell they are in from the date (the same one when only the tree above moved)
    events: list = field(default_factory=list)  # their events with the hand-off, in order
    result: lifecycle.Replay | None = None


@dataclass
class VillageMerge:
    """Villages of one commune merged into a new one on the date (places: the old ones closed,
    the new one created, their lineage); the organizations covering them cover the new one."""

    operation_id: int
    commune_id: int
    name: str
    kind: str
    olds: list  # [(id, full name)]

    @property
    def ref(self) -> str:
        return f"v{self.operation_id}"


@dataclass
class Plan:
    restructuring: object
    on: dt.date
    nodes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    handoffs: list = field(default_factory=list)
    lineage: list = field(default_factory=list)  # (predecessor id, successor ref, kind, share)
    village_merges: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # members in transit in a cell that only moves: no hand-off (in_transit_moved)
    root_path: str = ""
    root_paths: list = field(default_factory=list)  # the subtrees read: the deciding committee's, or a central decision's roots

    # ---- what the preview shows
    def name(self, ref) -> str:
        node = self.nodes.get(ref)
        return node.name if node else str(ref)

    @property
    def ended(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.ended and not n.is_new]

    @property
    def started(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_new]

    def paths(self, ids: dict | None = None) -> dict:
        """Each node's (path, depth) after the change; new organizations take their id from ids
        (the commit's), or a stand-in for the preview."""
        ids = ids or {}
        out: dict = {}

        def walk(ref, seen=()):
            if ref in out:
                return out[ref]
            node = self.nodes[ref]
            if ref in seen:
                raise ValueError(ref)
            own = ids.get(ref, ref)
            if node.parent is None or node.parent not in self.nodes:
                if node.placement is not None and node.parent == node.placement.parent_id:
                    out[ref] = (node.placement.path, node.placement.depth)
                    return out[ref]
                if node.placement is None and node.parent is None:  # a new root: a central decision's province committee
                    out[ref] = (f"/{own}/", 0)
                    return out[ref]
                raise ValueError(ref)  # the root never moves (refused before)
            parent_path, parent_depth = walk(node.parent, (*seen, ref))
            out[ref] = (f"{parent_path}{own}/", parent_depth + 1)
            return out[ref]

        for ref, node in self.nodes.items():
            if not node.ended:
                walk(ref)
        return out

    def changes(self) -> list[tuple[Node, str]]:
        """The existing organizations that get a new placement on the date, with the change."""
        paths = self.paths()
        out = []
        for node in self.nodes.values():
            p = node.placement
            if node.ended or p is None:
                continue
            if node.parent != p.parent_id:
                out.append((node, Change.MOVED))
            elif node.kind != p.kind or node.sector != p.sector:
                out.append((node, Change.EDITED))
            elif node.name != p.name:
                out.append((node, Change.RENAMED))
            elif paths[node.ref][0] != p.path:
                out.append((node, Change.ANCESTOR_MOVED))
            elif node.villages is not None:
                out.append((node, Change.EDITED))
        return out

    def moves(self) -> list[dict]:
        """Members handed over, grouped by (from, to), for the preview."""
        groups: dict = defaultdict(list)
        for h in self.handoffs:
            groups[(h.source, h.target)].append(h)
        return [
            {"source": self.name(s), "target": self.name(t), "same": s == t, "count": len(hs),
             "members": sorted(hs, key=lambda h: h.name)}
            for (s, t), hs in sorted(groups.items(), key=lambda kv: (self.name(kv[0][0]), self.name(kv[0][1])))
        ]

    def counts(self) -> list[dict]:
        """Members on the date without the change and with it, in every cell that hands members
        over or receives them (the preview; one query)."""
        out, into = defaultdict(int), defaultdict(int)
        for h in self.handoffs:
            if h.source != h.target:
                out[h.source] += 1
                into[h.target] += 1
        refs = set(out) | set(into)
        existing = [r for r in refs if isinstance(r, int)]
        before = dict(
            MemberPeriod.objects.on(self.on).filter(organization_id__in=existing).values("organization_id")
            .annotate(n=Count("member_id", distinct=True)).values_list("organization_id", "n")
        ) if existing else {}
        rows = [{"name": self.name(r), "before": before.get(r, 0), "after": before.get(r, 0) - out[r] + into[r],
                 "ended": bool(self.nodes.get(r) and self.nodes[r].ended), "new": isinstance(r, str)} for r in refs]
        return sorted(rows, key=lambda row: (row["after"] == 0, row["name"]))

    def blocking(self, accepted=()) -> list[Conflict]:
        accepted = set(accepted)
        return [c for c in self.conflicts if not (c.acceptable and c.key in accepted)]

    @property
    def can_commit(self) -> bool:
        return not self.errors and not self.blocking(self.restructuring.accepted)


def _ref(org_id, new_id) -> Ref | None:
    if org_id:
        return org_id
    if new_id:
        return new_ref(new_id)
    return None


class _Builder:
    def __init__(self, restructuring):
        self.r = restructuring
        self.on = restructuring.effective_date
        self.plan = Plan(restructuring=restructuring, on=self.on)
        self.ops = list(restructuring.operations.prefetch_related("allocations__village").order_by("sequence", "id"))
        self.members_at: dict[int, Ref] = {}  # member → cell, as the operations route them
        self.member_rows: dict[int, dict] = {}
        self.routes: dict = {}  # (op id) → {child ref or ("m", member id): receiver ref}

    def error(self, message: str) -> None:
        self.plan.errors.append(message)

    def conflict(self, code: str, subject, message: str) -> None:
        self.plan.conflicts.append(Conflict(code, str(subject), message, code in ACCEPTABLE or code in registry.ACCEPTABLE))

    # ------------------------------------------------------------------ reading
    def load_tree(self) -> bool:
        if self.r.organization_id is None:
            paths = self.central_paths()
            if not paths:
                self.error(_("Quyết định của Trung ương phải nêu ít nhất một đảng bộ tỉnh, thành phố đang hoạt động."))
                return False
        else:
            root = Placement.objects.current().filter(organization_id=self.r.organization_id).first()
            if root is None:
                self.error(_("Cấp ủy quyết định đã kết thúc hoạt động."))
                return False
            paths = [root.path]
        self.plan.root_paths = paths
        self.plan.root_path = paths[0]
        for path in paths:
            for p in Placement.objects.current().under(path).order_by("depth", "organization_id"):
                self.plan.nodes[p.organization_id] = Node(p.organization_id, p.parent_id, p.name, p.kind, p.sector, p.area_id, p)
        return True

    def central_paths(self) -> list[str]:
        """A Central Committee's decision (no deciding committee): the subtrees of the root
        committees of every organization its operations name (two queries)."""
        named = {i for op in self.ops for i in (op.organization_id, op.parent_id) if i}
        named |= {i for op in self.ops for a in op.allocations.all() for i in (a.organization_id, a.receiver_id) if i}
        roots = {int(path.strip("/").split("/")[0]) for path in
                 Placement.objects.current().filter(organization_id__in=named).values_list("path", flat=True)}
        return sorted(Placement.objects.current().filter(organization_id__in=roots, parent__isnull=True).values_list("path", flat=True))

    def node(self, ref, label: str, *, open_only: bool = True) -> Node | None:
        node = self.plan.nodes.get(ref)
        if node is None:
            self.error(_("%(what)s không thuộc cây tổ chức của cấp ủy quyết định, hoặc đã kết thúc hoạt động.") % {"what": label})
            return None
        if open_only and node.ended:
            self.error(_("%(name)s đã kết thúc theo một thao tác trước trong phương án.") % {"name": node.name})
            return None
        return node

    def load_members(self, cell_ids) -> None:
        """The members in these cells on the date (one query per 2,000 cells)."""
        cell_ids = [c for c in cell_ids if isinstance(c, int) and c not in self.loaded_cells]
        self.loaded_cells.update(cell_ids)
        for i in range(0, len(cell_ids), 2000):
            rows = (MemberPeriod.objects.on(self.on).filter(organization_id__in=cell_ids[i:i + 2000])
                    .values("member_id", "organization_id", "status", "in_transit", "host_id", "member__person__full_name"))
            for row in rows:
                self.member_rows[row["member_id"]] = row
                self.members_at[row["member_id"]] = row["organization_id"]

    # ------------------------------------------------------------------ operations
    def apply(self) -> None:
        ending = {op.organization_id for op in self.ops if op.kind in (OperationKind.SPLIT, OperationKind.DISSOLVE) and op.organization_id}
        ending |= {a.organization_id for op in self.ops if op.kind == OperationKind.MERGE for a in op.allocations.all() if a.organization_id}
        self.loaded_cells: set = set()
        self.load_members(ending)
        for op in self.ops:
            handler = getattr(self, f"op_{op.kind}")
            handler(op)

    def _parent_of(self, op) -> Ref | None:
        return _ref(op.parent_id, op.parent_new_id)

    def _establish(self, op, parent: Ref | None) -> Ref | None:
        if not op.name.strip() or not op.org_kind:
            self.error(_("Thành lập tổ chức mới: chưa nhập tên hoặc loại tổ chức."))
            return None
        # a province committee has no superior in the tree: only the Central Committee establishes one
        new_root = parent is None and self.r.organization_id is None and op.org_kind == Kind.PROVINCE_COMMITTEE
        if not new_root and (parent is None or self.node(parent, _("Tổ chức cấp trên")) is None):
            if parent is None:
                self.error(_("%(name)s: chưa chọn tổ chức cấp trên.") % {"name": op.name})
            return None
        ref = new_ref(op.pk)
        sector = op.sector or (self.plan.nodes[parent].sector if parent is not None else Sector.OTHER)
        self.plan.nodes[ref] = Node(ref, parent, op.name.strip(), op.org_kind, sector, area_id=op.area_id, operation_id=op.pk)
        return ref

    def op_establish(self, op) -> None:
        self._establish(op, self._parent_of(op))

    def op_rename(self, op) -> None:
        if (node := self.node(op.organization_id, _("Tổ chức đổi tên"))) is None:
            return
        if not op.name.strip():
            self.error(_("%(name)s: chưa nhập tên mới.") % {"name": node.name})
            return
        node.name = op.name.strip()

    def op_change_kind(self, op) -> None:
        if (node := self.node(op.organization_id, _("Tổ chức đổi loại"))) is None:
            return
        if not op.org_kind:
            self.error(_("%(name)s: chưa chọn loại tổ chức mới.") % {"name": node.name})
            return
        node.kind = op.org_kind

    def op_move(self, op) -> None:
        if (node := self.node(op.organization_id, _("Tổ chức chuyển trực thuộc"))) is None:
            return
        parent = self._parent_of(op)
        if parent is None or self.node(parent, _("Tổ chức cấp trên mới")) is None:
            if parent is None:
                self.error(_("%(name)s: chưa chọn tổ chức cấp trên mới.") % {"name": node.name})
            return
        if node.ref == self.r.organization_id:
            self.error(_("Không chuyển được cấp ủy quyết định ra khỏi cây của chính nó."))
            return
        node.parent = parent

    def op_merge(self, op) -> None:
        sources = [a.organization_id for a in op.allocations.all() if a.organization_id]
        if op.organization_id:
            target = op.organization_id
            if self.node(target, _("Tổ chức tiếp nhận")) is None:
                return
        else:
            target = self._establish(op, self._parent_of(op))
            if target is None:
                return
        sources = [s for s in sources if s != target]
        # a new organization may take over a single one (2025: a commune that succeeded one
        # legacy commune whole); an existing one needs another to take over
        if not sources:
            self.error(_("Hợp nhất, sáp nhập cần ít nhất hai tổ chức."))
            return
        for source in sources:
            self._end(op, source, LineageKind.MERGED, {}, target)
        # the organization that takes the others over covers their villages too
        covered = set(self.villages_of(target)) | {v for source in sources for v in self.villages_of(source)}
        if covered != set(self.villages_of(target)) and target in self.plan.nodes:
            self.plan.nodes[target].villages = covered

    # ------------------------------------------------------------------ villages
    def villages_of(self, ref) -> set:
        """The villages an organization covers as the plan stands (one query for the subtree)."""
        node = self.plan.nodes.get(ref)
        if node is None:
            return set()
        if node.villages is not None:
            return node.villages
        if node.placement is None:
            return set()
        if not hasattr(self, "_villages"):
            through = Placement.villages.through
            placements = [n.placement.pk for n in self.plan.nodes.values() if n.placement is not None]
            self._villages = defaultdict(set)
            for i in range(0, len(placements), 2000):
                for placement_id, unit_id in through.objects.filter(placement_id__in=placements[i:i + 2000]).values_list(
                        "placement_id", "adminunit_id"):
                    self._villages[placement_id].add(unit_id)
        return set(self._villages.get(node.placement.pk, ()))

    def op_merge_villages(self, op) -> None:
        """Villages of one commune into a new one: the places change with the organizations."""
        villages = [a.village for a in op.allocations.all() if a.village_id]
        name = op.name.strip()
        if len(villages) < 2:
            self.error(_("Sáp nhập thôn, tổ dân phố cần ít nhất hai thôn, tổ dân phố."))
            return
        if not name:
            self.error(_("Sáp nhập thôn, tổ dân phố: chưa nhập tên thôn, tổ dân phố mới."))
            return
        if len({v.parent_id for v in villages}) != 1:
            self.error(_("Chỉ sáp nhập được các thôn, tổ dân phố của cùng một xã, phường."))
            return
        taken = {ref for merge in self.plan.village_merges for ref, _name in merge.olds}
        for v in villages:
            if not (v.valid_from is None or v.valid_from < self.on) or not (v.valid_to is None or v.valid_to > self.on):
                self.error(_("%(village)s không có hiệu lực vào ngày %(date)s.") % {"village": v.full_name, "date": fmt(self.on)})
                return
            if v.pk in taken:
                self.error(_("%(village)s đã được sáp nhập theo một thao tác trước trong phương án.") % {"village": v.full_name})
                return
        merge = VillageMerge(op.pk, villages[0].parent_id, name, op.org_kind or villages[0].kind, [(v.pk, v.full_name) for v in villages])
        self.plan.village_merges.append(merge)
        olds = {v.pk for v in villages}
        for node in self.plan.nodes.values():
            if node.ended:
                continue
            covered = self.villages_of(node.ref)
            if covered & olds:
                node.villages = (covered - olds) | {merge.ref}

    def _division(self, op, kind: str) -> None:
        routes = {}
        for a in op.allocations.all():
            receiver = _ref(a.receiver_id, a.receiver_new_id)
            if receiver is None:
                continue
            routes[("m", a.member_id) if a.member_id else a.organization_id] = receiver
        self._end(op, op.organization_id, kind, routes, self._parent_of(op),
                  shares={_ref(a.receiver_id, a.receiver_new_id): a.share for a in op.allocations.all() if a.share is not None})

    def op_split(self, op) -> None:
        self._division(op, LineageKind.SPLIT)

    def op_dissolve(self, op) -> None:
        self._division(op, LineageKind.DISSOLVED)

    def _end(self, op, source, kind: str, routes: dict, default: Ref | None, shares: dict | None = None) -> None:
        node = self.node(source, _("Tổ chức kết thúc"))
        if node is None:
            return
        if node.ref == self.r.organization_id:
            self.error(_("Cấp ủy quyết định không tự kết thúc mình trong phương án này."))
            return
        if node.is_new:
            self.error(_("%(name)s vừa được thành lập trong phương án, không kết thúc được.") % {"name": node.name})
            return
        for receiver in {*routes.values(), default} - {None}:
            if self.node(receiver, _("Tổ chức tiếp nhận")) is None:
                return
            if receiver == source:
                self.error(_("%(name)s không thể tiếp nhận chính nó.") % {"name": node.name})
                return
        node.ended = kind
        weights: dict = defaultdict(int)
        for child in [n for n in self.plan.nodes.values() if n.parent == source and not n.ended]:
            receiver = routes.get(child.ref, default)
            if receiver is None:
                self.error(_("%(child)s (trực thuộc %(name)s) chưa được giao cho tổ chức nào.") % {"child": child.name, "name": node.name})
                continue
            child.parent = receiver
            weights[receiver] += self.counts_under(child.ref)
        for member_id, at in list(self.members_at.items()):
            if at != source:
                continue
            receiver = routes.get(("m", member_id), default)
            if receiver is None:
                self.error(_("Đảng viên %(member)s của %(name)s chưa được giao cho chi bộ nào.") % {
                    "member": self.member_rows[member_id]["member__person__full_name"], "name": node.name})
                continue
            self.members_at[member_id] = receiver
            weights[receiver] += 1
        declared = sorted({*routes.values(), default} - {None}, key=str)
        receivers = [r for r in declared if weights.get(r)] or declared
        total = sum(weights.values())
        for receiver in receivers:
            share = (shares or {}).get(receiver)
            if share is None:
                share = Decimal(1) if kind == LineageKind.MERGED else (
                    Decimal(weights[receiver]) / total if total else Decimal(1) / len(receivers))
            self.plan.lineage.append((source, receiver, kind, Decimal(share).quantize(Decimal("0.0001"), ROUND_HALF_UP)))

    def counts_under(self, ref) -> int:
        """Members on the date in the organization's subtree as it stands (the split's shares)."""
        node = self.plan.nodes.get(ref)
        if node is None or node.placement is None:
            return 0
        if not hasattr(self, "_counts"):
            by_org = {}
            for root_path in self.plan.root_paths:
                rows = (MemberPeriod.objects.under(root_path, self.on).values("organization_id")
                        .annotate(n=Count("member_id", distinct=True)))
                by_org.update({r["organization_id"]: r["n"] for r in rows})
            self._counts = [(n.placement.path, by_org.get(n.ref, 0)) for n in self.plan.nodes.values() if n.placement]
        path = node.placement.path
        return sum(n for p, n in self._counts if p.startswith(path))

    # ------------------------------------------------------------------ after the operations
    def check_dates(self) -> None:
        if self.r.decision_date and self.r.decision_date > self.on:
            self.error(_("Ngày hiệu lực %(on)s trước ngày quyết định %(decided)s.") % {"on": fmt(self.on), "decided": fmt(self.r.decision_date)})
        for node, _change in self.plan.changes():
            self._check_after(node)
        for node in self.plan.ended:
            self._check_after(node)

    def _check_after(self, node) -> None:
        if node.placement.valid_from >= self.on:
            self.error(_("%(name)s có thay đổi từ ngày %(date)s; ngày hiệu lực của phương án phải sau ngày đó.") % {
                "name": node.name, "date": fmt(node.placement.valid_from)})

    def check_kinds(self) -> None:
        parent_kinds = {}
        root = self.plan.nodes.get(self.r.organization_id)
        if root and root.placement and root.placement.parent_id:
            parent_kinds[root.placement.parent_id] = (
                Placement.objects.current().filter(organization_id=root.placement.parent_id).values_list("kind", flat=True).first())
        changed = {n.ref for n, _c in self.plan.changes()} | {n.ref for n in self.plan.started}
        kind_changed = {n.ref for n in self.plan.nodes.values() if n.placement and n.kind != n.placement.kind}
        for node in self.plan.nodes.values():
            if node.ended or not (node.ref in changed or node.parent in kind_changed):
                continue
            parent = self.plan.nodes.get(node.parent)
            parent_kind = parent.kind if parent else parent_kinds.get(node.parent)
            if error := placement_error(node.kind, parent_kind, self.on):
                self.conflict("kind", node.ref, _("%(name)s: %(error)s") % {"name": node.name, "error": error})

    def hand_off(self) -> None:
        paths = self.plan.paths()
        moved_cells = [n.ref for n, _c in self.plan.changes()
                       if n.kind in MEMBER_ORG_KINDS and paths[n.ref][0] != n.placement.path]
        self.load_members(moved_cells)
        ending = {n.ref for n in self.plan.ended}
        letters = self._letters_of([m for m, row in self.member_rows.items() if row["in_transit"]])
        for member_id, row in self.member_rows.items():
            target = self.members_at[member_id]
            name = row["member__person__full_name"]
            if (row["in_transit"] or row["host_id"]) and target == row["organization_id"] and target not in ending \
                    and row["host_id"] not in ending and letters.get(member_id) not in ending:
                # the cell only moves (the 2025 change): the letter and the stay still name organizations
                # that exist after the date; accepted, the member keeps them and has no hand-off event
                self.plan.kept.append(member_id)
                self.conflict("in_transit_moved", member_id, _(
                    "Đảng viên %(name)s đang chuyển sinh hoạt hoặc sinh hoạt tạm thời vào ngày %(date)s; chi bộ của đảng viên chỉ đổi "
                    "cấp trên nên giấy giới thiệu vẫn còn giá trị. Nếu chấp nhận, đảng viên giữ nguyên tình trạng, không có sự kiện "
                    "chuyển giao tổ chức.") % {"name": name, "date": fmt(self.on)})
                continue
            if row["in_transit"] or row["host_id"] in ending:
                self.conflict("in_transit", member_id, _(
                    "Đảng viên %(name)s đang chuyển sinh hoạt hoặc sinh hoạt tạm thời vào ngày %(date)s; hãy tiếp nhận, hủy "
                    "giới thiệu hoặc kết thúc sinh hoạt tạm thời trước khi sắp xếp.") % {"name": name, "date": fmt(self.on)})
                continue
            receiver = self.plan.nodes.get(target)
            if receiver is None or receiver.kind not in MEMBER_ORG_KINDS:
                self.conflict("kind", f"m{member_id}", _(
                    "Đảng viên %(name)s được giao cho %(org)s, nhưng đảng viên chỉ sinh hoạt ở chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc).")
                    % {"name": name, "org": self.plan.name(target)})
                continue
            self.plan.handoffs.append(Handoff(member_id, name, row["status"], row["organization_id"], target))
        # members arriving at an organization that ends, after the date or in transit towards it
        # (the organizations 2,000 a query; the members handed over left out here, not by a NOT IN
        # of every one of them, which a national change would make hundreds of thousands long)
        ending_ids = sorted(ending)
        later_seen = set()
        for i in range(0, len(ending_ids), 2000):
            chunk = ending_ids[i:i + 2000]
            transit = (MemberEvent.objects.filter(type=EventType.TRANSFER_OUT, target_id__in=chunk, effective_date__lte=self.on,
                                                  member__in_transit=True)
                       .values_list("member_id", "member__person__full_name", "target_id"))
            for member_id, name, target in transit:
                if member_id not in self.member_rows:
                    self.conflict("in_transit", member_id, _(
                        "Đảng viên %(name)s đang được giới thiệu chuyển sinh hoạt đến %(org)s, tổ chức kết thúc vào ngày %(date)s.")
                        % {"name": name, "org": self.plan.name(target), "date": fmt(self.on)})
            later = (MemberPeriod.objects.filter(organization_id__in=chunk, valid_from__gt=self.on)
                     .values_list("member_id", "member__person__full_name").distinct())
            for member_id, name in later:
                if member_id in self.member_rows or member_id in later_seen:
                    continue
                later_seen.add(member_id)
                self.conflict("lifecycle", member_id, _("Đảng viên %(name)s sinh hoạt ở tổ chức kết thúc sau ngày %(date)s.") % {
                    "name": name, "date": fmt(self.on)})

    def _letters_of(self, member_ids) -> dict:
        """The organization each member's last transfer letter names (one query per 5,000 members)."""
        out = {}
        for i in range(0, len(member_ids), 5000):
            for member_id, target in (MemberEvent.objects.filter(member_id__in=member_ids[i:i + 5000], type=EventType.TRANSFER_OUT)
                                      .order_by("member_id", "effective_date", "sequence", "id").values_list("member_id", "target_id")):
                out[member_id] = target
        return out

    def replay(self) -> None:
        """Each member's events with the hand-off at the end of the day, replayed (one query)."""
        by_member: dict = defaultdict(list)
        ids = [h.member_id for h in self.plan.handoffs]
        for i in range(0, len(ids), 5000):
            for e in MemberEvent.objects.filter(member_id__in=ids[i:i + 5000]).order_by("member_id", "effective_date", "sequence", "id"):
                by_member[e.member_id].append(e)
        r = self.r
        kept = []
        for h in self.plan.handoffs:
            events = by_member[h.member_id]
            same_day = sum(1 for e in events if e.effective_date == self.on)
            handoff = MemberEvent(
                member_id=h.member_id, type=EventType.ORG_HANDOVER, effective_date=self.on, sequence=same_day,
                organization_id=h.target if isinstance(h.target, int) else None, decision_number=r.decision_number,
                decision_date=r.decision_date, issuing_body=r.decision_issuer, note=r.title[:255],
            )
            handoff.target_ref = h.target
            if handoff.organization_id is None:
                handoff.organization_id = -1  # a stand-in for the preview; the commit names the new cell
            position = next((i for i, e in enumerate(events) if (e.effective_date, e.sequence) > (self.on, same_day)), len(events))
            h.events = [*events[:position], handoff, *events[position:]]
            try:
                h.result = lifecycle.replay(h.events)
            except lifecycle.LifecycleError as error:
                self.conflict("lifecycle", h.member_id, _("Đảng viên %(name)s: %(error)s") % {"name": h.name, "error": error})
                continue
            kept.append(h)
        self.plan.handoffs = kept

    def check_evaluations(self) -> None:
        concerned = [n.ref for n in self.plan.ended] + [n.ref for n, _c in self.plan.changes()]
        for i in range(0, len(concerned), 2000):
            periods = EvaluationPeriod.objects.filter(organization_id__in=concerned[i:i + 2000], state=EvaluationPeriod.State.OPEN,
                                                      starts_on__lt=self.on, ends_on__gte=self.on)
            for period in periods:
                self.conflict("evaluation_open", period.pk, _(
                    "Kỳ đánh giá %(period)s của %(org)s đang mở qua ngày %(date)s; kỳ đánh giá ở lại với tổ chức đã mở nó.")
                    % {"period": period.title, "org": self.plan.name(period.organization_id), "date": fmt(self.on)})

    def check_small_cells(self) -> None:
        incoming: dict = defaultdict(int)
        for h in self.plan.handoffs:
            if h.target != h.source:
                incoming[h.target] += h.status == Status.OFFICIAL
        existing = [r for r in incoming if isinstance(r, int)]
        official = dict(
            MemberPeriod.objects.on(self.on).filter(organization_id__in=existing, status=Status.OFFICIAL)
            .values("organization_id").annotate(n=Count("member_id")).values_list("organization_id", "n")
        ) if existing else {}
        for ref, n in incoming.items():
            total = n + official.get(ref, 0)
            if total < MIN_OFFICIAL:
                self.conflict("small_cell", ref, _(
                    "%(name)s chỉ có %(n)s đảng viên chính thức sau khi sắp xếp (Điều lệ Đảng Điều 21: chi bộ có ít nhất 3 đảng viên chính thức).")
                    % {"name": self.plan.name(ref), "n": total})

    def build(self) -> Plan:
        if not self.load_tree():
            return self.plan
        self.apply()
        try:
            self.plan.paths()
        except ValueError:
            self.error(_("Phương án đặt một tổ chức vào chính tổ chức trực thuộc của nó."))
            return self.plan
        self.check_dates()
        self.check_kinds()
        self.hand_off()
        self.replay()
        self.check_evaluations()
        self.check_small_cells()
        for check in registry.CHECKS:
            self.plan.conflicts.extend(check(self.plan))
        return self.plan


def build(restructuring) -> Plan:
    return _Builder(restructuring).build()


__all__ = ["ACCEPTABLE", "Conflict", "Handoff", "Kind", "Node", "Plan", "build", "new_ref"]
