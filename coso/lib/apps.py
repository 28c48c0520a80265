from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "coso.lib"
    label = "lib"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_seen

        # a session starts as just refreshed: the request after a login writes nothing
        def seen(sender, request=None, user=None, **kwargs):
            if getattr(request, "session", None) is not None:
                mark_seen(request.session)

        user_logged_in.connect(seen, dispatch_uid="coso.lib.session_seen", weak=False)
