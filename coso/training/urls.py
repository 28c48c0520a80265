from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.courses, name="courses"),
    path("mo-lop/", views.course_create, name="course_create"),
    path("lop/<int:pk>/", views.course, name="course"),
    path("lop/<int:pk>/them-hoc-vien/", views.enrol, name="enrol"),
    path("hoc-vien/<int:pk>/hoan-thanh/", views.complete, name="complete"),
    path("hoc-vien/<int:pk>/thoi-hoc/", views.withdraw, name="withdraw"),
    path("nguoi/<int:pk>/", views.person, name="person"),
    path("chua-dat-trinh-do/", views.lacking, name="lacking"),
    path("can-boi-duong/", views.refresher, name="refresher"),
]
