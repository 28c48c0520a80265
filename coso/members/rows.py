"""The member list's table rows, written in Python (issue #11 §2).

The member list and the search are two fifths of a normal day's requests; the template language's
loop over 50 rows of ten cells (escaping, filters, a URL reversed per row) was half of the page's
CPU. `row_html` writes the markup coso/members/templates/members/list.html wrote, byte for byte:
every value escaped, the labels translated, the dates and numbers formatted as the template's
filters did.
"""

from html import escape

from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

_PK = 2_147_483_647  # a placeholder id: the detail page's address is reversed once a page


def esc(value) -> str:
    """What the template's autoescape wrote (Django's escape is the standard library's, behind a
    lazy-aware wrapper that cost more than the escaping here)."""
    return escape(str(value))


def writer(sensitive: bool):
    """A function writing one row's <tr> (row, its number on the list) for this page."""
    head, _sep, tail = reverse("members:detail", args=[_PK]).partition(str(_PK))
    unknown = esc(_("Chưa rõ"))
    departed = esc(_("đã ra khỏi phạm vi"))
    exempted = ' <span class="badge text-bg-secondary">' + esc(_("miễn sinh hoạt")) + "</span>"
    in_transit = ' <span class="badge text-bg-warning">' + esc(_("đang chuyển")) + "</span>"
    years = _("%(age)s tuổi")

    def html(row, number: int) -> str:
        m = row.member
        p = m.person
        cell = esc(row.cell_name)
        parts = [
            '<tr>\n      <td class="num">', esc(localize(number)), "</td>\n",
            '      <td><a href="', esc(f"{head}{m.pk}{tail}"), '">', esc(p.full_name), "</a>",
        ]
        if p.other_names:
            parts += [' <span class="text-muted small">(', esc(p.other_names), ")</span>"]
        parts += ['<div class="d-md-none small text-muted">', cell, "</div></td>\n",
                  '      <td class="text-nowrap">', esc(p.birth_display or "—")]
        if row.age is not None:
            parts += [' <span class="text-muted small d-none d-sm-inline">(', years % {"age": esc(localize(row.age))}, ")</span>"]
        parts += ["</td>\n", '      <td class="d-none d-sm-table-cell">', esc(row.gender_label), "</td>\n      "]
        if sensitive:
            if row.departed:
                parts += ['<td colspan="3" class="text-muted small d-none d-md-table-cell" data-testid="departed">', departed, "</td>"]
            else:
                parts += ['<td class="d-none d-md-table-cell">', esc(row.ethnicity_label) if row.ethnicity_label else unknown, "</td>",
                          '<td class="d-none d-md-table-cell">', esc(row.religion_label) if row.religion_label else unknown, "</td>",
                          '<td class="font-monospace small d-none d-md-table-cell">', esc(p.national_id or "—"), "</td>"]
        parts += ["\n", '      <td class="d-none d-md-table-cell">', cell, "</td>\n",
                  "      <td>", esc(row.status_label), exempted if row.exempted else "", in_transit if row.in_transit else "", "</td>\n",
                  '      <td class="text-nowrap d-none d-md-table-cell">',
                  esc(date_format(m.admitted_on, "SHORT_DATE_FORMAT")) if m.admitted_on else "—", "</td>\n",
                  '      <td class="font-monospace small d-none d-md-table-cell">', esc(m.card_number or "—"), "</td>\n    </tr>"]
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)

    return html
