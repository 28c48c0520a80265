from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Django's own message for a NUL character in a form field has no Vietnamese translation; every
# CharField of every form says it in ours (decision 0002). Requests whose fields hold one are
# refused before any form sees them (middleware.RefuseNulMiddleware); this covers the forms of
# multipart requests, whose body the middleware leaves to the view.
NUL_MESSAGE = _("Ô này có ký tự NUL (mã 0), không phải chữ: hãy gõ lại nội dung, không sao chép từ tệp nhị phân.")


class LibConfig(AppConfig):
    name = "coso.lib"
    label = "lib"

    def ready(self):
        from django.core import validators

        validators.ProhibitNullCharactersValidator.message = NUL_MESSAGE

        from . import pagecache

        pagecache.connect()  # every write to the figures' data moves the pages' token

        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_seen

        # a session starts as just refreshed: the request after a login writes nothing
        def seen(sender, request=None, user=None, **kwargs):
            if getattr(request, "session", None) is not None:
                mark_seen(request.session)

        user_logged_in.connect(seen, dispatch_uid="coso.lib.session_seen", weak=False)

        from django.core import checks

        from .sqlite import check_library

        checks.register(check_library)
