from django.urls import path

from . import views_catalogue, views_officer, views_public

app_name = "onestop"

urlpatterns = [
    # Public
    path("thu-tuc-hanh-chinh/", views_public.catalogue, name="catalogue"),
    path("thu-tuc-hanh-chinh/<str:code>/", views_public.procedure_detail, name="procedure"),
    path("tra-cuu-ho-so/", views_public.tracking, name="tracking"),
    # Officers
    path("can-bo/mot-cua/", views_officer.queue, name="queue"),
    path("can-bo/mot-cua/ho-so/<int:pk>/", views_officer.dossier_detail, name="dossier_detail"),
    path("can-bo/mot-cua/ho-so/<int:pk>/thao-tac/<slug:code>/", views_officer.dossier_action, name="dossier_action"),
    path("can-bo/mot-cua/ho-so/<int:pk>/xin-loi/", views_officer.dossier_apology, name="dossier_apology"),
    path("can-bo/mot-cua/tep/<int:pk>/", views_officer.file_download, name="file_download"),
    path("can-bo/mot-cua/tiep-nhan/", views_officer.counter_start, name="counter_start"),
    path("can-bo/mot-cua/tiep-nhan/<int:procedure_pk>/", views_officer.counter_form, name="counter_form"),
    # Administration of the catalogue
    path("can-bo/mot-cua/thu-tuc/", views_catalogue.procedure_list, name="procedure_admin_list"),
    path("can-bo/mot-cua/thu-tuc/them/", views_catalogue.procedure_edit, name="procedure_admin_create"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/", views_catalogue.procedure_detail, name="procedure_admin_detail"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/sua/", views_catalogue.procedure_edit, name="procedure_admin_edit"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/<slug:kind>/them/", views_catalogue.part_edit, name="part_create"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/<slug:kind>/<int:part_pk>/sua/", views_catalogue.part_edit, name="part_edit"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/<slug:kind>/<int:part_pk>/xoa/", views_catalogue.part_delete, name="part_delete"),
    path("can-bo/mot-cua/linh-vuc/", views_catalogue.field_list, name="field_list"),
    path("can-bo/mot-cua/linh-vuc/<int:pk>/sua/", views_catalogue.field_list, name="field_edit"),
    path("can-bo/mot-cua/ma-ho-so/", views_catalogue.numbering, name="numbering"),
]
