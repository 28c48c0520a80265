"""The ledger of organizations (coso/measures/orgledger.py) is kept by the database for every
write of placements and answers what the placements answer.

The property test of the whole report (test_ledger.py, "the rest of the report") compares the
organization tables read from it with the rows after random moves; here: each kind of write that
is not a service's (a bulk insert as synth writes, an update, a delete, a restructuring and its
undo), the flush, the check that finds a drift, and that the report reads it.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import override_settings

from coso.conftest import build_tree
from coso.measures import engine, orgledger
from coso.measures.apps import recount_organizations
from coso.measures.catalog import MEASURES, ORGANIZATIONS
from coso.measures.models import LedgerState, OrgLedgerEntry
from coso.organizations import services as org_services
from coso.organizations.models import Kind, Organization, Placement

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2024, 1, 1)
ORGANIZATION_MEASURES = [n for n, m in MEASURES.items() if m.family == ORGANIZATIONS]
DATES = [D(2023, 12, 31), START, D(2024, 2, 29), D(2024, 6, 30), D(2024, 7, 1), D(2025, 1, 1)]


def from_placements(root: int, on: dt.date) -> list[tuple]:
    """(child, kind, sector, n) read from the placements in force, the root's own left out."""
    qs = Placement.objects.on(on)
    out: dict = {}
    for path, kind, sector, org_id in qs.values_list("path", "kind", "sector", "organization_id"):
        ids = [int(x) for x in path.strip("/").split("/")]
        if root == 0:
            child = ids[0]
        elif root in ids[:2] and org_id != root:
            child = ids[ids.index(root) + 1]
        else:
            continue
        out[(child, kind, sector)] = out.get((child, kind, sector), 0) + 1
    return sorted((*k, n) for k, n in out.items())


def assert_exact(dates=DATES) -> None:
    roots = [0, *Placement.objects.filter(depth__lte=1).values_list("organization_id", flat=True).distinct()]
    for on in dates:
        for root in roots:
            assert sorted(orgledger.groups(root, on)) == from_placements(root, on), (root, on)
    assert orgledger.differences() == []


@pytest.fixture
def tree(db):  # noqa: F811 - this file's own, not conftest's shared one
    return build_tree(start=START)


def test_the_services_writes_are_followed(tree):
    assert_exact()
    org_services.move_organization(actor=None, organization=tree.commune_b1, new_parent=tree.district_a, valid_from=D(2024, 7, 1))
    org_services.create_organization(actor=None, parent=tree.commune_a1, name="Chi bộ mới", kind=Kind.SUBORDINATE_CELL,
                                     valid_from=D(2024, 2, 29))
    org_services.close_organization(actor=None, organization=tree.cell_a2, closed_on=D(2024, 6, 30))
    assert_exact()


def test_writes_outside_the_services_are_followed_too(tree):
    """A bulk insert as synth writes it, an update of a date and of a kind, a delete: the
    triggers follow each in its statement."""
    first = Placement.objects.current().get(organization=tree.cell_a1a)
    orgs = Organization.objects.bulk_create([Organization(code=f"BULK-{i}") for i in range(5)])
    Placement.objects.bulk_create([
        Placement(organization=o, parent=tree.commune_a1, name=f"Chi bộ {i}", kind=Kind.SUBORDINATE_CELL, path=f"{first.path.rsplit('/', 2)[0]}/{o.pk}/",
                  depth=first.depth, valid_from=D(2024, 3, 1) + dt.timedelta(days=i), change="created") for i, o in enumerate(orgs)])
    assert_exact()
    Placement.objects.filter(organization__in=orgs[:2]).update(valid_to=D(2024, 6, 30))
    Placement.objects.filter(organization=orgs[2]).update(kind=Kind.GRASSROOTS_CELL, sector="school")
    assert_exact()
    Placement.objects.filter(organization__in=orgs[3:]).delete()
    assert_exact()


def test_the_report_reads_it_and_the_check_finds_a_drift(tree, capsys):
    """Where the root is summarized the organization tables come from the ledger (a row added by
    hand shows in the figure) and `coso measures check` reports the row; a recount puts it right."""
    on = D(2024, 6, 30)
    before = engine.table(ORGANIZATION_MEASURES, None, by="kind", on=on).total["orgs.grassroots_cells"]
    with override_settings(COSO_LEDGER=False):
        assert engine.table(ORGANIZATION_MEASURES, None, by="kind", on=on).total["orgs.grassroots_cells"] == before
    OrgLedgerEntry.objects.create(root=0, child=tree.province.pk, kind=Kind.GRASSROOTS_CELL, sector="other", day=START, n=1)
    assert engine.table(ORGANIZATION_MEASURES, None, by="kind", on=on).total["orgs.grassroots_cells"] == before + 1
    with pytest.raises(SystemExit) as exit_:
        call_command("measures", "check")
    assert exit_.value.code == 1
    assert "organizations" in capsys.readouterr().out
    orgledger.recount()
    assert engine.table(ORGANIZATION_MEASURES, None, by="kind", on=on).total["orgs.grassroots_cells"] == before
    assert_exact()


def test_a_flush_in_any_order_leaves_it_exact(tree):
    """SQLite's flush deletes the tables in no set order: a ledger emptied before the placements
    keeps their −1s (PostgreSQL's flush truncates, which fires no trigger); the recount after the
    flush (post_migrate) puts it right."""
    OrgLedgerEntry.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organizations_placement")
    assert OrgLedgerEntry.objects.exclude(n=0).exists()  # the deleted placements' −1s
    LedgerState.objects.all().delete()  # the flush takes the summaries' state row too
    recount_organizations(sender=None)
    assert not OrgLedgerEntry.objects.exclude(n=0).exists()
    # the state row is back, built (no periods left): the first figure read after a flush writes nothing
    assert LedgerState.objects.get().built


def test_it_stays_small(tree):
    """One row per root, child, kind, sector and day a placement begins or ends: the tree's 15
    placements of one day give fewer rows than three per placement."""
    rows = OrgLedgerEntry.objects.count()
    placements = Placement.objects.count()
    assert 0 < rows < 3 * placements
    assert OrgLedgerEntry.objects.values("root", "day", "child", "kind", "sector").annotate(n=Count("id")).filter(n__gt=1).count() == 0


def test_triggers_lost_with_a_remade_table_are_installed_again_after_migrate(tree):
    """SQLite drops a table's triggers when a migration remakes the table: post_migrate installs
    them again (and recounts), so the writes after it are followed."""
    orgledger.suspend()  # what a remade table leaves
    org_services.create_organization(actor=None, parent=tree.commune_b1, name="Chi bộ không được theo dõi", kind=Kind.SUBORDINATE_CELL,
                                     valid_from=D(2024, 3, 1))
    assert orgledger.differences() != []
    recount_organizations(sender=None)
    assert orgledger.differences() == []
    org_services.create_organization(actor=None, parent=tree.commune_b1, name="Chi bộ được theo dõi", kind=Kind.SUBORDINATE_CELL,
                                     valid_from=D(2024, 4, 1))
    assert_exact()
