# The national-portal outbox and the record of deadline warnings sent (issue 3).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("onestop", "0004_documents")]

    operations = [
        migrations.CreateModel(
            name="DeadlineWarning",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="ngày nhắc")),
                (
                    "kind",
                    models.CharField(
                        choices=[("due_soon", "Sắp đến hạn"), ("overdue", "Quá hạn")], max_length=10, verbose_name="loại nhắc"
                    ),
                ),
                ("due_at", models.DateTimeField(verbose_name="hạn khi nhắc")),
                ("sent_at", models.DateTimeField(verbose_name="gửi lúc")),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="deadline_warnings", to="onestop.dossier"
                    ),
                ),
                (
                    "officer",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL),
                ),
            ],
            options={
                "verbose_name": "nhắc hạn giải quyết",
                "verbose_name_plural": "nhắc hạn giải quyết",
                "ordering": ["-day", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("dossier", "officer", "day"), name="onestop_deadline_warning_uniq")
                ],
            },
        ),
        migrations.CreateModel(
            name="OutboxEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveIntegerField(verbose_name="thứ tự")),
                ("payload", models.JSONField(verbose_name="nội dung gửi")),
                ("created_at", models.DateTimeField(verbose_name="tạo lúc")),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="số lần đã gửi")),
                ("next_attempt_at", models.DateTimeField(verbose_name="gửi lần tới lúc")),
                ("claimed_until", models.DateTimeField(blank=True, null=True)),
                ("delivered_at", models.DateTimeField(blank=True, null=True, verbose_name="đã gửi lúc")),
                ("last_error", models.TextField(blank=True, verbose_name="lỗi lần gửi gần nhất")),
                (
                    "last_status_code",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="mã phản hồi gần nhất"),
                ),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outbox_events",
                        to="onestop.dossier",
                        verbose_name="hồ sơ",
                    ),
                ),
                (
                    "dossier_event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="onestop.dossierevent",
                    ),
                ),
            ],
            options={
                "verbose_name": "sự kiện đồng bộ Cổng dịch vụ công quốc gia",
                "verbose_name_plural": "sự kiện đồng bộ Cổng dịch vụ công quốc gia",
                "ordering": ["created_at", "pk"],
                "indexes": [models.Index(fields=["delivered_at", "next_attempt_at"], name="onestop_outbox_due")],
                "constraints": [models.UniqueConstraint(fields=("dossier", "sequence"), name="onestop_outbox_dossier_seq_uniq")],
            },
        ),
    ]
