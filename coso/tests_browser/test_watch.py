"""The watch itself: it must see a CSP violation and an outside request, or its checks mean nothing."""

import pytest

from .conftest import Watch

pytestmark = pytest.mark.browser


def test_outside_requests_are_told_apart_from_local_ones():
    watch = Watch(requests=[
        "http://localhost:8081/static/coso/app.css",
        "http://127.0.0.1:8081/to-chuc/",
        "data:image/svg+xml,%3csvg%3e",
        "https://assets.example.org/bootstrap.css",
        "http://localhost.evil.example/x",
        "ws://10.0.0.1/socket",
    ])
    assert watch.outside_requests() == [
        "https://assets.example.org/bootstrap.css", "http://localhost.evil.example/x", "ws://10.0.0.1/socket",
    ]


def test_an_error_response_or_console_error_fails_the_check():
    Watch(requests=["http://localhost:1/"]).assert_clean()
    with pytest.raises(AssertionError):
        Watch(requests=["http://localhost:1/"], bad_responses=["404 http://localhost:1/favicon.ico"]).assert_clean()
    with pytest.raises(AssertionError):
        Watch(requests=["http://localhost:1/"], console_errors=["Refused to apply inline style"]).assert_clean()


@pytest.mark.django_db(transaction=True)
def test_the_console_check_sees_a_csp_violation(live_server, page, watch):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate("""() => {
            const s = document.createElement("script");
            s.textContent = "window.inlineRan = true";
            document.body.append(s);
        }""")
    assert page.evaluate("() => window.inlineRan") is None  # the CSP blocked it
    assert any("Content Security Policy" in e for e in watch.console_errors), watch.console_errors
    with pytest.raises(AssertionError):
        watch.assert_clean()
