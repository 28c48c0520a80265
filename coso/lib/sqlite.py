"""The SQLite library coso runs on, and why it is not always the system's.

SQLite before 3.42.0 returns rows that fail their own WHERE clause in one kind of query: an
equality on an index's first column (a join's), an IN list on its second and a range on its third,
once ANALYZE has left statistics (sqlite_stat1) that make the planner scan the IN list with
OP_SeekScan, which then jumps over the range's upper-bound test (SQLite ticket b50528af4468237c,
fixed on 30/03/2023). coso asks exactly that of the posts of a commune's villages (body, title IN
the village titles, valid_from <= the date: the index grassroots_post_body_idx), and the national
synthesizer runs ANALYZE (coso/data/synth/political.py): the villages family then counted a village
head on the day before his appointment. Debian 12, the servers' system, ships 3.40.1.

So Django's SQLite backend is given a recent SQLite: `pysqlite3-binary` (the standard library's
sqlite3 module built with its own copy of SQLite), installed by requirements.lock where a wheel
exists (Linux x86-64), is put in place of the standard module by `use_bundled()` before anything
of Django's is imported (coso/__init__.py). One library for the whole process: two copies of
SQLite in one process do not see each other's POSIX locks on the same file.

Where it cannot be installed and the system's SQLite is older, `wrong_results()` says so (a system
check warns at every start) and `may_analyze()` is False: without statistics the planner never
takes that path, so figures stay right, at the cost of slower reads at national scale.
"""

import sys

# the first release with the fix of ticket b50528af4468237c (OP_SeekScan past the range's end)
FIXED_IN = (3, 42, 0)


def use_bundled() -> bool:
    """Make `import sqlite3` give pysqlite3 (a recent SQLite) when it is installed. Returns
    whether it did."""
    try:
        import pysqlite3
        from pysqlite3 import dbapi2
    except ImportError:
        return False
    sys.modules["sqlite3"] = pysqlite3
    sys.modules["sqlite3.dbapi2"] = dbapi2
    return True


def library_version() -> tuple[int, ...]:
    """The version of the SQLite library Django's SQLite backend uses."""
    from django.db.backends.sqlite3.base import Database

    return tuple(Database.sqlite_version_info)


def wrong_results(version: tuple[int, ...] | None = None) -> bool:
    """Whether this SQLite can return rows that fail their WHERE clause (the bug above)."""
    return (version or library_version()) < FIXED_IN


def may_analyze(connection) -> bool:
    """Whether statistics may be gathered on this connection's database (ANALYZE): always on
    PostgreSQL; on SQLite only with a library that has the fix."""
    return connection.vendor != "sqlite" or not wrong_results()


def uses_sqlite() -> bool:
    from django.conf import settings

    return any(db.get("ENGINE", "").endswith("sqlite3") for db in settings.DATABASES.values())


def check_library(app_configs=None, **kwargs) -> list:
    """A system check: a warning at every start while a database runs on a SQLite with the bug."""
    from django.core.checks import Warning
    from django.utils.translation import gettext as _

    if not uses_sqlite():
        return []
    version = library_version()
    if not wrong_results(version):
        return []
    return [Warning(
        _("SQLite %(version)s có lỗi trả về sai dòng cho một số truy vấn dùng chỉ mục (đã sửa từ bản 3.42.0).")
        % {"version": ".".join(map(str, version))},
        hint=_("Cài pysqlite3-binary (có trong requirements.lock) hoặc SQLite mới hơn. Trong khi chờ, coso không thu "
               "thập thống kê (ANALYZE) trên SQLite: số liệu vẫn đúng nhưng đọc ở quy mô toàn quốc chậm hơn."),
        id="coso.W001",
    )]
