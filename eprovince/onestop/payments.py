"""VietQR payment codes for fees (NAPAS 247 "chuyển nhanh" to an account, EMVCo merchant-presented format).

The payload is built by the maintained `qr_pay` package (napas-qr-python) and drawn by segno; nothing here talks to
a bank. A payload carries the bank's BIN, the account number, the amount in đồng (currency 704) and the transfer
memo; banking apps read it and fill in the transfer. Pure functions: the callers load the data."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno
from qr_pay import QRPay
from qr_pay import decode as _decode

from eprovince.core.text import fold

# The memo is read by every bank's app: plain upper-case ASCII letters, digits, spaces, dots and hyphens.
_MEMO_UNSAFE = re.compile(r"[^A-Z0-9 .\-]")
MEMO_MAX_LENGTH = 90  # NAPAS: purpose of transaction (62/08)


def transfer_memo(code: str) -> str:
    """The transfer memo (nội dung chuyển khoản) of a dossier's fee: its code, then what it is for."""
    return clean_memo(f"{code} NOP PHI")


def clean_memo(text: str) -> str:
    memo = _MEMO_UNSAFE.sub("", fold(text).upper())
    return " ".join(memo.split())[:MEMO_MAX_LENGTH]


@dataclass(frozen=True)
class TransferDetails:
    bank_bin: str
    account_number: str
    amount: int
    memo: str


def vietqr_payload(details: TransferDetails) -> str:
    """The EMVCo payload string (ending with its CRC) of a one-off transfer of `amount` đồng with `memo`."""
    if details.amount <= 0:
        raise ValueError("A VietQR payment code needs a positive amount.")
    qr = QRPay(
        details.bank_bin,
        details.account_number,
        transaction_amount=details.amount,
        purpose_of_transaction=clean_memo(details.memo),
        point_of_initiation_method="DYNAMIC",
        service_code="ACCOUNT",
    )
    return qr.code


def decode_payload(payload: str) -> TransferDetails:
    """Read a payload back (the CRC is checked; qr_pay.QRDecodeError if it does not match)."""
    data = _decode(payload, verify_crc=True)
    return TransferDetails(
        bank_bin=data.get("bin_id") or "",
        account_number=data.get("consumer_id") or "",
        amount=int(data.get("transaction_amount") or 0),
        memo=data.get("purpose_of_transaction") or "",
    )


def qr_svg(payload: str, *, title: str = "") -> str:
    """The QR code as an inline SVG element (no file, no external request), scaled to fit its container."""
    return segno.make(payload, error="m").svg_inline(scale=5, border=2, title=title or None, omitsize=True)


def qr_png(payload: str) -> bytes:
    """The QR code as a PNG (for documents and downloads)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()
