"""gunicorn settings for `make serve` (production): `gunicorn -c coso/gunicorn_conf.py coso.wsgi`.

Every value can be changed by an environment variable:

COSO_BIND            address and port (default 127.0.0.1:8000; behind a reverse proxy keep it local)
COSO_WORKERS         processes (default: 2 per core). Each runs Python on one core at a time: a
                     page is CPU work (templates, the measure engine), so more processes than
                     about twice the cores only queue the same work.
COSO_THREADS         threads per process (default 4): a thread waiting on the database or the
                     network lets another of its process run.
COSO_TIMEOUT         seconds a request may run before its worker is restarted (default 120: the
                     standard report's PDF and the Excel exports of a large committee take seconds)
COSO_KEEPALIVE       seconds an idle connection is kept open (default 75)
COSO_ACCESS_LOG      "0" turns the access log (on standard output) off
COSO_MAX_REQUESTS    replace a worker after this many requests (default 0: never; see below)

Static files are served by WhiteNoise inside the application (hashed names, a year's cache,
gzip; `make serve` collects them first): no separate static server is needed.
"""

import multiprocessing
import os

_cores = multiprocessing.cpu_count()

bind = os.environ.get("COSO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("COSO_WORKERS", 2 * _cores))
threads = int(os.environ.get("COSO_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("COSO_TIMEOUT", 120))
graceful_timeout = 30
# an idle connection is kept for 75 s (nginx's default): a browser's next page, after the user has
# read this one, reuses it. With gunicorn's 5 s, a request sent just as the server closed the
# idle connection was reset (12 of 2,219 requests in `make bench-load`, think time 5–15 s).
# gthread keeps idle connections in its poller, not in a thread: they cost a socket each.
keepalive = int(os.environ.get("COSO_KEEPALIVE", 75))
# Workers are not replaced after a number of requests unless COSO_MAX_REQUESTS says so: a
# replaced worker closes the idle keep-alive connections it holds, and a browser's request sent on
# one at that instant is reset ("Connection reset by peer": 2 of 4,966 requests in `make
# bench-load` at 400 users, where each of the 4 workers reached 2,000 requests within the window).
# A deployment that sees a process's memory grow can set it (e.g. 20000); jitter spreads the restarts.
max_requests = int(os.environ.get("COSO_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
# the application is imported once in the master and shared by the workers (copy on write)
preload_app = True
accesslog = None if os.environ.get("COSO_ACCESS_LOG") == "0" else "-"
errorlog = "-"
# no runtime control socket (gunicorn 27 opens one in the home directory by default; two servers
# on one machine, or a read-only home, would trip on it): restart with a signal instead
control_socket_disable = True
# requests arriving at once beyond what the workers hold wait in the kernel's queue
backlog = 2048


def post_worker_init(worker):
    """Load WeasyPrint and its fonts in each worker before it takes requests: the first PDF of a
    process no longer pays for them (coso/reports/pdf.py)."""
    from coso.reports import pdf

    try:
        pdf.warm_up()
    except Exception:  # a missing font or library must not stop the worker; the PDF will say so
        worker.log.exception("PDF warm-up failed")
