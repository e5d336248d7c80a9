from django.urls import path

from . import views, views_catalogue, views_dashboard, views_excel, views_pivot
from .review import views as review_views

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
    # The leaders' dashboard and the pivot view (views_dashboard, views_pivot).
    path("can-bo/chi-tieu/dieu-hanh/", views_dashboard.dashboard_view, name="dashboard"),
    path("can-bo/chi-tieu/dieu-hanh/tim-don-vi/", views_dashboard.dashboard_unit_search, name="dashboard_units"),
    path("can-bo/chi-tieu/tong-hop/", views_pivot.pivot_view, name="pivot"),
    path("can-bo/chi-tieu/tong-hop/excel/", views_pivot.pivot_export, name="pivot_export"),
    # The annual review report (review.views).
    path("can-bo/chi-tieu/tong-ket-nam/", review_views.review_home, name="review"),
    path("can-bo/chi-tieu/tong-ket-nam/<int:pk>/", review_views.review_job, name="review_job"),
    path("can-bo/chi-tieu/tong-ket-nam/<int:pk>/chay-lai/", review_views.review_retry, name="review_retry"),
    path("can-bo/chi-tieu/tong-ket-nam/<int:pk>/tai/<slug:kind>/", review_views.review_download, name="review_download"),
    # Catalogue, targets and reminders (views_catalogue).
    path("can-bo/chi-tieu/dot/<int:pk>/nhac-nho/", views_catalogue.round_remind, name="round_remind"),
    path("can-bo/chi-tieu/danh-muc/", views_catalogue.element_list, name="catalogue_elements"),
    path("can-bo/chi-tieu/danh-muc/them/", views_catalogue.element_edit, name="catalogue_element_create"),
    path("can-bo/chi-tieu/danh-muc/<int:pk>/sua/", views_catalogue.element_edit, name="catalogue_element_edit"),
    path("can-bo/chi-tieu/danh-muc/<int:pk>/xoa/", views_catalogue.element_delete, name="catalogue_element_delete"),
    path("can-bo/chi-tieu/phan-to/", views_catalogue.combo_list, name="catalogue_combos"),
    path("can-bo/chi-tieu/phan-to/them/", views_catalogue.combo_edit, name="catalogue_combo_create"),
    path("can-bo/chi-tieu/phan-to/<int:pk>/sua/", views_catalogue.combo_edit, name="catalogue_combo_edit"),
    path("can-bo/chi-tieu/phan-to/<int:pk>/xoa/", views_catalogue.combo_delete, name="catalogue_combo_delete"),
    path("can-bo/chi-tieu/chi-so/", views_catalogue.indicator_list, name="catalogue_indicators"),
    path("can-bo/chi-tieu/chi-so/them/", views_catalogue.indicator_edit, name="catalogue_indicator_create"),
    path("can-bo/chi-tieu/chi-so/<int:pk>/sua/", views_catalogue.indicator_edit, name="catalogue_indicator_edit"),
    path("can-bo/chi-tieu/chi-so/<int:pk>/xoa/", views_catalogue.indicator_delete, name="catalogue_indicator_delete"),
    path("can-bo/chi-tieu/bieu-mau/", views_catalogue.form_list, name="catalogue_forms"),
    path("can-bo/chi-tieu/bieu-mau/them/", views_catalogue.form_edit, name="catalogue_form_create"),
    path("can-bo/chi-tieu/bieu-mau/<int:pk>/", views_catalogue.form_detail, name="catalogue_form"),
    path("can-bo/chi-tieu/bieu-mau/<int:pk>/sua/", views_catalogue.form_edit, name="catalogue_form_edit"),
    path("can-bo/chi-tieu/bieu-mau/<int:pk>/su-dung/", views_catalogue.form_archive, name="catalogue_form_archive"),
    path("can-bo/chi-tieu/bieu-mau/<int:pk>/xoa/", views_catalogue.form_delete, name="catalogue_form_delete"),
    path("can-bo/chi-tieu/bieu-mau/<int:form_pk>/quy-tac/them/", views_catalogue.rule_edit, name="catalogue_rule_create"),
    path("can-bo/chi-tieu/bieu-mau/<int:form_pk>/quy-tac/<int:pk>/sua/", views_catalogue.rule_edit, name="catalogue_rule_edit"),
    path(
        "can-bo/chi-tieu/bieu-mau/<int:form_pk>/quy-tac/<int:pk>/xoa/", views_catalogue.rule_delete, name="catalogue_rule_delete"
    ),
    path("can-bo/chi-tieu/ke-hoach/", views_catalogue.targets, name="catalogue_targets"),
    path("can-bo/chi-tieu/ke-hoach/<int:year>/", views_catalogue.targets, name="catalogue_targets_year"),
]
