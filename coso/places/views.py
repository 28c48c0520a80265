from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.lib.dates import fmt
from coso.lib.forms import apply_service_error
from coso.lib.text import in_vietnamese_order
from coso.organizations.workday import working_day

from . import selectors, services
from .forms import CloseVillageForm, VillageForm
from .models import Level
from .permissions import CHANGE, covered_communes, get_unit_for_user


@require_GET
def unit_options(request):
    """<option>s for the area picker: provinces, districts and communes matching the typed name."""
    day = working_day(request) if "ngay" in request.GET else None  # without a date: units of any time
    on = day.on if day and day.ok else None
    units = selectors.search_units(request.GET.get("q", ""), on=on, limit=30, with_villages=False)
    return render(request, "places/options.html", {"units": units})


@require_http_methods(["GET", "POST"])
def commune(request, pk):
    """A commune's villages on a date, and the form to add one."""
    scope = scope_for(request)
    unit = get_unit_for_user(request, pk)
    # the villages of a commune are the scope's data: only communes the scope covers
    if unit.level != Level.COMMUNE or not covered_communes(scope).filter(pk=unit.pk).exists():
        raise Http404
    day = working_day(request)
    on = day.on
    can_change = scope.can(CHANGE)
    form = None
    if can_change:
        form = VillageForm(request.POST or None, initial={"valid_from": on})
    elif request.method == "POST":
        scope.require(CHANGE)
    if request.method == "POST" and form.is_valid():
        get_unit_for_user(request, pk, write=True)
        try:
            village = services.create_village(actor=request.user, commune=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": village.full_name})
            return redirect("places:commune", pk=unit.pk)
    villages = in_vietnamese_order(selectors.villages_of(unit, on)) if day.ok else []
    lineage = selectors.lineage_of([unit, *villages])
    for village in villages:
        village.lineage = lineage[village.pk]
    # the other communes of the lineage link to their page where the scope covers them
    linked = set(covered_communes(scope).filter(pk__in=[link.old_id for link in lineage[unit.pk]["predecessors"]]
                                                + [link.new_id for link in lineage[unit.pk]["successors"]]).values_list("pk", flat=True))
    return render(
        request, "places/commune.html",
        {"unit": unit, "villages": villages, "form": form, "on": on, "on_text": fmt(on), "can_change": can_change,
         "workday": day, "lineage": lineage[unit.pk], "linked": linked},
    )


@require_http_methods(["GET", "POST"])
def close_village(request, pk):
    village = get_unit_for_user(request, pk, write=True)
    if village.level != Level.VILLAGE:
        raise Http404
    form = CloseVillageForm(request.POST or None, initial={"valid_to": working_day(request).on})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_village(actor=request.user, village=village, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s hết hiệu lực.") % {"name": village.full_name})
            return redirect("places:commune", pk=village.parent_id)
    return render(request, "places/close_village.html", {"village": village, "form": form})
