"""The demo catalogue: data elements covering every figure the Department reviews (see docs: reporting.md and the
seed articles), indicators over them, and three report forms. Plain data, installed by demo_data through the
catalogue services; an administrator would enter the same through the catalogue screens."""

from __future__ import annotations

from typing import Any

from .constants import Aggregation, Operator, PeriodConvention, PeriodType, Severity, ValueType

SUM, AVG, LAST = Aggregation.SUM, Aggregation.AVERAGE, Aggregation.LAST
INT, DEC, PCT, BOOL = ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENTAGE, ValueType.BOOLEAN

COMBOS: list[dict[str, Any]] = [
    {
        "code": "OPERATOR",
        "name": "Theo doanh nghiệp viễn thông",
        "options": [("VNPT", "VNPT"), ("VIETTEL", "Viettel"), ("MOBIFONE", "MobiFone"), ("OTHER", "Doanh nghiệp khác")],
    },
    {
        "code": "PHONE_KIND",
        "name": "Theo loại thuê bao điện thoại",
        "options": [("FIXED", "Cố định"), ("PREPAID", "Di động trả trước"), ("POSTPAID", "Di động trả sau")],
    },
]

# code, name, unit, value type, over units, over time, decimals, combo
_E = tuple[str, str, str, str, str, str, int, str | None]
ELEMENTS: list[_E] = [
    ("REVENUE", "Doanh thu bưu chính, viễn thông và công nghệ thông tin", "tỷ đồng", DEC, SUM, SUM, 1, None),
    ("BUDGET_CONTRIBUTION", "Nộp ngân sách nhà nước", "tỷ đồng", DEC, SUM, SUM, 1, None),
    ("SUB_PHONE", "Thuê bao điện thoại", "thuê bao", INT, SUM, LAST, 0, "PHONE_KIND"),
    ("SUB_INTERNET", "Thuê bao Internet (cố định và di động)", "thuê bao", INT, SUM, LAST, 0, None),
    ("SUB_BROADBAND", "Thuê bao Internet băng rộng cố định", "thuê bao", INT, SUM, LAST, 0, None),
    ("BTS", "Trạm thu phát sóng di động (BTS)", "trạm", INT, SUM, LAST, 0, None),
    ("FIBRE_KM", "Tuyến cáp quang", "km", INT, SUM, LAST, 0, None),
    ("POPULATION", "Dân số trung bình", "người", INT, SUM, LAST, 0, None),
    ("EGOV_SERVICES_L12", "Dịch vụ công trực tuyến mức độ 1, 2", "dịch vụ", INT, SUM, LAST, 0, None),
    ("EGOV_SERVICES_L3", "Dịch vụ công trực tuyến mức độ 3", "dịch vụ", INT, SUM, LAST, 0, None),
    ("EGOV_SERVICES_L4", "Dịch vụ công trực tuyến mức độ 4 (toàn trình)", "dịch vụ", INT, SUM, LAST, 0, None),
    ("OFFICIALS_EMAIL_PCT", "Tỉ lệ cán bộ, công chức sử dụng hộp thư điện tử", "%", PCT, AVG, LAST, 1, None),
    ("ONE_STOP_IT", "Ứng dụng CNTT tại bộ phận một cửa", "có/không", BOOL, AVG, LAST, 0, None),
    ("ONLINE_MEETINGS", "Hội nghị, giao ban trực tuyến", "cuộc", INT, SUM, SUM, 0, None),
    ("BRIDGE_POINTS", "Điểm cầu truyền hình hội nghị trực tuyến", "điểm cầu", INT, SUM, LAST, 0, None),
    ("DVBT2_RECEIVERS", "Đầu thu truyền hình số DVB-T2 hỗ trợ hộ nghèo, cận nghèo", "hộ", INT, SUM, SUM, 0, None),
    ("COMMUNES_TOTAL", "Tổng số xã", "xã", INT, SUM, LAST, 0, None),
    (
        "COMMUNES_CRITERION8",
        "Số xã đạt tiêu chí số 8 (thông tin và truyền thông) về nông thôn mới",
        "xã",
        INT,
        SUM,
        LAST,
        0,
        None,
    ),
    ("BTS_PERMITS", "Trạm BTS được cấp phép xây dựng", "trạm", INT, SUM, SUM, 0, "OPERATOR"),
    ("IT_PROGRAMMES", "Chương trình, dự án, kế hoạch CNTT được phê duyệt", "chương trình", INT, SUM, SUM, 0, None),
    ("IT_PROGRAMME_FUNDS", "Kinh phí các chương trình, dự án, kế hoạch CNTT", "tỷ đồng", DEC, SUM, SUM, 1, None),
    ("TRAINING_CLASSES", "Lớp tập huấn chuyên ngành", "lớp", INT, SUM, SUM, 0, None),
    ("TRAINEES", "Học viên được tập huấn", "học viên", INT, SUM, SUM, 0, None),
    ("INSPECTIONS", "Cuộc thanh tra, kiểm tra", "cuộc", INT, SUM, SUM, 0, None),
    ("VIOLATIONS", "Trường hợp vi phạm bị xử lý", "trường hợp", INT, SUM, SUM, 0, None),
    ("FINES", "Tiền phạt vi phạm hành chính nộp ngân sách", "đồng", INT, SUM, SUM, 0, None),
    # Press, publishing and grassroots information: tracked by the Department itself (added after the rest, so the
    # order of the elements above does not change).
    ("PRESS_AGENCIES", "Cơ quan báo chí, văn phòng đại diện báo chí trên địa bàn", "cơ quan", INT, SUM, LAST, 0, None),
    ("BULLETIN_LICENCES", "Giấy phép xuất bản bản tin cấp trong năm", "giấy phép", INT, SUM, SUM, 0, None),
    ("PUBLICATION_LICENCES", "Giấy phép xuất bản tài liệu không kinh doanh cấp trong năm", "giấy phép", INT, SUM, SUM, 0, None),
    ("RADIO_IT_STATIONS", "Đài truyền thanh cơ sở ứng dụng công nghệ thông tin - viễn thông", "đài", INT, SUM, LAST, 0, None),
]

