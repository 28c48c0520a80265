from django import forms
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, StyledForm

from .models import VILLAGE_KINDS, UnitKind


class VillageForm(StyledForm):
    name = forms.CharField(label=_("Tên thôn, tổ dân phố"), max_length=200, help_text=_("Ví dụ: Thôn Thuận Yên, Tổ dân phố 3."))
    kind = forms.ChoiceField(label=_("Loại"), choices=[(k.value, k.label) for k in VILLAGE_KINDS], initial=UnitKind.VILLAGE)
    valid_from = DateField(label=_("Hiệu lực từ ngày"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)


class CloseVillageForm(StyledForm):
    valid_to = DateField(label=_("Hết hiệu lực từ ngày"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
