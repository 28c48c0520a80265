"""The person form: the fields of the member record a user may see (sensitive ones only with
people.sensitive). The form validates input; people.services checks the national ID and saves.

The village pickers offer the villages of the chosen commune, and only of communes the user's
scope covers (villages are the scope's data, coso.places.permissions); the photo is a JPEG or
PNG of at most 2 MB, checked by its content, not by its name.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.lib.text import clean, in_vietnamese_order
from coso.places.models import AdminUnit, Level
from coso.places.permissions import covered_communes
from coso.places.selectors import villages_of

from .checks import name_problems
from .choices import (
    ETHNIC_GROUPS,
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


def _village_field(label):
    # the queryset (what is accepted) and the options shown are set per form: PersonForm.__init__
    return forms.ModelChoiceField(label=label, queryset=AdminUnit.objects.none(), required=False)


MAX_PHOTO_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}  # Pillow's format name -> the stored file's extension


class PhotoField(forms.ImageField):
    """A JPEG or PNG of at most 2 MB, stored under a random name (the uploaded name may say who it is)."""

    default_validators = []  # the format is read from the content below, not from the extension
    default_error_messages = {
        "invalid_image": _("Tệp đã chọn không phải ảnh hoặc ảnh bị hỏng: hãy chọn ảnh JPEG hoặc PNG."),
    }

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if data.size > MAX_PHOTO_BYTES:  # before Pillow reads it
            raise ValidationError(_("Ảnh lớn hơn 2 MB: hãy chọn ảnh nhỏ hơn."), code="too_big")
        photo = super().to_python(data)
        extension = PHOTO_FORMATS.get(getattr(photo.image, "format", None))
        if extension is None:
            raise ValidationError(_("Ảnh phải là tệp JPEG hoặc PNG."), code="format")
        photo.name = f"{uuid.uuid4().hex}.{extension}"
        return photo


def _required_choice(label, choices, missing):
    """A list the user must choose from: it starts empty, never on a value that could pass for an
    answer (Kinh, no religion, not trained); the record's "" means not known."""
    return forms.ChoiceField(label=label, choices=[("", "---------"), *choices], error_messages={"required": missing})


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
    # required, as on the member's record form (lý lịch đảng viên); without people.sensitive the
    # two fields are removed in __init__, and the record keeps what it has
    ethnicity = _required_choice(_("Dân tộc"), ETHNIC_GROUPS, _("Chưa chọn dân tộc."))
    religion = _required_choice(_("Tôn giáo"), RELIGIONS, _("Chưa chọn tôn giáo (chọn “Không” nếu không theo tôn giáo nào)."))
    origin_unit = _unit_field(_("Quê quán (xã, huyện, tỉnh)"))
    origin_village = _village_field(_("Thôn, tổ dân phố (quê quán)"))
    origin_text = forms.CharField(label=_("Quê quán (ghi rõ)"), max_length=255, required=False)
    residence_unit = _unit_field(_("Nơi cư trú (xã, huyện, tỉnh)"))
    residence_village = _village_field(_("Thôn, tổ dân phố (nơi cư trú)"))
    residence_text = forms.CharField(label=_("Nơi cư trú (ghi rõ)"), max_length=255, required=False)
    education = forms.ChoiceField(label=_("Giáo dục phổ thông"), choices=EDUCATION_CHOICES, required=False)
    qualification = _required_choice(_("Trình độ chuyên môn"), Qualification.choices,
                                     _("Chưa chọn trình độ chuyên môn (chọn “Chưa qua đào tạo” nếu chưa được đào tạo)."))
    qualification_field = forms.CharField(label=_("Chuyên ngành"), max_length=150, required=False)
    academic_title = forms.ChoiceField(label=_("Học hàm"), choices=AcademicTitle.choices, required=False)
    theory_level = _required_choice(_("Lý luận chính trị"), TheoryLevel.choices,
                                    _("Chưa chọn trình độ lý luận chính trị (chọn “Chưa qua đào tạo” nếu chưa được đào tạo)."))
    occupation = forms.CharField(label=_("Nghề nghiệp"), max_length=150, required=False)
    job_title = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    photo = PhotoField(label=_("Ảnh"), required=False, help_text=_("Ảnh JPEG hoặc PNG, tối đa 2 MB."),
                       widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))
    remove_photo = forms.BooleanField(label=_("Xóa ảnh hiện có"), required=False)

    # village field -> the unit field whose commune it belongs to
    VILLAGES = {"origin_village": "origin_unit", "residence_village": "residence_unit"}

    def __init__(self, *args, sensitive: bool, scope, village_url: str = "", has_photo: bool = False, **kwargs):
        """scope: the user's (the villages it covers may be chosen); village_url: the view giving
        the <option>s of a commune's villages; has_photo: the person already has a photo."""
        super().__init__(*args, **kwargs)
        if not sensitive:
            for name in SENSITIVE_FIELDS:
                del self.fields[name]
        if not has_photo:
            del self.fields["remove_photo"]
        # a record imported with a value outside the usual list keeps it
        current = self.initial.get("education")
        if current and current not in dict(EDUCATION_CHOICES):
            self.fields["education"].choices = [*EDUCATION_CHOICES, (current, current)]
        limit_picker(self, "origin_unit", unit_label)
        limit_picker(self, "residence_unit", unit_label)
        for village, unit in self.VILLAGES.items():
            self._village_picker(village, unit, scope, village_url)

    def _value(self, name):
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        return int(value) if str(value or "").isdigit() else None

    def _village_picker(self, name: str, unit: str, scope, village_url: str) -> None:
        field = self.fields[name]
        current = self.initial.get(name)
        current = getattr(current, "pk", current)
        # accepted: villages of covered communes, and the one already recorded (kept on an edit)
        accepted = Q(level=Level.VILLAGE, parent__in=covered_communes(scope))
        if current:
            accepted |= Q(pk=current)
        field.queryset = AdminUnit.objects.filter(accepted).select_related("parent")
        # shown: the villages of the chosen commune in force today (when the scope covers it)
        commune_id = self._value(unit)
        shown = []
        if commune_id is not None:
            shown = list(field.queryset.filter(pk__in=villages_of(commune_id, timezone.localdate()).values("pk")))
            shown = in_vietnamese_order(shown)
        chosen = self._value(name)
        if chosen is not None and all(v.pk != chosen for v in shown):
            shown += list(field.queryset.filter(pk=chosen))
        field.widget.choices = [("", "---------"), *((v.pk, v.full_name) for v in shown)]
        if village_url:
            # choosing the commune reloads this list (the select sends its own value: ?origin_unit=...)
            self.fields[unit].widget.attrs.update({
                "hx-get": village_url, "hx-trigger": "change",
                "hx-target": f"#{self.auto_id % self.add_prefix(name)}", "hx-swap": "innerHTML",
            })

    def clean_full_name(self):
        """Markup or characters no name has are refused (people.checks.name_findings); an honorific
        left in the name is a warning the record page shows (the quality check name_honorific)."""
        name = clean(self.cleaned_data["full_name"])
        problems = name_problems(name, level="error")
        if problems:
            raise ValidationError(problems)
        return name

    def clean(self):
        data = super().clean()
        for name, unit_name in self.VILLAGES.items():
            village, unit = data.get(name), data.get(unit_name)
            if village is None:
                continue
            if unit is None or unit.level != Level.COMMUNE:
                self.add_error(name, gettext("Chọn xã ở mục “%(field)s” trước khi chọn thôn, tổ dân phố.") % {"field": self.fields[unit_name].label})
            elif village.parent_id != unit.pk:
                self.add_error(name, gettext("%(village)s không thuộc %(commune)s đã chọn ở mục “%(field)s”.") % {
                    "village": village.full_name, "commune": unit.full_name, "field": self.fields[unit_name].label})
        return data

    def person_fields(self) -> dict:
        """cleaned_data as people.services takes it (only the fields this form has).

        photo: given only when a new one was chosen (None: remove the current one); left out, the
        person keeps theirs.
        """
        data = dict(self.cleaned_data)
        if "national_id" in data:
            data["national_id"] = (data["national_id"] or "").strip() or None
        remove = data.pop("remove_photo", False)
        if not data.get("photo"):
            data.pop("photo", None)
            if remove:
                data["photo"] = None
        return data
