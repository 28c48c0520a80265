"""Forms of the register: a document, a term, a relation, a file, the search box."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, SearchSelect, StyledForm, limit_picker
from coso.organizations.selectors import organization_label

from .models import Capacity, RelationKind, Security
from .symbols import DocumentKind, Organ


class DocumentForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("Tổ chức ban hành"), queryset=None,
                                          widget=SearchSelect(search_url=reverse_lazy("organizations:options"), date_field="issued_on"))
    organ = forms.ChoiceField(label=_("Cơ quan ban hành"), choices=Organ.choices, initial=Organ.COMMITTEE)
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=[("", "---------"), *DocumentKind.choices])
    issued_on = DateField(label=_("Ngày ban hành"))
    number = forms.IntegerField(label=_("Số"), required=False, min_value=1, max_value=99999,
                                help_text=_("Để trống: hệ thống cấp số tiếp theo của loại văn bản này trong nhiệm kỳ."))
    issuer_symbol = forms.CharField(label=_("Ký hiệu cơ quan ban hành"), required=False, max_length=12,
                                    help_text=_("Để trống: ký hiệu thường dùng của tổ chức (HU, ĐU, CB…) vào ngày ban hành."))
    subject = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    place = forms.CharField(label=_("Địa danh"), required=False, max_length=100)
    signer = forms.CharField(label=_("Người ký"), required=False, max_length=120)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=120)
    signer_capacity = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=Capacity.choices, required=False)
    security = forms.ChoiceField(label=_("Độ mật"), choices=Security.choices, required=False)
    effective_from = DateField(label=_("Có hiệu lực từ ngày"), required=False, help_text=_("Để trống: từ ngày ban hành."))
    expires_on = DateField(label=_("Hết hiệu lực từ ngày"), required=False)
    recipients = forms.CharField(label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        limit_picker(self, "organization", organization_label)

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class TermForm(StyledForm):
    name = forms.CharField(label=_("Nhiệm kỳ"), max_length=60, help_text=_("Ví dụ: 2020–2025."))
    starts_on = DateField(label=_("Bắt đầu từ ngày"), help_text=_("Ngày sau ngày bế mạc đại hội, hoặc ngày hội nghị lần thứ nhất của cấp ủy khóa mới."))


class RelationForm(StyledForm):
    kind = forms.ChoiceField(label=_("Quan hệ"), choices=RelationKind.choices)
    target = forms.ModelChoiceField(label=_("Văn bản liên quan"), queryset=None)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = documents
        self.fields["target"].label_from_instance = lambda d: f"{d.symbol} ({d.issued_on:%d/%m/%Y}) {d.subject[:60]}"


class AttachmentForm(StyledForm):
    file = forms.FileField(label=_("Tệp PDF hoặc DOCX"))


class SearchForm(StyledForm):
    q = forms.CharField(label=_("Số, ký hiệu hoặc trích yếu"), required=False, max_length=200)
    loai = forms.ChoiceField(label=_("Loại văn bản"), required=False, choices=[("", _("Tất cả")), *DocumentKind.choices])
    to_chuc = forms.ChoiceField(label=_("Tổ chức ban hành"), required=False)
    nam = forms.IntegerField(label=_("Năm"), required=False, min_value=1930, max_value=2100)

    def __init__(self, *args, issuers=(), **kwargs):
        """issuers: (id, name) of the organizations whose documents the user reads (selectors.issuers)."""
        super().__init__(*args, **kwargs)
        self.fields["to_chuc"].choices = [("", _("Tất cả")), *[(str(pk), name) for pk, name in issuers]]
