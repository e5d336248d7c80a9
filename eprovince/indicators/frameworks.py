"""The index frameworks e-Province ships, as definitions for services.indices.framework_install (one version per
year: the method of an index changes over time, so each year's framework is its own data)."""

from __future__ import annotations

from typing import Any

from .constants import IndexAggregation, Normalisation

# Vietnam ICT Index, method from 2016 (Ministry of Information and Communications with the Vietnam Informatics
# Association): three component indices, each published as a score in [0, 1]; the overall index is their
# arithmetic mean (matches the published figures, e.g. Đà Nẵng 2019: (0,7925 + 0,9538 + 0,85) / 3 = 0,8654).
ICT_INDEX_2016: dict[str, Any] = {
    "code": "ICT_INDEX",
    "name": "Chỉ số sẵn sàng cho phát triển và ứng dụng CNTT-TT (Vietnam ICT Index)",
    "aggregation": IndexAggregation.WEIGHTED_MEAN,
    "description": "Phương pháp từ năm 2016: trung bình cộng của ba chỉ số thành phần (hạ tầng kỹ thuật, hạ tầng "
    "nhân lực, ứng dụng CNTT), mỗi chỉ số thành phần có giá trị từ 0 đến 1.",
    "source": "Bộ Thông tin và Truyền thông, Hội Tin học Việt Nam",
    "components": [
        {
            "code": "HTKT",
            "name": "Hạ tầng kỹ thuật",
            "items": [{"code": "HTKT_DIEM", "name": "Chỉ số hạ tầng kỹ thuật", "normalisation": Normalisation.RAW}],
        },
        {
            "code": "HTNL",
            "name": "Hạ tầng nhân lực",
            "items": [{"code": "HTNL_DIEM", "name": "Chỉ số hạ tầng nhân lực", "normalisation": Normalisation.RAW}],
        },
        {
            "code": "UDCNTT",
            "name": "Ứng dụng CNTT",
            "items": [{"code": "UDCNTT_DIEM", "name": "Chỉ số ứng dụng CNTT", "normalisation": Normalisation.RAW}],
        },
    ],
}

_DTI_MAIN = [
    ("NHAN_THUC", "Nhận thức số", 100),
    ("THE_CHE", "Thể chế số", 100),
    ("HA_TANG", "Hạ tầng số", 100),
    ("NHAN_LUC", "Nhân lực số", 100),
    ("AN_TOAN", "An toàn thông tin mạng", 100),
    ("DO_THI", "Đô thị thông minh (chưa tính điểm)", 0),
    ("HD_CQS", "Hoạt động chính quyền số", 200),
    ("HD_KTS", "Hoạt động kinh tế số", 150),
    ("HD_XHS", "Hoạt động xã hội số", 150),
]
_FOUNDATION = "100 * (#{NHAN_THUC} + #{THE_CHE} + #{HA_TANG} + #{NHAN_LUC} + #{AN_TOAN})"

# DTI, province level, Decision 922/QĐ-BTTTT (2022): 9 main indices, 1,000 points. DTI = Σ(sub-index × points) / 1000.
# Pillars: F = 100 × (sum of the five scored foundation indices); government = (F + 200 × activity) / 700,
# economy and society = (F + 150 × activity) / 650.
DTI_PROVINCE_2022: dict[str, Any] = {
    "code": "DTI_TINH",
    "name": "Chỉ số chuyển đổi số cấp tỉnh (DTI)",
    "aggregation": IndexAggregation.POINTS,
    "total_points": 1000,
    "description": "Quyết định 922/QĐ-BTTTT năm 2022: 9 chỉ số chính, 98 chỉ số thành phần, thang điểm 1.000; "
    "đô thị thông minh chưa tính điểm. Ba trụ cột tính từ nền tảng chung F và chỉ số hoạt động của từng trụ cột.",
    "source": "Quyết định 922/QĐ-BTTTT ngày 20/5/2022",
    "components": [
        {
            "code": code,
            "name": name,
            "points": points,
            "items": [{"code": f"{code}_DIEM", "name": name, "normalisation": Normalisation.RAW}],
        }
        for code, name, points in _DTI_MAIN
    ],
    "pillars": [
        {"code": "TC_CQS", "name": "Trụ cột chính quyền số", "formula": f"({_FOUNDATION} + 200 * #{{HD_CQS}}) / 700"},
        {"code": "TC_KTS", "name": "Trụ cột kinh tế số", "formula": f"({_FOUNDATION} + 150 * #{{HD_KTS}}) / 650"},
        {"code": "TC_XHS", "name": "Trụ cột xã hội số", "formula": f"({_FOUNDATION} + 150 * #{{HD_XHS}}) / 650"},
    ],
}
