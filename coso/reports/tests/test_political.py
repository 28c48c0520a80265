"""The political system's sentence of the written summary: said when non-zero, in the articles' style."""

import datetime as dt

from django.utils import translation

from coso.reports import political, standard

ZERO_ON = dict.fromkeys(political.ON, 0)
ZERO_PERIOD = dict.fromkeys(political.PERIOD, 0)
PERIOD = (dt.date(2015, 1, 1), dt.date(2021, 6, 6))


def test_nothing_is_said_when_every_figure_is_zero():
    assert political.sentence(ZERO_ON, ZERO_PERIOD, PERIOD) == ""


def test_the_sentence_states_the_figures_and_shares():
    v = ZERO_ON | {"staffing.cadres": 216, "quotas.cadres": 246, "staffing.cadres.members": 200, "staffing.cadres.theory_intermediate": 150,
                   "staffing.cadres.theory_advanced": 40, "staffing.part_time": 108}
    c = ZERO_PERIOD | {"staff_exits.streamlined": 62, "training.enrolments": 434}
    with translation.override("vi"):
        text = political.sentence(v, c, PERIOD)
    assert "216 cán bộ, công chức cấp xã (biên chế được giao 246)" in text
    assert "200/216 cán bộ, công chức là đảng viên, chiếm 92,6%" in text
    assert "108 người hoạt động không chuyên trách cấp xã" in text
    assert "tinh giản biên chế 62 người" in text and "cử 434 lượt" in text


def test_the_standard_report_has_the_political_sections():
    codes = [s.code for s in standard.SECTIONS]
    assert codes[-3:] == ["political_staffing", "political_theory", "political_changes"]
