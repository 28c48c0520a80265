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


class CapBase(models.TextChoices):
    """What the cap's percentage is taken of (evaluation-answers.md §1: the texts say those rated
    "Hoàn thành tốt nhiệm vụ"; some committees count "tốt" and above)."""

    GOOD = "good", _("Số được xếp loại “Hoàn thành tốt nhiệm vụ”")
    GOOD_OR_BETTER = "good_or_better", _("Số được xếp loại “Hoàn thành tốt nhiệm vụ” trở lên")


class CapRounding(models.TextChoices):
    """How a fractional allowance is rounded (no rule in any set: "không vượt quá" reads down)."""

    DOWN = "down", _("Làm tròn xuống")
    HALF_UP = "half_up", _("Làm tròn đến số nguyên gần nhất")


# Subjects that are persons (a member record behind them): the discipline rules read their events.
PERSON_KINDS = (SubjectKind.MEMBER, SubjectKind.LEADER)
