"""A write refused by the scope's dates (decision 0007): a 403 page in the layout saying why."""

from django.shortcuts import render

from .scope import ReadOnly


class ReadOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ReadOnly):
            return render(request, "access/read_only.html", {"reason": str(exception)}, status=403)
        return None
