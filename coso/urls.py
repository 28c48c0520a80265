from django.contrib import admin
from django.urls import include, path

from coso.organizations import views as organization_views

urlpatterns = [
    path("", organization_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("coso.access.urls")),
    path("to-chuc/", include("coso.organizations.urls")),
    path("dia-ban/", include("coso.places.urls")),
    path("dang-vien/", include("coso.members.urls")),
    path("chat-luong/", include("coso.quality.urls")),
    path("danh-gia/", include("coso.evaluation.urls")),
    path("nhap-xuat/", include("coso.imports.urls")),
    path("bao-cao/", include("coso.reports.urls")),
    path("nhat-ky/", include("coso.audit.urls")),
    path("van-ban/", include("coso.resolutions.urls")),
    path("chi-tieu/", include("coso.targets.urls")),
    path("quan-tri/", admin.site.urls),
    path("he-thong-chinh-tri/", include("coso.grassroots.urls")),
    path("kiem-tra/", include("coso.inspection.urls")),
    path("dao-tao/", include("coso.training.urls")),
    path("bien-che/", include("coso.staffing.urls")),
    path("sinh-hoat/", include("coso.activities.urls")),
    path("sap-xep/", include("coso.restructuring.urls")),
]

# A database that is away answers 503 (coso.lib.views); every other error, Django's 500 page.
handler500 = "coso.lib.views.server_error"
