from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.periods, name="periods"),
    path("mo-ky/", views.open_period, name="open"),
    path("<int:pk>/", views.period, name="period"),
    path("<int:pk>/vi-pham/", views.violations, name="violations"),
    path("<int:pk>/quyet-dinh/", views.decide, name="decide"),
    path("<int:pk>/cong-bo/", views.publish, name="publish"),
    path("<int:pk>/nhap-nhanh/<int:org>/", views.entry, name="entry"),
    path("<int:pk>/doi-tuong-khac/", views.subjects, name="subjects"),
    path("<int:pk>/them-tap-the/", views.add_collective, name="add_collective"),
    path("<int:pk>/them-lanh-dao/", views.add_leader, name="add_leader"),
    path("<int:pk>/them-doan-the/", views.add_mass_organization, name="add_mass_organization"),
    path("<int:pk>/xuat-excel/", views.export, name="export"),
    path("<int:pk>/nhap-excel/", views.import_ratings, name="import"),
    path("xep-loai/<int:pk>/", views.rating, name="rating"),
    path("xep-loai/<int:pk>/tu-danh-gia/", views.self_assess, name="self_assess"),
    path("xep-loai/<int:pk>/y-kien/", views.comment, name="comment"),
    path("xep-loai/<int:pk>/de-xuat/", views.propose, name="propose"),
    path("xep-loai/<int:pk>/dieu-chinh/", views.correct, name="correct"),
    path("<int:pk>/nhom-tuong-dong/", views.groups, name="groups"),
    path("<int:pk>/nhom-tuong-dong/them/", views.create_group, name="create_group"),
    path("<int:pk>/cau-hinh/", views.rule_settings, name="rule_settings"),
    path("nhom-tuong-dong/<int:pk>/dua-vao/", views.assign_group, name="assign_group"),
    path("nhom-tuong-dong/<int:pk>/nang-ty-le/", views.raise_cap, name="raise_cap"),
    path("xep-loai/<int:pk>/tu-khac-phuc/", views.remedy, name="remedy"),
    path("xep-loai/<int:pk>/to-chuc-bi-ky-luat/", views.unit_discipline, name="unit_discipline"),
]
