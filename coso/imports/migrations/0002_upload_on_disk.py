"""An import's uploaded file moves from the job row to a file on disk (imports/uploads.py)."""

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def files_out_of_rows(apps, schema_editor):
    ImportJob = apps.get_model("imports", "ImportJob")
    for job in ImportJob.objects.exclude(content=b"").only("pk", "organization_id", "content").iterator(chunk_size=10):
        content = bytes(job.content)
        folder = Path(settings.MEDIA_ROOT) / "imports" / str(job.organization_id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / secrets.token_hex(16)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        ImportJob.objects.filter(pk=job.pk).update(upload=path.relative_to(settings.MEDIA_ROOT).as_posix(),
                                                   upload_sha256=hashlib.sha256(content).hexdigest())


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='upload',
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name='importjob',
            name='upload_sha256',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='importjob',
            name='worker',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(files_out_of_rows, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='importjob',
            name='content',
        ),
    ]
