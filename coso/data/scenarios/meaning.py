"""What a figure's kind means, read by its words rather than by a fixed list of sentences.

A press article says the same thing many ways: "số chi bộ trực thuộc", "chi bộ trực thuộc of
Đảng bộ xã X", "party cells under the commune committee", "grassroots party organizations (TCCS)
under the ward committee", "tổ chức cơ sở đảng", "district-level committees", "đảng viên nữ",
"women party members", "members admitted"... understand() folds the text (lower case, without
diacritics, so "dang vien" reads as "đảng viên") and looks for what is counted (members, party
organizations of a kind, villages, events) and its qualifiers, in Vietnamese and English; the
measure catalog's own names ("members.female") and labels ("Đảng viên nữ") are understood as
they are.

Some words mean different things at different levels (the level of the scenario's committee,
committee_level()): the "chi bộ trực thuộc" of a commune committee after 01/07/2025 (the superior
level of its grassroots organizations, Quy định 294-QĐ/TW) are grassroots cells (chi bộ cơ sở), of
a grassroots committee or a district the cells under grassroots committees; the "đảng bộ trực
thuộc" of a province are its district-level committees.

understand() answers (measure, organization) or None: a kind nobody can read is reported by the
loader, which loads the scenario's other figures (kinds.Figure.unknown).
"""

import datetime as dt
import re

from coso.lib.text import clean, fold

PROVINCE, DISTRICT, COMMUNE, GRASSROOTS = "province", "district", "commune", "grassroots"
REFORM_DATE = dt.date(2025, 7, 1)  # the two-tier local government (Nghị quyết 202/2025/QH15, Quy định 294-QĐ/TW)
# the centrally-governed cities: "Đảng bộ thành phố X" is a province-level committee for these
CENTRAL_CITIES = {"ha noi", "ho chi minh", "da nang", "hai phong", "can tho", "hue"}
_COMMITTEE = re.compile(r"\bdang bo (tinh|thanh pho|huyen|quan|thi xa|thi tran|phuong|xa|dac khu)\s+([^(,]+)")


def committee_level(committee: str, latest: dt.date | None) -> str:
    """The level of a scenario's committee from its name and the date of its figures."""
    match = _COMMITTEE.search(fold(committee).replace("ð", "d"))
    if not match:
        return GRASSROOTS
    word, name = match.group(1), match.group(2).strip()
    if word == "tinh" or (word == "thanh pho" and name in CENTRAL_CITIES):
        return PROVINCE
    if word in ("huyen", "quan", "thi xa", "thanh pho"):
        return DISTRICT
    if word in ("xa", "phuong", "dac khu") and latest is not None and latest >= REFORM_DATE:
        return COMMUNE
    return GRASSROOTS


def _has(text: str, *patterns: str) -> bool:
    return any(re.search(p, text) for p in patterns)


# words, folded; \b keeps "nu" (women) from matching inside "nuoc"
MEMBERS = (r"\bmembers?\b", r"\bdang vien\b", r"\bmembership\b")
ORGS = (r"organi[sz]ations?", r"\bto chuc\b", r"\bdang bo\b", r"\bchi bo\b", r"\bcommittees?\b", r"\bcells?\b", r"\btccs\b",
        r"\bdang uy\b", r"\bparty units?\b", r"\bchi, dang bo\b")
VILLAGES = (r"\bvillages?\b", r"\bhamlets?\b", r"\bthon\b", r"\bto dan pho\b", r"\bban\b", r"\bbuon\b", r"\bbon\b", r"\bap\b",
            r"\bkhu pho\b", r"\bresidential groups?\b")
FEMALE = (r"\bfemale\b", r"\bwomen\b", r"\bwoman\b", r"\bdang vien nu\b", r"\bnu dang vien\b", r"\bla nu\b", r"\bnu\b")
MINORITY = (r"minorit", r"\bdan toc thieu so\b", r"\bdtts\b", r"\bnguoi dan toc\b")
RELIGIOUS = (r"religio", r"\bton giao\b", r"\bbelievers?\b", r"\btheo dao\b", r"\bcong giao\b", r"\bphat giao\b")
PROBATIONARY = (r"probation", r"\bdu bi\b")
OFFICIAL = (r"\bofficial\b", r"\bchinh thuc\b", r"\bfull members?\b")
EXEMPTED = (r"exempt", r"\bmien sinh hoat\b")
IN_TRANSIT = (r"in transit", r"\bdang chuyen sinh hoat\b")
CANDIDATES = (r"\bcandidates?\b", r"\bquan chung uu tu\b", r"\bcam tinh\b")

