# The ledger of member events (coso/measures/eventledger.py), counted at once where the ledger is built.
from django.db import migrations, models


def count_events(apps, schema_editor):
    state = apps.get_model("measures", "LedgerState").objects.order_by("pk").first()
    if state is not None and state.built:
        from coso.measures import eventledger

        eventledger.rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0002_village_residence'),
        ('organizations', '0002_placement_name_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventLedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('root', models.BigIntegerField()),
                ('parent', models.BigIntegerField()),
                ('type', models.CharField(max_length=20)),
                ('kind', models.CharField(max_length=10)),
                ('day', models.DateField()),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['parent', 'day', 'root'], name='measures_event_ledger_parent')],
                'constraints': [models.UniqueConstraint(fields=('root', 'day', 'parent', 'type', 'kind'), name='measures_event_ledger_key')],
            },
        ),
        migrations.RunPython(count_events, migrations.RunPython.noop),
    ]
