"""The raw-SQL form of "in force on a date" answers what the ORM's form answers."""

import datetime as dt

import pytest
from django.db import connection

from coso.lib.dated import in_force_q, in_force_sql
from coso.organizations.models import Placement

D = dt.date


@pytest.mark.django_db
def test_in_force_sql_picks_the_placements_in_force_q_picks(tree):
    from coso.organizations import services

    services.move_organization(actor=None, organization=tree.cell_a2, new_parent=tree.district_b, valid_from=D(2024, 6, 1))
    services.close_organization(actor=None, organization=tree.cell_b1a, closed_on=D(2024, 9, 1))
    table = Placement._meta.db_table
    for on in (D(2023, 12, 31), D(2024, 1, 1), D(2024, 5, 31), D(2024, 6, 1), D(2024, 8, 31), D(2024, 9, 1), D(2030, 1, 1)):
        with connection.cursor() as cursor:
            day = connection.ops.adapt_datefield_value(on)
            cursor.execute(f"SELECT p.id FROM {table} p WHERE {in_force_sql('p', '%s')}", [day, day])  # the date twice
            found = {row[0] for row in cursor.fetchall()}
        assert found == set(Placement.objects.filter(in_force_q(on)).values_list("pk", flat=True)), on
    assert len(found) < Placement.objects.count()  # a moved and a closed organization: some placements not in force
