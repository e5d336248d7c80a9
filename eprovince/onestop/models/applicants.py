"""The people who apply online: their sign-up profile (citizen or business, email verification) and their
satisfaction rating of a finished dossier."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..constants import RATING_CRITERIA, ApplicantKind
from .dossiers import Dossier

TAX_CODE_VALIDATOR = RegexValidator(
    r"^\d{10}(-?\d{3})?$",
    _("Mã số doanh nghiệp gồm 10 chữ số (mã số thuế); đơn vị phụ thuộc thêm 3 chữ số: 0101234567-001 hoặc 0101234567001."),
    "tax_code",
)


class ApplicantProfile(models.Model):
    """What a citizen or business gave when signing up on the portal. Applying online needs a verified email;
    accounts created by administrators have no profile and are taken as verified."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_profile")
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=ApplicantKind.choices)
    business_name = models.CharField(_("tên doanh nghiệp, tổ chức"), max_length=255, blank=True)
    tax_code = models.CharField(_("mã số doanh nghiệp"), max_length=14, blank=True, validators=[TAX_CODE_VALIDATOR])
    email_verified_at = models.DateTimeField(_("xác nhận thư điện tử lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản người nộp hồ sơ")
        verbose_name_plural = _("tài khoản người nộp hồ sơ")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ApplicantKind.CITIZEN) | (~Q(business_name="") & ~Q(tax_code="")),
                name="onestop_profile_business_named",
                violation_error_message=_("Doanh nghiệp cần có tên và mã số doanh nghiệp."),
            )
        ]

    def __str__(self) -> str:
        return self.business_name or str(self.user)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


def _score(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label)


class SatisfactionRating(models.Model):
    """The applicant's rating of a finished dossier: one per dossier, each criterion from 1 to 5."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    timeliness = _score(RATING_CRITERIA[0][1])
    attitude = _score(RATING_CRITERIA[1][1])
    simplicity = _score(RATING_CRITERIA[2][1])
    outcome = _score(RATING_CRITERIA[3][1])
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("đánh giá lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{key}__gte": 1, f"{key}__lte": 5}), name=f"onestop_rating_{key}_1_5")
            for key, _label in RATING_CRITERIA
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.average}"

    def scores(self) -> list[tuple[object, int]]:
        return [(label, getattr(self, key)) for key, label in RATING_CRITERIA]

    @property
    def average(self) -> float:
        values = [getattr(self, key) for key, _label in RATING_CRITERIA]
        return round(sum(values) / len(values), 1)
