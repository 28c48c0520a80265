"""Test helper: a downloaded file as a plain response (exports stream a complete temporary file)."""

from django.http import HttpResponse


def whole(response):
    """The response with its body read (response.content works whether it streamed or not)."""
    if not response.streaming:
        return response
    copy = HttpResponse(response.getvalue(), status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    return copy
