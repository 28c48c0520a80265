"""A worker process that stops in the middle of a restructuring's commit (test_job.py).

    python coso/restructuring/tests/worker_child.py FLAG

It runs `coso worker --batch` with services._rewrite_members wrapped: once the members' periods
are written (inside the commit's transaction, not committed), it writes FLAG and waits to be killed.
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

    from coso.restructuring import services

    real, flag = services._rewrite_members, Path(sys.argv[1])

    def rewrite_then_hang(results, progress=None):
        real(results, progress)
        flag.write_text(str(len(results)))
        time.sleep(300)

    services._rewrite_members = rewrite_then_hang
    call_command("worker", batch=True, memory_mb=0, verbosity=0)


if __name__ == "__main__":
    main()
