"""Vietnamese text: NFC storage, search without diacritics, the Vietnamese name order."""

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
