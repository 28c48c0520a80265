"""A primary and a streaming-replication standby on loopback ports (issue #12 point 6): members
and an event recorded on the primary are read back as the same national figures on the standby.

Started with PostgreSQL's own tools (initdb, pg_basebackup -R, pg_ctl) in a temporary directory,
the app in a separate process configured as a deployment is (DATABASE_URL, COSO_REPLICAS), both
servers stopped by their process ids at the end. Runs in the PostgreSQL run of `make test`;
skipped with the reason where PostgreSQL's server programs are not installed (`make pg-deps`).
"""

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
ROOT = Path(__file__).resolve().parents[3]


def _server_bin() -> Path | None:
    candidates = []
    if pg_config := shutil.which("pg_config"):
        candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in map(Path, filter(None, candidates)):
        if all((folder / p).is_file() for p in PROGRAMS):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    """initdb, pg_ctl and pg_basebackup as an unprivileged user (PostgreSQL refuses root)."""

    def __init__(self, bin_dir: Path, base: Path):
        self.bin, self.base = bin_dir, base
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.pids: list[int] = []

    def run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / program), *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{program} {' '.join(args)}: {done.stderr or done.stdout}"

    def configure(self, data: Path, port: int) -> None:
        with open(data / "postgresql.conf", "a") as conf:  # written as that user's file stays theirs
            conf.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.base}'\n"
                       "wal_level = replica\nmax_wal_senders = 4\nfsync = off\nsynchronous_commit = off\n"
                       "full_page_writes = off\nshared_buffers = 32MB\n")

    def start(self, data: Path) -> None:
        self.run("pg_ctl", "-D", str(data), "-l", str(self.base / f"{data.name}.log"), "-w", "-t", "60", "start")
        self.pids.append(int((data / "postmaster.pid").read_text().split()[0]))

    def stop_all(self) -> None:
        for pid in self.pids:  # a fast shutdown (SIGINT), then wait for the process to go
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + 30
        for pid in self.pids:
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def primary_and_standby():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("starts its own PostgreSQL servers: runs in the PostgreSQL run of make test")
    bin_dir = _server_bin()
    if bin_dir is None:
        pytest.skip(f"PostgreSQL's server programs ({', '.join(PROGRAMS)}) are not installed: make pg-deps installs them")
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a 'postgres' user to run the servers as")
    base = Path(tempfile.mkdtemp(prefix="coso-replica-"))
    if os.geteuid() == 0:
        os.chown(base, user.pw_uid, user.pw_gid)
    servers = Servers(bin_dir, base)
    try:
        primary, standby = base / "primary", base / "standby"
        ports = _free_port(), _free_port()
        servers.run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
        servers.configure(primary, ports[0])
        servers.start(primary)
        servers.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "-D", str(standby), "-R",
                    "-X", "stream", "--no-sync")
        servers.configure(standby, ports[1])  # the copy's own port; -R wrote primary_conninfo and standby.signal
        servers.start(standby)
        yield [f"postgres://postgres@127.0.0.1:{port}/postgres" for port in ports]
    finally:
        servers.stop_all()
        shutil.rmtree(base, ignore_errors=True)


def _app(primary: str, standby: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": primary, "COSO_REPLICAS": standby, "DJANGO_SETTINGS_MODULE": "coso.settings"}
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _replayed(standby: str) -> str:
    import psycopg

    with psycopg.connect(standby, autocommit=True) as c:
        return c.execute("SELECT pg_last_wal_replay_lsn()::text").fetchone()[0]


def _lsn(text: str) -> int:
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def test_the_standby_answers_the_national_figures_the_primary_recorded(primary_and_standby):
    import psycopg

    primary, standby = primary_and_standby
    _app(primary, standby, "manage.py", "migrate", "--noinput", "-v0")
    wrote = json.loads(_app(primary, standby, "-m", "coso.lib.tests.replica_probe", "write").stdout.strip().splitlines()[-1])

    deadline = time.monotonic() + 60
    while _lsn(_replayed(standby)) < _lsn(wrote["lsn"]):  # the standby has replayed the write
        assert time.monotonic() < deadline, "the standby did not catch up in 60 s"
        time.sleep(0.2)

    read = json.loads(_app(primary, standby, "-m", "coso.lib.tests.replica_probe", "read").stdout.strip().splitlines()[-1])
    assert read["standby_statements"] > 0, "the figures were not read on the standby"
    assert read["standby"] == read["primary"]
    assert read["standby"]["total"] == {"members": 3, "members.official": 3, "members.probationary": 0, "members.exempted": 1}

    with psycopg.connect(standby, autocommit=True) as c, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        c.execute("CREATE TABLE written_on_the_standby (x int)")  # a standby takes no write
