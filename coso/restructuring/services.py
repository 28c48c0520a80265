"""The write side of restructurings: draft, accept conflicts, commit, undo. Atomic and audited.

commit() builds the plan again inside its transaction (plan.py), refuses while it has errors or
conflicts the user has not accepted, and writes it in bulk: the new organizations, one update
closing every placement that changes or ends and one insert of their successors (organizations
.services.move_organization's shape, for every operation at once), the hand-off events of every
member concerned (members.lifecycle.replay decides their periods, as for any event), their
periods and current values, the lineage, the search copy and the audit. The ledger of counts
follows as for any other write of those records: organizations' placements_changing watcher for
the organizations whose placements change (every member with a period there from the date) and
members' periods_changing watcher for the members whose periods are rewritten (_following: the
members handed to an organization that stays as it is, such as a merge's surviving one, have no
period in a changed organization after the date once the hand-off is undone), both entered around
the whole write (a member named by both is followed once).

undo() within UNDO_DAYS of the commit, while nothing recorded since touches what it wrote (a
later change of those organizations, a later event of those members, a record naming a new
organization): the hand-off events deleted and the members replayed, the placements written
deleted and the ones closed reopened, the organizations created deleted, the closings cleared.
The result is the state before the commit, row for row (tests/test_commit.py proves it); the
audit keeps both.
"""

import datetime as dt
import logging
from collections import defaultdict
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Case, F, IntegerField, ProtectedError, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.audit.models import AuditEvent
from coso.imports.tasks import process_alive
from coso.lib.dates import fmt
from coso.lib.text import clean, fold, sort_key
from coso.members import lifecycle, owners, search
from coso.members.bulk import insert_rows, reserve_ids
from coso.members.dates import FUTURE_DAYS, PARTY_FOUNDED, party_date_problem
from coso.members.models import EventType, Member, MemberEvent, MemberPeriod
from coso.members.watchers import periods_changing
from coso.organizations.models import Change, CloseReason, Organization, Placement
from coso.organizations.watchers import placements_changing
from coso.places import services as places
from coso.places.models import AdminUnit
from coso.places.models import Lineage as PlaceLineage
from coso.places.watchers import lineage_changing, units_changing

from . import plan as planning
from .models import (
    Allocation,
    Job,
    Lineage,
    LineageKind,
    Operation,
    OperationKind,
    Restructuring,
    State,
)

logger = logging.getLogger(__name__)
UNDO_DAYS = 7  # a committed decision may be undone for a week (then it is history: correct it by another)
CHUNK = 5000


@contextmanager
def _following(organization_ids, on: dt.date, member_ids):
    """The watchers of a restructuring's write (the ledger of counts): the organizations whose
    placements change from the date and the members whose periods are rewritten."""
    with placements_changing.watching(organization_ids, on), periods_changing.watching(member_ids):
        yield


def _chunks(ids, size: int = CHUNK):
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def effective_date_problem(day: dt.date, today: dt.date | None = None) -> str | None:
    """Why a restructuring's effective date cannot be, or None: a decision takes effect on a known
    day, at most FUTURE_DAYS ahead (the lifecycle forms' limit on events decided ahead, decision
    0008), and not before the Party's founding."""
    today = today or timezone.localdate()
    latest = today + dt.timedelta(days=FUTURE_DAYS)
    if day > latest:
        return _("Ngày hiệu lực %(date)s ở tương lai, quá xa: quyết định sắp xếp được ghi trước tối đa %(days)s ngày, đến ngày %(latest)s.") % {
            "date": fmt(day), "days": FUTURE_DAYS, "latest": fmt(latest)}
    if day < PARTY_FOUNDED:
        return _("Ngày %(date)s trước khi Đảng thành lập (1930).") % {"date": fmt(day)}
    return None


