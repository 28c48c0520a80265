"""The English catalog is complete, current and actually used.

Vietnamese strings in the code are the msgids; locale/en/LC_MESSAGES/django.po translates them.
After changing a user-facing string, run `make messages` (or the makemessages command below)
and translate the new entries in the English catalog.
"""

import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]
CATALOG = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")
# The same folders `make messages` leaves out; the rest of the tree is what makemessages reads.
IGNORED_TOP = {".venv", "var", "artifacts", "locale"}
EXTENSIONS = (".py", ".html", ".txt")  # makemessages' defaults for the django domain
MAKEMESSAGES = ["makemessages", "-l", "en", "--ignore=.venv", "--ignore=var", "--ignore=artifacts",
                "--no-obsolete", "--no-location"]


# ---------------------------------------------------------------- a small .po reader


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def _unquote(text: str) -> str:
    # A PO string is a C string literal; Python reads the escapes PO files use (\" \\ \n \t).
    return ast.literal_eval(text.strip())


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file, header included (msgid ""), in file order."""
    entries: list[Entry] = []
    current: Entry | None = None
    keywords: set[str] = set()  # the keywords the current entry has had so far
    target: tuple[str, int] | None = None  # where a continuation string goes

    def begin(lineno: int) -> Entry:
        nonlocal current, target
        current, target = Entry(line=lineno), None
        keywords.clear()
        entries.append(current)
        return current

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            current, target = None, None  # a blank line ends an entry
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("#"):  # "#~|" previous strings of an obsolete entry
                continue
        if line.startswith("#"):
            if current is None or keywords:  # comments open the next entry
                begin(lineno)
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"line {lineno}: a string without a keyword")
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid"):
            if current is None or "msgstr" in keywords or keyword in keywords or (
                keyword == "msgctxt" and "msgid" in keywords
            ):
                begin(lineno)
            setattr(current, keyword, _unquote(value))
            target = (keyword, 0)
        elif keyword == "msgid_plural" and current is not None and "msgid" in keywords:
            current.msgid_plural = _unquote(value)
            target = ("msgid_plural", 0)
        elif keyword.startswith("msgstr") and current is not None and "msgid" in keywords:
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            current.msgstr[index] = _unquote(value)
            target = ("msgstr", index)
            keyword = "msgstr"
        else:
            raise ValueError(f"line {lineno}: unexpected {line!r}")
        keywords.add(keyword)
        current.obsolete = current.obsolete or obsolete
    return entries


def read_catalog(path: Path) -> list[Entry]:
    return [e for e in parse_po(path.read_text(encoding="utf-8")) if not e.obsolete]


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _list(entries, *, where=True) -> str:
    return "\n  " + "\n  ".join(str(e) if where else repr(e.msgid) for e in entries)


# ---------------------------------------------------------------- (a) the catalog itself


def test_the_po_reader_reads_what_makemessages_writes():
    entries = parse_po(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Hai "\n"dòng %(n)s"\nmsgstr "Two \\"lines\\" %(n)s"\n\n'
        'msgctxt "menu"\nmsgid "Mở"\nmsgstr ""\n\n'
        'msgid "%(n)s tổ chức"\nmsgid_plural "%(n)s tổ chức"\nmsgstr[0] "%(n)s org"\nmsgstr[1] ""\n\n'
        '#~ msgid "Cũ"\n#~ msgstr "Old"\n'
    )
    header, two, menu, plural, old = entries
    assert header.fuzzy and header.msgstr[0] == "Language: en\n"
    assert two.msgid == "Hai dòng %(n)s" and two.msgstr == {0: 'Two "lines" %(n)s'} and two.translated
    assert "python-format" in two.flags and not two.fuzzy
    assert menu.key == ("menu", "Mở") and not menu.translated
    assert plural.msgid_plural == "%(n)s tổ chức" and set(plural.msgstr) == {0, 1} and not plural.translated
    assert old.obsolete and old.msgid == "Cũ"


def test_every_entry_of_the_english_catalog_is_translated_and_not_fuzzy():
    entries = read_catalog(CATALOG)
    assert len(entries) > 1, f"{CATALOG} has no messages"
    fuzzy = [e for e in entries if e.fuzzy]
    empty = [e for e in entries if e.msgid and not e.translated]
    plural_forms = [e for e in entries if e.msgid_plural is not None and set(e.msgstr) != {0, 1}]
    problems = []
    if fuzzy:
        problems.append(f"fuzzy entries (check the translation, then remove '#, fuzzy'):{_list(fuzzy)}")
    if empty:
        problems.append(f"untranslated entries:{_list(empty)}")
    if plural_forms:
        problems.append(f"plural entries without msgstr[0] and msgstr[1]:{_list(plural_forms)}")
    assert not problems, f"{_shown(CATALOG)}:\n" + "\n".join(problems)


PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def test_translations_keep_the_placeholders_of_their_msgid():
    wrong = []
    for e in read_catalog(CATALOG):
        if not e.msgid or not e.translated:
            continue
        if e.msgid_plural is None:
            if _placeholders(e.msgstr[0]) != _placeholders(e.msgid):
                wrong.append(e)
            continue
        # the singular form may drop the count ("One result"), never add or rename a placeholder
        if not set(_placeholders(e.msgstr[0])) <= set(_placeholders(e.msgid)):
            wrong.append(e)
        elif any(_placeholders(s) != _placeholders(e.msgid_plural) for i, s in e.msgstr.items() if i):
            wrong.append(e)
    assert not wrong, f"placeholders differ between msgid and msgstr:{_list(wrong)}"


# ---------------------------------------------------------------- (b) the catalog is current


def _copy_sources(destination: Path) -> None:
    """The files makemessages would read, in the same layout, and nothing else."""

    def ignore(directory, names):
        top = Path(directory).resolve() == ROOT
        skipped = []
        for name in names:
            path = Path(directory, name)
            if name.startswith(".") or name in ("__pycache__", "node_modules") or (top and name in IGNORED_TOP):
                skipped.append(name)
            elif path.is_file() and not name.endswith(EXTENSIONS):
                skipped.append(name)
        return skipped

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)  # makemessages does not follow them


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed (apt-get install gettext)")
def test_every_translatable_string_of_the_code_is_translated_in_the_catalog(tmp_path):
    before = hashlib.sha256(CATALOG.read_bytes()).hexdigest()
    project = tmp_path / "project"
    _copy_sources(project)
    (project / "locale").mkdir()
    # makemessages writes under LOCALE_PATHS: point it at the copy, never at the repository.
    (project / "_i18n_check_settings.py").write_text(
        "from pathlib import Path\n"
        "from coso.settings import *  # noqa: F403\n"
        "LOCALE_PATHS = [Path(__file__).resolve().parent / 'locale']\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "_i18n_check_settings",
        "COSO_DATA_DIR": str(tmp_path / "data"),
        "COSO_SECRET_KEY": "i18n-check",
        "PYTHONPATH": str(project),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES], cwd=project, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    assert hashlib.sha256(CATALOG.read_bytes()).hexdigest() == before, "the check must not touch the catalog"

    fresh = [e for e in read_catalog(project / "locale" / "en" / "LC_MESSAGES" / "django.po") if e.msgid]
    assert fresh, "makemessages found no translatable strings: the copy of the sources is wrong"
    catalog = {e.key: e for e in read_catalog(CATALOG)}
    missing = [e for e in fresh if e.key not in catalog]
    plural_changed = [
        e for e in fresh if e.key in catalog and catalog[e.key].msgid_plural != e.msgid_plural
    ]
    untranslated = [
        catalog[e.key] for e in fresh
        if e.key in catalog and (catalog[e.key].fuzzy or not catalog[e.key].translated)
    ]
    problems = []
    if missing:
        problems.append(f"strings in the code that the English catalog lacks:{_list(missing, where=False)}")
    if plural_changed:
        problems.append(f"plural strings whose msgid_plural changed:{_list(plural_changed, where=False)}")
    if untranslated:
        problems.append(f"strings in the code left untranslated or fuzzy in the catalog:{_list(untranslated)}")
    assert not problems, (
        "\n".join(problems)
        + "\nRun `.venv/bin/python manage.py " + " ".join(MAKEMESSAGES[:-1])
        + "` and translate the new entries in " + _shown(CATALOG) + "."
    )


# ---------------------------------------------------------------- (c) English is what users see


@pytest.fixture(scope="module")
def compiled_catalog():
    """The .mo that Django reads, compiled from the .po when missing or older (as `make` does)."""
    if not COMPILED.exists() or COMPILED.stat().st_mtime < CATALOG.stat().st_mtime:
        call_command("compilemessages", ignore_patterns=[".venv/*", "var/*", "artifacts/*"], verbosity=0)
        # Catalogs already loaded in this process would still hold the old messages.
        from django.utils.translation.reloader import translation_file_changed

        translation_file_changed(sender=None, file_path=COMPILED)
    return COMPILED


@pytest.mark.django_db
def test_the_english_cookie_shows_the_pages_in_english(compiled_catalog, client, people, tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.staff_a)

    response = client.get("/to-chuc/?ngay=01/02/2024")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    for english in ("Organizations", "Log out", "Party organization tree", "Scope:",
                    "District, urban district, town or provincial city party committee"):
        assert english in html
    for vietnamese in ("Đăng xuất", "Cây tổ chức đảng", "Phạm vi:", "Đảng bộ huyện, quận, thị xã"):
        assert vietnamese not in html
    assert "Đảng bộ huyện A" in html  # names of organizations are data, never translated


@pytest.mark.django_db
def test_without_the_cookie_the_pages_stay_in_vietnamese(compiled_catalog, client, people, tree):
    client.force_login(people.staff_a)

    response = client.get("/to-chuc/?ngay=01/02/2024", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    html = response.content.decode()
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng xuất" in html and "Log out" not in html
