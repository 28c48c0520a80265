from django.urls import path

from . import dashboard

urlpatterns: list = [
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
]