def _draft(restructuring: Restructuring) -> Restructuring:
    r = Restructuring.objects.select_for_update().get(pk=restructuring.pk)
    if r.state != State.DRAFT:
        raise ValidationError(_("Phương án đã được thực hiện; không sửa được nữa (hủy thực hiện trước nếu còn trong thời hạn)."))
    return r


def _snapshot(r: Restructuring) -> dict:
    return {f: getattr(r, f) for f in ("title", "decision_number", "decision_issuer", "decision_date", "effective_date")}


# ---------------------------------------------------------------- the draft


@transaction.atomic
def create_restructuring(*, actor, organization: Organization | None, title: str, decision_number: str, decision_issuer: str,
                         decision_date: dt.date, effective_date: dt.date) -> Restructuring:
    """A draft. organization None: a decision of the Central Committee (merging province
    committees, reform2025.py), drafted by a command or a user whose scope is the whole tree."""
    title, number, issuer = clean(title), clean(decision_number), clean(decision_issuer)
    if not title:
        raise ValidationError({"title": _("Chưa nhập tên phương án.")})
    if not number:
        raise ValidationError({"decision_number": _("Chưa nhập số quyết định.")})
    if not issuer:
        raise ValidationError({"decision_issuer": _("Chưa nhập cơ quan ban hành quyết định.")})
    if problem := party_date_problem(decision_date):
        raise ValidationError({"decision_date": problem})
    if problem := effective_date_problem(effective_date):
        raise ValidationError({"effective_date": problem})
    if decision_date > effective_date:
        raise ValidationError({"effective_date": _("Ngày hiệu lực không được trước ngày quyết định.")})
    if organization is not None and not Placement.objects.on(effective_date).filter(organization=organization).exists():
        raise ValidationError({"effective_date": _("Cấp ủy quyết định không hoạt động vào ngày hiệu lực.")})
    r = Restructuring.objects.create(
        organization=organization, title=title, decision_number=number, decision_issuer=issuer, decision_date=decision_date,
        effective_date=effective_date, created_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(actor=actor, event_type="restructuring.restructuring.created", target=r, organization_id=r.organization_id, new=_snapshot(r))
    return r


@transaction.atomic
def add_operation(*, actor, restructuring: Restructuring, kind: str, organization=None, parent=None, parent_new=None, name: str = "",
                  org_kind: str = "", sector: str = "", sources=(), allocations=(), area=None, villages=()) -> Operation:
    """One operation of the draft. sources: a merge's organizations. allocations: dicts with
    organization or member, and receiver or receiver_new (an establish operation), and share.
    villages: the villages a MERGE_VILLAGES operation merges (name: the new village's)."""
    r = _draft(restructuring)
    if kind not in OperationKind.values:
        raise ValidationError({"kind": _("Thao tác không hợp lệ.")})
    for other in (parent_new, *[a.get("receiver_new") for a in allocations]):
        if other is not None and (other.restructuring_id != r.pk or other.kind not in (OperationKind.ESTABLISH, OperationKind.MERGE)):
            raise ValidationError({"parent": _("Tổ chức thành lập mới phải thuộc cùng phương án.")})
    last = r.operations.order_by("-sequence").values_list("sequence", flat=True).first()
    op = Operation.objects.create(
        restructuring=r, sequence=(last or 0) + 1, kind=kind, organization=organization, parent=parent, parent_new=parent_new,
        name=clean(name), org_kind=org_kind, sector=sector, area=area,
    )
    rows = [Allocation(operation=op, organization=s) for s in sources]
    rows += [Allocation(operation=op, village=v) for v in villages]
    rows += [Allocation(operation=op, organization=a.get("organization"), member=a.get("member"), receiver=a.get("receiver"),
                        receiver_new=a.get("receiver_new"), share=a.get("share")) for a in allocations]
    Allocation.objects.bulk_create(rows)
    audit.record(actor=actor, event_type="restructuring.restructuring.changed", target=r, organization_id=r.organization_id,
                 new={"operation": op.pk, "kind": kind, "organization": organization, "parent": parent, "name": op.name,
                      "org_kind": org_kind, "sources": [s.pk for s in sources], "allocations": len(allocations),
                      "villages": [v.pk for v in villages]})
    return op


@transaction.atomic
def remove_operation(*, actor, operation: Operation) -> None:
    r = _draft(operation.restructuring)
    if Operation.objects.filter(restructuring=r, parent_new=operation).exclude(pk=operation.pk).exists() or \
            Allocation.objects.filter(receiver_new=operation).exclude(operation=operation).exists():
        raise ValidationError(_("Thao tác khác đang dùng tổ chức thành lập mới này; hãy xóa thao tác đó trước."))
    audit.record(actor=actor, event_type="restructuring.restructuring.changed", target=r, organization_id=r.organization_id,
                 old={"operation": operation.pk, "kind": operation.kind})
    operation.delete()


@transaction.atomic
def accept_conflicts(*, actor, restructuring: Restructuring, keys) -> Restructuring:
    """Accept these conflicts (only those the rules allow to accept); the others stay blocking."""
    r = _draft(restructuring)
    plan = planning.build(r)
    acceptable = {c.key for c in plan.conflicts if c.acceptable}
    keys = set(keys)
    if refused := keys - acceptable:
        raise ValidationError(_("Vướng mắc này không thể chấp nhận; hãy xử lý trước khi thực hiện: %(keys)s") % {"keys": ", ".join(sorted(refused))})
    before = list(r.accepted)
    r.accepted = sorted(set(r.accepted) | keys)
    r.save(update_fields=["accepted"])
    audit.record(actor=actor, event_type="restructuring.restructuring.accepted", target=r, organization_id=r.organization_id,
                 old={"accepted": before}, new={"accepted": r.accepted})
    return r


# ---------------------------------------------------------------- members: events → periods, in bulk


def _rewrite_members(results: dict[int, lifecycle.Replay], progress=None) -> None:
    """The periods, current organization and event owners of these members from their replays
    (bulk: a few statements per 5,000 members)."""
    progress = progress or _silent
    progress(_("Ghi giai đoạn sinh hoạt của đảng viên được chuyển giao"), 0, len(results))
    for ids in _chunks(results):
        MemberPeriod.objects.filter(member_id__in=ids).delete()
    insert_rows(MemberPeriod, [
        MemberPeriod(member_id=m, organization_id=p.organization_id, status=p.status, exempted=p.exempted, in_transit=p.in_transit,
                     host_id=p.host_id, valid_from=p.valid_from, valid_to=p.valid_to)
        for m, result in results.items() for p in result.periods
    ])
    # one UPDATE per 5,000 members whatever the number of receiving organizations: a CASE with
    # one branch per organization (its members' ids listed once)
    done = 0
    for ids in _chunks(results):
        by_org: dict = defaultdict(list)
        for m in ids:
            by_org[results[m].state.organization_id].append(m)
        Member.objects.filter(pk__in=ids).update(organization_id=Case(
            *[When(pk__in=members, then=Value(org)) for org, members in by_org.items()],
            default=F("organization_id"), output_field=IntegerField(null=True)))
        done += len(ids)
        progress(_("Ghi tổ chức hiện tại của đảng viên được chuyển giao"), done, len(results))
    # the organization each of their events belongs to, from the rewritten periods: the hand-off
    # events' (inserted without one) and any later event's whose day before now falls after it
    owners.refresh(results)


def _member_audit(actor, r: Restructuring, member_id: int, name: str, old_org, new_org) -> AuditEvent:
    event = audit.build_event(actor=actor, event_type="restructuring.member.handed_over", target=r, organization_id=new_org,
                              old={"organization_id": old_org},
                              new={"organization_id": new_org, "restructuring": r.pk, "decision_number": r.decision_number,
                                   "effective_date": r.effective_date})
    event.target_type, event.target_id, event.target_repr = "members.member", str(member_id), name[:255]
    return event


# ---------------------------------------------------------------- commit


def _create_organizations(plan: planning.Plan) -> dict:
    """The organizations the decision establishes, in bulk: ids reserved in one statement, codes
    TC<id> (the code the organizations app gives), skipping a code taken already (one query)."""
    started = plan.started
    if not started:
        return {}
    ids = reserve_ids(Organization, len(started))
    codes = [f"TC{pk:06d}" for pk in ids]
    taken = set(Organization.objects.filter(code__in=codes).values_list("code", flat=True))
    if taken:  # a hand-made code in the way: the same ids, the code with a suffix
        codes = [f"{c}-{pk}" if c in taken else c for c, pk in zip(codes, ids, strict=True)]
    insert_rows(Organization, [Organization(pk=pk, code=code) for pk, code in zip(ids, codes, strict=True)], with_pk=True)
    return {node.ref: pk for node, pk in zip(started, ids, strict=True)}


def _merge_villages(actor, r: Restructuring, plan: planning.Plan) -> tuple[dict, list]:
    """The villages merged on the date (places.services: the old ones closed, the new one created,
    audited as any village), with their lineage. Returns {merge ref: new village id} and the
    closed villages with the end and decision each had before ([id, iso date or None, number]), for the undo."""
    created, closed = {}, []
    for merge in plan.village_merges:
        commune = AdminUnit.objects.get(pk=merge.commune_id)
        olds = list(AdminUnit.objects.filter(pk__in=[pk for pk, _name in merge.olds]))
        closed += [[v.pk, v.valid_to.isoformat() if v.valid_to else None, v.decision_number] for v in olds]
        for v in olds:
            places.close_village(actor=actor, village=v, valid_to=r.effective_date, decision_number=r.decision_number)
        new = places.create_village(actor=actor, commune=commune, name=merge.name, kind=merge.kind, valid_from=r.effective_date,
                                    decision_number=r.decision_number)
        with lineage_changing.watching([v.pk for v in olds]):  # the old villages' residents live in the new one
            PlaceLineage.objects.bulk_create([PlaceLineage(old=v, new=new, effective=r.effective_date) for v in olds])
        created[merge.ref] = new.pk
    return created, closed


def _unmerge_villages(w: dict) -> None:
    """The villages the commit merged: the new ones deleted with their lineage, the old ones as
    they were (end and decision number). Refused while a record names a new village."""
    created = w.get("villages_created", [])
    if not created:
        return
    with lineage_changing.watching(list(PlaceLineage.objects.filter(new_id__in=created).values_list("old_id", flat=True))):
        PlaceLineage.objects.filter(new_id__in=created).delete()
    try:
        with units_changing.watching(list(AdminUnit.objects.filter(pk__in=created).values_list("parent_id", flat=True).distinct())):
            AdminUnit.objects.filter(pk__in=created).delete()
    except ProtectedError:
        raise ValidationError(_("Thôn, tổ dân phố sáp nhập mới đã có hồ sơ khác gắn với nó (nơi cư trú, chức danh...); không hủy được.")) from None
    closed = w.get("villages_closed", [])
    communes = AdminUnit.objects.filter(pk__in=[pk for pk, _end, _number in closed]).values_list("parent_id", flat=True).distinct()
    with units_changing.watching(list(communes)):  # the old villages' posts count again (the political system's figures)
        for pk, end, number in closed:
            AdminUnit.objects.filter(pk=pk).update(valid_to=dt.date.fromisoformat(end) if end else None, decision_number=number)


def _placement(node, parent_id, path, depth, change, r: Restructuring) -> Placement:
    return Placement(
        organization_id=node.ref if isinstance(node.ref, int) else None, parent_id=parent_id, name=node.name, name_folded=fold(node.name),
        name_order=sort_key(node.name), kind=node.kind, sector=node.sector, area_id=node.area_id, path=path, depth=depth,
        valid_from=r.effective_date, change=change, decision_number=r.decision_number, decision_date=r.decision_date,
    )


def _silent(step: str, done: int = 0, total: int = 0) -> None:
    pass


@transaction.atomic
def commit(*, actor, restructuring: Restructuring, progress=None, job_id: int | None = None) -> planning.Plan:
    """Carry out the decision on its effective date, all of it or nothing. progress(step, done,
    total) is told what is being written (a background job's page); job_id: the job marked done
    in the same transaction."""
    progress = progress or _silent
    r = _draft(restructuring)
    progress(_("Lập phương án: đọc cây tổ chức, đảng viên và sự kiện của họ"))
    plan = planning.build(r)
    if plan.errors:
        raise ValidationError(plan.errors)
    if blocking := plan.blocking(r.accepted):
        raise ValidationError([c.message for c in blocking])
    on = r.effective_date
    changes = plan.changes()
    concerned = sorted({n.ref for n, _c in changes} | {n.ref for n in plan.ended})
    progress(_("Ghi tổ chức thành lập, kết thúc và chuyển trực thuộc"), 0, len(plan.handoffs))
    with _following(concerned, on, [h.member_id for h in plan.handoffs]):  # the ledger of counts
        ids = _create_organizations(plan)

        def real(ref):
            return ids.get(ref, ref)

        paths = plan.paths(ids)
        village_ids, villages_closed = _merge_villages(actor, r, plan)
        closing = [n.placement.pk for n, _c in changes] + [n.placement.pk for n in plan.ended]
        for chunk in _chunks(closing):
            Placement.objects.filter(pk__in=chunk).update(valid_to=on)
        successors = []
        for node, change in changes:
            successors.append(_placement(node, real(node.parent), *paths[node.ref], change, r))
        for node in plan.started:
            p = _placement(node, real(node.parent), *paths[node.ref], Change.FOUNDED, r)
            p.organization_id = ids[node.ref]
            successors.append(p)
        created = Placement.objects.bulk_create(successors, batch_size=1000)
        through = Placement.villages.through
        villages = defaultdict(list)
        for chunk in _chunks([n.placement.pk for n, _c in changes]):
            for placement_id, unit_id in through.objects.filter(placement_id__in=chunk).values_list("placement_id", "adminunit_id"):
                villages[placement_id].append(unit_id)
        new_of = {p.organization_id: p.pk for p in created}
        covered = [(new_of[n.ref], villages[n.placement.pk] if n.villages is None else n.villages) for n, _c in changes]
        covered += [(new_of[ids[n.ref]], n.villages) for n in plan.started if n.villages]
        through.objects.bulk_create([through(placement_id=placement, adminunit_id=village_ids.get(u, u)) for placement, units in covered
                                     for u in sorted(units, key=str)],
                                    batch_size=1000)
        reasons = {LineageKind.MERGED: CloseReason.MERGED, LineageKind.DISSOLVED: CloseReason.DISSOLVED, LineageKind.SPLIT: CloseReason.OTHER}
        for kind, reason in reasons.items():
            ended = [n.ref for n in plan.ended if n.ended == kind]
            for chunk in _chunks(ended):
                Organization.objects.filter(pk__in=chunk).update(closed_on=on, close_reason=reason, close_decision=r.decision_number)

        # the members: one hand-off event each, their periods replayed
        progress(_("Chuyển giao đảng viên: sự kiện chuyển giao tổ chức"), 0, len(plan.handoffs))
        events, results, audits = [], {}, []
        for h in plan.handoffs:
            handoff = next(e for e in h.events if e.pk is None)
            handoff.organization_id = real(h.target)
            handoff.created_by = actor if actor is not None and actor.pk else None
            results[h.member_id] = lifecycle.replay(h.events)
            events.append(handoff)
            audits.append(_member_audit(actor, r, h.member_id, h.name, h.source, handoff.organization_id))
        for event, pk in zip(events, reserve_ids(MemberEvent, len(events)), strict=True):
            event.pk = pk
        insert_rows(MemberEvent, events, with_pk=True)
        _rewrite_members(results, progress)

        Lineage.objects.bulk_create([
            Lineage(restructuring=r, predecessor_id=pred, successor_id=real(succ), kind=kind, share=share, effective_date=on)
            for pred, succ, kind, share in plan.lineage
        ])
        establishing = [op for op in Operation.objects.filter(restructuring=r) if planning.new_ref(op.pk) in ids]
        for op in establishing:
            op.created_id = ids[planning.new_ref(op.pk)]
        Operation.objects.bulk_update(establishing, ["created"], batch_size=1000)
    progress(_("Cập nhật bản tìm kiếm và nhật ký"), len(results), len(results))
    search.refresh([*results, *plan.kept])  # the search copy: the members' cells and their root and branch
    audits += [
        audit.build_event(actor=actor, event_type="restructuring.organization.changed", target=r, organization_id=p.organization_id,
                          new={"change": p.change, "name": p.name, "parent_id": p.parent_id, "path": p.path, "restructuring": r.pk})
        for p in created
    ]
    audits += [
        audit.build_event(actor=actor, event_type="restructuring.organization.changed", target=r, organization_id=n.ref,
                          new={"closed_on": on, "reason": n.ended, "restructuring": r.pk})
        for n in plan.ended
    ]
    audit.record_many(audits)
    r.state = State.COMMITTED
    r.committed_at = timezone.now()
    r.committed_by = actor if actor is not None and actor.pk else None
    r.written = {
        "placements_closed": closing, "placements_created": [p.pk for p in created], "organizations_created": sorted(ids.values()),
        "organizations_closed": [n.ref for n in plan.ended], "events": [e.pk for e in events], "members": sorted(results),
        "villages_created": sorted(village_ids.values()), "villages_closed": villages_closed,
    }
    r.save(update_fields=["state", "committed_at", "committed_by", "written"])
    audit.record(actor=actor, event_type="restructuring.restructuring.committed", target=r, organization_id=r.organization_id,
                 new={"ended": len(plan.ended), "started": len(plan.started), "changed": len(changes), "members": len(results),
                      "accepted": r.accepted, "job": job_id})
    if job_id is not None:  # done with the data, or not at all (the job row is written last: no lock held on it before)
        Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, step="", done=len(results), total=len(results), message="",
                                             updated_at=timezone.now(), finished_at=timezone.now())
    return plan


