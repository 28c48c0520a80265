"""Forms of the inspection pages: they validate input and offer only scoped choices; the rules
are the services'."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.members.models import BreachCategory
from coso.members.permissions import visible_members
from coso.organizations.selectors import organization_label

from .choices import (
    COMPLAINT_OUTCOMES,
    DENUNCIATION_OUTCOMES,
    Body,
    Channel,
    CorrectionKind,
    FileKind,
    Form,
    IntakeKind,
    NoLimitCategory,
    Outcome,
    PlanKind,
    SubjectKind,
    WorkType,
)
from .models import Intake, Plan, PlanItem

QUARTERS = [("", "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4")]


def _member_label(member) -> str:
    return member.person.full_name


class OrganizationField(forms.ModelChoiceField):
    def __init__(self, label, **kwargs):
        super().__init__(label=label, queryset=None, widget=SearchSelect(search_url=reverse_lazy("organizations:options")), **kwargs)


class PlanForm(StyledForm):
    organization = OrganizationField(_("Tổ chức đảng"))
    body = forms.ChoiceField(label=_("Chủ thể"), choices=Body.choices, initial=Body.COMMISSION)
    kind = forms.ChoiceField(label=_("Loại chương trình"), choices=PlanKind.choices)
    title = forms.CharField(label=_("Tên chương trình"), max_length=255)
    number = forms.CharField(label=_("Số văn bản"), max_length=100, required=False)
    starts_on = DateField(label=_("Từ ngày"))
    ends_on = DateField(label=_("Đến ngày"))
    adopted_on = DateField(label=_("Ngày ban hành"), required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)


class PlanItemForm(StyledForm):
    work_type = forms.ChoiceField(label=_("Loại công việc"), choices=WorkType.choices)
    subject_text = forms.CharField(label=_("Đối tượng"), max_length=255)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, empty_value=None, required=False)
    lead = forms.CharField(label=_("Người chủ trì"), max_length=255, required=False)


class CaseForm(StyledForm):
    organization = OrganizationField(_("Tổ chức đảng của chủ thể"))
    body = forms.ChoiceField(label=_("Chủ thể"), choices=Body.choices, initial=Body.COMMISSION)
    work_type = forms.ChoiceField(label=_("Loại công việc"), choices=WorkType.choices)
    subject_kind = forms.ChoiceField(label=_("Đối tượng là"), choices=SubjectKind.choices, initial=SubjectKind.MEMBER)
    subject_member = forms.ModelChoiceField(label=_("Đảng viên"), queryset=None, required=False,
                                            widget=SearchSelect(search_url=reverse_lazy("inspection:member_options")))
    subject_organization = OrganizationField(_("Tổ chức đảng được kiểm tra, giám sát"), required=False,
                                             help_text=_("Kể cả tổ chức đã giải thể, sáp nhập (Quy định 296-QĐ/TW)."))
    plan_item = forms.ModelChoiceField(label=_("Theo nội dung của chương trình"), queryset=None, required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    decided_on = DateField(label=_("Ngày quyết định"))
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    team = forms.CharField(label=_("Thành viên đoàn (tổ)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    preparation_due = DateField(label=_("Hạn chuẩn bị"), required=False)
    conduct_due = DateField(label=_("Hạn tiến hành"), required=False)
    conclusion_due = DateField(label=_("Hạn kết luận"), required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        self.fields["subject_organization"].queryset = scope.organizations()
        self.fields["subject_member"].queryset = visible_members(scope).select_related("person")
        self.fields["plan_item"].queryset = PlanItem.objects.filter(plan__in=_plans(scope)).select_related("plan")
        limit_picker(self, "organization", organization_label)
        limit_picker(self, "subject_organization", organization_label)
        limit_picker(self, "subject_member", _member_label)

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


def _plans(scope):
    return Plan.objects.visible_to(scope)


class StageForm(StyledForm):
    on = DateField(label=_("Ngày"))


class ConcludeForm(StyledForm):
    concluded_on = DateField(label=_("Ngày kết luận"))
    conclusion_number = forms.CharField(label=_("Số thông báo kết luận"), max_length=100, required=False)
    violation_found = forms.TypedChoiceField(label=_("Kết luận"), coerce=lambda v: v == "1",
                                             choices=[("", "---------"), ("1", _("Có vi phạm")), ("0", _("Không có vi phạm"))])
    shortcomings = forms.CharField(label=_("Ưu điểm, khuyết điểm, vi phạm"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    discipline_considered = forms.BooleanField(label=_("Đến mức phải xem xét kỷ luật"), required=False)


class RecommendationForm(StyledForm):
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Tổ chức, cá nhân thực hiện"), max_length=255)
    due_on = DateField(label=_("Hạn khắc phục"))


class RemedyForm(StyledForm):
    remedied_on = DateField(label=_("Ngày khắc phục xong"))
    remedy = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 2}))


class FileForm(StyledForm):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=FileKind.choices)
    file = forms.FileField(label=_("Tệp"))


class DisciplineForm(StyledForm):
    body = forms.ChoiceField(label=_("Cơ quan quyết định"), choices=Body.choices)
    form = forms.ChoiceField(label=_("Hình thức kỷ luật"), choices=Form.choices)
    breach_started_on = DateField(label=_("Ngày bắt đầu vi phạm"))
    breach_ended_on = DateField(label=_("Ngày kết thúc vi phạm"), required=False, help_text=_("Với vi phạm kéo dài: thời hiệu tính từ ngày này."))
    breach_category = forms.ChoiceField(label=_("Nội dung vi phạm"), choices=BreachCategory.choices, initial=BreachCategory.OTHER)
    no_limit_categories = forms.MultipleChoiceField(label=_("Vi phạm không tính thời hiệu"), choices=NoLimitCategory.choices, required=False,
                                                    widget=forms.CheckboxSelectMultiple(attrs={"class": "me-1"}))
    votes_for = forms.IntegerField(label=_("Số phiếu tán thành"), min_value=0, max_value=100000)
    votes_entitled = forms.IntegerField(label=_("Số thành viên có quyền biểu quyết"), min_value=1, max_value=100000)
    decided_on = DateField(label=_("Ngày quyết định"))
    effective_on = DateField(label=_("Ngày có hiệu lực"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100)
    receiver = OrganizationField(_("Tổ chức tiếp nhận (khi giải tán)"), required=False,
                                 help_text=_("Đảng viên và tổ chức trực thuộc của tổ chức bị giải tán được chuyển giao cho tổ chức này."))

    def __init__(self, *args, scope, organization_subject: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if organization_subject:
            self.fields["receiver"].queryset = scope.organizations()
            limit_picker(self, "receiver", organization_label)
        else:
            del self.fields["receiver"]


class CorrectionForm(StyledForm):
    """A later decision on a discipline: a complaint handled, a superior's change, 117-QĐ/TW."""

    organization = OrganizationField(_("Tổ chức đảng quyết định"))
    body = forms.ChoiceField(label=_("Cơ quan quyết định"), choices=Body.choices)
    kind = forms.ChoiceField(label=_("Nội dung quyết định"), choices=CorrectionKind.choices)
    new_form = forms.ChoiceField(label=_("Hình thức kỷ luật mới (khi thay đổi)"), choices=[("", "—")], required=False)
    wrongful = forms.BooleanField(label=_("Kỷ luật oan: xin lỗi, phục hồi quyền lợi (Quy định 117-QĐ/TW)"), required=False)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100)
    decided_on = DateField(label=_("Ngày quyết định"))
    effective_on = DateField(label=_("Ngày có hiệu lực"))
    restore_to = OrganizationField(_("Chi bộ sinh hoạt khi phục hồi đảng tịch"), required=False,
                                   help_text=_("Để trống: chi bộ đảng viên sinh hoạt trước khi bị khai trừ."))
    intake = forms.ModelChoiceField(label=_("Theo đơn khiếu nại"), queryset=None, required=False)

    def __init__(self, *args, scope, forms_allowed, member_subject: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)
        self.fields["new_form"].choices = [("", "—"), *[(f.value, f.label) for f in forms_allowed]]
        self.fields["intake"].queryset = Intake.objects.visible_to(scope).filter(kind=IntakeKind.COMPLAINT, closed_on__isnull=True)
        if member_subject:
            self.fields["restore_to"].queryset = scope.organizations()
            limit_picker(self, "restore_to", organization_label)
        else:
            del self.fields["restore_to"]


