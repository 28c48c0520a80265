"""Access middleware.

- Before anything else, a user who logged in with the demo's well-known password outside the
  demo chooses their own (coso.access.passwords.must_change).
- A write refused by the scope's dates (decision 0007) is a 403 page in the layout saying why.
"""

from django.shortcuts import redirect, render
from django.urls import reverse

from .passwords import MUST_CHANGE_SESSION_KEY
from .scope import ReadOnly


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_SESSION_KEY) and request.user.is_authenticated:
            allowed = {reverse("access:password_change"), reverse("access:logout"), reverse("set_language")}
            if request.path not in allowed:
                return redirect("access:password_change")
        return self.get_response(request)


class ReadOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ReadOnly):
            return render(request, "access/read_only.html", {"reason": str(exception)}, status=403)
        return None
