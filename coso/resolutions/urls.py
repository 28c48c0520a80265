from django.urls import path

from . import views

app_name = "resolutions"
urlpatterns = [
    path("", views.documents, name="documents"),
    path("dang-ky/", views.create, name="create"),
    path("dang-ky/so-tiep-theo/", views.proposal, name="proposal"),
    path("nhiem-ky/", views.terms, name="terms"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/quan-he/", views.relate, name="relate"),
    path("<int:pk>/dinh-kem/", views.attach, name="attach"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
]
