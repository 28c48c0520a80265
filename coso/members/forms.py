"""Member forms: the list's filters, recording a member, one small form per lifecycle action,
candidates. Forms validate input; members.services applies the rules and says what is refused."""

from dataclasses import dataclass

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.organizations.selectors import organization_label
from coso.people.choices import ETHNIC_GROUPS, RELIGIONS, Gender, Qualification, TheoryLevel
from coso.people.forms import EDUCATION_CHOICES
from coso.people.selectors import AGE_BANDS

from . import lifecycle
from .models import BreachCategory, DisciplineForm, EventType, Status, TransferKind
from .selectors import MemberFilters

DECISION_HELP = _("Số hiệu văn bản, ví dụ 125-QĐ/ĐU.")
ANY = [("", _("Tất cả"))]
YES_NO = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]


def cell_field(label, required=True, help_text=""):
    return forms.ModelChoiceField(
        label=label, queryset=None, required=required, help_text=help_text,
        widget=SearchSelect(search_url=reverse_lazy("members:cell_options")),
    )


class ScopedForm(StyledForm):
    """A form whose organization pickers offer (and accept) only organizations of the scope."""

    pickers: tuple[str, ...] = ()

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.pickers:
            if name in self.fields:
                self.fields[name].queryset = scope.organizations()
                limit_picker(self, name, organization_label)


# ---------------------------------------------------------------- the list's filters


class SmallSelect(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "form-select form-select-sm", **(attrs or {})}, choices=choices)


