"""Regional reference data for generated records: who lives where, what villages are called.

Keyed by legacy province code (coso.places, generation "legacy"). A province without a profile
of its own gets the default one with the ethnic mix of its 2025 province from
coso.data.synth.MINORITIES (the national dataset's table). Shares are of party members, not
of the population: minorities and believers are fewer among members than among residents.

Sources for the mixes: the 2019 census (Tổng điều tra dân số và nhà ở 2019) by province, read
loosely: Sóc Trăng's Khmer (about 30% of residents, Theravada Buddhists) and Hoa; Đắk Nông's
M'nông and Ê Đê, and the Tày, Nùng, Mông and Dao who settled there from the northern mountains,
many of them Protestant or Catholic; Quảng Nam's Co, Xơ Đăng and Cơ Tu in the western
mountains; Hà Tĩnh almost all Kinh, with Catholic parishes.
"""

from dataclasses import dataclass, field

from coso.data.synth import builder as synth
from coso.places.models import UnitKind

Weighted = list[tuple[str, float]]


@dataclass(frozen=True)
class Profile:
    village_kind: str = UnitKind.VILLAGE
    village_naming: str = "named"  # named ("Thôn Phú Hòa") or numbered ("Thôn 3")
    town_kind: str = UnitKind.RESIDENTIAL_GROUP  # the villages of a thị trấn or phường
    town_prefix: str = ""  # a prefix the UnitKind lacks ("Khóm" in the Mekong delta), kind OTHER
    minority_village_kind: str = ""  # villages of an ethnic minority: "bon" in Đắk Nông
    minority_village_names: tuple = ()
    minority_share: float = 0.01  # of members
    minorities: Weighted = field(default_factory=lambda: [("04", 1)])
    religious_share: float = 0.03
    religions: Weighted = field(default_factory=lambda: [("01", 60), ("02", 40)])
    religions_of: dict = field(default_factory=dict)  # ethnic group -> its religions
    minority_religion_factor: float = 1.0  # how much likelier a minority member is religious
    female_share: float = 0.34
    # provinces people were born in when not here (legacy codes): the usual migrations
    elsewhere: tuple = ("01", "38", "40", "42", "48", "79")


PROFILES: dict[str, Profile] = {
    # Quảng Nam
    "49": Profile(
        village_kind=UnitKind.VILLAGE, town_kind=UnitKind.KHOI_PHO, minority_share=0.015,
        minorities=[("30", 45), ("16", 25), ("25", 30)], religious_share=0.04,
        religions=[("01", 70), ("02", 25), ("05", 5)], elsewhere=("48", "51", "46", "52", "42", "40", "38", "01"),
    ),
    # Sóc Trăng
    "94": Profile(
        village_kind=UnitKind.AP, town_kind=UnitKind.OTHER, town_prefix="Khóm", minority_share=0.2,
        minorities=[("05", 90), ("06", 10)], religious_share=0.05,
        religions=[("01", 40), ("05", 25), ("03", 15), ("02", 20)], religions_of={"05": [("01", 100)], "06": [("01", 80), ("02", 20)]},
        minority_religion_factor=3.0, female_share=0.32, elsewhere=("92", "93", "95", "86", "79", "87"),
    ),
    # Hà Tĩnh
    "42": Profile(
        village_kind=UnitKind.VILLAGE, town_kind=UnitKind.RESIDENTIAL_GROUP, village_naming="named", minority_share=0.001,
        minorities=[("44", 50), ("35", 50)], religious_share=0.04, religions=[("02", 75), ("01", 25)],
        elsewhere=("40", "38", "44", "01", "79"),
    ),
    # Đắk Nông
    "67": Profile(
        village_kind=UnitKind.VILLAGE, village_naming="numbered", town_kind=UnitKind.RESIDENTIAL_GROUP,
        minority_village_kind=UnitKind.BON,
        minority_village_names=("Jun Jú", "Sar Pa", "Bu Đắk", "Đắk Mâm", "Bu Sra", "Đắk Rla", "Ja Ráh", "Bu Ndrung",
                                "Bu Dấp", "Đắk Plao", "Sê Rê Pốk", "Bu N'Đơr", "Đắk Gằn", "Bu Bơ", "Đắk Săk", "Jun Jun"),
        minority_share=0.12, minorities=[("20", 35), ("11", 15), ("02", 15), ("07", 15), ("08", 10), ("09", 10)],
        religious_share=0.06, religions=[("02", 50), ("01", 35), ("08", 15)],
        religions_of={"20": [("08", 60), ("02", 40)], "11": [("08", 70), ("02", 30)], "08": [("08", 100)]},
        minority_religion_factor=2.5, elsewhere=("34", "36", "33", "04", "20", "30", "40", "66"),
    ),
}


def profile_for(province_code: str, new_province_code: str | None = None) -> Profile:
    if province_code in PROFILES:
        return PROFILES[province_code]
    share, groups = synth.MINORITIES.get(new_province_code or "", synth.DEFAULT_MINORITIES)
    return Profile(minority_share=min(share, 0.6), minorities=list(groups))


# ---------------------------------------------------------------- names of the ethnic groups

