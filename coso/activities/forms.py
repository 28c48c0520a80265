"""Forms of the meeting pages: what they read from a request, never a rule (the services check)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, StyledForm

from .commendations import ELIGIBILITY, Form, PeriodKind
from .dues import Area, IncomeKind
from .models import Mark, MeetingKind, Mode, PointRole, Rater, Task

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
    superior_attendee_id = forms.TypedChoiceField(label=_("Cấp ủy viên phụ trách chi bộ dự"), coerce=int, required=False, empty_value=None)
    superior_attendee_name = forms.CharField(label=_("Đồng chí cấp ủy cấp trên dự (người khác: họ tên)"), max_length=150, required=False)
    agenda = forms.CharField(label=_("Nội dung, chương trình"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Biên bản"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    resolution_number = forms.CharField(label=_("Số nghị quyết"), max_length=100, required=False)
    resolution_text = forms.CharField(label=_("Nghị quyết, kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes_file = forms.FileField(label=_("Tệp biên bản (PDF, ảnh, Word; tối đa 10 MB)"), required=False)

    def __init__(self, *args, attendees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superior_attendee_id"].choices = [("", _("(không có)")), *attendees]

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


class QuarterForm(forms.Form):
    nam = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    quy = forms.IntegerField(min_value=1, max_value=4, required=False)
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


class PointPersonForm(StyledForm):
    member = forms.TypedChoiceField(label=_("Cấp ủy viên"), coerce=int)
    role = forms.ChoiceField(label=_("Nhiệm vụ"), choices=PointRole.choices, initial=PointRole.IN_CHARGE)
    valid_from = DateField(label=_("Phân công từ ngày"))
    decision_number = forms.CharField(label=_("Số quyết định phân công"), max_length=100, required=False)
    decision_date = DateField(label=_("Ngày quyết định"), required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *members]


class EndPointPersonForm(StyledForm):
    valid_to = DateField(label=_("Kết thúc phân công từ ngày"))


class ScoreForm(StyledForm):
    """One integer field per criterion of the sheet (named by its key, 0 to its points), and who rates."""

    rater = forms.ChoiceField(label=_("Người chấm"), choices=Rater.choices, initial=Rater.CELL)

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        for c in sheet.criteria:
            self.fields[c["key"]] = forms.IntegerField(
                label=_("%(label)s (tối đa %(max)s)") % {"label": c["label"], "max": c["points"]}, min_value=0, max_value=c["points"])
        self.criteria = sheet.criteria

    def points(self) -> dict:
        return {c["key"]: self.cleaned_data[c["key"]] for c in self.criteria}


class CommendationForm(StyledForm):
    """An award to the organization of the page or to one of its members; the awarding body is the
    organization or one above it (the service checks the ladder on the decision's date)."""

    member = forms.TypedChoiceField(label=_("Khen thưởng cho"), coerce=int, required=False, empty_value=None)
    form = forms.ChoiceField(label=_("Hình thức khen thưởng"), choices=Form.choices)
    title = forms.CharField(label=_("Danh hiệu, lý do khen thưởng"), max_length=500)
    period_kind = forms.ChoiceField(label=_("Loại khen thưởng"), choices=PeriodKind.choices, initial=PeriodKind.YEAR)
    year_from = forms.IntegerField(label=_("Từ năm"), min_value=1930, max_value=2100, required=False)
    year_to = forms.IntegerField(label=_("Đến năm"), min_value=1930, max_value=2100, required=False,
                                 help_text=_("Để trống: năm của quyết định (khen 5 năm liền: tính lùi 5 năm)."))
    awarded_by = forms.TypedChoiceField(label=_("Cấp ủy khen thưởng"), coerce=int, required=False, empty_value=None)
    awarded_by_name = forms.CharField(label=_("Cơ quan, người quyết định (khen thưởng của Nhà nước)"), max_length=255, required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100)
    decided_on = DateField(label=_("Ngày quyết định"))
    gift_value = forms.IntegerField(label=_("Giá trị tặng phẩm, tiền thưởng (đồng)"), min_value=0, initial=0, required=False)

    def __init__(self, *args, organization_name: str, members=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("Tổ chức: %(name)s") % {"name": organization_name}), *members]
        self.fields["awarded_by"].choices = [("", "—"), *bodies]


class EligibilityForm(forms.Form):
    nam = forms.IntegerField(min_value=1930, max_value=2100, required=False)
    muc = forms.ChoiceField(choices=[(k, k) for k in ELIGIBILITY], required=False)
    to_chuc = forms.IntegerField(required=False)
