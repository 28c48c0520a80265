"""Evaluation forms: they read and check input; evaluation.services applies the rules and says
what is refused (its ValidationErrors land on these forms through apply_service_error)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.organizations.selectors import organization_label

from .choices import CapBase, CapRounding, PeriodKind, SubjectKind
from .models import MassOrganization, Rating

DECISION_HELP = _("Số hiệu văn bản, ví dụ 125-QĐ/ĐU.")


class ScoreField(forms.CharField):
    """A score on the 100-point scale as offices type it: "92", "92,5" or "92.5"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        text = super().clean(value).strip().replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Điểm phải là một số, ví dụ 85 hoặc 92,5.")) from None
        if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(_("Điểm phải từ 0 đến 100."))
        return number


CHOOSE_LEVEL = _("— Chọn mức —")


def level_choices(period, kind: str, empty=CHOOSE_LEVEL):
    return [("", empty), *((level.code, str(level.label)) for level in period.rules.levels_for(kind))]


class OpenPeriodForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("Cấp ủy tổ chức đánh giá"), queryset=None,
                                          widget=SearchSelect(search_url=reverse_lazy("organizations:options")),
                                          help_text=_("Đảng viên và tổ chức đảng trong phạm vi tổ chức này sẽ được đưa vào danh sách đánh giá."))
    kind = forms.ChoiceField(label=_("Kỳ đánh giá"), choices=PeriodKind.choices, initial=PeriodKind.YEAR)
    year = forms.IntegerField(label=_("Năm"), min_value=2008, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quý"), required=False, coerce=int, empty_value=None,
                                     choices=[("", "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4")], help_text=_("Chỉ khi đánh giá hằng quý."))
    starts_on = DateField(label=_("Từ ngày"), required=False, help_text=_("Để trống: ngày đầu của năm hoặc quý."))
    ends_on = DateField(label=_("Đến ngày"), required=False, help_text=_("Để trống: ngày cuối của năm hoặc quý."))
    reference_date = DateField(label=_("Ngày chốt danh sách"), required=False,
                               help_text=_("Đảng viên sinh hoạt trong phạm vi vào ngày này được đánh giá. Để trống: ngày cuối kỳ."))
    cap_percent = forms.DecimalField(label=_("Tỷ lệ tối đa “Hoàn thành xuất sắc nhiệm vụ” (%)"), required=False, min_value=0, max_value=100,
                                     decimal_places=2, help_text=_("Tính trên số được xếp loại “Hoàn thành tốt nhiệm vụ” trong mỗi tổ chức cơ sở đảng. Để trống: theo quy định áp dụng (20%)."))
    no_cap = forms.BooleanField(label=_("Không áp dụng tỷ lệ khống chế"), required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        cap = False if d["no_cap"] else d["cap_percent"]
        return {"organization": d["organization"], "kind": d["kind"], "year": d["year"], "quarter": d["quarter"], "starts_on": d["starts_on"],
                "ends_on": d["ends_on"], "reference_date": d["reference_date"], "cap_percent": cap}


class OrganizationChoiceForm(StyledForm):
    """Which competent level acts (decide, publish): the organization under which it acts."""

    organization = forms.TypedChoiceField(label=_("Cấp quyết định"), coerce=int)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = list(organizations)


class DecideForm(OrganizationChoiceForm):
    decision_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=100, help_text=DECISION_HELP)


class PublishForm(OrganizationChoiceForm):
    pass


