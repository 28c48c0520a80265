from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("van-ban/<int:pk>/", views.document, name="document"),
    path("van-ban/<int:pk>/them/", views.create, name="create"),
    path("van-ban/<int:pk>/so-ket/", views.review_create, name="review_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bao-cao/", views.report, name="report"),
    path("<int:pk>/giao-cap-duoi/", views.inherit, name="inherit"),
    path("<int:pk>/cap-duoi/", views.cascade, name="cascade"),
    path("so-ket/<int:pk>/", views.review, name="review"),
    path("so-ket/<int:pk>/thong-qua/", views.review_adopt, name="review_adopt"),
    path("so-ket/<int:pk>/excel/", views.review_xlsx, name="review_xlsx"),
    path("so-ket/<int:pk>/pdf/", views.review_pdf, name="review_pdf"),
    path("so-lieu-tong-hop/", views.aggregate, name="aggregate"),
]
