"""Forms of the political-system pages. They validate input; services.py applies the rules."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.people.choices import Gender

from . import config
from .models import Obtained

DECISION_HELP = _("Số hiệu văn bản, ví dụ 125-QĐ/ĐU.")


def _person_label(person) -> str:
    return f"{person.full_name} ({person.birth_display})" if person.birth_date else person.full_name


class PersonFields(StyledForm):
    """An existing person (searched by name within the scope), or a new person's name, gender and
    birth date (a village head who is not a party member has no record yet)."""

    person = forms.ModelChoiceField(label=_("Người giữ chức vụ"), queryset=None, required=False,
                                    widget=SearchSelect(search_url=reverse_lazy("grassroots:person_options")),
                                    help_text=_("Gõ tên để tìm người đã có hồ sơ; người chưa có hồ sơ thì nhập ở các ô dưới."))
    new_full_name = forms.CharField(label=_("Họ và tên (người chưa có hồ sơ)"), max_length=150, required=False)
    new_gender = forms.ChoiceField(label=_("Giới tính (người chưa có hồ sơ)"), choices=[("", "---------"), *Gender.choices], required=False)
    new_birth_date = DateField(label=_("Ngày sinh (người chưa có hồ sơ)"), required=False)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        limit_picker(self, "person", _person_label)

    def clean(self):
        data = super().clean()
        if data.get("person") is None:
            if not (data.get("new_full_name") or "").strip():
                self.add_error("person", _("Hãy chọn người giữ chức vụ, hoặc nhập họ tên người mới."))
            elif not data.get("new_gender"):
                self.add_error("new_gender", _("Hãy chọn giới tính của người mới."))
        elif (data.get("new_full_name") or "").strip():
            self.add_error("new_full_name", _("Đã chọn người có hồ sơ: để trống họ tên người mới."))
        return data

    def person_arguments(self) -> dict:
        data = self.cleaned_data
        if data.get("person") is not None:
            return {"person": data["person"]}
        return {"new_person": {"full_name": data["new_full_name"].strip(), "gender": data["new_gender"],
                               "birth_date": data.get("new_birth_date")}}


class AppointForm(PersonFields):
    title = forms.ChoiceField(label=_("Chức danh"))
    obtained = forms.ChoiceField(label=_("Hình thức"), choices=Obtained.choices)
    valid_from = DateField(label=_("Giữ chức từ ngày"))
    valid_to = DateField(label=_("Thôi giữ chức từ ngày"), required=False,
                         help_text=_("Để trống nếu đang giữ chức. Là ngày đầu tiên không còn giữ chức."))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False, help_text=DECISION_HELP)
    decision_date = DateField(label=_("Ngày quyết định"), required=False)

    field_order = ["title", "person", "new_full_name", "new_gender", "new_birth_date", "obtained", "valid_from", "valid_to",
                   "decision_number", "decision_date"]

    def __init__(self, *args, body, on, **kwargs):
        super().__init__(*args, **kwargs)
        # titles offered on the date typed (an ended title such as công an viên is not offered after it ended)
        raw = self.data.get(self.add_prefix("valid_from")) if self.is_bound else None
        day = on
        if raw:
            try:
                day = DateField().clean(raw)
            except forms.ValidationError:
                day = on
        self.fields["title"].choices = [(t.code, t.label) for t in config.titles_of(body.kind, day)]


class EndForm(StyledForm):
    valid_to = DateField(label=_("Thôi giữ chức từ ngày"), help_text=_("Ngày đầu tiên không còn giữ chức."))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class ReplaceForm(PersonFields):
    on = DateField(label=_("Người mới giữ chức từ ngày"), help_text=_("Người đang giữ chức thôi giữ chức từ cùng ngày."))
    obtained = forms.ChoiceField(label=_("Hình thức"), choices=Obtained.choices)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False, help_text=DECISION_HELP)
    decision_date = DateField(label=_("Ngày quyết định"), required=False)
    reason = forms.CharField(label=_("Lý do người đang giữ chức thôi giữ chức"), max_length=255, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"),
                           help_text=_("Mỗi dòng một chức vụ: họ và tên, chức danh, cơ quan hoặc tổ chức, giữ chức từ ngày."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return upload


class StandardBodiesForm(StyledForm):
    valid_from = DateField(label=_("Hiệu lực từ ngày"))


def title_choices():
    return [("", "---------"), *config.title_options()]


class PairForm(forms.Form):
    """Any two titles a user picks, counted as concurrent posts (GET)."""

    a = forms.ChoiceField(label=_("Chức vụ thứ nhất"), required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    b = forms.ChoiceField(label=_("Đồng thời là"), required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = title_choices()
        self.fields["b"].choices = title_choices()

    def pair(self):
        if not self.is_valid() or not self.cleaned_data["a"] or not self.cleaned_data["b"]:
            return None
        return tuple(self.cleaned_data["a"].split(":")), tuple(self.cleaned_data["b"].split(":"))
