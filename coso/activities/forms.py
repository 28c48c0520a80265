"""Forms of the meeting pages: what they read from a request, never a rule (the services check)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, StyledForm

from .dues import Area, IncomeKind
from .models import Mark, MeetingKind, Mode, Task

MAX_MINUTES_FILE = 10 * 1024 * 1024
MINUTES_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx")


class MonthField(forms.CharField):
    """A month typed as mm/yyyy: the first day of that month."""

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%m/%Y").date()
        except ValueError:
            raise ValidationError(_("Tháng không hợp lệ: hãy nhập theo dạng mm/yyyy, ví dụ 03/2025.")) from None

    def prepare_value(self, value):
        return value.strftime("%m/%Y") if isinstance(value, dt.date) else value


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label=_("Loại buổi sinh hoạt"), choices=MeetingKind.choices)
    held_on = DateField(label=_("Ngày họp"))
    counts_for = MonthField(label=_("Tính cho tháng (mm/yyyy)"), required=False,
                            help_text=_("Để trống: tháng của ngày họp. Buổi họp đầu tháng sau có thể tính cho tháng trước."))
    starts_at = forms.TimeField(label=_("Giờ bắt đầu"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Giờ kết thúc"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    combined = forms.BooleanField(label=_("Sinh hoạt chuyên đề cùng buổi với sinh hoạt thường kỳ"), required=False)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    mode = forms.ChoiceField(label=_("Hình thức"), choices=Mode.choices, initial=Mode.IN_PERSON)
    superior_attendee_name = forms.CharField(label=_("Đồng chí cấp ủy cấp trên dự"), max_length=150, required=False)
    agenda = forms.CharField(label=_("Nội dung, chương trình"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Biên bản"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    resolution_number = forms.CharField(label=_("Số nghị quyết"), max_length=100, required=False)
    resolution_text = forms.CharField(label=_("Nghị quyết, kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes_file = forms.FileField(label=_("Tệp biên bản (PDF, ảnh, Word; tối đa 10 MB)"), required=False)

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        if upload is None:
            return None
        if not upload.name.lower().endswith(MINUTES_EXTENSIONS):
            raise ValidationError(_("Tệp biên bản phải là PDF, ảnh (JPG, PNG) hoặc Word."))
        if upload.size > MAX_MINUTES_FILE:
            raise ValidationError(_("Tệp biên bản lớn hơn 10 MB."))
        return upload

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "minutes_file"}


class MarkForm(forms.Form):
    member = forms.IntegerField()
    mark = forms.ChoiceField(choices=Mark.choices)
    reason = forms.CharField(max_length=255, required=False)


class TaskForm(StyledForm):
    description = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    member = forms.TypedChoiceField(label=_("Người thực hiện"), coerce=int, required=False, empty_value=None)
    due_on = DateField(label=_("Thời hạn"), required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("(cả chi bộ)")), *[(r.member_id, r.name) for r in members]]


class ReviewForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Task.Outcome.choices)
    note = forms.CharField(label=_("Nhận xét"), max_length=500, required=False)
    at = forms.IntegerField(widget=forms.HiddenInput)


class YearForm(forms.Form):
    nam = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    to_chuc = forms.IntegerField(required=False)


class DuesTapForm(forms.Form):
    member = forms.IntegerField()
    paid = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    reason = forms.CharField(max_length=255, required=False)


class DuesProfileForm(StyledForm):
    valid_from = DateField(label=_("Áp dụng từ ngày"))
    income_kind = forms.ChoiceField(label=_("Đối tượng đóng đảng phí"), choices=IncomeKind.choices)
    income = forms.IntegerField(label=_("Thu nhập hằng tháng sau thuế (đồng)"), min_value=0, required=False,
                                help_text=_("Lương, phụ cấp hoặc lương hưu: cho các đối tượng đóng theo tỉ lệ."))
    area = forms.ChoiceField(label=_("Địa bàn"), choices=Area.choices, initial=Area.OTHER)
    past_working_age = forms.BooleanField(label=_("Hết tuổi lao động"), required=False)
    voluntary = forms.IntegerField(label=_("Tự nguyện đóng cao hơn (đồng/tháng)"), min_value=0, required=False)
