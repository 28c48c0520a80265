from .scope import scope_for


def access(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"scope": scope_for(request)}