# events over a period: the first whose words appear
EVENTS = [
    ("events.readmitted", (r"re-?admit", r"\bket nap lai\b")),
    ("events.admitted", (r"\badmit", r"\badmission", r"\bket nap\b", r"\bnew (party )?members\b", r"\bphat trien dang vien\b",
                         r"\bdang vien moi\b", r"\brecruit")),
    ("events.recognized", (r"recogni[sz]", r"\bcong nhan\b", r"became official", r"\bchuyen chinh thuc\b")),
    ("events.transferred_in", (r"transferred in", r"\btransfers? in\b", r"\bchuyen den\b", r"\bnhan sinh hoat\b")),
    ("events.transferred_out", (r"transferred out", r"\btransfers? out\b", r"\bchuyen di\b")),
    ("events.expelled", (r"expel", r"\bkhai tru\b")),
    ("events.removed", (r"removed", r"\bxoa ten\b", r"struck off")),
    ("events.left", (r"left the party", r"\bra khoi dang\b", r"\bxin ra\b", r"\bresign")),
    ("events.deceased", (r"\bdied\b", r"\bdeaths?\b", r"deceased", r"\btu tran\b", r"\bqua doi\b", r"\bmat\b")),
    ("events.disciplined", (r"disciplin", r"\bky luat\b")),
    ("events.badges", (r"badge", r"\bhuy hieu\b")),
    ("events.exempted", EXEMPTED),
]


def _organization(kind: str) -> str:
    """The sub-organization a kind names: "... of Đảng bộ xã Quế Lộc", "... của Chi bộ thôn 1",
    "... in Quế Lộc" (a place name, capitalized); "" when it names none ("under the committee")."""
    text = clean(kind)
    match = re.search(r"\b(?:of|in|của|tại|ở|thuộc)\s+((?:Đảng bộ|Chi bộ|Đảng ủy|đảng bộ|chi bộ)\s[^,;()]+)", text)
    if match:
        return clean(match.group(1))
    match = re.search(r"\b(?:of|in|của|tại|ở)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)\s*(?:[,;(]|$)", text)
    if match and fold(match.group(1)) not in ("tccs", "the"):
        return clean(match.group(1))
    return ""


def _orgs_measure(t: str, level: str) -> str | None:
    """The kind of party organization counted."""
    if _has(t, r"\bpartial\b", r"\bdang bo bo phan\b"):
        return "orgs.partial_committees"
    if _has(t, r"\bparty groups?\b", r"\bto dang\b"):
        return "orgs.party_groups"
    if _has(t, r"district[- ]level", r"\bcap huyen\b", r"\bhuyen uy\b", r"district committees?", r"\bdang bo huyen\b",
            r"\btuong duong\b", r"\bcap tren co so\b", r"superior[- ]level"):
        return "orgs.commune_committees" if level == PROVINCE and _has(t, r"\bxa\b", r"commune") else "orgs.district_committees"
    if _has(t, r"commune[- ]level committees", r"\bdang bo (cap )?xa, phuong\b", r"\bdang bo cap xa\b", r"commune and ward committees"):
        return "orgs.commune_committees"
    grassroots = _has(t, r"grass-?roots", r"\btccs\b", r"\bco so dang\b", r"\bto chuc co so\b", r"\bbase-level\b")
    if _has(t, r"\bdang bo co so\b", r"grass-?roots (party )?committees?", r"\bdang uy co so\b") and not _has(t, r"\bchi bo truc thuoc\b"):
        return "orgs.grassroots_committees"
    if _has(t, r"\bchi bo co so\b", r"grass-?roots (party )?cells?"):
        return "orgs.grassroots_cells"
    if grassroots:
        return "orgs.grassroots"
    cells = _has(t, r"\bchi bo\b", r"\bcells?\b") and not _has(t, r"\bdang bo\b", r"organi[sz]ations?", r"\bto chuc\b", r"committees")
    if cells:
        # the cells directly under the committee: of a commune committee after 01/07/2025 they are
        # grassroots cells; elsewhere the cells under grassroots committees
        if _has(t, r"\ball\b", r"\btat ca\b", r"\btotal\b", r"\bca co so va truc thuoc\b"):
            return "orgs.cells"
        return "orgs.grassroots_cells" if level == COMMUNE else "orgs.subordinate_cells"
    # "party organizations under the committee", "tổ chức đảng trực thuộc", "chi, đảng bộ trực thuộc"
    if level == PROVINCE and _has(t, r"\bdang bo truc thuoc\b", r"committees (directly )?under"):
        return "orgs.district_committees"
    return "orgs.grassroots"


