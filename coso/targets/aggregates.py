"""Aggregate entry: the forms a lower level fills with numbers, and their validation rules as data.

DESIGN principle 1: where a lower level can only send numbers, those numbers pass validation
rules (31 + 17 ≠ 49 is caught: Đắk Mil's article prints "49 TCCS, 31 chi bộ cơ sở and 17 đảng
bộ cơ sở"). A rule is data (a kind and the fields it names), not code per form:

- "sum": the whole equals the sum of its parts;
- "share": a percentage is at most 100;
- "at_least": a count is not below its sub-count.

Each field names the measure of the catalog that computes it from records, so the same rules
run against computed figures (`computed`, `check`), where they always hold.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.numbers import num
from coso.measures import engine


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    measure: str = ""  # the catalog's measure computing it ("" : only reported)
    percent: bool = False


@dataclass(frozen=True)
class Rule:
    kind: str  # "sum" | "share" | "at_least"
    fields: tuple[str, ...]  # sum: (whole, *parts); share: (share,); at_least: (count, sub-count)


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def label(self, name: str) -> str:
        return str(next(f.label for f in self.fields if f.name == name))


FORMS = {form.code: form for form in [
    Form("organizations", gettext_lazy("Tổ chức cơ sở đảng"), (
        Field("tccs", gettext_lazy("Tổ chức cơ sở đảng"), "orgs.grassroots"),
        Field("grassroots_committees", gettext_lazy("Đảng bộ cơ sở"), "orgs.grassroots_committees"),
        Field("grassroots_cells", gettext_lazy("Chi bộ cơ sở"), "orgs.grassroots_cells"),
        Field("subordinate_cells", gettext_lazy("Chi bộ trực thuộc đảng ủy cơ sở"), "orgs.subordinate_cells"),
    ), (
        Rule("sum", ("tccs", "grassroots_committees", "grassroots_cells")),
    )),
    Form("members", gettext_lazy("Đảng viên"), (
        Field("members", gettext_lazy("Tổng số đảng viên"), "members"),
        Field("official", gettext_lazy("Đảng viên chính thức"), "members.official"),
        Field("probationary", gettext_lazy("Đảng viên dự bị"), "members.probationary"),
        Field("female", gettext_lazy("Đảng viên nữ"), "members.female"),
        Field("good_share", gettext_lazy("Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên (%)"), percent=True),
    ), (
        Rule("sum", ("members", "official", "probationary")),
        Rule("at_least", ("members", "female")),
        Rule("share", ("good_share",)),
    )),
]}


def message(form: Form, rule: Rule, values: dict) -> str | None:
    """The rule's message naming its fields and their values, or None when it holds."""
    v = {name: values.get(name) for name in rule.fields}
    if any(value is None for value in v.values()):
        return None  # a missing figure is the form's error, not the rule's
    if rule.kind == "sum":
        whole, *parts = rule.fields
        total = sum(Decimal(v[p]) for p in parts)
        if Decimal(v[whole]) == total:
            return None
        return _("%(whole)s (%(value)s) phải bằng tổng %(parts)s: %(sum)s = %(total)s ≠ %(value)s.") % {
            "whole": form.label(whole), "value": num(v[whole]), "parts": ", ".join(form.label(p) for p in parts),
            "sum": " + ".join(num(v[p]) for p in parts), "total": num(total)}
    if rule.kind == "share":
        [name] = rule.fields
        if Decimal(v[name]) <= 100:
            return None
        return _("%(field)s là %(value)s%%: một tỷ lệ không vượt quá 100%%.") % {"field": form.label(name), "value": num(v[name])}
    if rule.kind == "at_least":
        count, sub = rule.fields
        if Decimal(v[count]) >= Decimal(v[sub]):
            return None
        return _("%(count)s (%(value)s) không thể ít hơn %(sub)s (%(sub_value)s).") % {
            "count": form.label(count), "value": num(v[count]), "sub": form.label(sub), "sub_value": num(v[sub])}
    raise ValueError(rule.kind)


def check(form: Form, values: dict) -> dict[str, list[str]]:
    """{field: [messages]} of every rule that fails, each message on every field it names."""
    errors: dict[str, list[str]] = {}
    for name in form.field_names():
        if values.get(name) is None:
            errors.setdefault(name, []).append(_("Hãy nhập %(field)s.") % {"field": form.label(name)})
    for rule in form.rules:
        text = message(form, rule, values)
        if text:
            for name in rule.fields:
                errors.setdefault(name, []).append(text)
    return errors


def computed(form: Form, organization_id: int, on, scope=None) -> dict:
    """The form's figures computed from records (one engine call); fields without a measure are None."""
    names = [f.measure for f in form.fields if f.measure]
    table = engine.table(names, organization_id, on=on, scope=scope)
    return {f.name: (table.total[f.measure] if f.measure else None) for f in form.fields}


def failing(form: Form, values: dict) -> list[str]:
    """The messages of the form's rules that fail on the values (run on computed figures: none,
    by design)."""
    return [text for rule in form.rules if (text := message(form, rule, values))]


def check_computed(form: Form, organization_id: int, on, scope=None) -> list[str]:
    """The rules run against the computed figures (one engine call)."""
    return failing(form, computed(form, organization_id, on, scope))
