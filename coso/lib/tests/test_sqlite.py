"""The SQLite library under Django's backend returns only rows that match (coso/lib/sqlite.py)."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import Database

from coso.lib import sqlite

# the shape of the villages' posts query (coso/measures/villageposts.py) with the statistics the
# national synthesizer leaves: an equality on the index's first column through a join, an IN
# list on its second, a range on its third
SCHEMA = """
CREATE TABLE body(id INTEGER PRIMARY KEY, village_id INT);
CREATE TABLE post(id INTEGER PRIMARY KEY, title TEXT NOT NULL, valid_from DATE NOT NULL, body_id INT NOT NULL);
CREATE INDEX post_body ON post(body_id, title, valid_from);
INSERT INTO body VALUES (14, 5);
INSERT INTO post VALUES (1, 'village_head', '2024-03-02', 14);
ANALYZE;
DELETE FROM sqlite_stat1;
INSERT INTO sqlite_stat1 VALUES ('post', 'post_body', '729 3 2 2');
ANALYZE sqlite_schema;
"""
HEADS_ON_1_MARCH = """
SELECT p.id FROM post p JOIN body b ON p.body_id = b.id
WHERE p.valid_from <= '2024-03-01' AND b.village_id IN (5, 6)
  AND p.title IN ('village_head', 'cell_committee_member', 'cell_deputy', 'cell_secretary')
"""


def test_the_library_in_use_does_not_return_a_post_that_begins_after_the_date():
    """A village head appointed on 02/03/2024 is not one on 01/03/2024 (SQLite 3.40.1 said he was)."""
    db = Database.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        assert db.execute(HEADS_ON_1_MARCH).fetchall() == []
    finally:
        db.close()
    assert not sqlite.wrong_results()


@pytest.mark.parametrize(("version", "wrong"), [((3, 40, 1), True), ((3, 41, 2), True), ((3, 42, 0), False), ((3, 51, 1), False)])
def test_an_older_sqlite_is_named_and_gathers_no_statistics(monkeypatch, version, wrong):
    monkeypatch.setattr(sqlite, "library_version", lambda: version)
    assert sqlite.wrong_results() is wrong
    monkeypatch.setattr(sqlite, "uses_sqlite", lambda: True)
    warnings = sqlite.check_library()
    assert [w.id for w in warnings] == (["coso.W001"] if wrong else [])
    if wrong:
        assert ".".join(map(str, version)) in warnings[0].msg

    class Sqlite:
        vendor = "sqlite"

    class Postgres:
        vendor = "postgresql"

    assert sqlite.may_analyze(Sqlite()) is not wrong
    assert sqlite.may_analyze(Postgres())
    monkeypatch.setattr(sqlite, "uses_sqlite", lambda: False)
    assert sqlite.check_library() == []  # PostgreSQL only: nothing to say


def test_django_and_the_standard_module_name_one_library():
    """Two copies of SQLite in one process would not see each other's locks on a file."""
    import sqlite3

    assert sqlite3.sqlite_version == Database.sqlite_version
    if connection.vendor == "sqlite":
        assert connection.Database is Database
