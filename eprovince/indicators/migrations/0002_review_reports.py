# The annual review report generated in the background (issue 4).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import eprovince.indicators.models.review


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("core", "0003_audit_append_only_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewReportJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm tổng kết")),
                (
                    "symbol",
                    models.CharField(
                        help_text="Dùng trong số, ký hiệu văn bản, ví dụ …/BC-SKHCN.",
                        max_length=20,
                        verbose_name="ký hiệu cơ quan",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Đang chờ xử lý"),
                            ("running", "Đang tạo báo cáo"),
                            ("done", "Đã hoàn thành"),
                            ("failed", "Không tạo được"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="trạng thái",
                    ),
                ),
                ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="tiến độ (%)")),
                ("step", models.CharField(blank=True, max_length=200, verbose_name="bước đang thực hiện")),
                (
                    "docx",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        storage=eprovince.indicators.models.review.report_storage,
                        upload_to=eprovince.indicators.models.review._upload_to,
                        verbose_name="tệp DOCX",
                    ),
                ),
                (
                    "pdf",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        storage=eprovince.indicators.models.review.report_storage,
                        upload_to=eprovince.indicators.models.review._upload_to,
                        verbose_name="tệp PDF",
                    ),
                ),
                ("error", models.TextField(blank=True, verbose_name="lý do không tạo được")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="số lần chạy")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="thời điểm yêu cầu")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="kết thúc")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review_reports",
                        to="core.organisation",
                        verbose_name="cơ quan ban hành",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người yêu cầu",
                    ),
                ),
            ],
            options={
                "verbose_name": "báo cáo tổng kết năm",
                "verbose_name_plural": "báo cáo tổng kết năm",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("progress__lte", 100)), name="indicators_review_progress_le_100"),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "done"), _negated=True),
                            models.Q(models.Q(("docx", ""), _negated=True), models.Q(("pdf", ""), _negated=True)),
                            _connector="OR",
                        ),
                        name="indicators_review_done_has_files",
                        violation_error_message="Báo cáo đã hoàn thành phải có đủ tệp DOCX và PDF.",
                    ),
                ],
            },
        ),
    ]
