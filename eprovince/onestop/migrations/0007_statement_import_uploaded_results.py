"""Bank statement imports (who confirmed which file's credits), results uploaded as signed files marked as such, and
an index on the bank reference of payments (a reference confirms one payment)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_download_action"),
        ("onestop", "0006_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StatementImport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file_name", models.CharField(max_length=255, verbose_name="tên tệp")),
                ("sha256", models.CharField(max_length=64, verbose_name="mã băm SHA-256")),
                ("line_count", models.PositiveIntegerField(verbose_name="số giao dịch ghi có")),
                ("confirmed_count", models.PositiveIntegerField(verbose_name="số khoản phí đã xác nhận")),
                ("confirmed_amount", models.PositiveBigIntegerField(verbose_name="tổng tiền đã xác nhận (đồng)")),
                ("counts", models.JSONField(default=dict, verbose_name="số dòng theo kết quả đối chiếu")),
                ("imported_at", models.DateTimeField(verbose_name="nhập lúc")),
            ],
            options={
                "verbose_name": "lần đối chiếu sao kê",
                "verbose_name_plural": "lần đối chiếu sao kê",
                "ordering": ["-imported_at", "-pk"],
                "default_permissions": ("view",),
            },
        ),
        migrations.AddField(
            model_name="resultdocument",
            name="signed_upload",
            field=models.BooleanField(default=False, verbose_name="tệp đã ký do người ký tải lên"),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["transaction_reference"], name="onestop_payment_txref"),
        ),
        migrations.AddField(
            model_name="statementimport",
            name="imported_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="người nhập",
            ),
        ),
        migrations.AddField(
            model_name="statementimport",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.organisation", verbose_name="cơ quan"
            ),
        ),
        migrations.AddIndex(
            model_name="statementimport",
            index=models.Index(fields=["organisation", "sha256"], name="onestop_stmt_org_sha"),
        ),
    ]
