"""The project's handler for server errors: a database that is away gets a 503 page, not a 500.

When the database server restarts or cannot be reached, any request that touches it raises
OperationalError (or InterfaceError), in a view or in a middleware (the session, the user). The
page says so in the user's language, asks to try again in a moment, and answers 503 with a
Retry-After; it is rendered without the database (no layout that asks for the user or the
session). The connection is dropped at the end of the request (Django's close_old_connections
with CONN_HEALTH_CHECKS), so the next request reconnects once the database is back.
Every other error goes to Django's 500 handler.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER = 30  # seconds


def database_error(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from or during, says the database is away."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_unavailable() -> HttpResponse:
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    import sys

    if database_error(sys.exc_info()[1]):
        return database_unavailable()
    return django_server_error(request, template_name=template_name)
