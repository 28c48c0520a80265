"""The vocabularies of inspection, supervision and discipline, with their sources.

What the sources leave UNCONFIRMED is configuration (a table here, with its status beside it),
not a hard rule: ../shared/domain/reference.md §4 and political-system.md section G.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

CONFIRMED = "confirmed"
UNCONFIRMED = "unconfirmed"


class WorkType(models.TextChoices):
    """Work types of Quy định 296-QĐ/TW (political-system.md G.1). The list is the configuration
    below (WORK_TYPES): each with its kind (inspection or supervision), who does it and whether
    the sources confirm it."""

    COMPLIANCE = "chap_hanh", _("Kiểm tra chấp hành")
    SIGNS = "dau_hieu", _("Kiểm tra khi có dấu hiệu vi phạm")
    SUBORDINATE_WORK = "thuc_hien_nv", _("Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật")
    FINANCE = "tai_chinh", _("Kiểm tra tài chính đảng")
    REGULAR_SUPERVISION = "gs_thuong_xuyen", _("Giám sát thường xuyên")
    THEMATIC_SUPERVISION = "gs_chuyen_de", _("Giám sát chuyên đề")
    ASSETS = "tai_san", _("Kiểm soát, xác minh tài sản, thu nhập")


@dataclass(frozen=True)
class WorkTypeInfo:
    code: str
    supervision: bool  # a supervision (giám sát) rather than an inspection (kiểm tra)
    source: str
    status: str


WORK_TYPES = {
    w.code: w
    for w in [
        WorkTypeInfo(WorkType.COMPLIANCE, False, "Điều lệ Điều 30; 296-QĐ/TW", CONFIRMED),
        WorkTypeInfo(WorkType.SIGNS, False, "Điều lệ Điều 32; 296-QĐ/TW Điều 3", CONFIRMED),
        WorkTypeInfo(WorkType.SUBORDINATE_WORK, False, "296-QĐ/TW, chương II", CONFIRMED),
        WorkTypeInfo(WorkType.FINANCE, False, "296-QĐ/TW, chương II", CONFIRMED),
        WorkTypeInfo(WorkType.REGULAR_SUPERVISION, True, "Điều lệ; 296-QĐ/TW (chưa đối chiếu điều khoản)", UNCONFIRMED),
        WorkTypeInfo(WorkType.THEMATIC_SUPERVISION, True, "Điều lệ; 296-QĐ/TW (chưa đối chiếu điều khoản)", UNCONFIRMED),
        WorkTypeInfo(WorkType.ASSETS, False, "296-QĐ/TW Điều 3", CONFIRMED),
    ]
}
SUPERVISIONS = tuple(code for code, w in WORK_TYPES.items() if w.supervision)
INSPECTIONS = tuple(code for code, w in WORK_TYPES.items() if not w.supervision)


class Body(models.TextChoices):
    """Who acts (reference §4.3): the committee, its standing committee, the inspection
    commission (from the đảng ủy cơ sở up), or a cell."""

    COMMITTEE = "cap_uy", _("Cấp ủy")
    STANDING = "thuong_vu", _("Ban Thường vụ")
    COMMISSION = "ubkt", _("Ủy ban kiểm tra")
    CELL = "chi_bo", _("Chi bộ")


class SubjectKind(models.TextChoices):
    ORGANIZATION = "organization", _("Tổ chức đảng")
    MEMBER = "member", _("Đảng viên")


class Stage(models.TextChoices):
    """Stages of a case (political-system.md G.1: preparation, conduct, conclusion)."""

    PREPARATION = "preparation", _("Chuẩn bị")
    CONDUCT = "conduct", _("Tiến hành")
    CONCLUSION = "conclusion", _("Kết luận")
    CONCLUDED = "concluded", _("Đã kết luận")


class FileKind(models.TextChoices):
    DECISION = "decision", _("Quyết định")
    PLAN = "plan", _("Kế hoạch")
    REPORT = "report", _("Báo cáo")
    CONCLUSION = "conclusion", _("Thông báo kết luận")
    OTHER = "other", _("Tài liệu khác")


class Form(models.TextChoices):
    """Forms of discipline, Điều lệ Điều 35 (reference §4.1), lightest to heaviest."""

    REPRIMAND = "khien_trach", _("Khiển trách")
    WARNING = "canh_cao", _("Cảnh cáo")
    DISMISSAL = "cach_chuc", _("Cách chức")
    EXPULSION = "khai_tru", _("Khai trừ")
    DISSOLUTION = "giai_tan", _("Giải tán")


# Điều lệ Điều 35: which forms apply to whom
ORGANIZATION_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
OFFICIAL_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION)
PROBATIONARY_FORMS = (Form.REPRIMAND, Form.WARNING)


class NoLimitCategory(models.TextChoices):
    """Breaches with no limitation period (reference §4.2: 102-QĐ/TW Điều 3, kept by 69-QĐ/TW as
    reported; the full list of 69 is UNCONFIRMED, so this is the list as configured)."""

    INTERNAL_POLITICS = "chinh_tri_noi_bo", _("Vi phạm về chính trị nội bộ")
    NATIONAL_INTERESTS = "an_ninh_quoc_phong", _("Vi phạm về quốc phòng, an ninh, đối ngoại xâm hại lợi ích quốc gia")
    ILLEGAL_DIPLOMAS = "van_bang", _("Sử dụng văn bằng, chứng chỉ không hợp pháp")


class Channel(models.TextChoices):
    LETTER = "letter", _("Đơn gửi trực tiếp / qua bưu điện")
    TRANSFERRED = "transferred", _("Cơ quan khác chuyển đến")
    IN_PERSON = "in_person", _("Trình bày trực tiếp")
    OTHER = "other", _("Khác")


class IntakeKind(models.TextChoices):
    DENUNCIATION = "to_cao", _("Tố cáo")
    COMPLAINT = "khieu_nai", _("Khiếu nại kỷ luật đảng")


class Outcome(models.TextChoices):
    """Outcomes of a denunciation (đúng, đúng một phần, sai) and of a disciplinary complaint
    (upheld, changed, annulled): political-system.md G.3."""

    TRUE = "dung", _("Tố cáo đúng")
    PARTLY_TRUE = "dung_mot_phan", _("Tố cáo đúng một phần")
    FALSE = "sai", _("Tố cáo sai")
    UPHELD = "giu_nguyen", _("Giữ nguyên hình thức kỷ luật")
    CHANGED = "thay_doi", _("Thay đổi hình thức kỷ luật")
    ANNULLED = "xoa_bo", _("Xóa bỏ quyết định kỷ luật")


class CorrectionKind(models.TextChoices):
    """What a later decision does to a disciplinary decision (a complaint handled, a superior's
    review, 117-QĐ/TW): the codes are those of the complaint's outcomes (Outcome)."""

    UPHELD = "giu_nguyen", _("Giữ nguyên hình thức kỷ luật")
    CHANGED = "thay_doi", _("Thay đổi hình thức kỷ luật")
    ANNULLED = "xoa_bo", _("Xóa bỏ quyết định kỷ luật")


DENUNCIATION_OUTCOMES = (Outcome.TRUE, Outcome.PARTLY_TRUE, Outcome.FALSE)
COMPLAINT_OUTCOMES = (Outcome.UPHELD, Outcome.CHANGED, Outcome.ANNULLED)


class PlanKind(models.TextChoices):
    YEAR = "year", _("Chương trình năm")
    TERM = "term", _("Chương trình toàn khóa")
