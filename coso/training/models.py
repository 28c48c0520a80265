"""Political-theory training: courses (classes, lớp) and their enrolments.

A Course is one class of a programme (a degree programme: sơ cấp, trung cấp, cao cấp, cử nhân; or
a short course: the course on the Party, the course for new members, the committee members'
course, refresher courses), run by a training body between two dates and recorded by a party
organization (the committee that opened or sent people to it: the scope it is seen in).

An Enrolment is one person in one course: enrolled, then completed (with the certificate's number
and date) or withdrawn. A completed degree programme dates the person's theory level: the level on
any date is derived (selectors.levels_on); the level typed on people.Person stays as an undated
starting value (an import's, or what was known before any course was recorded).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.organizations.models import Organization
from coso.people.models import Person

from .choices import LEVEL_OF_PROGRAM, Body, Mode, Program, Result


class Course(models.Model):
    organizer = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng quản lý lớp học"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên lớp"), max_length=255)
    program = models.CharField(_("chương trình"), max_length=16, choices=Program.choices)
    body = models.CharField(_("cơ sở đào tạo"), max_length=16, choices=Body.choices)
    body_name = models.CharField(_("tên cơ sở đào tạo"), max_length=255, blank=True)
    mode = models.CharField(_("hình thức học"), max_length=16, choices=Mode.choices, default=Mode.FULL_TIME)
    starts_on = models.DateField(_("ngày khai giảng"))
    ends_on = models.DateField(_("ngày bế giảng"))
    decision_number = models.CharField(_("số quyết định mở lớp"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp đào tạo, bồi dưỡng")
        verbose_name_plural = _("lớp đào tạo, bồi dưỡng")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_course_order"),
        ]
        indexes = [
            # the courses of an organization's subtree, newest first (the list page; the measures' period filter)
            models.Index(fields=["organizer", "-starts_on"], name="training_course_org_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        """The theory level the programme gives ("" for a short course)."""
        return LEVEL_OF_PROGRAM.get(self.program, "")


class Enrolment(models.Model):
    class State(models.TextChoices):
        ENROLLED = "enrolled", _("Đang học")
        COMPLETED = "completed", _("Đã hoàn thành")
        WITHDRAWN = "withdrawn", _("Thôi học")

    course = models.ForeignKey(Course, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, verbose_name=_("học viên"), on_delete=models.PROTECT, related_name="+")
    enrolled_on = models.DateField(_("ngày nhập học"))
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.ENROLLED)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result = models.CharField(_("kết quả"), max_length=10, choices=Result.choices, blank=True)
    certificate_number = models.CharField(_("số văn bằng, chứng chỉ"), max_length=50, blank=True)
    certificate_issued_on = models.DateField(_("ngày cấp văn bằng, chứng chỉ"), null=True, blank=True)
    withdrawn_on = models.DateField(_("ngày thôi học"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("lý do thôi học"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="training_one_enrolment_per_course"),
            models.CheckConstraint(
                condition=(Q(state="enrolled", completed_on__isnull=True, withdrawn_on__isnull=True)
                           | Q(state="completed", completed_on__isnull=False, withdrawn_on__isnull=True)
                           | Q(state="withdrawn", completed_on__isnull=True, withdrawn_on__isnull=False)),
                name="training_enrolment_state_dates"),
        ]
        indexes = [
            # a person's courses and their derived level on a date (the person's page, levels_on)
            models.Index(fields=["person", "completed_on"], name="training_enrolment_person_idx"),
            # completions over a period (the measures)
            models.Index(fields=["completed_on"], name="training_enrolment_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.course}"
