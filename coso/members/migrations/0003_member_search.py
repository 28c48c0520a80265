"""MemberSearch, filled from the members there are, then its indexes (faster than filling them row
by row: one sort each). The rows' SQL is a copy of coso/members/search.py's at this date, so the
migration keeps working if that module changes."""

import django.db.models.deletion
from django.db import migrations, models

INDEX_FIELDS = ["name_sort", "person_id", "name_folded", "status", "organization_id", "member"]


def _path_part(path: str, n: int, vendor: str) -> str:
    if vendor != "sqlite":
        return f"NULLIF(split_part({path}, '/', {n + 1}), '')::bigint"
    rest = f"substr({path}, 2)"
    if n == 2:
        rest = f"substr({path}, instr({rest}, '/') + 2)"
    return f"CAST(NULLIF(substr({rest}, 1, instr({rest}, '/') - 1), '') AS INTEGER)"


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO members_membersearch (member_id, person_id, status, name_folded, name_sort, organization_id, root_id, branch_id) "
            f"SELECT m.id, m.person_id, m.status, p.name_folded, p.name_sort, m.organization_id, {_path_part('pl.path', 1, vendor)}, "
            f"{_path_part('pl.path', 2, vendor)} FROM members_member m JOIN people_person p ON p.id = m.person_id "
            "LEFT JOIN organizations_placement pl ON pl.organization_id = m.organization_id AND pl.valid_to IS NULL"
        )
        cursor.execute("INSERT INTO members_membersearchsync (id, placement_id) SELECT 1, COALESCE(MAX(id), 0) FROM organizations_placement")


def analyze(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ANALYZE members_membersearch")


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_initial'),
        ('organizations', '0001_initial'),
        ('people', '0002_person_search_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='MemberSearchSync',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('placement_id', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='MemberSearch',
            fields=[
                ('member', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='members.member')),
                ('person_id', models.BigIntegerField()),
                ('status', models.CharField(max_length=12)),
                ('name_folded', models.CharField(max_length=150)),
                ('name_sort', models.CharField(max_length=320)),
                ('organization_id', models.BigIntegerField(null=True)),
                ('root_id', models.BigIntegerField(null=True)),
                ('branch_id', models.BigIntegerField(null=True)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='membersearch',
            index=models.Index(fields=['root_id', *INDEX_FIELDS], name='members_search_root_sort_idx'),
        ),
        migrations.AddIndex(
            model_name='membersearch',
            index=models.Index(fields=['root_id', 'name_folded', 'name_sort', 'person_id', 'status', 'organization_id', 'member'], name='members_search_root_name_idx'),
        ),
        migrations.AddIndex(
            model_name='membersearch',
            index=models.Index(fields=['branch_id', *INDEX_FIELDS], name='members_search_branch_idx'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
