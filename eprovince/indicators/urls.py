from django.urls import path

from . import views, views_excel

app_name = "indicators"

urlpatterns = [
    path("can-bo/chi-tieu/", views.home, name="home"),
    path("can-bo/chi-tieu/mo-dot/", views.round_open, name="round_open"),
    path("can-bo/chi-tieu/dot/<int:pk>/", views.round_detail, name="round"),
    path("can-bo/chi-tieu/bao-cao/<int:pk>/", views.submission_detail, name="submission"),
    # Before submission_action: "excel" would otherwise be taken for an action.
    path("can-bo/chi-tieu/bao-cao/<int:pk>/excel/", views_excel.template_download, name="submission_excel"),
    path("can-bo/chi-tieu/bao-cao/<int:pk>/excel/tai-len/", views_excel.upload, name="submission_excel_upload"),
    path("can-bo/chi-tieu/bao-cao/<int:pk>/<slug:action>/", views.submission_action, name="submission_action"),
    path("can-bo/chi-tieu/ket-qua/", views.results_view, name="results"),
]
