from django.urls import path

from . import views

app_name = "restructuring"
urlpatterns = [
    path("", views.index, name="list"),
    path("tao-moi/", views.create, name="create"),
    path("so-lieu/", views.figures, name="figures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/thao-tac/", views.add_operation, name="add_operation"),
    path("<int:pk>/thao-tac/<int:operation_pk>/xoa/", views.remove_operation, name="remove_operation"),
    path("<int:pk>/chap-nhan/", views.accept, name="accept"),
    path("<int:pk>/thuc-hien/", views.commit, name="commit"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/huy-thuc-hien/", views.undo, name="undo"),
    path("<int:pk>/ban-giao.<str:fmt>", views.handover, name="handover"),
]
