"""Vietnamese text: NFC storage, search without diacritics, the Vietnamese name order."""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """NFC, single spaces, no leading or trailing blanks: the form every name is stored in."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Lower case without diacritics, for search: "Nguyễn Văn Đức" -> "nguyen van duc".

    đ/Đ is a letter of its own, not a letter with a combining mark, so NFD leaves it alone.
    """
    if not text:
        return ""
    text = clean(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_sort_key(full_name: str) -> str:
    """Vietnamese lists sort by given name, then middle names, then family name.

    "Nguyễn Văn An" sorts as "an van nguyen"; the folded key keeps ordering stable on every
    database (no locale collation needed); ties keep accents apart by appending the folded-
    but-accented form.
    """
    parts = clean(full_name).split(" ")
    if len(parts) > 1:
        parts = [parts[-1], *parts[1:-1], parts[0]]
    reordered = " ".join(parts)
    return f"{fold(reordered)}|{reordered.lower()}"


# ---------------------------------------------------------------- the Vietnamese order
#
# Vietnamese dictionaries and office lists order letters as the alphabet does, where ă, â, đ, ê, ô,
# ơ, ư are letters of their own (D < Đ: "Dũng" before "Đức"), word by word ("An" < "An Bình" <
# "Anh"), and compare tones only between words whose letters are the same, in the order
# ngang, huyền, hỏi, ngã, sắc, nặng (a < à < ả < ã < á < ạ; the CLDR "vi" collation). Neither
# database does this by default (PostgreSQL's collation depends on how the cluster was created;
# SQLite compares code points), so the order is a key made of digits only, which every collation
# compares the same way, stored beside the name and indexed where lists are long.
#
# The key: for each word, one two-digit code per letter (12..44 in the alphabet's order) and for a
# run of digits "02", its length and the digits (so "Thôn 2" < "Thôn 10"); "01" between words;
# "00" after the last word; then one tone digit (0..5) per word. A syllable carries one tone, so
# the digit is the word's and not its letter's: "Hoà" (the old placement) and "Hòa" sort as one.
# Other characters separate words.

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: f"{12 + n:02d}" for n, letter in enumerate(ALPHABET)}
_VOWEL_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_MARKED = {("a", "breve"): "ă", ("a", "circumflex"): "â", ("e", "circumflex"): "ê", ("o", "circumflex"): "ô",
           ("o", "horn"): "ơ", ("u", "horn"): "ư"}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_WORDS = re.compile(r"[^\W_]+")
_PARTS = re.compile(r"\d+|\D")


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[str, str]:
    """(letter codes, tone digits) of one word: letters and digits only, lower case, NFC."""
    primary, tone = [], "0"
    for part in _PARTS.findall(word):
        if part.isdigit():
            digits = part.lstrip("0") or "0"
            primary.append(f"02{min(len(digits), 99):02d}{digits}")
            continue
        base, *marks = unicodedata.normalize("NFD", part)
        for mark in marks:
            if mark in _VOWEL_MARKS:
                base = _MARKED.get((base, _VOWEL_MARKS[mark]), base)
            elif mark in _TONES and tone == "0":
                tone = _TONES[mark]
        code = _LETTER.get(base)
        if code is None:  # a letter of another script: after z, in code point order among them
            code = "45" + f"{ord(base):07d}"
        primary.append(code)
    return "".join(primary), tone


def sort_key(text: str | None) -> str:
    """The Vietnamese order of a name as a string of digits (see above): sort or index by it."""
    words = _WORDS.findall(unicodedata.normalize("NFC", text or "").lower().replace("\u0110", "đ"))
    keys = [_word_key(w) for w in words]
    return "01".join(p for p, _ in keys) + "00" + "".join(t for _, t in keys)


def person_sort_key(full_name: str | None) -> str:
    """A person in a list: given name, then middle names, then family name, in the Vietnamese order."""
    parts = clean(full_name).split(" ")
    if len(parts) > 1:
        parts = [parts[-1], *parts[1:-1], parts[0]]
    return sort_key(" ".join(parts))


def in_vietnamese_order(objects, attr: str = "name") -> list:
    """Short lists (a commune's villages, a form's choices) in the Vietnamese order of an
    attribute, ties by pk. Long lists order in the database by a stored sort_key instead."""
    return sorted(objects, key=lambda o: (sort_key(getattr(o, attr)), o.pk))


# ---------------------------------------------------------------- typed text in the Vietnamese order
#
# A search types names without diacritics ("duong"); the order key keeps ă, â, đ, ê, ô, ơ, ư as
# letters of their own, so what starts with a folded text is not one range of keys but one range
# per spelling: "d" is d or đ, "duong" twelve spellings (d/đ, u/ư, o/ô/ơ). Each letter's spellings
# have neighbouring codes, and the spellings of a text, sorted, are the ranges in the key's order.

_SPELLINGS: dict[str, list[str]] = {}
for _letter in ALPHABET:
    _SPELLINGS.setdefault(fold(_letter), []).append(_LETTER[_letter])


def order_prefixes(folded: str) -> list[str]:
    """The prefixes of sort_key (and person_sort_key) that the names starting with a folded text
    have, sorted: "an" -> the keys of an, ăn, ân; words separated by one space ("van a": văn a...,
    vân ă...). A character no Vietnamese letter folds to (a digit, a foreign letter) has no
    spelling here: [] (such names are found by their family-first text only)."""
    out = [""]
    for n, word in enumerate(folded.split(" ")):
        for char in word:
            codes = _SPELLINGS.get(char)
            if codes is None:
                return []
            out = [p + c for p in out for c in codes]
        if n < len(folded.split(" ")) - 1:
            out = [p + "01" for p in out]
    return sorted(out)


def first_word(key: str | None) -> str | None:
    """The letter codes of a key's first word (up to its first separator "00"/"01"): the key of a
    person's given name."""
    if key is None:
        return None
    n = 0
    while n + 1 < len(key) and key[n] != "0":
        n += 2
    return key[:n]