class MemberFilterForm(forms.Form):
    """GET parameters of the member list, in Vietnamese like ?ngay= and ?to_chuc=."""

    tim = forms.CharField(label=_("Tìm theo tên hoặc số thẻ"), required=False,
                          widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search", "autocomplete": "off",
                                                        "placeholder": _("Gõ không dấu được, ví dụ nguyen van an")}))
    trang_thai = forms.ChoiceField(label=_("Trạng thái"), required=False, widget=SmallSelect,
                                   choices=[*ANY, (Status.PROBATIONARY, Status.PROBATIONARY.label), (Status.OFFICIAL, Status.OFFICIAL.label)])
    mien = forms.ChoiceField(label=_("Miễn sinh hoạt"), required=False, choices=YES_NO, widget=SmallSelect)
    dang_chuyen = forms.ChoiceField(label=_("Đang chuyển sinh hoạt"), required=False, choices=YES_NO, widget=SmallSelect)
    gioi_tinh = forms.ChoiceField(label=_("Giới tính"), required=False, choices=[*ANY, *Gender.choices], widget=SmallSelect)
    dan_toc = forms.ChoiceField(label=_("Dân tộc"), required=False, widget=SmallSelect,
                                choices=[*ANY, ("kinh", _("Kinh")), ("minority", _("Dân tộc thiểu số")), *ETHNIC_GROUPS[1:]])
    ton_giao = forms.ChoiceField(label=_("Tôn giáo"), required=False, widget=SmallSelect,
                                 choices=[*ANY, ("none", _("Không theo tôn giáo")), ("any", _("Có theo tôn giáo")), *RELIGIONS[1:]])
    do_tuoi = forms.ChoiceField(label=_("Độ tuổi"), required=False, widget=SmallSelect,
                                choices=[*ANY, *((k, label) for k, (_lo, _hi, label) in AGE_BANDS.items())])
    hoc_van = forms.ChoiceField(label=_("Giáo dục phổ thông"), required=False, choices=[*ANY, *EDUCATION_CHOICES[1:]], widget=SmallSelect)
    ly_luan = forms.ChoiceField(label=_("Lý luận chính trị"), required=False, choices=[*ANY, *TheoryLevel.choices], widget=SmallSelect)
    chuyen_mon = forms.ChoiceField(label=_("Trình độ chuyên môn"), required=False, choices=[*ANY, *Qualification.choices], widget=SmallSelect)
    to_chuc_con = forms.TypedChoiceField(label=_("Tổ chức trực thuộc"), required=False, coerce=int, empty_value=None, widget=SmallSelect)

    def __init__(self, *args, children=(), sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_chuc_con"].choices = [*ANY, *((c.organization_id, c.name) for c in children)]
        if not children:
            del self.fields["to_chuc_con"]
        if not sensitive:
            # filtering names by ethnicity or religion would reveal them: same rule as the columns
            del self.fields["dan_toc"], self.fields["ton_giao"]

    def filters(self) -> MemberFilters:
        self.is_valid()
        data = self.cleaned_data  # only the valid fields: a forged value filters nothing
        flag = {"1": True, "0": False}
        return MemberFilters(
            query=data.get("tim") or "", status=data.get("trang_thai") or "", exempted=flag.get(data.get("mien")),
            in_transit=flag.get(data.get("dang_chuyen")), gender=data.get("gioi_tinh") or "", ethnicity=data.get("dan_toc") or "",
            religion=data.get("ton_giao") or "", age_band=data.get("do_tuoi") or "", education=data.get("hoc_van") or "",
            theory_level=data.get("ly_luan") or "", qualification=data.get("chuyen_mon") or "",
        )

    @property
    def child_id(self):
        return self.cleaned_data.get("to_chuc_con") if hasattr(self, "cleaned_data") else None


# ---------------------------------------------------------------- recording a member


class RecordForm(ScopedForm):
    """A member already in the Party whose record reaches the system (event RECORDED)."""

    organization = cell_field(_("Chi bộ sinh hoạt"), help_text=_("Chi bộ cơ sở hoặc chi bộ trực thuộc trong phạm vi của bạn."))
    on = DateField(label=_("Sinh hoạt tại chi bộ từ ngày"))
    admitted_on = DateField(label=_("Ngày kết nạp"))
    decision_date = DateField(label=_("Ngày quyết định kết nạp"), required=False, help_text=_("Tuổi đảng tính từ ngày này; để trống nếu trùng ngày kết nạp."))
    recognized_on = DateField(label=_("Ngày công nhận chính thức"), required=False, help_text=_("Để trống nếu còn là đảng viên dự bị."))
    card_number = forms.CharField(label=_("Số thẻ đảng viên"), max_length=20, required=False)
    introducers = forms.CharField(label=_("Người giới thiệu"), max_length=255, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pickers = ("organization",)


class JoinByTransferForm(ScopedForm):
    """A member arriving from a Party organization outside the system (event JOINED_BY_TRANSFER)."""

    organization = cell_field(_("Chi bộ tiếp nhận"), help_text=_("Chi bộ cơ sở hoặc chi bộ trực thuộc trong phạm vi của bạn."))
    on = DateField(label=_("Ngày tiếp nhận sinh hoạt đảng"))
    came_from = forms.CharField(label=_("Chuyển từ (tổ chức đảng nơi đi)"), max_length=255,
                                help_text=_("Ghi rõ tên tổ chức đảng nơi đi, ví dụ Đảng ủy phường Hải Châu, thành phố Đà Nẵng."))
    letter_number = forms.CharField(label=_("Số giấy giới thiệu sinh hoạt đảng"), max_length=100)
    letter_date = DateField(label=_("Ngày giấy giới thiệu"), required=False)
    issuing_body = forms.CharField(label=_("Cấp ủy giới thiệu"), max_length=255, required=False)
    admitted_on = DateField(label=_("Ngày kết nạp"))
    decision_date = DateField(label=_("Ngày quyết định kết nạp"), required=False, help_text=_("Tuổi đảng tính từ ngày này; để trống nếu trùng ngày kết nạp."))
    recognized_on = DateField(label=_("Ngày công nhận chính thức"), required=False, help_text=_("Để trống nếu còn là đảng viên dự bị."))
    card_number = forms.CharField(label=_("Số thẻ đảng viên"), max_length=20, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pickers = ("organization",)


# ---------------------------------------------------------------- lifecycle actions


class EventForm(ScopedForm):
    effective_date = DateField(label=_("Ngày hiệu lực"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False, help_text=DECISION_HELP)
    decision_date = DateField(label=_("Ngày quyết định"), required=False)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def allow_future(self) -> None:
        """For the events decided ahead (decision 0008): a box the user ticks to record one whose
        effective date is after today."""
        self.fields["confirm_future"] = forms.BooleanField(
            label=_("Xác nhận ghi trước: quyết định đã ban hành cho một ngày sau hôm nay"), required=False,
            help_text=_("Chỉ đánh dấu khi ngày hiệu lực ở tương lai (tối đa 366 ngày). Trước ngày đó, đảng viên vẫn hiện như chưa có sự kiện này."),
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        )

    def event_fields(self) -> dict:
        """cleaned_data as members.services.record_event takes it."""
        data = dict(self.cleaned_data)
        for name in ("organization", "target"):
            if name in data:
                value = data.pop(name)
                data[f"{name}_id"] = value.pk if value else None
        return {k: v for k, v in data.items() if v not in (None, "")}


class TransferOutForm(EventForm):
    transfer_kind = forms.ChoiceField(label=_("Hình thức"), choices=TransferKind.choices, initial=TransferKind.OFFICIAL)
    target = cell_field(_("Chuyển đến chi bộ (trong hệ thống)"), required=False,
                        help_text=_("Chi bộ nhận trong phạm vi của bạn; bên nhận ghi nhận tiếp nhận."))
    destination = forms.CharField(label=_("Hoặc nơi chuyển đến (ngoài hệ thống)"), max_length=255, required=False,
                                  help_text=_("Ghi rõ tên tổ chức đảng nơi đến, ví dụ Đảng ủy phường Hải Châu, thành phố Đà Nẵng."))
    pickers = ("target",)
    field_order = ["transfer_kind", "target", "destination", "effective_date", "decision_number", "decision_date", "issuing_body", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].label = _("Ngày giới thiệu")
        self.fields["decision_number"].label = _("Số giấy giới thiệu sinh hoạt đảng")
        self.fields["decision_number"].help_text = ""

    def clean(self):
        data = super().clean()
        if not data.get("target") and not data.get("destination"):
            raise forms.ValidationError(_("Chọn chi bộ nhận trong hệ thống hoặc ghi rõ nơi chuyển đến."))
        if data.get("target") and data.get("destination"):
            raise forms.ValidationError(_("Chỉ chọn một: chi bộ nhận trong hệ thống hoặc nơi chuyển đến ngoài hệ thống."))
        return data


class ReceiveForm(EventForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].label = _("Ngày tiếp nhận")
        self.fields["decision_number"].required = False


class DisciplineEventForm(EventForm):
    discipline_form = forms.ChoiceField(label=_("Hình thức kỷ luật"), choices=DisciplineForm.choices)
    breach_on = DateField(label=_("Ngày vi phạm"), required=False,
                          help_text=_("Vi phạm từ năm trước bị kỷ luật năm nay được tính khi đánh giá năm nay."))
    breach_category = forms.ChoiceField(label=_("Nội dung vi phạm"), choices=[("", "---------"), *BreachCategory.choices], required=False)
    field_order = ["discipline_form", "effective_date", "breach_on", "breach_category"]


class ReadmitForm(EventForm):
    organization = cell_field(_("Chi bộ kết nạp lại"))
    pickers = ("organization",)
    field_order = ["organization", "effective_date"]


def badge_choices():
    # a callable, so that the labels follow the language of the request
    return [(y, gettext("Huy hiệu %(years)s năm tuổi Đảng") % {"years": y}) for y in lifecycle.BADGE_MILESTONES]


class BadgeForm(EventForm):
    badge_years = forms.TypedChoiceField(label=_("Huy hiệu"), coerce=int, choices=badge_choices)
    field_order = ["badge_years", "effective_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _("Bắt buộc khi xét tặng sớm (bệnh nặng, truy tặng): ghi rõ lý do.")


class CardForm(EventForm):
    card_number = forms.CharField(label=_("Số thẻ đảng viên"), max_length=20)
    field_order = ["card_number", "effective_date"]


class RecognizeForm(StyledForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, help_text=DECISION_HELP)
    decision_date = DateField(label=_("Ngày quyết định"), required=False)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)


@dataclass(frozen=True)
class Action:
    type: str
    form: type
    title: str
    danger: bool = False


# URL slug -> the event it records. Recognition and receipt have their own pages (recognize, receive).
ACTIONS = {
    "chuyen-di": Action(EventType.TRANSFER_OUT, TransferOutForm, _("Giới thiệu chuyển sinh hoạt đảng")),
    "huy-chuyen": Action(EventType.TRANSFER_CANCELLED, EventForm, _("Hủy giới thiệu chuyển sinh hoạt")),
    "tro-ve": Action(EventType.TEMPORARY_RETURNED, EventForm, _("Kết thúc sinh hoạt tạm thời")),
    "mien": Action(EventType.EXEMPTED, EventForm, _("Miễn công tác và sinh hoạt đảng")),
    "thoi-mien": Action(EventType.EXEMPTION_ENDED, EventForm, _("Thôi miễn công tác và sinh hoạt đảng")),
    "ky-luat": Action(EventType.DISCIPLINED, DisciplineEventForm, _("Kỷ luật")),
    "huy-hieu": Action(EventType.BADGE_AWARDED, BadgeForm, _("Tặng Huy hiệu Đảng")),
    "the-dang": Action(EventType.CARD_ISSUED, CardForm, _("Phát thẻ đảng viên")),
    "xoa-ten": Action(EventType.REMOVED, EventForm, _("Xóa tên"), danger=True),
    "khai-tru": Action(EventType.EXPELLED, EventForm, _("Khai trừ"), danger=True),
    "ra-khoi-dang": Action(EventType.LEFT, EventForm, _("Cho ra khỏi Đảng"), danger=True),
    "tu-tran": Action(EventType.DECEASED, EventForm, _("Từ trần"), danger=True),
    "ket-nap-lai": Action(EventType.READMITTED, ReadmitForm, _("Kết nạp lại")),
}


def available_actions(state: lifecycle.State) -> list[str]:
    """The actions that make sense in the member's state (the services still decide)."""
    if state.status in (Status.REMOVED, Status.EXPELLED, Status.LEFT):
        return [] if state.readmitted else ["ket-nap-lai"]
    if state.status == Status.DECEASED:
        return ["huy-hieu"]
    if not state.active:
        return []
    slugs = ["huy-chuyen"] if state.transit_to else ["chuyen-di"]
    if state.host_id or state.away_temporarily:
        slugs.append("tro-ve")
    slugs.append("thoi-mien" if state.exempted else "mien")
    slugs += ["ky-luat", "huy-hieu"]
    if state.status == Status.OFFICIAL:
        slugs.append("the-dang")
    slugs += ["xoa-ten", "khai-tru", "ra-khoi-dang", "tu-tran"]
    return slugs


# ---------------------------------------------------------------- candidates


class CandidateForm(ScopedForm):
    organization = cell_field(_("Chi bộ bồi dưỡng"))
    listed_on = DateField(label=_("Ngày đưa vào danh sách cảm tình Đảng"))
    course_completed_on = DateField(label=_("Ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng"), required=False)
    course_certificate = forms.CharField(label=_("Số giấy chứng nhận"), max_length=50, required=False)
    introducers = forms.CharField(label=_("Người giới thiệu"), max_length=255, required=False,
                                  help_text=_("Đảng viên chính thức đã cùng công tác ít nhất 12 tháng."))
    pickers = ("organization",)


class CandidateEditForm(StyledForm):
    course_completed_on = DateField(label=_("Ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng"), required=False)
    course_certificate = forms.CharField(label=_("Số giấy chứng nhận"), max_length=50, required=False)
    introducers = forms.CharField(label=_("Người giới thiệu"), max_length=255, required=False)


class AdmitForm(StyledForm):
    admitted_on = DateField(label=_("Ngày lễ kết nạp"), help_text=_("12 tháng dự bị tính từ ngày này."))
    decision_number = forms.CharField(label=_("Số quyết định kết nạp"), max_length=100, help_text=DECISION_HELP)
    decision_date = DateField(label=_("Ngày quyết định kết nạp"), required=False, help_text=_("Tuổi đảng tính từ ngày này."))
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)


class DropForm(StyledForm):
    reason = forms.CharField(label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- pickers of the list pages


class OrganizationPickForm(forms.Form):
    """The organization and date a list is about (a plain GET form; the picker searches the scope)."""

    to_chuc = forms.ChoiceField(label=_("Tổ chức"), required=False, widget=SearchSelect(search_url=reverse_lazy("organizations:options"), date_field="ngay"))
    ngay = forms.CharField(label=_("Tính đến ngày"), required=False,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "dd/mm/yyyy",
                                                         "inputmode": "numeric", "size": 10, "autocomplete": "off"}))

    def __init__(self, *, placement=None, on_text="", invalid=False):
        # the chosen organization is already known: no query to label it
        super().__init__(initial={"to_chuc": placement.organization_id if placement else "", "ngay": on_text}, auto_id="pick_%s")
        self.fields["to_chuc"].choices = [("", "---------")] + ([(placement.organization_id, placement.name)] if placement else [])
        self.fields["to_chuc"].widget.attrs["class"] = "form-select form-select-sm"
        if invalid:
            self.fields["ngay"].widget.attrs = {**self.fields["ngay"].widget.attrs, "aria-invalid": "true",
                                                "class": "form-control form-control-sm is-invalid"}


class PersonPickForm(forms.Form):
    nguoi = forms.ChoiceField(label=_("Người đã có trong hệ thống"), required=False, choices=[("", "---------")],
                              widget=SearchSelect(search_url=reverse_lazy("members:person_options")))
