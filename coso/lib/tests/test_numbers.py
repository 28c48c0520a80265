from decimal import Decimal

from django.template import engines
from django.utils import translation

from coso.lib.numbers import num, number_texts


def test_counts_are_grouped_by_thousands_as_offices_write_them():
    with translation.override("vi"):
        assert num(5612) == "5.612"
        assert num(1234567) == "1.234.567"
        assert num(999) == "999"
        assert num(Decimal("42.9"), 1) == "42,9"
        # a decimal column's places are not the figure's: a target's count of 1 is 1, 60.50 is 60,5
        assert num(Decimal("1.00")) == "1" and num(Decimal("60.50")) == "60,5" and num(Decimal("12000.00")) == "12.000"
        assert num(None) == "" and num("abc") == "abc" and num("5612") == "5.612"
        assert number_texts()(5612) == "5.612"
    with translation.override("en"):
        assert num(5612) == "5,612"


def test_every_template_has_the_num_filter_without_loading_it():
    template = engines["django"].from_string("{{ n|num }} đối tượng")
    with translation.override("vi"):
        assert template.render({"n": 5612}) == "5.612 đối tượng"

