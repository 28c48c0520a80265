# Issue #14 (the targets dashboard), #12: each member event stores the organization it belongs to
# (coso/members/owners.py), so the measures read a subtree's events by (owner, type, date) instead
# of finding each event's organization through correlated subqueries at count time.
#
# The backfill is three set-based UPDATEs (the rule of owners.owner_of, frozen here in SQL: the
# live module may change after this migration): arriving events naming their organization take
# it; arriving events without one take the member's period in force on the date; the others the
# period in force the day before, else the organization they name. Each reads the member's periods
# from members_period_member_cover; the index is built after the backfill (one sort, not an
# insert per updated row). `coso measures check` then reports zero differing owners.
#
# PostgreSQL: the UPDATEs rewrite every row of members_memberevent; run
# VACUUM (ANALYZE) members_memberevent after this migration (index-only scans need the visibility
# map, and the planner the new column's statistics).

import django.db.models.deletion
from django.db import migrations, models

ARRIVING = ("admitted", "readmitted", "joined_by_transfer", "transfer_received", "recorded", "restored")

PERIOD_ON_DAY = (
    "SELECT p.organization_id FROM members_memberperiod p WHERE p.member_id = members_memberevent.member_id "
    "AND p.valid_from <= members_memberevent.effective_date "
    "AND (p.valid_to IS NULL OR p.valid_to > members_memberevent.effective_date) ORDER BY p.valid_from DESC LIMIT 1"
)
PERIOD_DAY_BEFORE = (
    "SELECT p.organization_id FROM members_memberperiod p WHERE p.member_id = members_memberevent.member_id "
    "AND p.valid_from < members_memberevent.effective_date "
    "AND (p.valid_to IS NULL OR p.valid_to >= members_memberevent.effective_date) ORDER BY p.valid_from DESC LIMIT 1"
)


def backfill(apps, schema_editor):
    arriving = ", ".join(["%s"] * len(ARRIVING))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE members_memberevent SET owner_id = organization_id "
                       f"WHERE type IN ({arriving}) AND organization_id IS NOT NULL", ARRIVING)
        cursor.execute(f"UPDATE members_memberevent SET owner_id = ({PERIOD_ON_DAY}) "
                       f"WHERE type IN ({arriving}) AND organization_id IS NULL", ARRIVING)
        cursor.execute(f"UPDATE members_memberevent SET owner_id = COALESCE(({PERIOD_DAY_BEFORE}), organization_id) "
                       f"WHERE type NOT IN ({arriving})", ARRIVING)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0009_alter_memberevent_type'),
        ('organizations', '0002_placement_name_order'),
    ]

    operations = [
        migrations.AddField(
            model_name='memberevent',
            name='owner',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='memberevent',
            index=models.Index(fields=['owner', 'type', 'effective_date', 'member', 'transfer_kind'], name='members_event_owner_idx'),
        ),
    ]
