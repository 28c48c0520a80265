"""Staffing forms: they read and check input; staffing.services applies the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.grassroots.permissions import visible_holders
from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.people.choices import Gender
from coso.training.forms import person_label

from .reference import BASES, BodyKind, Category, Ending, ExitForm


class EmploymentForm(StyledForm):
    person = forms.ModelChoiceField(label=_("Người đã có trong hệ thống"), queryset=None, required=False,
                                    widget=SearchSelect(search_url=reverse_lazy("grassroots:person_options")),
                                    help_text=_("Gõ tên (có hoặc không dấu). Người chưa có: nhập họ tên, giới tính, ngày sinh bên dưới."))
    full_name = forms.CharField(label=_("Họ và tên (người mới)"), max_length=150, required=False)
    gender = forms.ChoiceField(label=_("Giới tính (người mới)"), choices=[("", "—"), *Gender.choices], required=False)
    birth_date = DateField(label=_("Ngày sinh (người mới)"), required=False)
    body_kind = forms.ChoiceField(label=_("Cơ quan, đơn vị"), choices=BodyKind.choices)
    body_name = forms.CharField(label=_("Tên cơ quan, đơn vị"), max_length=255, required=False)
    category = forms.ChoiceField(label=_("Loại"), choices=Category.choices)
    position = forms.CharField(label=_("Chức vụ, chức danh"), max_length=255)
    title = forms.CharField(label=_("Mã chức danh"), max_length=32, required=False,
                            help_text=_("Ví dụ bi_thu, chu_tich_ubnd, cong_chuc: dùng để đối chiếu trình độ lý luận chính trị yêu cầu."))
    valid_from = DateField(label=_("Từ ngày"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_holders(scope)
        limit_picker(self, "person", person_label)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("full_name") or "").strip():
            raise ValidationError({"person": _("Chọn một người đã có hoặc nhập họ tên người mới.")})
        if not data.get("person") and not data.get("gender"):
            raise ValidationError({"gender": _("Chọn giới tính của người mới.")})
        return data

    def service_arguments(self) -> dict:
        d = dict(self.cleaned_data)
        new = {"full_name": d.pop("full_name"), "gender": d.pop("gender"), "birth_date": d.pop("birth_date")}
        if d.get("person") is None:
            d["new_person"] = new
        return d


class EndForm(StyledForm):
    valid_to = DateField(label=_("Thôi từ ngày"), help_text=_("Ngày đầu tiên không còn giữ chức vụ, chức danh."))
    ending = forms.ChoiceField(label=_("Lý do kết thúc"), choices=Ending.choices)
    basis = forms.ChoiceField(label=_("Căn cứ (tinh giản biên chế)"), required=False,
                              choices=[("", "—"), *((b.code, b.label) for b in BASES.values())])
    exit_form = forms.ChoiceField(label=_("Hình thức (tinh giản biên chế)"), required=False, choices=[("", "—"), *ExitForm.choices])
    exit_decision = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)


class QuotaForm(StyledForm):
    category = forms.ChoiceField(label=_("Loại"), choices=Category.choices)
    number = forms.IntegerField(label=_("Số lượng"), min_value=0, max_value=100000)
    valid_from = DateField(label=_("Từ ngày"))
    decision_number = forms.CharField(label=_("Số quyết định giao biên chế"), max_length=100, required=False)


class CompareForm(StyledForm):
    """The two dates of the before/after figures (bad input: the page's defaults, never an error page)."""

    tu = DateField(label=_("Trước (ngày)"), required=False)
    den = DateField(label=_("Sau (ngày)"), required=False)
