from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.dates import fmt
from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.measures.engine import year_before
from coso.measures.lineage import BY_SUCCESSOR, BY_TIME
from coso.organizations.models import Kind, Organization, Sector
from coso.organizations.selectors import organization_label
from coso.places.models import AdminUnit, Level
from coso.reports.forms import SMALL, ReportForm

from .models import Operation, OperationKind

SOURCES = 4  # pickers for a merge's organizations on the page (the service takes any number)


def _picker(label, required=False, help_text=""):
    return forms.ModelChoiceField(label=label, queryset=Organization.objects.none(), required=required, help_text=help_text,
                                  widget=SearchSelect(search_url=reverse_lazy("organizations:options")))


class RestructuringForm(StyledForm):
    organization = _picker(_("Cấp ủy quyết định"), required=True,
                           help_text=_("Mọi tổ chức được sắp xếp phải thuộc cấp ủy này (ví dụ: Đảng bộ tỉnh)."))
    title = forms.CharField(label=_("Tên phương án"), max_length=255)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, help_text=_("Số hiệu văn bản, ví dụ 125-QĐ/TU."))
    decision_issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    decision_date = DateField(label=_("Ngày quyết định"))
    effective_date = DateField(label=_("Ngày hiệu lực"))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)


class OperationForm(StyledForm):
    kind = forms.ChoiceField(label=_("Thao tác"), choices=OperationKind.choices)
    organization = _picker(_("Tổ chức"), help_text=_("Tổ chức chuyển, đổi tên, đổi loại, chia tách, giải thể; với hợp nhất: tổ chức tiếp nhận (để trống nếu thành lập mới)."))
    parent = _picker(_("Trực thuộc / tổ chức tiếp nhận"), help_text=_("Cấp trên mới (chuyển, thành lập); tổ chức nhận các chi bộ và đảng viên (giải thể, chia tách)."))
    parent_new = forms.ModelChoiceField(label=_("hoặc tổ chức thành lập mới trong phương án"), queryset=Operation.objects.none(), required=False)
    name = forms.CharField(label=_("Tên mới"), max_length=255, required=False)
    org_kind = forms.ChoiceField(label=_("Loại tổ chức"), choices=[("", "---------"), *Kind.choices], required=False)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), choices=[("", "---------"), *Sector.choices], required=False)
    merged_villages = forms.ModelMultipleChoiceField(
        label=_("Thôn, tổ dân phố sáp nhập"), queryset=AdminUnit.objects.none(), required=False,
        help_text=_("Với sáp nhập thôn, tổ dân phố: chọn các thôn của cùng một xã (giữ Ctrl để chọn nhiều); tên mới ở ô “Tên mới”."))

    def __init__(self, *args, scope, restructuring, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = scope.organizations()
        for i in range(1, SOURCES + 1):
            self.fields[f"source_{i}"] = _picker(_("Tổ chức hợp nhất %(n)s") % {"n": i})
        for name in ("organization", "parent", *[f"source_{i}" for i in range(1, SOURCES + 1)]):
            self.fields[name].queryset = organizations
            limit_picker(self, name, organization_label)
        self.fields["parent_new"].queryset = restructuring.operations.filter(kind__in=[OperationKind.ESTABLISH, OperationKind.MERGE], organization__isnull=True)
        self.fields["parent_new"].label_from_instance = lambda op: op.name
        # the villages in force on the date in the communes the user's scope covers
        villages = (AdminUnit.objects.on(restructuring.effective_date).filter(level=Level.VILLAGE, parent__in=scope.covered_communes())
                    .select_related("parent").order_by("parent__name_folded", "name_folded"))
        self.fields["merged_villages"].queryset = villages
        self.fields["merged_villages"].label_from_instance = lambda v: f"{v.full_name} ({v.parent.full_name})"
        self.fields["merged_villages"].widget.attrs.update({"size": 6, "class": "form-select"})

    @property
    def sources(self):
        return [self.cleaned_data[f"source_{i}"] for i in range(1, SOURCES + 1) if self.cleaned_data.get(f"source_{i}")]


class FiguresForm(ReportForm):
    """The figures across a restructuring (?to_chuc=&ngay=&so_voi=&tu_ngay=&den_ngay=&nhom=): the
    report's organization and dates, the date compared with (default a year before) and how the
    period's events are grouped."""

    so_voi = DateField(label=_("So với cùng địa bàn ngày"), required=False)
    nhom = forms.ChoiceField(label=_("Biến động trong kỳ tính theo"), required=False, choices=[
        (BY_TIME, _("tổ chức tại thời điểm phát sinh")), (BY_SUCCESSOR, _("tổ chức kế thừa hiện nay"))])

    def __init__(self, query, default_on=None):
        super().__init__(query, default_on=default_on)
        self.fields["so_voi"].widget.attrs.update(SMALL)
        self.fields["nhom"].widget.attrs["class"] = "form-select form-select-sm"
        on, _period = self.dates()
        self.fields["so_voi"].widget.attrs["placeholder"] = fmt(year_before(on))

    @property
    def before(self):
        return getattr(self, "cleaned_data", {}).get("so_voi") or year_before(self.dates()[0])

    @property
    def grouping(self) -> str:
        return getattr(self, "cleaned_data", {}).get("nhom") or BY_TIME
