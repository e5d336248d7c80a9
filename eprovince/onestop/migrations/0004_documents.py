"""The result template of a procedure and the result documents generated from it (with their verification token)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_append_only_trigger"),
        ("onestop", "0003_payments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResultTemplate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        help_text="Ví dụ: GIẤY PHÉP HOẠT ĐỘNG IN.", max_length=200, verbose_name="tên văn bản kết quả"
                    ),
                ),
                (
                    "symbol",
                    models.CharField(
                        blank=True,
                        help_text="Dùng trong số, ký hiệu: GP (giấy phép), GCN (giấy chứng nhận), QĐ (quyết định)… Để trống: theo loại kết quả của thủ tục (GP, GCN, QĐ; loại khác: không có ký hiệu).",
                        max_length=10,
                        verbose_name="ký hiệu loại văn bản",
                    ),
                ),
                ("body", models.TextField(verbose_name="nội dung")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "procedure",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="result_template",
                        to="onestop.procedure",
                        verbose_name="thủ tục",
                    ),
                ),
            ],
            options={
                "verbose_name": "mẫu kết quả giải quyết",
                "verbose_name_plural": "mẫu kết quả giải quyết",
            },
        ),
        migrations.CreateModel(
            name="ResultDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=64, unique=True)),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                ("sequence", models.PositiveIntegerField(verbose_name="số thứ tự")),
                ("number", models.CharField(max_length=60, verbose_name="số, ký hiệu")),
                ("title", models.CharField(max_length=300, verbose_name="tên văn bản")),
                ("holder_name", models.CharField(max_length=255, verbose_name="tổ chức, cá nhân được cấp")),
                ("signer_name", models.CharField(max_length=150, verbose_name="người ký")),
                ("signer_position", models.CharField(blank=True, max_length=120, verbose_name="chức vụ người ký")),
                ("issued_at", models.DateTimeField(verbose_name="ban hành lúc")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organisation",
                        verbose_name="cơ quan ban hành",
                    ),
                ),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="result_documents", to="onestop.dossier"
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="result_document", to="onestop.dossierevent"
                    ),
                ),
                (
                    "file",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="result_document", to="onestop.dossierfile"
                    ),
                ),
                (
                    "signer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "văn bản kết quả",
                "verbose_name_plural": "văn bản kết quả",
                "ordering": ["-issued_at", "-pk"],
                "default_permissions": ("view",),
                "constraints": [
                    models.UniqueConstraint(fields=("agency", "year", "sequence"), name="onestop_resultdoc_number_uniq"),
                    models.CheckConstraint(condition=models.Q(("token", ""), _negated=True), name="onestop_resultdoc_token_set"),
                ],
            },
        ),
    ]
