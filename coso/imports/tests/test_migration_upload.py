"""Migration 0002 moves the uploads of unfinished jobs out of their rows onto the disk."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_upload_kept_in_its_row_moves_to_a_file(tree, people, media):
    executor = MigrationExecutor(connection)
    executor.migrate([("imports", "0001_initial")])
    old = executor.loader.project_state([("imports", "0001_initial")]).apps.get_model("imports", "ImportJob")
    job = old.objects.create(organization_id=tree.district_a.pk, file_name="a.xlsx", file_size=5, content=b"bytes")
    empty = old.objects.create(organization_id=tree.district_a.pk, file_name="b.xlsx", status="done")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from coso.imports.models import ImportJob
    from coso.imports.uploads import read

    moved = ImportJob.objects.get(pk=job.pk)
    assert moved.upload.startswith(f"imports/{tree.district_a.pk}/") and moved.upload_sha256 == hashlib.sha256(b"bytes").hexdigest()
    assert read(moved.upload, moved.upload_sha256) == b"bytes"
    assert ImportJob.objects.get(pk=empty.pk).upload == ""