# (families, {gender: middles}, {gender: givens}); None takes the Kinh list of coso.data.synth.
# An empty middle name is allowed: "Điểu Xiêng", "Thạch Sóc".
NAMES: dict[str, tuple] = {
    "05": (  # Khmer
        ["Thạch", "Sơn", "Lâm", "Kim", "Danh", "Lý", "Châu", "Trịnh", "Tăng", "Huỳnh"],
        {"M": ["", "", "Văn", "Sa", "Sô"], "F": ["Thị", "Thị", "Thị Sa", "Thị Sô", "Thị Chanh"]},
        {"M": ["Sóc", "Phol", "Rết", "Rươl", "Chanh Đa", "Phia", "Vanh", "Kha", "Sang", "Ri", "Thươl", "Rinh", "Đa Ra",
               "Pho", "Khe", "Chăm Rơn", "Ron", "Bông", "Kha Na", "Út"],
         "F": ["Ri", "Kha", "Thu", "Muôl", "Phal", "Ken Đa", "Nưng", "Thy", "Phương", "Vy", "Nal", "Ly", "Sa Ly", "Mây"]},
    ),
    "06": (["Lâm", "Quách", "Trương", "Lý", "Tạ", "Huỳnh", "Mã", "Lưu", "Diệp", "Tăng"], None, None),  # Hoa
    "20": (  # M'nông: men "Điểu", women "Thị"
        {"M": ["Điểu"], "F": ["Thị"]},
        {"M": [""], "F": [""]},
        {"M": ["K'Ré", "Xiêng", "Kâu", "Sơn", "Dũng", "Ngơi", "Lâm", "Bình", "Brông", "Kré", "Đông", "Thanh", "Hoàng", "Mai"],
         "F": ["Hoa", "Đào", "Ngân", "Bình", "Lan", "Phương", "Nhung", "Mai", "Hiền", "Hồng", "Thúy", "Quyên", "Hoàn"]},
    ),
    "11": (  # Ê Đê: "Y" or "H'" + given name + clan name
        {"M": ["Y"], "F": ["H'"]},
        {"M": ["Bhin", "Mốt", "Khoa", "Ngọc", "Blin", "Wai", "Hiên", "Thuật", "Jú", "Siêng", "Kông"],
         "F": ["Hen", "Linh", "Nhi", "Ban", "Bluin", "Yơn", "Ngơi", "Ly", "Nga", "Zuen"]},
        {"M": ["Niê", "Mlô", "Êban", "Byă", "Ksơr", "Adrơng", "Kbuôr", "Hwing", "Ayun", "Êñuôl"],
         "F": ["Niê", "Mlô", "Êban", "Byă", "Ksơr", "Adrơng", "Kbuôr", "Hwing", "Ayun", "Êñuôl"]},
    ),
    "02": (["Hoàng", "Nông", "Lục", "Vi", "Hà", "Triệu", "Lương", "Ma", "Bế"], None, None),  # Tày
    "07": (["Hoàng", "Nông", "Lý", "Vi", "Mã", "Lương", "Chu", "Lăng"], None, None),  # Nùng
    "08": (  # Mông
        ["Giàng", "Sùng", "Vàng", "Lý", "Thào", "Hầu", "Mùa"],
        {"M": ["A", "Seo", "Văn", "Mí"], "F": ["Thị", "Thị", "Mỷ"]},
        {"M": ["Chứ", "Páo", "Sáng", "Pó", "Tủa", "Lử", "Dế", "Chư", "Dình", "Nủ"], "F": ["Mỷ", "Dợ", "Pàng", "Sua", "Chá", "Mai", "Dua"]},
    ),
    "09": (["Bàn", "Triệu", "Đặng", "Lý", "Chảo"], None, None),  # Dao
    "30": (["Hồ", "Đinh", "Hồ", "Đinh", "Phạm"], None, None),  # Co
    "16": (["Hồ", "Đinh", "A"], None, None),  # Xơ Đăng
    "25": (  # Cơ Tu
        ["Alăng", "Bhling", "Zơ Râm", "Pơloong", "Briu", "Cơlâu", "Ating", "Hốih", "Bh'riu"],
        {"M": ["", "Văn"], "F": ["Thị"]},
        None,
    ),
    "03": (["Lò", "Lường", "Quàng", "Cầm", "Tòng", "Vì", "Lù", "Điêu"], None, None),  # Thái
    "04": (["Bùi", "Đinh", "Quách", "Hà", "Xa"], None, None),  # Mường
    "23": (["Vì", "Lò", "Quàng", "Cụt"], None, None),  # Khơ-mú
    "44": (["Hồ", "Cao", "Đinh"], None, None),  # Chứt
    "35": (["Lò", "Lương", "Vi"], None, None),  # Lào
}


def name_parts(r, gender: str, ethnicity: str) -> tuple[str, str, str]:
    """(family, middle, given) for a person of the group; r is a random() function."""
    spec = NAMES.get(ethnicity)
    if spec is None:
        return synth.name_parts(r, gender)
    families, middles, givens = spec
    fam_list = families[gender] if isinstance(families, dict) else families
    family = fam_list[int(r() * len(fam_list))]
    kinh_family, kinh_middle, kinh_given = synth.name_parts(r, gender, family)
    middle = kinh_middle if middles is None else middles[gender][int(r() * len(middles[gender]))]
    given = kinh_given if givens is None else givens[gender][int(r() * len(givens[gender]))]
    return family, middle, given


def full_name(parts: tuple[str, str, str]) -> str:
    family, middle, given = parts
    if family.endswith("'"):  # H'Hen Niê
        return f"{family}{middle} {given}".strip()
    return " ".join(p for p in parts if p)
