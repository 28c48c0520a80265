"""Member lists as offices make them: the columns of the usual list, in its order and spelling.

The import benchmark (coso/data/bench/imports.py) writes its 100,000 rows under this header and the
import tests (coso/imports/tests/files.py) build their small files with it, so both read the same
kind of file a district office sends.
"""

TEMPLATE_HEADER = [
    "Họ và tên", "Tên gọi khác", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Dân tộc", "Tôn giáo", "Quê quán", "Nơi cư trú",
    "Giáo dục phổ thông", "Trình độ chuyên môn", "Lý luận chính trị", "Nghề nghiệp", "Chức vụ", "Chi bộ", "Ngày kết nạp",
    "Ngày công nhận chính thức", "Ngày quyết định kết nạp", "Số thẻ đảng viên", "Người giới thiệu",
]
