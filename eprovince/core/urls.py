from django.urls import path

from . import views, views_directory

app_name = "core"

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("ngon-ngu/<str:code>/", views.language_switch, name="language"),
    path("can-bo/", views.staff_home, name="staff_home"),
    path("can-bo/nhat-ky/", views.audit_list, name="audit_list"),
    path("can-bo/nhat-ky/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("can-bo/co-quan/", views_directory.organisation_list, name="organisation_list"),
    path("can-bo/co-quan/them/", views_directory.organisation_edit, name="organisation_create"),
    path("can-bo/co-quan/<int:pk>/", views_directory.organisation_detail, name="organisation_detail"),
    path("can-bo/co-quan/<int:pk>/sua/", views_directory.organisation_edit, name="organisation_edit"),
    path("can-bo/nguoi-dung/", views_directory.user_list, name="user_list"),
    path("can-bo/nguoi-dung/them/", views_directory.user_create_view, name="user_create"),
    path("can-bo/nguoi-dung/<int:pk>/", views_directory.user_detail, name="user_detail"),
    path("can-bo/nguoi-dung/<int:pk>/quyen/<int:assignment_pk>/thu-hoi/", views_directory.role_revoke_view, name="role_revoke"),
    path("can-bo/nguoi-dung/<int:pk>/mo-khoa/", views_directory.user_unlock_view, name="user_unlock"),
]
