from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("can-bo/", views.staff_home, name="staff_home"),
    path("can-bo/nhat-ky/", views.audit_list, name="audit_list"),
    path("can-bo/nhat-ky/<int:pk>/", views.audit_detail, name="audit_detail"),
]
