"""The organization chart's body cards, written in Python: a commune's chart has a hundred and
more bodies and several hundred holders, and rendering them through an included template (an
include, two URL reversals and a dozen tags per card) was most of the page's 170 ms. Same HTML
as the card template was: a card per body, its seats and holders, its children inside it."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _cards(nodes, day: str, urls: dict, words: dict, out: list) -> None:
    for node in nodes:
        body = node.body
        out.append(f'<div class="card mb-2 body-card" data-testid="body-{escape(body.kind)}">'
                   '<div class="card-header py-1 px-2 d-flex justify-content-between align-items-center">'
                   f'<a class="fw-semibold small" href="{urls["body"]}{body.pk}/?ngay={day}">{escape(body.name)}</a>')
        if node.vacancies:
            out.append(f'<span class="badge text-bg-warning">{words["vacant"]}</span>')
        out.append('</div><ul class="list-unstyled small mb-0 px-2 py-1">')
        for seat in node.seats:
            out.append(f'<li><span class="text-muted">{escape(seat.title.label)}:</span> ')
            if seat.posts:
                holders = []
                for post in seat.posts:
                    link = f'<a href="{urls["person"]}{post.person_id}/">{escape(post.person.full_name)}</a>'
                    if getattr(post, "is_member", False):
                        link += f' <span class="badge rounded-pill text-bg-danger" title="{words["member"]}">ĐV</span>'
                    holders.append(link)
                out.append(", ".join(holders))
            else:
                out.append(f'<em class="text-warning-emphasis">{words["empty"]}</em>')
            out.append("</li>")
        if not node.seats:
            out.append(f'<li class="text-muted">{words["none"]}</li>')
        out.append("</ul>")
        if node.children:
            out.append('<div class="ps-3 pe-2 pb-1 border-start border-3 ms-2">')
            _cards(node.children, day, urls, words, out)
            out.append("</div>")
        out.append("</div>")


@register.simple_tag
def body_cards(nodes, on):
    """The cards of the nodes (and their children) for the chart on the date."""
    urls = {"body": reverse("grassroots:body", args=[0])[:-2], "person": reverse("grassroots:person", args=[0])[:-2]}
    words = {"vacant": escape(_("khuyết")), "member": escape(_("Đảng viên")), "empty": escape(_("chưa có người giữ")),
             "none": escape(_("Chưa ghi chức vụ nào."))}
    out: list[str] = []
    _cards(nodes, on.strftime("%d/%m/%Y"), urls, words, out)
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
