from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.create, name="create"),
    path("chuyen-den/", views.join_by_transfer, name="join_by_transfer"),
    path("lua-chon-chi-bo/", views.cell_options, name="cell_options"),
    path("lua-chon-nguoi/", views.person_options, name="person_options"),
    path("lua-chon-thon/", views.village_options, name="village_options"),
    path("nhan-than/<int:pk>/anh/", views.photo, name="photo"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/nhan-than/", views.person_edit, name="person_edit"),
    path("<int:pk>/cong-nhan-chinh-thuc/", views.recognize, name="recognize"),
    path("<int:pk>/tiep-nhan/", views.receive, name="receive"),
    path("<int:pk>/su-kien/<slug:action>/", views.event, name="event"),
    path("quan-chung/", views.candidates, name="candidates"),
    path("quan-chung/them/", views.candidate_create, name="candidate_create"),
    path("quan-chung/<int:pk>/", views.candidate, name="candidate"),
    path("quan-chung/<int:pk>/sua/", views.candidate_edit, name="candidate_edit"),
    path("quan-chung/<int:pk>/nhan-than/", views.candidate_person_edit, name="candidate_person_edit"),
    path("quan-chung/<int:pk>/ket-nap/", views.admit, name="admit"),
    path("quan-chung/<int:pk>/dung-xem-xet/", views.drop, name="drop"),
    path("het-du-bi/", views.probation, name="probation"),
    path("chuyen-sinh-hoat/", views.transfers, name="transfers"),
    path("huy-hieu/", views.badges, name="badges"),
]
