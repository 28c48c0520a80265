from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("tim/", views.search, name="search"),
    path("lua-chon/", views.options, name="options"),
    path("tao-moi/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/con/", views.children, name="children"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/doi-ten/", views.rename, name="rename"),
    path("<int:pk>/chuyen/", views.move, name="move"),
    path("<int:pk>/ket-thuc/", views.close, name="close"),
]
