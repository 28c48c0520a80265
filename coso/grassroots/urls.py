from django.urls import path

from . import views

app_name = "grassroots"
urlpatterns = [
    path("", views.index, name="index"),
    path("kiem-nhiem/", views.concurrent, name="concurrent"),
    path("lua-chon-nguoi/", views.person_options, name="person_options"),
    path("don-vi/<int:pk>/", views.unit, name="unit"),
    path("don-vi/<int:pk>/tao-co-quan/", views.standard, name="standard"),
    path("don-vi/<int:pk>/xuat-excel/", views.export, name="export"),
    path("don-vi/<int:pk>/nhap-excel/", views.import_posts, name="import"),
    path("co-quan/<int:pk>/", views.body, name="body"),
    path("co-quan/<int:pk>/giao-chuc-vu/", views.appoint, name="appoint"),
    path("chuc-vu/<int:pk>/thoi-giu-chuc/", views.end, name="end"),
    path("chuc-vu/<int:pk>/thay-nguoi/", views.replace, name="replace"),
    path("nguoi/<int:pk>/", views.person, name="person"),
]
