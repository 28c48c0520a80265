"""Persons: one record per human, whatever roles they hold (DESIGN principle 7).

Sensitive fields (national ID, ethnicity, religion) are read only through
people.selectors.visible_fields(), which drops them for roles without "people.sensitive".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from coso.lib.text import fold, name_sort_key, person_sort_key
from coso.places.models import AdminUnit

from .choices import (
    ETHNIC_GROUPS,
    KINH,
    RELIGIONS,
    AcademicTitle,
    DatePrecision,
    Gender,
    Qualification,
    TheoryLevel,
)

SENSITIVE_FIELDS = ("national_id", "ethnicity", "religion")


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    other_names = models.CharField(_("tên gọi khác"), max_length=150, blank=True)
    name_folded = models.CharField(max_length=150, editable=False)
    name_sort = models.CharField(max_length=320, editable=False)
    # the Vietnamese order for lists and search results (coso.lib.text.person_sort_key); name_sort
    # (folded, given name first) stays for matching the given and middle names
    name_order = models.CharField(max_length=800, editable=False, default="")
    gender = models.CharField(_("giới tính"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_precision = models.CharField(_("độ chính xác ngày sinh"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, null=True, blank=True, unique=True)
    # "" is "not known" (shown "Chưa rõ", counted under it, listed by the data-quality checks):
    # a record that arrives without these must not read as Kinh, no religion, not trained.
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=ETHNIC_GROUPS, blank=True, default="")
    religion = models.CharField(_("tôn giáo"), max_length=2, choices=RELIGIONS, blank=True, default="")
    origin_unit = models.ForeignKey(AdminUnit, verbose_name=_("quê quán"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_village = models.ForeignKey(AdminUnit, verbose_name=_("thôn (quê quán)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_text = models.CharField(_("quê quán (ghi rõ)"), max_length=255, blank=True)
    residence_unit = models.ForeignKey(AdminUnit, verbose_name=_("nơi cư trú"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    residence_village = models.ForeignKey(AdminUnit, verbose_name=_("thôn (nơi cư trú)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    residence_text = models.CharField(_("nơi cư trú (ghi rõ)"), max_length=255, blank=True)
    education = models.CharField(_("giáo dục phổ thông"), max_length=10, blank=True, help_text=_("Ví dụ 12/12 hoặc 10/10."))
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=10, choices=Qualification.choices, blank=True, default="")
    qualification_field = models.CharField(_("chuyên ngành"), max_length=150, blank=True)
    academic_title = models.CharField(_("học hàm"), max_length=3, choices=AcademicTitle.choices, blank=True, default="")
    theory_level = models.CharField(_("lý luận chính trị"), max_length=10, choices=TheoryLevel.choices, blank=True, default="")
    occupation = models.CharField(_("nghề nghiệp"), max_length=150, blank=True)
    job_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    photo = models.ImageField(_("ảnh"), upload_to="photos/", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhân thân")
        verbose_name_plural = _("nhân thân")
        indexes = [
            # search without diacritics (prefix and contains on SQLite; contains via trigram later on PostgreSQL)
            models.Index(fields=["name_folded"], name="people_person_folded_idx"),
            # likely duplicates: same name and birth date
            models.Index(fields=["name_folded", "birth_date"], name="people_person_dup_idx"),
            # search walking the Vietnamese order: ranges of spellings, a dense family-first prefix
            # (covering: coso/members/search.py)
            models.Index(fields=["name_order", "name_folded", "id"], name="people_person_sort_idx"),
            # search by the start of the name, sorted without reading the rows (covering; id too for PostgreSQL)
            models.Index(fields=["name_folded", "name_order", "id"], name="people_person_search_idx"),
            # lists of people in the Vietnamese order (given name first, Đ after D, tones)
            models.Index(fields=["name_order", "id"], name="people_person_order_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        self.name_sort = name_sort_key(self.full_name)
        self.name_order = person_sort_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def is_minority(self) -> bool:
        """Of an ethnic minority: a known group other than Kinh (unknown is not a minority)."""
        return self.ethnicity not in (KINH, "")

    @property
    def birth_display(self) -> str:
        if not self.birth_date:
            return ""
        if self.birth_precision == DatePrecision.YEAR:
            return f"{self.birth_date.year}"
        if self.birth_precision == DatePrecision.MONTH:
            return self.birth_date.strftime("%m/%Y")
        return self.birth_date.strftime("%d/%m/%Y")
