from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<int:pk>/nhap/", views.upload, name="upload"),
    path("to-chuc/<int:pk>/mau.xlsx", views.template, name="template"),
    path("lan-nhap/<int:pk>/", views.job, name="job"),
    path("lan-nhap/<int:pk>/cot/", views.mapping, name="mapping"),
    path("lan-nhap/<int:pk>/tien-do/", views.progress, name="progress"),
    path("lan-nhap/<int:pk>/ghi/", views.commit, name="commit"),
    path("lan-nhap/<int:pk>/huy/", views.cancel, name="cancel"),
    path("xuat/dang-vien/", views.export_members, name="export_members"),
]
