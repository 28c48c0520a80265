"""Bodies of a commune's political system and the posts people hold in them.

A Body (the party committee, the People's Council and its boards, the People's Committee and its
departments, the Front, the socio-political organizations; in a village its self-management, cell,
Front work board, security team and branches) is effective-dated and tied to its administrative
unit: the commune (a district before 01/07/2025) and, for a village's bodies, the village. Party
bodies also name their party organization. Kinds and titles are dated configuration (config.py).

A Post is a dated link between one Person (a party member or not) and a title of a body, with how
it was obtained and the decision. Concurrent posts are overlaps of one person's posts, never a
second record. Posts are written only through services.py, which keeps the limits on holders.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coso.lib.dated import Dated, DatedQuerySet, period_order_constraint
from coso.organizations.models import Organization, Placement
from coso.people.models import Person
from coso.places.models import AdminUnit

from . import config


def units_q(scope, field: str = "") -> Q:
    """Condition on administrative units (on the unit itself when field is "", else through the
    foreign key `field`) that a scope covers: the area of an organization of the scope, or a unit
    under such an area (a commune of a district's, a district or commune of a province's), as the
    scope's covered communes are computed."""
    if scope.is_global:
        return Q()
    if scope.is_empty:
        return Q(pk__in=[])
    areas = Placement.objects.filter(scope.placement_q(), area__isnull=False).values("area_id")
    prefix = f"{field}__" if field else ""
    return (Q(**{f"{prefix}pk__in": areas}) | Q(**{f"{prefix}parent_id__in": areas})
            | Q(**{f"{prefix}parent__parent_id__in": areas}))


class BodyQuerySet(DatedQuerySet):
    def visible_to(self, scope):
        return self.filter(units_q(scope, "unit"))


class PostQuerySet(DatedQuerySet):
    def visible_to(self, scope):
        return self.filter(units_q(scope, "body__unit"))


class Body(Dated, models.Model):
    kind = models.CharField(_("loại"), max_length=32, choices=config.kind_choices())
    name = models.CharField(_("tên"), max_length=255)
    unit = models.ForeignKey(AdminUnit, verbose_name=_("đơn vị hành chính"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(AdminUnit, verbose_name=_("thôn, tổ dân phố"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, tổ chức trong hệ thống chính trị")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan, tổ chức trong hệ thống chính trị")
        constraints = [period_order_constraint("grassroots_body_period_order")]
        indexes = [
            # a unit's bodies on a date (the chart), and the measures' bodies of a subtree's units
            models.Index(fields=["unit", "valid_from"], name="grassroots_body_unit_idx"),
            # a village's bodies (the village coverage figures)
            models.Index(fields=["village", "kind"], name="grassroots_body_village_idx"),
        ]
        ordering = ["unit_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_config(self) -> config.BodyKind:
        return config.BODY_KINDS[self.kind]


class Obtained(models.TextChoices):
    ELECTED = "elected", _("Bầu cử")
    APPOINTED = "appointed", _("Bổ nhiệm")
    DESIGNATED = "designated", _("Chỉ định")
    RECOGNIZED = "recognized", _("Công nhận")


class Post(Dated, models.Model):
    body = models.ForeignKey(Body, verbose_name=_("cơ quan, tổ chức"), on_delete=models.PROTECT, related_name="posts")
    person = models.ForeignKey(Person, verbose_name=_("người giữ chức vụ"), on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("chức danh"), max_length=40)
    obtained = models.CharField(_("hình thức"), max_length=12, choices=Obtained.choices, default=Obtained.ELECTED)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    valid_from = models.DateField(_("giữ chức từ ngày"))
    valid_to = models.DateField(_("thôi giữ chức từ ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi giữ chức"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = pgettext_lazy("plural", "chức vụ")
        constraints = [period_order_constraint("grassroots_post_period_order")]
        indexes = [
            # the holders of a body's title on a date (the overlap check, the body's page)
            models.Index(fields=["body", "title", "valid_from"], name="grassroots_post_body_idx"),
            # a person's posts over time (their page, concurrent posts)
            models.Index(fields=["person", "valid_from"], name="grassroots_post_person_idx"),
            # the holders of a title anywhere on a date (the measures)
            models.Index(fields=["title", "valid_from"], name="grassroots_post_title_idx"),
        ]
        ordering = ["body_id", "valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.title_label}: {self.person}"

    @property
    def open(self) -> bool:
        """Still held, or ending only because its body ends (a legacy commune's on 01/07/2025):
        an end may still be recorded before that."""
        return self.valid_to is None or self.valid_to == self.body.valid_to

    @property
    def title_label(self) -> str:
        return config.title_label(self.body.kind, self.title) if self.body_id else self.title
