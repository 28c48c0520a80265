"""Logging: a request refused for the client's sake (400, 403, 404) is one line, not a traceback."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Django logs a PermissionDenied or a SuspiciousOperation with the exception attached, which
    prints its whole traceback for what is an ordinary refusal. Keep the line, drop the trace;
    server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None and record.name.startswith("django.security"):
            status = 400
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