# ---------------------------------------------------------------- the commit as a background job

STALE_AFTER = dt.timedelta(minutes=15)  # a running job of another machine's worker silent this long was interrupted
QUEUED_STALE_AFTER = dt.timedelta(hours=6)  # a job queued this long was lost (no worker took it)


@transaction.atomic
def queue_commit(*, actor, restructuring: Restructuring) -> Job:
    """The commit as a job for the worker (tasks.request_commit queues its task): refused while
    the decision is not a draft or another of its jobs is waiting or running."""
    r = _draft(restructuring)
    if Job.objects.filter(restructuring=r, status__in=Job.ACTIVE).exists():
        raise ValidationError(_("Quyết định này đang được thực hiện bởi tiến trình chạy nền; hãy chờ kết quả."))
    job = Job.objects.create(restructuring=r, requested_by=actor if actor is not None and actor.pk else None, updated_at=timezone.now())
    audit.record(actor=actor, event_type="restructuring.restructuring.queued", target=r, organization_id=r.organization_id,
                 new={"job": job.pk})
    return job


class JobProgress:
    """progress(step, done, total) for commit(), written at once from a database connection of its
    own (the commit's transaction shows nothing until it ends). PostgreSQL only: SQLite lets one
    writer at a time, so there the page shows the step the job started with until it ends."""

    EVERY = 0.5  # seconds between two writes of the same step

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.side = None
        self.last = (None, 0.0)
        self.enabled = connection.vendor == "postgresql"

    def __call__(self, step: str, done: int = 0, total: int = 0) -> None:
        import time

        if not self.enabled:
            return
        now = time.monotonic()
        if self.last[0] == step and now - self.last[1] < self.EVERY and done != total:
            return
        self.last = (step, now)
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)  # autocommit, not the commit's transaction
        table = Job._meta.db_table
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET step = %s, done = %s, total = %s, updated_at = %s WHERE id = %s AND status = %s",  # noqa: S608
                           [step[:200], done, total, timezone.now(), self.job_id, Job.Status.RUNNING])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _fail(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(status=Job.Status.FAILED, message=message, worker="",
                                                                    updated_at=timezone.now(), finished_at=timezone.now())


def run_job(job_id: int) -> None:
    """The worker's side: the commit, all of it or nothing; a refusal or an error leaves the
    decision a draft and the job FAILED with the reason, to be run again."""
    job = Job.objects.select_related("restructuring", "requested_by").get(pk=job_id)
    if job.status != Job.Status.RUNNING:
        return
    progress = JobProgress(job_id)
    try:
        commit(actor=job.requested_by, restructuring=job.restructuring, progress=progress, job_id=job_id)
    except ValidationError as error:
        _fail(job_id, " ".join(error.messages))
    except MemoryError:
        logger.warning("restructuring job %s ran out of memory", job_id)
        _fail(job_id, _("Tiến trình chạy nền hết bộ nhớ khi thực hiện quyết định; chưa ghi gì. Hãy tăng giới hạn bộ nhớ của tiến trình "
                        "(COSO_WORKER_MEMORY_MB) rồi chạy lại."))
    except Exception:
        logger.exception("restructuring job %s failed", job_id)
        _fail(job_id, _("Lỗi không mong đợi khi thực hiện quyết định; chưa ghi gì. Lỗi đã được ghi vào nhật ký máy chủ."))
    finally:
        progress.close()


def _stale(job: Job, now) -> bool:
    if job.status == Job.Status.QUEUED or not job.worker:
        return job.updated_at <= now - QUEUED_STALE_AFTER
    alive = process_alive(job.worker)
    if alive is None:  # a process of another machine: silent too long
        return job.updated_at <= now - STALE_AFTER
    return not alive or job.updated_at <= now - QUEUED_STALE_AFTER


def recover_if_stale(job: Job) -> bool:
    """A job whose process died (killed, out of memory, a restart) or that no worker took is
    marked FAILED with the reason; nothing was written (the commit is one transaction)."""
    if not job.active or not _stale(job, timezone.now()):
        return False
    updated = Job.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at).update(
        status=Job.Status.FAILED, worker="", updated_at=timezone.now(), finished_at=timezone.now(),
        message=_("Lần thực hiện trước bị gián đoạn: tiến trình chạy nền đã dừng giữa chừng (bị tắt, hết bộ nhớ hoặc máy chủ khởi động "
                  "lại) hoặc không có tiến trình nào nhận việc; chưa ghi gì. Hãy thực hiện lại."))
    if updated:
        job.refresh_from_db()
    return bool(updated)


