"""Passwords: Vietnamese messages for Django's validators, and the demo password that must not
outlive the demo.

Django 5.2 changed the msgids of the "too short" message and its Vietnamese catalogue has not
followed, so users saw English; the messages are ours (decision 0002), the checks Django's.
"""

from django.conf import settings
from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Every account the demo builds has this password (README). Outside the demo (COSO_DEMO unset)
# a user who logs in with it must choose another before doing anything else.
DEMO_PASSWORD = "coso-demo-2025"
MUST_CHANGE_SESSION_KEY = "coso_must_change_password"


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "Mật khẩu cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác.")

    def get_help_text(self):
        return _("Không dùng mật khẩu phổ biến.")

    def validate(self, password, user=None):
        super().validate(password, user)
        if password == DEMO_PASSWORD and not settings.COSO_DEMO:
            raise django_validation.ValidationError(
                _("Đây là mật khẩu của bản trình diễn, ai cũng biết: hãy chọn mật khẩu khác."),
                code="password_demo",
            )


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("Mật khẩu không được chỉ gồm chữ số.")

    def get_help_text(self):
        return _("Mật khẩu không được chỉ gồm chữ số.")


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("Mật khẩu quá giống %(verbose_name)s.")

    def get_help_text(self):
        return _("Mật khẩu không được quá giống tên đăng nhập hay họ tên.")


def must_change(raw_password: str) -> bool:
    """Outside the demo, the demo's well-known password is accepted once, to be replaced."""
    return not settings.COSO_DEMO and raw_password == DEMO_PASSWORD