class IntakeForm(StyledForm):
    organization = OrganizationField(_("Tổ chức đảng giải quyết"))
    body = forms.ChoiceField(label=_("Cơ quan giải quyết"), choices=Body.choices, initial=Body.COMMISSION)
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=IntakeKind.choices)
    received_on = DateField(label=_("Ngày nhận"))
    channel = forms.ChoiceField(label=_("Hình thức tiếp nhận"), choices=Channel.choices)
    concerned = forms.CharField(label=_("Tổ chức, cá nhân bị tố cáo / khiếu nại"), max_length=255)
    summary = forms.CharField(label=_("Nội dung tóm tắt"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    sender_name = forms.CharField(label=_("Họ tên người gửi (bảo mật)"), max_length=255, required=False)
    sender_contact = forms.CharField(label=_("Địa chỉ liên hệ người gửi (bảo mật)"), max_length=255, required=False)
    handler = forms.CharField(label=_("Người được giao giải quyết"), max_length=255, required=False)
    due_on = DateField(label=_("Hạn giải quyết"), required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)


class CloseIntakeForm(StyledForm):
    closed_on = DateField(label=_("Ngày giải quyết xong"))
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = DENUNCIATION_OUTCOMES if kind == IntakeKind.DENUNCIATION else COMPLAINT_OUTCOMES
        self.fields["outcome"].choices = [(o.value, o.label) for o in allowed]


PERIODS = [("month", _("Tháng")), ("q1", _("Quý I")), ("six", _("6 tháng")), ("nine", _("9 tháng")), ("year", _("Năm")), ("term", _("Nhiệm kỳ"))]


class ReportForm(StyledForm):
    organization = OrganizationField(_("Tổ chức đảng"))
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PERIODS, initial="year")
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Tháng"), choices=[(m, str(m)) for m in range(1, 13)], coerce=int, required=False, empty_value=None)
    term_from = forms.IntegerField(label=_("Nhiệm kỳ từ năm"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)
