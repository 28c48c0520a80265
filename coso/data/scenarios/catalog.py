"""Names of the party organizations a district usually has, beside its communes.

The first five agency committees and their cells are the demo's (coso.data.demo.builder); the rest
extend them for districts that have more. {d} is the district's name, {c} a commune's.
"""

from coso.data.demo.builder import AGENCY_COMMITTEES as DEMO_AGENCY_COMMITTEES
from coso.data.demo.builder import AGENCY_ROLES
from coso.organizations.models import Sector

# (name, sector, role of its cells, names of its cells)
AGENCY_COMMITTEES = [(name, sector, AGENCY_ROLES[name], cells) for name, sector, cells in DEMO_AGENCY_COMMITTEES] + [
    ("Đảng bộ Trường THPT {d}", Sector.SCHOOL, "school",
     ["Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Khoa học xã hội", "Tổ Ngoại ngữ", "Văn phòng - Đoàn thể"]),
    ("Đảng bộ Khối Giáo dục huyện", Sector.SCHOOL, "school",
     ["Phòng Giáo dục và Đào tạo", "Trường THCS thị trấn", "Trường Tiểu học thị trấn", "Trường Mầm non Hoa Sen", "Trường Phổ thông Dân tộc nội trú"]),
    ("Đảng bộ Chi nhánh Ngân hàng Nông nghiệp và PTNT huyện", Sector.ENTERPRISE, "office",
     ["Phòng Kế hoạch - Kinh doanh", "Phòng Kế toán - Ngân quỹ", "Phòng giao dịch số 1", "Phòng giao dịch số 2"]),
    ("Đảng bộ Công ty TNHH MTV Lâm nghiệp {d}", Sector.ENTERPRISE, "office",
     ["Văn phòng Công ty", "Đội Quản lý bảo vệ rừng số 1", "Đội Quản lý bảo vệ rừng số 2", "Xưởng chế biến"]),
    ("Đảng bộ Trung tâm Giáo dục nghề nghiệp - GDTX huyện", Sector.SCHOOL, "school",
     ["Tổ Văn hóa", "Tổ Nghề", "Văn phòng"]),
    ("Đảng bộ Công ty Cổ phần Nông nghiệp {d}", Sector.ENTERPRISE, "office",
     ["Văn phòng Công ty", "Nông trường số 1", "Nông trường số 2", "Nhà máy chế biến"]),
]
EXTRA_CELL_NAMES = ["Tổ công tác số {n}", "Bộ phận số {n}"]

_SCHOOLS = ["Nguyễn Huệ", "Lê Quý Đôn", "Trần Phú", "Phan Bội Châu", "Nguyễn Du", "Quang Trung", "Nguyễn Trãi", "Lê Lợi",
            "Chu Văn An", "Huỳnh Thúc Kháng", "Trần Hưng Đạo", "Nguyễn Thị Minh Khai"]
# (name, sector), by category, interleaved when drawn so that a few cells still make a mix
GRASSROOTS_CELLS = {
    "school": [("Trường THPT {d}", Sector.SCHOOL)] + [(f"Trường THPT {n}", Sector.SCHOOL) for n in _SCHOOLS]
    + [("Trung tâm GDNN - GDTX huyện", Sector.SCHOOL)],
    "agency": [(n, Sector.AGENCY) for n in [
        "Phòng Giáo dục và Đào tạo", "Chi cục Thuế khu vực", "Kho bạc Nhà nước huyện", "Viện Kiểm sát nhân dân huyện",
        "Tòa án nhân dân huyện", "Chi cục Thi hành án dân sự", "Chi cục Thống kê", "Bảo hiểm xã hội huyện", "Hạt Kiểm lâm",
        "Liên đoàn Lao động huyện"]] + [("Hội Chữ thập đỏ huyện", Sector.OTHER)],
    "public": [(n, Sector.PUBLIC_SERVICE) for n in [
        "Ban Quản lý dự án đầu tư xây dựng", "Trung tâm Văn hóa - Thể thao và Truyền thanh", "Trung tâm Phát triển quỹ đất",
        "Ngân hàng Chính sách xã hội huyện", "Trạm Khuyến nông", "Trạm Thú y", "Văn phòng Đăng ký đất đai chi nhánh huyện",
        "Trung tâm Dịch vụ nông nghiệp", "Nhà Văn hóa Thanh thiếu nhi", "Ban Quản lý chợ"]],
    "enterprise": [(n, Sector.ENTERPRISE) for n in [
        "Ngân hàng Nông nghiệp và PTNT chi nhánh huyện", "Bưu điện huyện", "Điện lực {d}", "Viễn thông {d}",
        "Công ty TNHH MTV Cấp thoát nước", "Công ty Cổ phần Xây dựng {d}", "Công ty Cổ phần Môi trường đô thị {d}"]],
}
# more, one per commune, when a district has more grassroots cells than the lists above
PER_COMMUNE_CELLS = [("Trường THCS {c}", Sector.SCHOOL), ("Hợp tác xã Nông nghiệp {c}", Sector.ENTERPRISE),
                     ("Quỹ Tín dụng nhân dân {c}", Sector.ENTERPRISE)]

# the cells of a commune committee beside its villages: (role, name, sector), in the order added
COMMUNE_CELLS = [
    ("school", "Trường THCS {c}", Sector.SCHOOL),
    ("health", "Trạm Y tế {p} {c}", Sector.PUBLIC_SERVICE),
    ("military", "Quân sự {p} {c}", Sector.ARMED_FORCES),
    ("police", "Công an {p} {c}", Sector.ARMED_FORCES),
    ("school", "Trường Tiểu học {c}", Sector.SCHOOL),
    ("office", "Cơ quan Đảng - Chính quyền {p} {c}", Sector.AGENCY),
    ("school", "Trường Mầm non {c}", Sector.SCHOOL),
    ("office", "Mặt trận và các đoàn thể {p} {c}", Sector.AGENCY),
]


def grassroots_cells(count: int, district: str, communes: list[str]) -> list[tuple[str, str]]:
    """count (name, sector) for the district's grassroots cells, categories interleaved."""
    lists = [list(v) for v in GRASSROOTS_CELLS.values()]
    out = []
    while len(out) < count and any(lists):
        for items in lists:
            if items and len(out) < count:
                name, sector = items.pop(0)
                out.append((name.format(d=district), sector))
    for pattern, sector in PER_COMMUNE_CELLS:
        for commune in communes:
            if len(out) < count:
                out.append((pattern.format(c=commune), sector))
    n = 1
    while len(out) < count:
        out.append((f"Tổ hợp tác số {n}", Sector.ENTERPRISE))
        n += 1
    return out