INDICATORS: list[dict[str, Any]] = [
    {
        "code": "PHONE_DENSITY",
        "name": "Mật độ thuê bao điện thoại",
        "formula": "#{SUB_PHONE} / #{POPULATION} * 100",
        "unit": "thuê bao/100 dân",
        "decimals": 1,
    },
    {
        "code": "BROADBAND_DENSITY",
        "name": "Mật độ thuê bao Internet băng rộng cố định",
        "formula": "#{SUB_BROADBAND} / #{POPULATION} * 100",
        "unit": "thuê bao/100 dân",
        "decimals": 1,
    },
    {
        "code": "MOBILE_SHARE",
        "name": "Tỉ lệ thuê bao di động trong tổng số thuê bao điện thoại",
        "formula": "(#{SUB_PHONE.PREPAID} + #{SUB_PHONE.POSTPAID}) / #{SUB_PHONE} * 100",
        "unit": "%",
        "decimals": 1,
    },
    {
        "code": "EGOV_L34",
        "name": "Dịch vụ công trực tuyến mức độ 3, 4",
        "formula": "#{EGOV_SERVICES_L3} + #{EGOV_SERVICES_L4}",
        "unit": "dịch vụ",
        "decimals": 0,
    },
    {
        "code": "ONE_STOP_IT_PCT",
        "name": "Tỉ lệ UBND ứng dụng CNTT tại bộ phận một cửa",
        "formula": "#{ONE_STOP_IT} * 100",
        "unit": "%",
        "decimals": 0,
    },
    {
        "code": "CRITERION8_PCT",
        "name": "Tỉ lệ xã đạt tiêu chí số 8 về nông thôn mới",
        "formula": "#{COMMUNES_CRITERION8} / #{COMMUNES_TOTAL} * 100",
        "unit": "%",
        "decimals": 0,
    },
    {
        "code": "PHONE_GROWTH",
        "name": "Tăng trưởng thuê bao điện thoại so cùng kỳ",
        "formula": "(#{SUB_PHONE} - last_year(#{SUB_PHONE})) / last_year(#{SUB_PHONE}) * 100",
        "unit": "%",
        "decimals": 2,
    },
]

