from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.home, name="home"),
    path("chi-bo/<int:pk>/", views.cell, name="cell"),
    path("chi-bo/<int:pk>/them/", views.create, name="create"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/diem-danh/", views.mark, name="mark"),
    path("<int:pk>/bien-ban/", views.minutes_file, name="minutes_file"),
    path("<int:pk>/nhiem-vu/", views.add_task, name="add_task"),
    path("nhiem-vu/<int:pk>/danh-gia/", views.review_task, name="review_task"),
    path("chi-bo/<int:pk>/dang-phi/", views.dues_page, name="dues"),
    path("chi-bo/<int:pk>/dang-phi/ghi/", views.dues_tap, name="dues_tap"),
    path("dang-phi/muc/<int:pk>/", views.dues_profile, name="dues_profile"),
    path("chua-hop/", views.missed, name="missed"),
    path("xoa-ten/", views.removal, name="removal"),
    path("phu-trach/", views.point_persons, name="point_persons"),
    path("phu-trach/dang-vien/<int:pk>/", views.point_person, name="point_person"),
    path("phu-trach/<int:pk>/ket-thuc/", views.end_assignment, name="end_assignment"),
    path("chi-bo/<int:pk>/phu-trach/", views.assign, name="assign"),
    path("chi-bo/<int:pk>/cham-diem/", views.scores, name="scores"),
    path("<int:pk>/cham-diem/", views.score, name="score"),
    path("to-chuc/<int:pk>/phieu-cham-diem/", views.sheets, name="sheets"),
    path("to-chuc/<int:pk>/phieu-cham-diem/ban-hanh/", views.define_sheet, name="define_sheet"),
    path("khen-thuong/", views.commendations, name="commendations"),
    path("to-chuc/<int:pk>/khen-thuong/them/", views.commend, name="commend"),
]