def _villages_measure(t: str) -> str:
    if _has(t, r"without (a |an )?(party )?(cell|chi bo|organi)", r"\bchua co chi bo\b", r"\bkhong co chi bo\b", r"\bthon trang\b"):
        return "villages.without_cell"
    if _has(t, r"no (party )?member", r"without (a |any )?(resident )?(party )?members?", r"\bkhong co dang vien\b"):
        return "villages.without_resident_member"
    if _has(t, r"\b(have|has|with)\b.*\b(cell|chi bo|organi[sz]ation)", r"\bco chi bo\b", r"\bco to chuc dang\b"):
        return "villages.with_cell"
    return "villages"


def _members_measure(t: str) -> str:
    for measure, words in (("members.female", FEMALE), ("members.minority", MINORITY), ("members.religious", RELIGIOUS),
                           ("members.probationary", PROBATIONARY), ("members.exempted", EXEMPTED),
                           ("members.in_transit", IN_TRANSIT), ("members.official", OFFICIAL)):
        if _has(t, *words):
            return measure
    return "members"


def at_level(measure: str, level: str) -> str:
    """The measure the words mean at the committee's level: the "chi bộ trực thuộc" of a commune
    committee after 01/07/2025 are its grassroots cells (it has no grassroots committee between)."""
    if level == COMMUNE and measure == "orgs.subordinate_cells":
        return "orgs.grassroots_cells"
    return measure


def understand(kind: str, *, level: str, over_period: bool, catalog: dict[str, str]) -> tuple[str, str] | None:
    """(measure, organization named or "") for a figure's kind, or None when it cannot be read.

    level: committee_level() of the scenario; over_period: the figure gives a period (events),
    not a date; catalog: {measure name: label} of coso.measures.catalog."""
    found = _understand(kind, level=level, over_period=over_period, catalog=catalog)
    return (at_level(found[0], level), found[1]) if found else None


def _understand(kind: str, *, level: str, over_period: bool, catalog: dict[str, str]) -> tuple[str, str] | None:
    text = clean(kind)
    if text in catalog:
        return text, ""
    labels = {fold(label): name for name, label in catalog.items()}
    organization = _organization(text)
    t = fold(text)
    core = fold(text.replace(organization, "")) if organization else t
    core = re.sub(r"\s+", " ", re.sub(r"[()\"“”]", " ", core)).strip()
    core = re.sub(r"\bchi, dang bo\b", "chi bo, dang bo", core)  # "chi, đảng bộ trực thuộc": both kinds
    core = re.sub(r"\bchi bo, dang bo\b", "to chuc dang", core)
    for prefix in ("so ", "number of ", "of which ", "trong do ", "tong so ", "the number of ", "total "):
        if core.startswith(prefix):
            core = core[len(prefix):]
    if core.rstrip(" ,.:") in labels:
        return labels[core.rstrip(" ,.:")], organization
    # what is counted is named first ("bicycles owned by cells" counts bicycles): the head is the
    # text before its first connecting word; the qualifiers are read in the whole text
    head = re.split(r"\s(?:of|in|under|directly|that|which|with|who|whose|owned|by|for|at|on|from|having|cua|thuoc|truc thuoc|tai|o|duoc)\s|,",
                    f" {core} ")[0].strip() or core
    if _has(head, *CANDIDATES):
        return "candidates", organization
    if over_period:
        if not _has(head, *MEMBERS, *EVENTS[1][1], r"\bcases?\b", r"\btruong hop\b"):
            return None
        for measure, words in EVENTS:
            if _has(core, *words):
                return measure, organization
        return None
    if _has(head, *VILLAGES) and not _has(head, *MEMBERS):
        return _villages_measure(core), organization
    if _has(head, *MEMBERS) and not _has(head, *ORGS):
        return _members_measure(core), organization
    if _has(head, *ORGS):
        return _orgs_measure(core, level), organization
    return None
