"""Forms of targets: a target, a reported value, inheriting a target, a review, aggregate entry."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.measures.catalog import INDICATORS, MEASURES
from coso.organizations.selectors import organization_label

from .models import Comparator, Horizon, ReviewKind


def measure_choices(empty: str) -> list:
    return [("", empty)] + [(name, f"{m.label} ({name})") for name, m in MEASURES.items()]


class TargetForm(StyledForm):
    code = forms.CharField(label=_("Mã chỉ tiêu"), max_length=20)
    text = forms.CharField(label=_("Nội dung chỉ tiêu (như trong văn bản)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    indicator = forms.ChoiceField(label=_("Tỷ lệ có sẵn"), required=False,
                                  help_text=_("Chọn một tỷ lệ có sẵn, hoặc chọn tử số (và mẫu số) bên dưới."))
    numerator = forms.ChoiceField(label=_("Số liệu (tử số)"), required=False)
    denominator = forms.ChoiceField(label=_("Mẫu số"), required=False, help_text=_("Để trống: chỉ tiêu là một số lượng."))
    comparator = forms.ChoiceField(label=_("So sánh"), choices=Comparator.choices, initial=Comparator.GE)
    threshold = forms.DecimalField(label=_("Mức chỉ tiêu"), min_value=0, max_digits=14, decimal_places=2)
    percent = forms.BooleanField(label=_("Số liệu báo cáo là tỷ lệ %"), required=False)
    unit = forms.CharField(label=_("Đơn vị"), required=False, max_length=30, help_text=_("Ví dụ: đảng viên, tổ chức, tỷ đồng."))
    horizon = forms.ChoiceField(label=_("Thời hạn"), choices=Horizon.choices, initial=Horizon.TERM)
    starts_on = DateField(label=_("Tính từ ngày"), required=False, help_text=_("Để trống: ngày bắt đầu nhiệm kỳ."))
    due_on = DateField(label=_("Đến ngày"), required=False, help_text=_("Để trống: ngày cuối nhiệm kỳ."))
    cascade = forms.BooleanField(label=_("Giao cho từng tổ chức cấp dưới"), required=False)
    exceed_from = forms.DecimalField(label=_("“Đạt và vượt” khi đạt từ (phần trăm chỉ tiêu)"), initial=105, min_value=100, max_value=1000)
    near_from = forms.DecimalField(label=_("“Gần đạt” khi đạt từ (phần trăm chỉ tiêu)"), initial=90, min_value=0, max_value=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—")] + [(name, i.label) for name, i in INDICATORS.items() if i.percent]
        self.fields["numerator"].choices = measure_choices(str(_("— không tính được từ dữ liệu: nhập số liệu báo cáo —")))
        self.fields["denominator"].choices = measure_choices("—")

    def service_arguments(self) -> dict:
        d = dict(self.cleaned_data)
        indicator = d.pop("indicator")
        if indicator:
            d["numerator"], d["denominator"] = INDICATORS[indicator].numerator, INDICATORS[indicator].denominator
        return d


class ReportForm(StyledForm):
    on = DateField(label=_("Số liệu tính đến ngày"))
    value = forms.DecimalField(label=_("Giá trị"), min_value=0, max_digits=14, decimal_places=2)
    source = forms.CharField(label=_("Nguồn số liệu"), max_length=255)


class InheritForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("Tổ chức cấp dưới nhận chỉ tiêu"), queryset=None,
                                          widget=SearchSelect(search_url=reverse_lazy("organizations:options")))
    threshold = forms.DecimalField(label=_("Mức chỉ tiêu của tổ chức"), required=False, min_value=0, max_digits=14, decimal_places=2,
                                   help_text=_("Để trống: như cấp trên giao. Chỉ được đặt cao hơn (chặt hơn), không thấp hơn."))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)


class ReviewForm(StyledForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=ReviewKind.choices)
    on = DateField(label=_("Số liệu tính đến ngày"))


class AggregateEntryForm(StyledForm):
    on = DateField(label=_("Số liệu tính đến ngày"))
    reporter = forms.CharField(label=_("Đơn vị, người báo cáo"), max_length=255)

    def __init__(self, *args, definition, **kwargs):
        super().__init__(*args, **kwargs)
        for f in definition.fields:
            self.fields[f.name] = forms.DecimalField(label=f.label, required=False, min_value=0, max_digits=14,
                                                     decimal_places=2 if f.percent else 0)
            self.fields[f.name].widget.attrs.setdefault("class", "form-control")
        self.definition = definition

    def values(self) -> dict:
        return {f.name: self.cleaned_data.get(f.name) for f in self.definition.fields}
