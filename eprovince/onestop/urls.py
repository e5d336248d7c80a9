from django.urls import path

from . import (
    views_applicant,
    views_catalogue,
    views_documents,
    views_draft,
    views_officer,
    views_outbox,
    views_payments,
    views_public,
    views_stats,
)

app_name = "onestop"

urlpatterns = [
    # Public
    path("thu-tuc-hanh-chinh/", views_public.catalogue, name="catalogue"),
    path("thu-tuc-hanh-chinh/<str:code>/", views_public.procedure_detail, name="procedure"),
    path("tra-cuu-ho-so/", views_public.tracking, name="tracking"),
    path("tra-cuu/xac-thuc/<str:token>/", views_documents.verify_result, name="verify_result"),
    # Citizens and businesses: sign-up, applying online, their dossiers
    path("dang-ky/", views_applicant.signup, name="signup"),
    path("dang-ky/da-gui/", views_applicant.signup_sent, name="signup_sent"),
    path("dang-ky/gui-lai/", views_applicant.verify_resend, name="verify_resend"),
    path("dang-ky/xac-nhan/<str:token>/", views_applicant.verify, name="verify"),
    path("thu-tuc-hanh-chinh/<str:code>/nop-truc-tuyen/", views_draft.apply_start, name="apply_start"),
    path("ho-so-cua-toi/", views_applicant.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/nhap/<int:pk>/", views_draft.draft, name="draft"),
    path("ho-so-cua-toi/nhap/<int:pk>/nguoi-nop/", views_draft.draft_applicant, name="draft_applicant"),
    path("ho-so-cua-toi/nhap/<int:pk>/to-khai/<int:number>/", views_draft.draft_answers, name="draft_answers"),
    path("ho-so-cua-toi/nhap/<int:pk>/giay-to/", views_draft.draft_documents, name="draft_documents"),
    path("ho-so-cua-toi/nhap/<int:pk>/giay-to/<int:document_pk>/tai-len/", views_draft.draft_upload, name="draft_upload"),
    path("ho-so-cua-toi/nhap/<int:pk>/tep/<int:file_pk>/xoa/", views_draft.draft_file_remove, name="draft_file_remove"),
    path("ho-so-cua-toi/nhap/<int:pk>/kiem-tra/", views_draft.draft_check, name="draft_check"),
    path("ho-so-cua-toi/tep/<int:pk>/", views_applicant.my_file, name="my_file"),
    path("ho-so-cua-toi/<str:code>/", views_applicant.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/da-nop/", views_applicant.submitted, name="submitted"),
    path("ho-so-cua-toi/<str:code>/ma-qr.png", views_applicant.my_payment_qr, name="my_payment_qr"),
    path("ho-so-cua-toi/<str:code>/giay-tiep-nhan.pdf", views_applicant.my_receipt, name="my_receipt"),
    path("ho-so-cua-toi/<str:code>/phieu/<int:event_pk>.pdf", views_documents.applicant_form, name="my_form"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views_applicant.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views_applicant.rate, name="rate"),
    # Officers
    path("can-bo/mot-cua/", views_officer.queue, name="queue"),
    path("can-bo/mot-cua/ho-so/<int:pk>/", views_officer.dossier_detail, name="dossier_detail"),
    path("can-bo/mot-cua/ho-so/<int:pk>/thao-tac/", views_officer.dossier_action, name="dossier_action"),
    path("can-bo/mot-cua/ho-so/<int:pk>/giay-tiep-nhan.pdf", views_officer.dossier_receipt, name="dossier_receipt"),
    path("can-bo/mot-cua/ho-so/<int:pk>/phieu/<int:event_pk>.pdf", views_documents.officer_form, name="dossier_form"),
    path("can-bo/mot-cua/ho-so/<int:pk>/xin-loi/", views_officer.dossier_apology, name="dossier_apology"),
    path("can-bo/mot-cua/tep/<int:pk>/", views_officer.file_download, name="file_download"),
    path("can-bo/mot-cua/ho-so/<int:pk>/thu-phi/", views_payments.confirm, name="payment_confirm"),
    path("can-bo/mot-cua/tai-khoan-thu-phi/", views_payments.accounts, name="payment_accounts"),
    path("can-bo/mot-cua/doi-chieu-sao-ke/", views_payments.statements_upload, name="statement_import"),
    path("can-bo/mot-cua/doi-chieu-sao-ke/xac-nhan/", views_payments.statements_confirm, name="statement_confirm"),
    path("can-bo/mot-cua/tiep-nhan/", views_officer.counter_start, name="counter_start"),
    path("can-bo/mot-cua/tiep-nhan/<int:procedure_pk>/", views_officer.counter_form, name="counter_form"),
    # Leaders' statistics and the Excel exports
    path("can-bo/mot-cua/thong-ke/", views_stats.dashboard, name="stats"),
    path("can-bo/mot-cua/thong-ke/thong-ke.xlsx", views_stats.statistics_export, name="stats_export"),
    path("can-bo/mot-cua/thong-ke/so-theo-doi.xlsx", views_stats.register_export, name="register_export"),
    # Administration of the catalogue
    path("can-bo/mot-cua/thu-tuc/", views_catalogue.procedure_list, name="procedure_admin_list"),
    path("can-bo/mot-cua/thu-tuc/them/", views_catalogue.procedure_edit, name="procedure_admin_create"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/", views_catalogue.procedure_detail, name="procedure_admin_detail"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/sua/", views_catalogue.procedure_edit, name="procedure_admin_edit"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/mau-ket-qua/", views_catalogue.result_template_edit, name="result_template_edit"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/<slug:kind>/them/", views_catalogue.part_edit, name="part_create"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/<slug:kind>/<int:part_pk>/sua/", views_catalogue.part_edit, name="part_edit"),
    path("can-bo/mot-cua/thu-tuc/<int:pk>/<slug:kind>/<int:part_pk>/xoa/", views_catalogue.part_delete, name="part_delete"),
    path("can-bo/mot-cua/linh-vuc/", views_catalogue.field_list, name="field_list"),
    path("can-bo/mot-cua/linh-vuc/<int:pk>/sua/", views_catalogue.field_list, name="field_edit"),
    path("can-bo/mot-cua/ma-ho-so/", views_catalogue.numbering, name="numbering"),
    # The national-portal outbox (administrators)
    path("can-bo/mot-cua/dong-bo-dvcqg/", views_outbox.outbox_list, name="outbox"),
    path("can-bo/mot-cua/dong-bo-dvcqg/<int:pk>/gui-lai/", views_outbox.outbox_retry, name="outbox_retry"),
]
