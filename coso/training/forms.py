"""Training forms: they read and check input; training.services applies the rules (its
ValidationErrors land on these forms through apply_service_error)."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.grassroots.permissions import visible_holders
from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.organizations.selectors import organization_label

from .choices import Body, Mode, Program, Result


def person_label(person) -> str:
    return f"{person.full_name} ({person.birth_display})" if person.birth_date else person.full_name


class CourseForm(StyledForm):
    organizer = forms.ModelChoiceField(label=_("Tổ chức đảng quản lý lớp học"), queryset=None,
                                       widget=SearchSelect(search_url=reverse_lazy("organizations:options")),
                                       help_text=_("Cấp ủy mở lớp hoặc cử học viên đi học; lớp hiện trong phạm vi của tổ chức này."))
    name = forms.CharField(label=_("Tên lớp"), max_length=255, help_text=_("Ví dụ: Lớp sơ cấp lý luận chính trị khóa I năm 2025."))
    program = forms.ChoiceField(label=_("Chương trình"), choices=Program.choices)
    body = forms.ChoiceField(label=_("Cơ sở đào tạo"), choices=Body.choices)
    body_name = forms.CharField(label=_("Tên cơ sở đào tạo"), max_length=255, required=False)
    mode = forms.ChoiceField(label=_("Hình thức học"), choices=Mode.choices, initial=Mode.FULL_TIME)
    starts_on = DateField(label=_("Ngày khai giảng"))
    ends_on = DateField(label=_("Ngày bế giảng"))
    decision_number = forms.CharField(label=_("Số quyết định mở lớp"), max_length=100, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = scope.organizations()
        limit_picker(self, "organizer", organization_label)


class EnrolForm(StyledForm):
    person = forms.ModelChoiceField(label=_("Học viên"), queryset=None,
                                    widget=SearchSelect(search_url=reverse_lazy("grassroots:person_options")),
                                    help_text=_("Gõ tên (có hoặc không dấu) để tìm người trong phạm vi của bạn."))
    enrolled_on = DateField(label=_("Ngày nhập học"), required=False, help_text=_("Để trống: ngày khai giảng."))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_holders(scope)
        limit_picker(self, "person", person_label)


class CompleteForm(StyledForm):
    completed_on = DateField(label=_("Ngày hoàn thành"))
    certificate_number = forms.CharField(label=_("Số văn bằng, chứng chỉ"), max_length=50)
    certificate_issued_on = DateField(label=_("Ngày cấp"), required=False)
    result = forms.ChoiceField(label=_("Kết quả"), choices=[("", "—"), *Result.choices], required=False)


class WithdrawForm(StyledForm):
    withdrawn_on = DateField(label=_("Ngày thôi học"))
    reason = forms.CharField(label=_("Lý do thôi học"), max_length=255)


class ListForm(StyledForm):
    """The filters of the course list (bad values are ignored, never a server error)."""

    nam = forms.IntegerField(label=_("Năm khai giảng"), required=False, min_value=1945, max_value=2100)
    chuong_trinh = forms.ChoiceField(label=_("Chương trình"), choices=[("", _("Tất cả")), *Program.choices], required=False)
