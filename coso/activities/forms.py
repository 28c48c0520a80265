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
    resolution_id = forms.TypedChoiceField(
        label=_("Nghị quyết đã đăng ký trong sổ văn bản"), coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": _("Văn bản đã chọn không có trong sổ văn bản của chi bộ mà bạn được xem: "
                                            "chỉ liên kết nghị quyết do chính chi bộ ban hành.")})
    resolution_number = forms.CharField(label=_("Số nghị quyết (chưa đăng ký trong sổ văn bản)"), max_length=100, required=False)
    resolution_text = forms.CharField(label=_("Nghị quyết, kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes_file = forms.FileField(label=_("Tệp biên bản (PDF, ảnh, Word; tối đa 10 MB)"), required=False)

    def __init__(self, *args, attendees=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superior_attendee_id"].choices = [("", _("(không có)")), *attendees]
        # the documents of the meeting's organization the user reads (the view's list): another one is refused
        self.fields["resolution_id"].choices = [("", _("(không liên kết)")), *documents]

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


class SheetForm(StyledForm):
    """A score sheet typed as rows: criteria (label, maximum points; the key kept from the sheet it
    was copied from, else c1, c2 …) and bands (label, minimum total) from the highest down. Each
    row's problem is put on that row's field; the shape as a whole is the service's
    (scoring.check_sheet)."""

    name = forms.CharField(label=_("Tên phiếu"), max_length=255)
    source = forms.CharField(label=_("Căn cứ (văn bản ban hành)"), max_length=255, required=False)
    valid_from = DateField(label=_("Áp dụng từ ngày"))
    total = forms.IntegerField(label=_("Tổng điểm của phiếu"), min_value=1, max_value=1000, initial=100)

    def __init__(self, *args, criteria_rows: int, band_rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria_rows, self.band_rows = criteria_rows, band_rows
        for i in range(1, criteria_rows + 1):
            self.fields[f"crit_key_{i}"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"crit_label_{i}"] = forms.CharField(label=_("Tiêu chí %(n)s") % {"n": i}, max_length=500, required=False)
            self.fields[f"crit_points_{i}"] = forms.IntegerField(label=_("Điểm tối đa của tiêu chí %(n)s") % {"n": i}, min_value=1,
                                                                 max_value=1000, required=False)
        for i in range(1, band_rows + 1):
            self.fields[f"band_label_{i}"] = forms.CharField(label=_("Mức %(n)s") % {"n": i}, max_length=50, required=False)
            self.fields[f"band_min_{i}"] = forms.IntegerField(label=_("Điểm sàn của mức %(n)s") % {"n": i}, min_value=0,
                                                              max_value=1000, required=False)
        for name, field in self.fields.items():
            if name.startswith(("crit_", "band_")) and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["class"] = "form-control form-control-sm"
                if name.startswith(("crit_points", "band_min")):
                    field.widget.attrs["inputmode"] = "numeric"

    def head_fields(self):
        return [self[name] for name in ("name", "source", "valid_from", "total")]

    def criteria_fields(self):
        return [(i, self[f"crit_key_{i}"], self[f"crit_label_{i}"], self[f"crit_points_{i}"]) for i in range(1, self.criteria_rows + 1)]

    def band_fields(self):
        return [(i, self[f"band_label_{i}"], self[f"band_min_{i}"]) for i in range(1, self.band_rows + 1)]

    def clean(self):
        data = super().clean()
        criteria, keys = [], set()
        for i in range(1, self.criteria_rows + 1):
            label, points = (data.get(f"crit_label_{i}") or "").strip(), data.get(f"crit_points_{i}")
            if f"crit_points_{i}" in self.errors:
                continue
            if not label and points is None:
                continue  # an empty row
            if not label:
                self.add_error(f"crit_label_{i}", _("Dòng %(n)s: chưa nhập nội dung tiêu chí.") % {"n": i})
                continue
            if points is None:
                self.add_error(f"crit_points_{i}", _("Dòng %(n)s: chưa nhập điểm tối đa.") % {"n": i})
                continue
            key = (data.get(f"crit_key_{i}") or "").strip()[:40] or f"c{i}"
            if key in keys:
                key = f"c{i}"
            keys.add(key)
            criteria.append({"key": key, "label": label, "points": points})
        bands, minimums = [], []
        for i in range(1, self.band_rows + 1):
            label, minimum = (data.get(f"band_label_{i}") or "").strip(), data.get(f"band_min_{i}")
            if f"band_min_{i}" in self.errors or (not label and minimum is None):
                continue
            if not label:
                self.add_error(f"band_label_{i}", _("Mức %(n)s: chưa nhập tên mức.") % {"n": i})
                continue
            if minimum is None:
                self.add_error(f"band_min_{i}", _("Mức %(n)s: chưa nhập điểm sàn.") % {"n": i})
                continue
            if minimums and minimum >= minimums[-1]:
                self.add_error(f"band_min_{i}", _("Mức %(n)s: điểm sàn %(min)s phải thấp hơn mức trên (%(above)s).")
                               % {"n": i, "min": minimum, "above": minimums[-1]})
                continue
            minimums.append(minimum)
            bands.append({"label": label, "min": minimum})
        total = data.get("total")
        if total is not None:
            for i in range(1, self.band_rows + 1):
                if (m := data.get(f"band_min_{i}")) is not None and m > total and f"band_min_{i}" not in self.errors:
                    self.add_error(f"band_min_{i}", _("Mức %(n)s: điểm sàn %(min)s cao hơn tổng điểm %(total)s.") % {"n": i, "min": m, "total": total})
        if not criteria and not any(k.startswith("crit_") for k in self.errors):
            self.add_error(None, _("Phiếu chấm điểm chưa có tiêu chí."))
        if not bands and not any(k.startswith("band_") for k in self.errors):
            self.add_error(None, _("Phiếu chấm điểm chưa có mức xếp loại."))
        data["criteria"], data["bands"] = criteria, bands
        return data
