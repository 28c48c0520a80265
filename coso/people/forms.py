"""The person form: the fields of the member record a user may see (sensitive ones only with
people.sensitive). The form validates input; people.services checks the national ID and saves."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.places.models import AdminUnit, Level

from .choices import (
    ETHNIC_GROUPS,
    KINH,
    NO_RELIGION,
    RELIGIONS,
    AcademicTitle,
    DatePrecision,
    Gender,
    Qualification,
    TheoryLevel,
)
from .models import SENSITIVE_FIELDS


def unit_label(unit: AdminUnit) -> str:
    parent = f" — {unit.parent.full_name}" if unit.parent_id else ""
    return f"{unit.full_name}{parent}"


def _unit_field(label):
    return forms.ModelChoiceField(
        label=label,
        queryset=AdminUnit.objects.exclude(level=Level.VILLAGE).select_related("parent"),
        required=False,
        widget=SearchSelect(search_url=reverse_lazy("places:unit_options")),
    )


EDUCATION_CHOICES = [("", "---------")] + [(f"{g}/12", f"{g}/12") for g in range(12, 4, -1)] + [(f"{g}/10", f"{g}/10") for g in range(10, 4, -1)]


class PersonForm(StyledForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    other_names = forms.CharField(label=_("Tên gọi khác"), max_length=150, required=False)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices)
    birth_date = DateField(label=_("Ngày sinh"), required=False)
    birth_precision = forms.ChoiceField(
        label=_("Ngày sinh ghi trong hồ sơ"), choices=DatePrecision.choices, initial=DatePrecision.DAY,
        help_text=_("Hồ sơ cũ chỉ ghi năm sinh: chọn “Năm” và nhập 01/01 của năm đó."),
    )
    national_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=12, required=False, help_text=_("12 chữ số (căn cước công dân)."))
    ethnicity = forms.ChoiceField(label=_("Dân tộc"), choices=ETHNIC_GROUPS, initial=KINH)
    religion = forms.ChoiceField(label=_("Tôn giáo"), choices=RELIGIONS, initial=NO_RELIGION)
    origin_unit = _unit_field(_("Quê quán (xã, huyện, tỉnh)"))
    origin_text = forms.CharField(label=_("Quê quán (ghi rõ)"), max_length=255, required=False)
    residence_unit = _unit_field(_("Nơi cư trú (xã, huyện, tỉnh)"))
    residence_text = forms.CharField(label=_("Nơi cư trú (ghi rõ)"), max_length=255, required=False)
    education = forms.ChoiceField(label=_("Giáo dục phổ thông"), choices=EDUCATION_CHOICES, required=False)
    qualification = forms.ChoiceField(label=_("Trình độ chuyên môn"), choices=Qualification.choices, initial=Qualification.NONE)
    qualification_field = forms.CharField(label=_("Chuyên ngành"), max_length=150, required=False)
    academic_title = forms.ChoiceField(label=_("Học hàm"), choices=AcademicTitle.choices, required=False)
    theory_level = forms.ChoiceField(label=_("Lý luận chính trị"), choices=TheoryLevel.choices, initial=TheoryLevel.NONE)
    occupation = forms.CharField(label=_("Nghề nghiệp"), max_length=150, required=False)
    job_title = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)

    def __init__(self, *args, sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            for name in SENSITIVE_FIELDS:
                del self.fields[name]
        # a record imported with a value outside the usual list keeps it
        current = self.initial.get("education")
        if current and current not in dict(EDUCATION_CHOICES):
            self.fields["education"].choices = [*EDUCATION_CHOICES, (current, current)]
        limit_picker(self, "origin_unit", unit_label)
        limit_picker(self, "residence_unit", unit_label)

    def person_fields(self) -> dict:
        """cleaned_data as people.services takes it (only the fields this form has)."""
        data = dict(self.cleaned_data)
        if "national_id" in data:
            data["national_id"] = (data["national_id"] or "").strip() or None
        return data
