"""The database going away during use: requests get a clean 503 page, then work again when it is back."""

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_of(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.staff_a)
    return client


def _database_away(monkeypatch):
    """Every query and every new connection fails as when the server is down or restarting."""
    db = connections["default"]

    def refuse(*args, **kwargs):
        raise db.Database.OperationalError("connection refused: the server is restarting")

    monkeypatch.setattr(db, "create_cursor", refuse)
    monkeypatch.setattr(db, "get_new_connection", refuse)


def _assert_503(response):
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Hệ thống tạm thời gián đoạn" in body and "không kết nối được với cơ sở dữ liệu" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_requests_get_a_503_page_while_the_database_is_away_then_work_again(client_of, tree, monkeypatch):
    pages = ["/to-chuc/", reverse("members:list"), reverse("imports:upload", args=[tree.district_a.pk])]
    for url in pages:
        assert client_of.get(url).status_code == 200
    with monkeypatch.context() as patch:
        _database_away(patch)
        for url in pages:
            _assert_503(client_of.get(url))  # the session and the user cannot be read either
        _assert_503(client_of.post(reverse("imports:upload", args=[tree.district_a.pk]), {}))
    close_old_connections()
    for url in pages:
        assert client_of.get(url).status_code == 200  # back, with the same session


def test_other_errors_still_get_the_500_page(rf):
    from django.db import OperationalError

    from coso.lib.views import database_error, server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/")).status_code == 500
    try:
        try:
            raise OperationalError("server closed the connection")
        except OperationalError:
            raise RuntimeError("while rendering")  # noqa: B904
    except RuntimeError as error:
        assert database_error(error)  # raised while handling a database error: the database is away
        assert server_error(rf.get("/")).status_code == 503


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_postgresql_restart_drops_the_connection_and_the_next_request_reconnects(client_of, tree):
    import psycopg

    assert client_of.get(reverse("members:list")).status_code == 200
    pid = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None, password=db["PASSWORD"] or None,
                         dbname=db["NAME"], autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])  # what a restart does to every connection
    _assert_503(client_of.get(reverse("members:list")))
    close_old_connections()  # what the handler does when a request ends: an unusable connection is closed
    assert client_of.get(reverse("members:list")).status_code == 200
