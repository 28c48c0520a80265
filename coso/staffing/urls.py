from django.urls import path

from . import views

app_name = "staffing"
urlpatterns = [
    path("", views.index, name="index"),
    path("xa/<int:pk>/", views.commune, name="commune"),
    path("xa/<int:pk>/them/", views.employment_create, name="employment_create"),
    path("xa/<int:pk>/giao-bien-che/", views.quota_set, name="quota_set"),
    path("xa/<int:pk>/cham-dut-khong-chuyen-trach/", views.part_time_end, name="part_time_end"),
    path("qua-trinh/<int:pk>/thoi/", views.employment_end, name="employment_end"),
]
