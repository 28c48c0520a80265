from hypothesis import given
from hypothesis import strategies as st

from coso.lib.text import clean, fold, name_sort_key


def test_it_folds_vietnamese_to_plain_lower_case():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẢNG BỘ XÃ TAM SƠN") == "dang bo xa tam son"


def test_it_stores_decomposed_input_as_nfc():
    decomposed = "Nguye\u0302\u0303n"  # what some keyboards and old files send
    assert clean(decomposed) == "Nguyễn"
    assert fold(decomposed) == "nguyen"


def test_it_sorts_names_by_given_name_first():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Anh"]
    assert sorted(names, key=name_sort_key) == ["Trần Thị An", "Lê Văn Anh", "Nguyễn Văn Bình"]


@given(st.text())
def test_it_never_returns_combining_marks_or_capitals(text):
    folded = fold(text)
    assert folded == fold(folded)


def test_it_reads_dates_as_offices_write_them():
    import datetime as dt

    from coso.lib.dates import fmt, parse

    assert parse("31/03/2024") == dt.date(2024, 3, 31)
    assert parse("2024-03-31") == dt.date(2024, 3, 31)
    assert parse("31/02/2024") is None and parse("") is None
    assert fmt(dt.date(2024, 3, 1)) == "01/03/2024"


def test_it_formats_numbers_and_dates_the_vietnamese_way():
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load humanize %}{{ n }} · {{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("vi"):
        assert template.render(Context({"n": 5400, "d": dt.date(2024, 3, 31)})) == "5.400 · 31/03/2024"
    with translation.override("en"):
        assert template.render(Context({"n": 5400, "d": dt.date(2024, 3, 31)})) == "5,400 · 31/03/2024"
