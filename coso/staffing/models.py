"""Commune staffing: who is employed where, in which category, from when to when; quotas; exits.

An Employment is a dated record of one person (people.Person, party member or not) employed by a
body of a commune (the commune's AdminUnit and the kind of body: the bodies themselves come with
coso/grassroots), in a category of staff (reference.Category, an effective-dated enumeration), in a
position (text, and a title code where the position is a post: training's requirements use it).
It is in force on [valid_from, valid_to); its end records why (an Ending), and for a streamlining
exit the decree it was made under (reference.BASES) and its form.

A Quota is the number of staff of a category a commune is allotted, in force on [valid_from,
valid_to): a new allotment closes the one before (services.set_quota).

Both are scoped through their commune (the communes a scope covers, like villages).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.lib.dated import Dated, DatedQuerySet, open_q, period_order_constraint
from coso.people.models import Person
from coso.places.models import AdminUnit

from .reference import BodyKind, Category, Ending, ExitForm


class CommuneDatedQuerySet(DatedQuerySet):
    def visible_to(self, scope):
        if scope.is_global:
            return self
        return self.filter(commune_id__in=scope.covered_communes().values("pk"))


class Employment(Dated, models.Model):
    person = models.ForeignKey(Person, verbose_name=_("người"), on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(AdminUnit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+")
    body_kind = models.CharField(_("cơ quan, đơn vị"), max_length=8, choices=BodyKind.choices)
    body_name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255, blank=True)
    category = models.CharField(_("loại"), max_length=20, choices=Category.choices)
    position = models.CharField(_("chức vụ, chức danh"), max_length=255)
    title = models.CharField(_("mã chức danh"), max_length=32, blank=True)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày (không kể)"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    ending = models.CharField(_("lý do kết thúc"), max_length=20, choices=Ending.choices, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=20, blank=True)
    exit_form = models.CharField(_("hình thức"), max_length=24, choices=ExitForm.choices, blank=True)
    exit_decision = models.CharField(_("số quyết định thôi việc, nghỉ"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneDatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        constraints = [
            period_order_constraint("staffing_employment_order"),
            models.CheckConstraint(condition=open_q() | ~Q(ending=""), name="staffing_employment_end_has_reason"),
        ]
        indexes = [
            # headcount of communes on a date (grouped by commune and category)
            models.Index(fields=["commune", "valid_from"], name="staffing_emp_commune_idx"),
            # a person's records (overlaps; their page)
            models.Index(fields=["person", "valid_from"], name="staffing_emp_person_idx"),
            # exits over a period
            models.Index(fields=["valid_to", "ending"], name="staffing_emp_exit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"


class Quota(Dated, models.Model):
    commune = models.ForeignKey(AdminUnit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("loại"), max_length=20, choices=Category.choices)
    number = models.PositiveIntegerField(_("số lượng"))
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày (không kể)"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định giao biên chế"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneDatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("biên chế được giao")
        verbose_name_plural = _("biên chế được giao")
        constraints = [
            period_order_constraint("staffing_quota_order"),
            models.UniqueConstraint(fields=["commune", "category"], condition=open_q(), name="staffing_one_open_quota"),
        ]
        indexes = [models.Index(fields=["commune", "category", "valid_from"], name="staffing_quota_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.number}"