FORMS: list[dict[str, Any]] = [
    {
        "code": "DN_BCVT",
        "name": "Báo cáo hoạt động bưu chính, viễn thông, CNTT của doanh nghiệp",
        "owner": "SO-BCVT",
        "period_type": PeriodType.SIX_MONTHS,
        "convention": PeriodConvention.DECREE_09,
        "deadline_days": 10,
        "change_comment_threshold": 50,
        "organisations": ["VNPT", "VIETTEL", "MOBIFONE", "VNPOST"],
        "elements": [
            ("REVENUE", "Doanh thu, nộp ngân sách"),
            ("BUDGET_CONTRIBUTION", "Doanh thu, nộp ngân sách"),
            ("SUB_PHONE", "Thuê bao"),
            ("SUB_INTERNET", "Thuê bao"),
            ("SUB_BROADBAND", "Thuê bao"),
            ("BTS", "Hạ tầng mạng lưới"),
            ("FIBRE_KM", "Hạ tầng mạng lưới"),
        ],
        "rules": [
            {
                "name": "Băng rộng cố định không vượt tổng thuê bao Internet",
                "left": "#{SUB_BROADBAND}",
                "operator": Operator.LE,
                "right": "#{SUB_INTERNET}",
                "severity": Severity.ERROR,
                "message": "Thuê bao Internet băng rộng cố định không được lớn hơn tổng số thuê bao Internet.",
            },
            {
                "name": "Nộp ngân sách không vượt doanh thu",
                "left": "#{BUDGET_CONTRIBUTION}",
                "operator": Operator.LE,
                "right": "#{REVENUE}",
                "severity": Severity.WARNING,
                "message": "Số nộp ngân sách lớn hơn doanh thu: kiểm tra lại đơn vị tính (tỷ đồng).",
            },
        ],
    },
    {
        "code": "UBND_CNTT",
        "name": "Báo cáo ứng dụng CNTT, chuyển đổi số của Ủy ban nhân dân cấp huyện, cấp xã",
        "owner": "SO-BCVT",
        "period_type": PeriodType.YEAR,
        "convention": PeriodConvention.DECREE_09,
        "deadline_days": 5,
        "change_comment_threshold": None,
        "organisations": ["UBND-TANCHAU", "UBND-CHAUTHANH", "UBND-LONGXUYEN"],
        "elements": [
            ("EGOV_SERVICES_L12", "Chính quyền điện tử"),
            ("EGOV_SERVICES_L3", "Chính quyền điện tử"),
            ("EGOV_SERVICES_L4", "Chính quyền điện tử"),
            ("OFFICIALS_EMAIL_PCT", "Chính quyền điện tử"),
            ("ONE_STOP_IT", "Chính quyền điện tử"),
            ("ONLINE_MEETINGS", "Hội nghị trực tuyến"),
            ("BRIDGE_POINTS", "Hội nghị trực tuyến"),
            ("COMMUNES_TOTAL", "Nông thôn mới, hạ tầng"),
            ("COMMUNES_CRITERION8", "Nông thôn mới, hạ tầng"),
            ("DVBT2_RECEIVERS", "Nông thôn mới, hạ tầng"),
            ("BTS_PERMITS", "Nông thôn mới, hạ tầng"),
        ],
        "rules": [
            {
                "name": "Xã đạt tiêu chí số 8 không vượt tổng số xã",
                "left": "#{COMMUNES_CRITERION8}",
                "operator": Operator.LE,
                "right": "#{COMMUNES_TOTAL}",
                "severity": Severity.ERROR,
                "message": "Số xã đạt tiêu chí số 8 không được lớn hơn tổng số xã.",
            },
            {
                "name": "Dịch vụ mức độ 4 không vượt mức độ 1, 2",
                "left": "#{EGOV_SERVICES_L4}",
                "operator": Operator.LE,
                "right": "#{EGOV_SERVICES_L12}",
                "severity": Severity.WARNING,
                "message": "Số dịch vụ công mức độ 4 lớn hơn số dịch vụ mức độ 1, 2: kiểm tra lại.",
            },
        ],
    },
    {
        "code": "SO_TONGHOP",
        "name": "Báo cáo công tác thanh tra, chương trình CNTT và tập huấn của Sở",
        "owner": "SO",
        "period_type": PeriodType.YEAR,
        "convention": PeriodConvention.DECREE_09,
        "deadline_days": 5,
        "change_comment_threshold": None,
        # The former Department until February 2025, then the Department of Science and Technology that took it over.
        "organisations": ["SO-TTTT", "SO"],
        "elements": [
            ("INSPECTIONS", "Thanh tra, kiểm tra"),
            ("VIOLATIONS", "Thanh tra, kiểm tra"),
            ("FINES", "Thanh tra, kiểm tra"),
            ("IT_PROGRAMMES", "Chương trình, dự án"),
            ("IT_PROGRAMME_FUNDS", "Chương trình, dự án"),
            ("TRAINING_CLASSES", "Tập huấn"),
            ("TRAINEES", "Tập huấn"),
            ("PRESS_AGENCIES", "Báo chí, xuất bản"),
            ("BULLETIN_LICENCES", "Báo chí, xuất bản"),
            ("PUBLICATION_LICENCES", "Báo chí, xuất bản"),
            ("RADIO_IT_STATIONS", "Thông tin cơ sở"),
        ],
        "rules": [
            {
                "name": "Có vi phạm thì có cuộc thanh tra",
                "left": "#{INSPECTIONS}",
                "operator": Operator.GE,
                "right": "min(#{VIOLATIONS}, 1)",
                "severity": Severity.ERROR,
                "message": "Có trường hợp vi phạm được xử lý thì phải có ít nhất một cuộc thanh tra, kiểm tra.",
            },
        ],
    },
]
