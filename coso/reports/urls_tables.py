from django.urls import path

from . import views

urlpatterns = [
    path("thong-ke/", views.statistics, name="statistics"),
    path("thong-ke/so-lieu/", views.figure, name="figure"),
    path("thong-ke/excel/", views.statistics_xlsx, name="statistics_xlsx"),
    path("thong-ke/pdf/", views.statistics_pdf, name="statistics_pdf"),
]
