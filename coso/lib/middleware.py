import time

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise (the language cookie set by set_language).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and office PCs often
    run an English browser: our users expect Vietnamese first, English only when they pick it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response


SEEN = "_coso_seen"  # when the session's expiry was last pushed forward (seconds since the epoch)


def mark_seen(session) -> None:
    session[SEEN] = int(time.time())


class SlidingSessionMiddleware:
    """An idle session expires SESSION_COOKIE_AGE after the last request, without a database
    write on every request.

    Django's SESSION_SAVE_EVERY_REQUEST rewrites the session row on each page, htmx partial and
    export: a write transaction per request, which on SQLite queues behind any other writer (an
    import holds the write lock for seconds) and costs three statements everywhere. Here the row
    is rewritten (and so its expiry moved to now + SESSION_COOKIE_AGE) only when the last refresh
    is older than SESSION_REFRESH_SECONDS: a session expires between SESSION_COOKIE_AGE minus that
    interval and SESSION_COOKIE_AGE after the user's last request. Placed right after
    SessionMiddleware, so that its response step runs first and the session is saved by it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.refresh = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            seen = session.get(SEEN)
            if session.modified or not isinstance(seen, int) or time.time() - seen >= self.refresh:
                mark_seen(session)  # saved by SessionMiddleware, with a new expiry
        return response
