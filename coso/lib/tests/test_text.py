import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from coso.lib.text import clean, fold, in_vietnamese_order, name_sort_key, person_sort_key, sort_key


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


# ---------------------------------------------------------------- the Vietnamese order



def test_d_with_stroke_sorts_after_d_and_the_vowel_letters_after_their_base():
    assert sorted(["Đức", "Dũng", "Duy", "Bình"], key=sort_key) == ["Bình", "Dũng", "Duy", "Đức"]
    assert sorted(["Ơn", "On", "Ôn", "Ư", "U", "Ấn", "Ăn", "An"], key=sort_key) == ["An", "Ăn", "Ấn", "On", "Ôn", "Ơn", "U", "Ư"]
    assert sorted(["Đảng bộ xã Tam Sơn", "Đảng bộ xã Tam Anh", "Chi bộ Dân chính"], key=sort_key) == [
        "Chi bộ Dân chính", "Đảng bộ xã Tam Anh", "Đảng bộ xã Tam Sơn"]


def test_tones_count_only_between_words_with_the_same_letters_in_their_order():
    assert sorted(["ạ", "á", "ã", "ả", "à", "a"], key=sort_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert sorted(["Bá", "Ba", "Bà", "Bac"], key=sort_key) == ["Ba", "Bà", "Bá", "Bac"]


def test_word_by_word_and_numbers_by_value():
    assert sorted(["Anh", "An Bình", "An"], key=sort_key) == ["An", "An Bình", "Anh"]
    assert sorted(["Thôn 10", "Thôn 2", "Thôn 1"], key=sort_key) == ["Thôn 1", "Thôn 2", "Thôn 10"]
    assert sort_key("ĐẢNG BỘ") == sort_key("đảng bộ")  # case does not count
    assert set(sort_key("Chi bộ (Thôn 3) – Đông")) <= set("0123456789")  # every collation compares digits alike


def test_people_sort_by_given_name_in_the_vietnamese_order():
    names = ["Nguyễn Văn Đức", "Trần Văn Dũng", "Lê Thị An", "Phạm Đức Anh"]
    assert sorted(names, key=person_sort_key) == ["Lê Thị An", "Phạm Đức Anh", "Trần Văn Dũng", "Nguyễn Văn Đức"]


def test_short_lists_sort_in_python_by_the_same_key():
    from types import SimpleNamespace as NS

    villages = [NS(pk=1, name="Đồng Trà"), NS(pk=2, name="Dương Lâm"), NS(pk=3, name="Bình An")]
    assert [v.name for v in in_vietnamese_order(villages)] == ["Bình An", "Dương Lâm", "Đồng Trà"]


_BASES = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONED = {b: [unicodedata.normalize("NFC", b + t) for t in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")] for b in "aăâeêioôơuưy"}


def _reference(words: list[tuple[int, int]]):
    """Word by word on the letters, then the words' tones in order: the dictionary's comparison.
    A syllable carries one tone, wherever its mark sits (Hoà = Hòa): a word's tone is its first."""
    return (tuple(tuple(b for b, _ in w) for w in words), tuple(next((t for _, t in w if t), 0) for w in words))


_letter = st.tuples(st.integers(0, len(_BASES) - 1), st.integers(0, 5))
_words = st.lists(st.lists(_letter, min_size=1, max_size=5), min_size=1, max_size=3)


def _spell(words) -> str:
    out = []
    for w in words:
        chars = []
        for b, t in w:
            base = _BASES[b]
            chars.append(_TONED[base][t] if base in _TONED else base)
        out.append("".join(chars))
    return " ".join(out)


def _toneless(words):
    return [[(b, t if _BASES[b] in _TONED else 0) for b, t in w] for w in words]


@given(_words, _words)
def test_the_key_orders_as_the_dictionary_does(a, b):
    a, b = _toneless(a), _toneless(b)
    ra, rb = _reference(a), _reference(b)
    ka, kb = sort_key(_spell(a)), sort_key(_spell(b))
    assert (ka < kb) == (ra < rb) and (ka == kb) == (ra == rb)


def test_the_old_and_new_tone_placements_sort_as_one():
    # "Hoà"/"Hòa", "Thuý"/"Thúy": the same syllable with the tone mark on another vowel
    assert sort_key("Xã Hoà Bình") == sort_key("Xã Hòa Bình")
    assert person_sort_key("Lê Thị Thuý") == person_sort_key("Lê Thị Thúy")
    assert sort_key("Hòa") < sort_key("Hóa") < sort_key("Họa")
