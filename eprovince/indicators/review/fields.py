"""How the annual review groups the catalogue by field (lĩnh vực), as plain data: the codes of data elements and
indicators each field reports, the one whose five-year series is charted, and clause templates for entries that
read better as a verb phrase ("đã tiến hành 09 cuộc thanh tra, kiểm tra") than as "X đạt Y".

Codes missing from the catalogue are skipped; entries of the catalogue that no field names and that have a value
are reported under "Các chỉ tiêu khác", so adding a data element never drops it from the report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    key: str
    title: str
    codes: tuple[str, ...]
    chart: str = ""
    lead: str = ""
    clauses: dict[str, str] = field(default_factory=dict)


FIELDS: tuple[Field, ...] = (
    Field(
        key="telecom",
        title="Bưu chính, viễn thông và hạ tầng số",
        codes=(
            "REVENUE",
            "BUDGET_CONTRIBUTION",
            "SUB_PHONE",
            "PHONE_DENSITY",
            "MOBILE_SHARE",
            "SUB_INTERNET",
            "SUB_BROADBAND",
            "BROADBAND_DENSITY",
            "BTS",
            "BTS_PERMITS",
            "FIBRE_KM",
        ),
        chart="REVENUE",
        lead="Hoạt động bưu chính, viễn thông trên địa bàn tỉnh tiếp tục phát triển ổn định, hạ tầng mạng lưới được "
        "mở rộng, đáp ứng nhu cầu thông tin liên lạc phục vụ phát triển kinh tế - xã hội.",
    ),
    Field(
        key="digital",
        title="Công nghệ thông tin, chuyển đổi số",
        codes=(
            "EGOV_SERVICES_L12",
            "EGOV_SERVICES_L3",
            "EGOV_SERVICES_L4",
            "EGOV_L34",
            "OFFICIALS_EMAIL_PCT",
            "ONE_STOP_IT_PCT",
            "ONLINE_MEETINGS",
            "BRIDGE_POINTS",
            "IT_PROGRAMMES",
            "IT_PROGRAMME_FUNDS",
            "TRAINING_CLASSES",
            "TRAINEES",
        ),
        chart="EGOV_L34",
        lead="Ứng dụng công nghệ thông tin trong hoạt động của các cơ quan nhà nước và chuyển đổi số tiếp tục được đẩy mạnh.",
        clauses={
            "ONLINE_MEETINGS": "tổ chức {value} {unit} hội nghị, giao ban trực tuyến",
            "IT_PROGRAMMES": "triển khai {value} {unit}, dự án, kế hoạch ứng dụng công nghệ thông tin",
            "TRAINING_CLASSES": "mở {value} {unit} tập huấn chuyên ngành",
            "TRAINEES": "tập huấn cho {value} {unit}",
        },
    ),
    Field(
        key="grassroots",
        title="Thông tin cơ sở, phát thanh, truyền hình và xây dựng nông thôn mới",
        codes=("RADIO_IT_STATIONS", "DVBT2_RECEIVERS", "COMMUNES_CRITERION8", "CRITERION8_PCT"),
        chart="CRITERION8_PCT",
        clauses={
            "DVBT2_RECEIVERS": "hỗ trợ đầu thu truyền hình số DVB-T2 cho {value} {unit} nghèo, cận nghèo",
            "COMMUNES_CRITERION8": "có {value} {unit} đạt tiêu chí số 8 (thông tin và truyền thông) về nông thôn mới",
        },
    ),
    Field(
        key="press",
        title="Báo chí, xuất bản",
        codes=("PRESS_AGENCIES", "BULLETIN_LICENCES", "PUBLICATION_LICENCES"),
        chart="PUBLICATION_LICENCES",
        lead="Hoạt động báo chí, xuất bản trên địa bàn tỉnh đúng tôn chỉ, mục đích, góp phần tuyên truyền chủ trương "
        "của Đảng, chính sách, pháp luật của Nhà nước và nhiệm vụ chính trị của địa phương.",
        clauses={
            "BULLETIN_LICENCES": "cấp {value} {unit} xuất bản bản tin",
            "PUBLICATION_LICENCES": "cấp {value} {unit} xuất bản tài liệu không kinh doanh",
        },
    ),
)

INSPECTION = Field(
    key="inspection",
    title="Công tác thanh tra, kiểm tra",
    codes=("INSPECTIONS", "VIOLATIONS", "FINES"),
    chart="INSPECTIONS",
    clauses={
        "INSPECTIONS": "đã tiến hành {value} {unit} thanh tra, kiểm tra",
        "VIOLATIONS": "phát hiện, xử lý {value} {unit} vi phạm",
        "FINES": "thu nộp ngân sách nhà nước {value} {unit} tiền phạt vi phạm hành chính",
    },
)

# Denominators and derived entries that a review does not report on their own.
NOT_REPORTED: frozenset[str] = frozenset({"POPULATION", "COMMUNES_TOTAL", "PHONE_GROWTH", "ONE_STOP_IT"})
