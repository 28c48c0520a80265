from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.lib.text import in_vietnamese_order
from coso.places.models import AdminUnit, Level

from .models import CloseReason, Kind, Organization, Sector
from .rules import allowed_child_kinds
from .selectors import organization_label

DECISION_HELP = _("Số hiệu văn bản, ví dụ 125-QĐ/HU.")


def unit_label(unit: AdminUnit) -> str:
    parent = f" — {unit.parent.full_name}" if unit.parent_id else ""
    return f"{unit.full_name}{parent}"


class DecisionFields(StyledForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False, help_text=DECISION_HELP)
    decision_date = DateField(label=_("Ngày quyết định"), required=False)


class AttributesForm(DecisionFields):
    kind = forms.ChoiceField(label=_("Loại tổ chức"), choices=Kind.choices)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), choices=Sector.choices, initial=Sector.OTHER)
    area = forms.ModelChoiceField(
        label=_("Địa bàn"),
        queryset=AdminUnit.objects.exclude(level=Level.VILLAGE).select_related("parent"),
        required=False,
        widget=SearchSelect(search_url=reverse_lazy("places:unit_options")),
        help_text=_("Tỉnh, huyện, xã, phường hoặc đặc khu mà tổ chức phụ trách."),
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=AdminUnit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Với chi bộ thôn, tổ dân phố: các thôn chi bộ phụ trách."),
    )
    valid_from = DateField(label=_("Hiệu lực từ ngày"))

    def __init__(self, *args, villages_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_picker(self, "area", unit_label)
        if villages_qs is not None:
            self.fields["villages"].queryset = villages_qs
            # the checkboxes in the Vietnamese order (a commune's villages: a short list)
            self.fields["villages"].choices = [(v.pk, str(v)) for v in in_vietnamese_order(villages_qs)]
        if not self.fields["villages"].queryset.exists():
            del self.fields["villages"]


class CreateForm(AttributesForm):
    name = forms.CharField(label=_("Tên tổ chức"), max_length=255)
    code = forms.CharField(label=_("Mã tổ chức"), max_length=40, required=False, help_text=_("Để trống để hệ thống tự đặt."))

    field_order = ["name", "kind", "sector", "area", "villages", "valid_from", "decision_number", "decision_date", "code"]

    def __init__(self, *args, parent_kind=None, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        if on is not None:
            allowed = set(allowed_child_kinds(parent_kind, on))
            choices = [(k, label) for k, label in Kind.choices if k in allowed] or Kind.choices
            self.fields["kind"].choices = choices


class EditForm(AttributesForm):
    field_order = ["kind", "sector", "area", "villages", "valid_from", "decision_number", "decision_date"]


class RenameForm(DecisionFields):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    valid_from = DateField(label=_("Hiệu lực từ ngày"))
    field_order = ["name", "valid_from", "decision_number", "decision_date"]


class MoveForm(DecisionFields):
    parent = forms.ModelChoiceField(
        label=_("Chuyển đến trực thuộc"),
        queryset=Organization.objects.none(),
        widget=SearchSelect(search_url=reverse_lazy("organizations:options")),
    )
    valid_from = DateField(label=_("Hiệu lực từ ngày"))
    field_order = ["parent", "valid_from", "decision_number", "decision_date"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = scope.organizations()
        limit_picker(self, "parent", organization_label)


class CloseForm(StyledForm):
    closed_on = DateField(label=_("Kết thúc từ ngày"))
    reason = forms.ChoiceField(label=_("Lý do"), choices=CloseReason.choices)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False, help_text=DECISION_HELP)

