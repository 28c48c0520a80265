# The villages' resident spans (coso/measures/residence.py), counted at once where the ledger is built
# (its reads then use them).

import django.db.models.deletion
from django.db import migrations, models


def count_spans(apps, schema_editor):
    state = apps.get_model("measures", "LedgerState").objects.order_by("pk").first()
    if state is not None and state.built:
        from coso.measures import residence

        residence.rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0001_initial'),
        ('places', '0001_initial'),
        ('members', '0010_memberevent_owner'),
        ('people', '0005_search_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='VillageResidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField()),
                ('valid_to', models.DateField(null=True)),
                ('village', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.adminunit')),
            ],
            options={
                'indexes': [models.Index(fields=['village', 'valid_from'], name='measures_residence_idx')],
            },
        ),
        migrations.RunPython(count_spans, migrations.RunPython.noop),
    ]
