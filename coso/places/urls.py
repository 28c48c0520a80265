from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("lua-chon/", views.unit_options, name="unit_options"),
    path("xa/<int:pk>/", views.commune, name="commune"),
    path("thon/<int:pk>/ket-thuc/", views.close_village, name="close_village"),
]
