import time

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _


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


class NoStoreMiddleware:
    """Pages and files served to a logged-in user hold personal data: no browser or proxy keeps
    a copy (`Cache-Control: no-store`). Static files never reach here (WhiteNoise answers them
    above), and a response that set its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


def _multipart(request) -> bool:
    return request.content_type == "multipart/form-data"


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class RefuseNulMiddleware:
    """A NUL character (code 0) in a query string or a form field is never data: no name, date or
    number holds one, and PostgreSQL cannot store it. The request is refused with a Vietnamese
    400 page before any view or form sees it, so nothing is written and nothing crashes.
    A multipart body (an upload) is left to the view, which may set its own upload handlers
    before the body is read; its text fields are checked by the forms (Django's NUL validator,
    with our message: coso.lib.apps). Uploaded files are never inspected (an .xlsx is binary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _holds_nul(request.GET) or (request.method == "POST" and not _multipart(request) and _holds_nul(request.POST)):
            message = _("Dữ liệu gửi lên có ký tự NUL (mã 0), không phải chữ: hãy gõ lại hoặc dán lại nội dung, không sao chép từ tệp nhị phân.")
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


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
