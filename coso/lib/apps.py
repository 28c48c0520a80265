from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "coso.lib"
    label = "lib"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_seen

        # a session starts as just refreshed: the request after a login writes nothing
        user_logged_in.connect(lambda sender, request, user, **kwargs: mark_seen(request.session),
                               dispatch_uid="coso.lib.session_seen", weak=False)