def recover_stale_jobs() -> int:
    """recover_if_stale() for every waiting or running job (the worker calls it when it starts)."""
    return sum(recover_if_stale(job) for job in Job.objects.filter(status__in=Job.ACTIVE))


# ---------------------------------------------------------------- undo


def undo_problem(r: Restructuring, now=None) -> str | None:
    """Why the commit can no longer be undone, or None."""
    if r.state != State.COMMITTED:
        return _("Phương án chưa được thực hiện.")
    now = now or timezone.now()
    if r.committed_at and now > r.committed_at + dt.timedelta(days=UNDO_DAYS):
        return _("Đã quá %(days)s ngày kể từ khi thực hiện; không hủy được nữa. Hãy điều chỉnh bằng một quyết định sắp xếp mới.") % {
            "days": UNDO_DAYS}
    w = r.written
    created_orgs, created = w.get("organizations_created", []), w.get("placements_created", [])
    concerned = set(Placement.objects.filter(pk__in=w.get("placements_closed", [])).values_list("organization_id", flat=True)) | set(created_orgs)
    later = _("Đã có thay đổi ghi nhận sau khi thực hiện phương án (%(what)s); không hủy được.")
    for chunk in _chunks(concerned):
        if Placement.objects.filter(organization_id__in=chunk, valid_from__gte=r.effective_date).exclude(pk__in=created).exists():
            return later % {"what": _("thay đổi tổ chức")}
    if Placement.objects.filter(pk__in=created).current().count() != len(created):
        return later % {"what": _("thay đổi tổ chức")}
    events = w.get("events", [])
    newest = max(events, default=0)
    for chunk in _chunks(w.get("members", [])):
        if MemberEvent.objects.filter(member_id__in=chunk, pk__gt=newest).exists():
            return later % {"what": _("sự kiện của đảng viên được chuyển giao")}
    if created_orgs and MemberEvent.objects.filter(Q(organization_id__in=created_orgs) | Q(target_id__in=created_orgs)).exclude(pk__in=events).exists():
        return later % {"what": _("đảng viên của tổ chức thành lập mới")}
    return None


