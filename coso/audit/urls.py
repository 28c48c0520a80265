from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<str:target_type>/<int:pk>/", views.object_history, name="object"),
]
