"""Numbers as offices write them: 5.612 and 42,9 in Vietnamese (5,612 and 42.9 in English).

`num(value)` is the one formatter of a count or a figure shown to a user, in a page (the `num`
template filter, a builtin of every template), a message built in Python ("Đã quyết định xếp loại
5.612 đối tượng.") or a written summary; `number_texts()` is the same formatting made once for
a large table, where Django's per-value localization costs more than the rest of the page.
"""

from decimal import Decimal

from django.utils import formats


def num(value, decimals: int | None = None) -> str:
    """Grouped by thousands in the active language; "" for None or a non-number left as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        try:
            value = int(value) if str(value).strip().lstrip("-").isdigit() else value
        except (TypeError, ValueError):
            return str(value)
        if not isinstance(value, int):
            return str(value)
    if isinstance(value, Decimal) and decimals is None and value.is_finite():
        # a stored decimal carries its column's places (1.00 for a count of 1): shown as offices
        # write it, without the trailing zeros
        value = int(value) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def number_texts():
    """A formatter of numbers in the active language (5.400; 42,9; "—" for None), made once per
    page: the separators are looked up once, not for every cell."""
    decimal, thousand = formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")

    def text(value) -> str:
        if value is None:
            return "—"
        raw = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
        return raw.replace(",", "\0").replace(".", decimal).replace("\0", thousand)

    return text