@transaction.atomic
def undo(*, actor, restructuring: Restructuring) -> Restructuring:
    """Restore the state before the commit exactly; the restructuring is a draft again."""
    r = Restructuring.objects.select_for_update().get(pk=restructuring.pk)
    if problem := undo_problem(r):
        raise ValidationError(problem)
    w = r.written
    closed = w["placements_closed"]
    concerned = sorted(set(Placement.objects.filter(pk__in=closed).values_list("organization_id", flat=True)) | set(w["organizations_created"]))
    members = w["members"]
    try:
        with _following(concerned, r.effective_date, members):  # the ledger of counts
            for chunk in _chunks(w["events"]):
                MemberEvent.objects.filter(pk__in=chunk).delete()
            by_member = defaultdict(list)
            for chunk in _chunks(members):
                for e in MemberEvent.objects.filter(member_id__in=chunk).order_by("member_id", "effective_date", "sequence", "id"):
                    by_member[e.member_id].append(e)
            _rewrite_members({m: lifecycle.replay(by_member[m]) for m in members})
            through = Placement.villages.through
            for chunk in _chunks(w["placements_created"]):
                through.objects.filter(placement_id__in=chunk).delete()
                Placement.objects.filter(pk__in=chunk).delete()
            for chunk in _chunks(closed):
                Placement.objects.filter(pk__in=chunk).update(valid_to=None)
            for chunk in _chunks(w["organizations_closed"]):
                Organization.objects.filter(pk__in=chunk).update(closed_on=None, close_reason="", close_decision="")
            Lineage.objects.filter(restructuring=r).delete()
            Operation.objects.filter(restructuring=r).update(created=None)
            Organization.objects.filter(pk__in=w["organizations_created"]).delete()
    except ProtectedError:
        raise ValidationError(_("Tổ chức thành lập mới đã có hồ sơ khác gắn với nó (kỳ đánh giá, đảng viên...); không hủy được.")) from None
    _unmerge_villages(w)
    search.refresh(members)
    r.state = State.DRAFT
    r.undone_at = timezone.now()
    r.undone_by = actor if actor is not None and actor.pk else None
    written, r.written = r.written, {}
    r.save(update_fields=["state", "undone_at", "undone_by", "written"])
    audit.record(actor=actor, event_type="restructuring.restructuring.undone", target=r, organization_id=r.organization_id,
                 old={"written": {k: len(v) for k, v in written.items()}}, new={"state": State.DRAFT})
    return r


__all__ = ["UNDO_DAYS", "EventType", "JobProgress", "accept_conflicts", "add_operation", "commit", "create_restructuring", "queue_commit",
           "recover_if_stale", "recover_stale_jobs", "remove_operation", "run_job", "undo", "undo_problem"]
