from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import StyledForm

from .passwords import MUST_CHANGE_SESSION_KEY, must_change


class LoginForm(AuthenticationForm, StyledForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if must_change(form.cleaned_data.get("password") or ""):
            # set after login(), which cycles the session key but keeps its data
            self.request.session[MUST_CHANGE_SESSION_KEY] = True
            return redirect("access:password_change")
        return response


class LogoutView(auth_views.LogoutView):
    pass


class OwnPasswordForm(PasswordChangeForm, StyledForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """A user changes their own password; the session stays logged in (Django updates its hash)."""

    template_name = "access/password_change.html"
    form_class = OwnPasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(MUST_CHANGE_SESSION_KEY, None)
        messages.success(self.request, gettext("Đã đổi mật khẩu."))
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "forced": bool(self.request.session.get(MUST_CHANGE_SESSION_KEY))}


@login_not_required
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the layout's 403 page, saying what to do (a stale page, cookies off)."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
