"""Forms of the import pages: upload, the column mapping, the decision after the dry run."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.lib.forms import DateField, StyledForm

from . import reading
from .columns import field_choices
from .models import ImportJob
from .services import MAX_FILE_BYTES


class UploadForm(StyledForm):
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.csv,text/csv"}),
        help_text=_("Tệp theo mẫu, hoặc danh sách sẵn có của cơ quan: hệ thống tự tìm dòng tiêu đề và các cột."),
    )

    def __init__(self, *args, cells: list[dict] = (), default_cell_id: int | None = None, **kwargs):
        """cells: those the organization's list may name (validation.Cells.cells()); the default
        one (services.default_cell_on: the organization itself when it is a cell) is chosen."""
        super().__init__(*args, **kwargs)
        self.fields["default_cell"] = forms.TypedChoiceField(
            label=_("Chi bộ cho các dòng không ghi chi bộ"), required=False, coerce=int, empty_value=None, initial=default_cell_id,
            choices=[("", _("— Không có —")), *((c["id"], c["name"]) for c in cells)],
            help_text=_("Danh sách của một chi bộ thường không có cột Chi bộ: các dòng đó được nhập vào chi bộ chọn ở đây."))
        self.fields["default_cell"].widget.attrs["class"] = "form-select"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 50 MB)."))
        return upload


class MappingForm(StyledForm):
    """One choice per distinct column header of the file, the sheets to read, the date, a default cell."""

    on = DateField(label=_("Ngày ghi nhận sinh hoạt tại chi bộ"),
                   help_text=_("Đảng viên được tính là sinh hoạt ở chi bộ từ ngày này; mặc định là hôm nay."))

    def __init__(self, *args, job: ImportJob, cells: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.columns: list[dict] = []  # one per distinct header key: label, letters, sheets, samples
        seen: dict[str, dict] = {}
        for sheet in job.layout["sheets"]:
            for column in sheet["columns"]:
                entry = seen.get(column["key"])
                if entry is None:
                    entry = seen[column["key"]] = {"key": column["key"], "label": column["label"], "places": [], "samples": column.get("samples", [])}
                    self.columns.append(entry)
                entry["places"].append(f"{sheet['name']}!{column['letter']}")
        choices = [("", _("— Bỏ qua cột này —")), *field_choices()]
        for index, entry in enumerate(self.columns):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(label=entry["label"], choices=choices, required=False, initial=job.mapping.get(entry["key"], ""))
            entry["field"] = name
        readable = [s for s in job.layout["sheets"] if s["columns"]]
        self.fields["sheets"] = forms.TypedMultipleChoiceField(
            label=_("Trang tính cần nhập"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(s["position"], s["name"]) for s in readable], initial=[s["position"] for s in readable if s["use"]])
        self.fields["default_cell"] = forms.TypedChoiceField(
            label=_("Chi bộ cho các dòng không ghi chi bộ"), required=False, coerce=int, empty_value=None,
            choices=[("", _("— Không có —")), *((c["id"], c["name"]) for c in cells)],
            help_text=_("Dùng khi tệp không có cột Chi bộ và tên trang tính không phải tên chi bộ."))
        self.fields["on"].initial = job.on or timezone.localdate()
        self.fields["default_cell"].initial = job.default_cell_id
        # StyledForm gave its classes to the fields declared on the class; these are added here
        for name, field in self.fields.items():
            if name.startswith("col_"):
                field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["default_cell"].widget.attrs["class"] = "form-select"
        for entry in self.columns:
            entry["bound"] = self[entry["field"]]

    def clean(self):
        data = super().clean()
        data["mapping"] = {entry["key"]: data.get(entry["field"]) or "" for entry in self.columns}
        problems = reading.mapping_problems(self.job.layout, data["mapping"], data.get("sheets") or [])
        if problems:
            raise forms.ValidationError(problems)
        return data


class CommitForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportJob.Mode.choices)
    confirm = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("mode") == ImportJob.Mode.VALID_ONLY and not data.get("confirm"):
            raise forms.ValidationError(_("Hãy đánh dấu xác nhận chỉ nhập các dòng hợp lệ."))
        return data
