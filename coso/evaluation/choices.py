"""Codes shared by the models and the rule set modules (the rules import no model)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANIZATION = "organization", _("Tổ chức đảng")
    COLLECTIVE = "collective", _("Tập thể lãnh đạo, quản lý")
    LEADER = "leader", _("Cá nhân lãnh đạo, quản lý")
    MASS_ORGANIZATION = "mass_org", _("Mặt trận Tổ quốc, đoàn thể")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Hằng năm")
    QUARTER = "quarter", _("Hằng quý")
    TERM = "term", _("Nhiệm kỳ")


# Subjects that are persons (a member record behind them): the discipline rules read their events.
PERSON_KINDS = (SubjectKind.MEMBER, SubjectKind.LEADER)
