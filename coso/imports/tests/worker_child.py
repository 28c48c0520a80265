"""A worker process that stops in the middle of an import's writing phase (test_worker.py).

    python coso/imports/tests/worker_child.py FLAG

It runs `coso worker --batch` with members.bulk.record_members wrapped: once the rows are
written (inside the job's transaction, not committed), it writes FLAG and waits to be killed.
"""

import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from coso.imports import services

    real, flag = services.record_members, Path(sys.argv[1])

    def record_then_hang(*args, **kwargs):
        members = real(*args, **kwargs)
        flag.write_text(str(len(members)))
        time.sleep(300)
        return members

    services.record_members = record_then_hang
    call_command("worker", batch=True, memory_mb=0, verbosity=0)


if __name__ == "__main__":
    main()
