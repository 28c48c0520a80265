# The ledger of organizations (coso/measures/orgledger.py): the table, the triggers on the
# placements that keep it, and its first count from the placements there are.
from django.db import migrations, models


def install(apps, schema_editor):
    from coso.measures import orgledger

    orgledger.install()
    orgledger.recount()


def uninstall(apps, schema_editor):
    from coso.measures import orgledger

    orgledger.suspend()


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0003_event_ledger'),
        ('organizations', '0002_placement_name_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='OrgLedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('root', models.BigIntegerField()),
                ('child', models.BigIntegerField()),
                ('kind', models.CharField(max_length=16)),
                ('sector', models.CharField(max_length=16)),
                ('day', models.DateField()),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('root', 'day', 'child', 'kind', 'sector'), name='measures_orgledger_key')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
