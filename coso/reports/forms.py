"""What a statistical report is about: the organization, the as-of date and the period of the
changes table, read from the query string (?to_chuc=&ngay=&tu_ngay=&den_ngay=)."""

import datetime as dt

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.grassroots import config as political_system
from coso.lib.dates import fmt
from coso.lib.forms import DateField, SearchSelect

from .standard import default_period

SMALL = {"class": "form-control form-control-sm", "size": 10}


class ReportForm(forms.Form):
    """A plain GET form. Blank dates take their defaults (the working day: today, or the last day
    of a scope that has ended; 1 January of that year to the date); the organization is checked
    by the view, not here. A date that is not a real date is the form's error."""

    to_chuc = forms.CharField(label=_("Tổ chức"), required=False, widget=SearchSelect(search_url=reverse_lazy("organizations:options"), date_field="ngay"))
    ngay = DateField(label=_("Tính đến ngày"), required=False)
    tu_ngay = DateField(label=_("Biến động từ ngày"), required=False)
    den_ngay = DateField(label=_("đến ngày"), required=False)
    # a column of the political system's section: people holding both posts (any two titles)
    kn_a = forms.ChoiceField(label=_("Kiêm nhiệm: chức vụ thứ nhất"), required=False)
    kn_b = forms.ChoiceField(label=_("đồng thời là"), required=False)

    PAIR_FIELDS = ("kn_a", "kn_b")

    def __init__(self, query, default_on: dt.date | None = None):
        self.default_on = default_on or timezone.localdate()  # the working day (organizations.workday)
        data = {name: (query.get(name) or "").strip() for name in self.base_fields}
        super().__init__(data, auto_id="report_%s")
        self.fields["to_chuc"].widget.choices = [("", "---------")]
        self.fields["to_chuc"].widget.attrs["class"] = "form-select form-select-sm"
        for name in self.PAIR_FIELDS:
            self.fields[name].choices = [("", "---------"), *political_system.title_options()]
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("ngay", "tu_ngay", "den_ngay"):
            self.fields[name].widget.attrs.update(SMALL)
        self.is_valid()
        # the as-of date is shown filled in (today by default); a blank period shows its default
        # as a placeholder, so that changing the date alone moves the period with it
        on, _period = self.dates()
        if "ngay" not in self.errors:
            self.data["ngay"] = fmt(on)
        default = default_period(on)
        self.fields["tu_ngay"].widget.attrs["placeholder"] = fmt(default[0])
        self.fields["den_ngay"].widget.attrs["placeholder"] = fmt(default[1])

    def show_organization(self, placement) -> None:
        """The picker shows the organization the report is about (already known: no query)."""
        if placement is not None:
            self.fields["to_chuc"].widget.choices = [("", "---------"), (placement.organization_id, placement.name)]
            self.data["to_chuc"] = placement.organization_id

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay") or cleaned.get("ngay")
        if start and end and start > end:
            self.add_error("tu_ngay", _("Ngày bắt đầu của kỳ phải trước ngày kết thúc."))
        return cleaned

    def pair(self) -> str | None:
        """The measure name of the pair of concurrent posts asked for, None when none (or not valid)."""
        cleaned = getattr(self, "cleaned_data", {})
        if not cleaned.get("kn_a") or not cleaned.get("kn_b"):
            return None
        return political_system.pair_name(cleaned["kn_a"], cleaned["kn_b"])

    def dates(self) -> tuple[dt.date, tuple[dt.date, dt.date]]:
        """The as-of date and the period, defaults for what is blank or unreadable."""
        cleaned = getattr(self, "cleaned_data", {})
        on = cleaned.get("ngay") or self.default_on
        start, end = default_period(on)
        if "tu_ngay" not in self.errors:
            start = cleaned.get("tu_ngay") or start
            end = cleaned.get("den_ngay") or end
        if start > end:
            start, end = default_period(on)
        return on, (start, end)
