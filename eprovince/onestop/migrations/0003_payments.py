"""Fees: the agencies' collection accounts, each dossier's payment, and the process flag that waits for it."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("onestop", "0002_applicants")]

    operations = [
        migrations.AddField(
            model_name="processaction",
            name="requires_payment",
            field=models.BooleanField(
                default=False,
                help_text="Hồ sơ có phí, lệ phí chưa được xác nhận đã nộp thì không thực hiện được thao tác này.",
                verbose_name="chỉ thực hiện khi đã nộp phí, lệ phí",
            ),
        ),
        migrations.CreateModel(
            name="PaymentAccount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "bank_bin",
                    models.CharField(
                        max_length=6,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{6}$", "Mã BIN ngân hàng gồm đúng 6 chữ số (ví dụ 970436).", code="invalid_bin"
                            )
                        ],
                        verbose_name="mã BIN ngân hàng",
                    ),
                ),
                ("bank_name", models.CharField(max_length=200, verbose_name="tên ngân hàng")),
                (
                    "account_number",
                    models.CharField(
                        max_length=19,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9A-Za-z]{1,19}$",
                                "Số tài khoản chỉ gồm chữ số và chữ cái không dấu, tối đa 19 ký tự.",
                                code="invalid_account",
                            )
                        ],
                        verbose_name="số tài khoản",
                    ),
                ),
                ("account_name", models.CharField(max_length=200, verbose_name="tên chủ tài khoản")),
                ("is_active", models.BooleanField(default=True, verbose_name="đang sử dụng")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="onestop_payment_account",
                        to="core.organisation",
                        verbose_name="cơ quan",
                    ),
                ),
            ],
            options={
                "verbose_name": "tài khoản thu phí",
                "verbose_name_plural": "tài khoản thu phí",
                "ordering": ["organisation__name"],
            },
        ),
        migrations.CreateModel(
            name="Payment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("amount", models.PositiveBigIntegerField(verbose_name="số tiền (đồng)")),
                ("description", models.CharField(blank=True, max_length=500, verbose_name="nội dung phí, lệ phí")),
                ("reference", models.CharField(max_length=90, verbose_name="nội dung chuyển khoản")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Chưa nộp phí"), ("confirmed", "Đã nộp phí")],
                        default="pending",
                        max_length=10,
                        verbose_name="trạng thái",
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[("transfer", "Chuyển khoản (VietQR)"), ("cash", "Nộp tiền mặt tại bộ phận một cửa")],
                        max_length=10,
                        verbose_name="hình thức nộp",
                    ),
                ),
                (
                    "transaction_reference",
                    models.CharField(
                        blank=True,
                        help_text="Mã giao dịch ngân hàng khi chuyển khoản; số biên lai khi nộp tiền mặt.",
                        max_length=100,
                        verbose_name="mã giao dịch, số biên lai",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="ghi chú")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="xác nhận lúc")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người xác nhận",
                    ),
                ),
                (
                    "dossier",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="payment",
                        to="onestop.dossier",
                        verbose_name="hồ sơ",
                    ),
                ),
            ],
            options={
                "verbose_name": "khoản phí của hồ sơ",
                "verbose_name_plural": "khoản phí của hồ sơ",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["status", "created_at"], name="onestop_payment_status")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "pending"),
                            models.Q(("confirmed_at__isnull", False), models.Q(("method", ""), _negated=True)),
                            _connector="OR",
                        ),
                        name="onestop_payment_confirmed_complete",
                        violation_error_message="Khoản phí đã nộp phải có hình thức nộp và thời điểm xác nhận.",
                    )
                ],
            },
        ),
    ]
