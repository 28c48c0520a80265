from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("them/", views.case_create, name="case_create"),
    path("lua-chon-dang-vien/", views.member_options, name="member_options"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/chuyen-giai-doan/", views.case_stage, name="case_stage"),
    path("<int:pk>/ket-luan/", views.case_conclude, name="case_conclude"),
    path("<int:pk>/kien-nghi/", views.case_recommend, name="case_recommend"),
    path("<int:pk>/tai-lieu/", views.case_upload, name="case_upload"),
    path("<int:pk>/ky-luat/", views.discipline_create, name="discipline_create"),
    path("kien-nghi/<int:pk>/khac-phuc/", views.remedy, name="remedy"),
    path("tai-lieu/<int:pk>/", views.download, name="download"),
    path("ky-luat/<int:pk>/", views.discipline_detail, name="discipline"),
    path("ky-luat/<int:pk>/giai-quyet/", views.discipline_correct, name="discipline_correct"),
    path("chuong-trinh/", views.plan_list, name="plans"),
    path("chuong-trinh/them/", views.plan_create, name="plan_create"),
    path("chuong-trinh/<int:pk>/", views.plan_detail, name="plan"),
    path("chuong-trinh/<int:pk>/them-noi-dung/", views.plan_item_add, name="plan_item_add"),
    path("don/", views.intake_list, name="intakes"),
    path("don/them/", views.intake_create, name="intake_create"),
    path("don/<int:pk>/", views.intake_detail, name="intake"),
    path("don/<int:pk>/giai-quyet/", views.intake_close, name="intake_close"),
    path("don/<int:pk>/nguoi-gui/", views.intake_sender, name="intake_sender"),
    path("bao-cao/", views.report, name="report"),
    path("bao-cao/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("bao-cao/pdf/", views.report_pdf, name="report_pdf"),
    path("bao-cao/ho-so/", views.report_rows, name="report_rows"),
]
