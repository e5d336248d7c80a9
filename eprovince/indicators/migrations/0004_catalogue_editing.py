# Reminders to late units (ReminderLog); the catalogue screens need no other schema change.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_performance_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sent_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="gửi lúc")),
                (
                    "recipients",
                    models.JSONField(
                        default=list, help_text="Tên và địa chỉ thư của từng người nhận.", verbose_name="người nhận"
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reminders",
                        to="indicators.reportinground",
                        verbose_name="đợt",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Để trống: gửi tự động theo lịch.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người gửi",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reminders",
                        to="indicators.submission",
                        verbose_name="báo cáo của đơn vị",
                    ),
                ),
            ],
            options={
                "verbose_name": "nhắc nhở nộp báo cáo",
                "verbose_name_plural": "nhắc nhở nộp báo cáo",
                "ordering": ["-sent_at", "-pk"],
                "indexes": [models.Index(fields=["submission", "-sent_at"], name="indicators_reminder_sub_idx")],
            },
        ),
    ]
