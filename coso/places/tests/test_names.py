import pytest

from coso.places.models import Level, UnitKind
from coso.places.services import split_unit_name

P, D, C = Level.PROVINCE, Level.DISTRICT, Level.COMMUNE


@pytest.mark.parametrize(
    ("raw", "level", "type_word", "expected"),
    [
        ("Xã Tam Sơn", C, "xã", (UnitKind.COMMUNE, "Tam Sơn", "Xã Tam Sơn")),
        ("Cao Bằng", P, "tỉnh", (UnitKind.PROVINCE, "Cao Bằng", "Tỉnh Cao Bằng")),
        ("Thành phố Huế", P, "thành phố trung ương", (UnitKind.CITY, "Huế", "Thành phố Huế")),
        ("Thành Phố Bắc Kạn", D, "Thành phố",
         (UnitKind.PROVINCIAL_CITY, "Bắc Kạn", "Thành phố Bắc Kạn")),
        ("Thị Trấn Óc Eo", C, "Thị trấn", (UnitKind.TOWNSHIP, "Óc Eo", "Thị trấn Óc Eo")),
        ("Thị trấn Ngọc Lặc", C, "Xã", (UnitKind.TOWNSHIP, "Ngọc Lặc", "Thị trấn Ngọc Lặc")),
        ("Phường 5", C, "Xã", (UnitKind.WARD, "Phường 5", "Phường 5")),
        ("Phường Phường Đúc", C, "Phường", (UnitKind.WARD, "Phường Đúc", "Phường Phường Đúc")),
        ("Xã é Tòng", C, "Xã", (UnitKind.COMMUNE, "É Tòng", "Xã É Tòng")),
        ("Đặc khu Côn Đảo", C, "đặc khu", (UnitKind.SPECIAL_ZONE, "Côn Đảo", "Đặc khu Côn Đảo")),
        ("Xã  Ta\u0302n Ho\u0300a ", C, None, (UnitKind.COMMUNE, "Tân Hòa", "Xã Tân Hòa")),
    ],
)
def test_it_splits_the_type_from_the_name(raw, level, type_word, expected):
    assert split_unit_name(raw, level, type_word) == expected


def test_it_refuses_a_unit_of_unknown_type():
    with pytest.raises(ValueError):
        split_unit_name("Tam Sơn", Level.COMMUNE, None)