class RatingForm(StyledForm):
    """A level (on the scale of the period's rule set for this kind of subject) and, when the rule
    set scores, a score on 100 points."""

    level = forms.ChoiceField(label=_("Mức xếp loại"))
    score = ScoreField(label=_("Điểm (thang điểm 100)"))

    def __init__(self, *args, rating: Rating, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(rating.period, rating.subject_kind)
        if not rating.period.rules.SCORED:
            del self.fields["score"]

    def level_and_score(self) -> tuple[str, Decimal | None]:
        return self.cleaned_data["level"], self.cleaned_data.get("score")


class SelfAssessForm(RatingForm):
    note = forms.CharField(label=_("Tóm tắt bản tự kiểm điểm"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].label = _("Tự xếp loại")


class CommentForm(StyledForm):
    text = forms.CharField(label=_("Ý kiến của tập thể"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Ý kiến nhận xét, đánh giá của chi bộ (hoặc cấp ủy) tại hội nghị kiểm điểm."))


class ProposalForm(RatingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].label = _("Mức đề xuất")
        if "score" in self.fields:
            self.fields["score"].help_text = _("Để trống: giữ điểm tự chấm.")


class CorrectionForm(RatingForm):
    reason = forms.CharField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=100, help_text=DECISION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].label = _("Mức xếp loại mới")
        if "score" in self.fields:
            self.fields["score"].help_text = _("Để trống: giữ điểm đã công bố.")


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"),
                           help_text=_("Mỗi dòng một đảng viên: họ và tên hoặc số thẻ đảng viên, mức xếp loại (và điểm, nếu chấm điểm)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return upload


# ---------------------------------------------------------------- subjects added by hand


def _choice(label, required, invalid):
    return forms.TypedChoiceField(label=label, coerce=int, error_messages={"required": required, "invalid_choice": invalid})


class SubjectForm(StyledForm):
    """The base of the forms adding a subject: the choices come from the view (the scope's
    organizations and members on the period's reference date), so a value typed by hand outside
    them is refused like any invalid choice; evaluation.services checks the rest."""

    def __init__(self, *args, choices: dict, **kwargs):
        kwargs.setdefault("auto_id", f"{self.prefix_id}_%s")
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            if name in self.fields:
                self.fields[name].choices = [("", "---------"), *options]

    def error_messages(self) -> list[str]:
        return [str(e) for errors in self.errors.values() for e in errors]


class CollectiveForm(SubjectForm):
    prefix_id = "collective"
    organization = _choice(_("Tổ chức đảng"), _("Chưa chọn tổ chức đảng."),
                           _("Tổ chức đảng đã chọn không có trong danh sách của kỳ đánh giá."))
    name = forms.CharField(label=_("Tên tập thể"), required=False, max_length=255,
                           error_messages={"max_length": _("Tên tập thể quá dài (tối đa %(limit_value)d ký tự).")},
                           help_text=_("Để trống: “Tập thể lãnh đạo” và tên tổ chức."))


class LeaderForm(SubjectForm):
    prefix_id = "leader"
    member = _choice(_("Đảng viên"), _("Chưa chọn đảng viên."),
                     _("Đảng viên đã chọn không sinh hoạt trong tổ chức cơ sở đảng này vào ngày chốt danh sách."))
    organization = _choice(_("Lãnh đạo tổ chức"), _("Chưa chọn tổ chức đảng."),
                           _("Tổ chức đảng đã chọn không có trong danh sách của kỳ đánh giá."))
    post = forms.CharField(label=_("Chức vụ"), max_length=150, help_text=_("Ví dụ: Bí thư, Phó Bí thư."),
                           error_messages={"required": _("Chưa nhập chức vụ."),
                                           "max_length": _("Chức vụ quá dài (tối đa %(limit_value)d ký tự).")})


class MassOrganizationForm(SubjectForm):
    """An existing Front or mass organization of the commune, or a new one named here."""

    prefix_id = "mass"
    organization = _choice(_("Đảng bộ xã, phường"), _("Chưa chọn đảng bộ xã, phường."),
                           _("Đảng bộ xã, phường đã chọn không có trong phạm vi của kỳ đánh giá."))
    existing = forms.TypedChoiceField(label=_("Tổ chức đã có"), coerce=int, required=False, empty_value=None,
                                      error_messages={"invalid_choice": _("Tổ chức đã có: lựa chọn không hợp lệ.")})
    kind = forms.ChoiceField(label=_("Loại tổ chức mới"), required=False, choices=MassOrganization.Kind.choices,
                             initial=MassOrganization.Kind.FATHERLAND_FRONT,
                             error_messages={"invalid_choice": _("Loại tổ chức không hợp lệ.")})
    name = forms.CharField(label=_("Tên tổ chức mới"), required=False, max_length=255,
                           help_text=_("Ví dụ: Hội Nông dân xã Tân Lập. Chỉ nhập khi tổ chức chưa có trong danh sách."),
                           error_messages={"max_length": _("Tên quá dài (tối đa %(limit_value)d ký tự).")})

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, choices=choices, **kwargs)
        self.owners = dict(choices.get("owners", {}))  # existing mass organization -> its commune

    def clean(self):
        data = super().clean()
        existing, name = data.get("existing"), (data.get("name") or "").strip()
        if existing is None and not name:
            raise ValidationError(_("Chọn một tổ chức đã có hoặc nhập tên tổ chức mới."))
        if existing is not None and name:
            raise ValidationError(_("Chọn một tổ chức đã có hoặc nhập tên tổ chức mới, không cả hai."))
        if existing is not None and data.get("organization") is not None and self.owners.get(existing) != data["organization"]:
            raise ValidationError(_("Tổ chức đã chọn không thuộc đảng bộ xã, phường này."))
        return data


# -- issue #18: the rule set's settings, comparable groups and their allowance, breaches remedied --------


class RuleSettingsForm(StyledForm):
    cap_base = forms.ChoiceField(label=_("Cơ sở tính tỷ lệ “Hoàn thành xuất sắc nhiệm vụ”"), choices=CapBase.choices)
    cap_rounding = forms.ChoiceField(label=_("Cách làm tròn số được xếp loại “Hoàn thành xuất sắc nhiệm vụ”"), choices=CapRounding.choices)
    leader_not_above_collective = forms.BooleanField(label=_("Người đứng đầu không được xếp loại cao hơn tập thể do mình đứng đầu"),
                                                     required=False)


class CapGroupForm(StyledForm):
    organization = forms.TypedChoiceField(label=_("Cấp có thẩm quyền xác định nhóm"), coerce=int)
    name = forms.CharField(label=_("Tên nhóm"), max_length=255,
                           help_text=_("Ví dụ: Đảng viên khối xã; Bí thư chi bộ trực thuộc; Chi bộ trực thuộc khối cơ quan."))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = list(organizations)


class AssignGroupForm(StyledForm):
    organization = forms.TypedChoiceField(label=_("Đối tượng thuộc"), coerce=int)
    kind = forms.ChoiceField(label=_("Loại đối tượng"), choices=SubjectKind.choices)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = list(organizations)


class RaiseCapForm(StyledForm):
    percent = forms.DecimalField(label=_("Tỷ lệ tối đa (%)"), min_value=Decimal("0.01"), max_value=Decimal(25), decimal_places=2,
                                 initial=25, localize=True)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, help_text=DECISION_HELP)
    decided_on = DateField(label=_("Ngày quyết định"))
    issuer = forms.CharField(label=_("Cơ quan quyết định"), max_length=255, help_text=_("Ví dụ: Ban Thường vụ Huyện ủy A."))
    reason = forms.CharField(label=_("Thành tích xuất sắc, nổi trội"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RemedyForm(StyledForm):
    discipline = forms.TypedChoiceField(label=_("Quyết định kỷ luật"), coerce=int)
    evidence = forms.CharField(label=_("Căn cứ: đảng viên tự giác nhận lỗi, tự phát hiện vi phạm và khắc phục xong hậu quả"),
                               widget=forms.Textarea(attrs={"rows": 3}))
    decision_number = forms.CharField(label=_("Số văn bản của cấp có thẩm quyền"), max_length=100, required=False, help_text=DECISION_HELP)

    def __init__(self, *args, disciplines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline"].choices = list(disciplines)


class UnitDisciplineForm(StyledForm):
    disciplined = forms.BooleanField(label=_("Tổ chức (tập thể) bị kỷ luật trong kỳ đánh giá"), required=False)
