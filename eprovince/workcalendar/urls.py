from django.urls import path

from . import views

app_name = "workcalendar"

urlpatterns = [
    path("can-bo/lich-lam-viec/", views.admin_year_current, name="admin_year_current"),
    path("can-bo/lich-lam-viec/quy-tac/", views.rules, name="rules"),
    path("can-bo/lich-lam-viec/<int:year>/", views.admin_year, name="admin_year"),
    path("can-bo/lich-lam-viec/<int:year>/them-ngay/", views.day_add, name="day_add"),
    path("can-bo/lich-lam-viec/<int:year>/dien-san/", views.prefill, name="prefill"),
    path("can-bo/lich-lam-viec/<int:year>/thong-tin/", views.year_update, name="year_update"),
    path("can-bo/lich-lam-viec/ngay/<int:pk>/sua/", views.day_edit, name="day_edit"),
    path("can-bo/lich-lam-viec/ngay/<int:pk>/go-bo/", views.day_remove, name="day_remove"),
    path("lich-lam-viec/", views.public_current, name="public_current"),
    path("lich-lam-viec/<int:year>/", views.public_year, name="public_year"),
]
