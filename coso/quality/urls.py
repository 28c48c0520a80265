from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("to-chuc/<int:pk>/", views.organization, name="organization"),
]
