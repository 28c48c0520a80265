"""What each page of the load mix costs the server: `python -m coso.data.bench.pagecost [PAGE...]`.

Issue #11 §2: the load benchmark (coso/data/bench/load.py) is CPU-bound, so what matters is the
server's CPU per request. For each page of the locust mix (coso/data/bench/locustfile.py) and each
demo account that opens it: the CPU time (process_time) of a warm request through Django's test
client, the median and the least of BENCH_PAGECOST_REPEAT (9) runs (the least is the
figure to compare on a busy machine: other processes only ever add to it), its number of SQL statements and the size of
the response. Run it on the demo database (`make demo`, or COSO_DATA_DIR / DATABASE_URL naming one).
"""

import os
import statistics
import sys
import time

import django

REPEAT = int(os.environ.get("BENCH_PAGECOST_REPEAT", "9"))
PAGES = [
    # (name, url, params, accounts)
    ("report", "/bao-cao/thong-ke/", {}, ["danang.tochuc", "ducphu.tochuc", "nuithanh.tochuc", "admin", "tamson.bithu"]),
    ("dashboard", "/bao-cao/tong-quan/", {}, ["danang.tochuc", "ducphu.tochuc", "admin"]),
    ("member list", "/dang-vien/", {}, ["danang.tochuc", "ducphu.tochuc"]),
    ("member search", "/dang-vien/", {"tim": "nguyen van"}, ["danang.tochuc"]),
    ("organization tree", "/to-chuc/", {}, ["danang.tochuc"]),
    ("candidates", "/dang-vien/quan-chung/", {}, ["danang.tochuc"]),
    ("member export (.xlsx)", "/nhap-xuat/xuat/dang-vien/", {}, ["ducphu.tochuc", "nuithanh.tochuc"]),
]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    only = set(sys.argv[1:])
    users = get_user_model().objects
    print(f"{'page':24} {'account':18} {'CPU ms':>7} {'least':>7} {'stmts':>6} {'KB':>7}")
    for name, url, params, accounts in PAGES:
        if only and name not in only:
            continue
        for account in accounts:
            client = Client()
            client.force_login(users.get(username=account))
            response = client.get(url, params)  # warm: anything done once per process
            times = []
            for _ in range(REPEAT):
                with CaptureQueriesContext(connection) as queries:
                    start = time.process_time()
                    response = client.get(url, params)
                    body = b"".join(response) if response.streaming else response.content
                    times.append((time.process_time() - start) * 1000)
            assert response.status_code == 200, (url, account, response.status_code)
            print(f"{name:24} {account:18} {statistics.median(times):7.1f} {min(times):7.1f} {len(queries.captured_queries):6d} {len(body) / 1024:7.0f}")


if __name__ == "__main__":
    main()
