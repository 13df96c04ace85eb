"""core.forms.PlainSelect: the workspace filters' selects, written in Python, give the same markup as Django's own
``Select`` template for every kind of choice list."""

import pytest
from django import forms

from core.forms import PlainSelect

CHOICES = [
    ("", "全部状态"),
    ("draft", "草稿"),
    ("submitted", "已提交 <b>&</b>"),
    (7, "数字值"),
]
GROUPED = [("", "不限"), ("常用", [("a", "甲"), ("b", "乙")]), ("其他", [("c", '丙"引号"')])]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, "submitted", {"id": "id_status", "class": "narrow"}),
        (CHOICES, "", None),
        (CHOICES, 7, {"required": True, "disabled": False, "aria-label": "状态<>"}),
        (CHOICES, "none-of-them", {"data-x": 'a"b'}),
        (GROUPED, "c", {"id": "id_kind"}),
        ([], None, None),
    ],
)
def test_the_plain_select_writes_what_djangos_select_writes(choices, value, attrs):
    assert PlainSelect(choices=choices).render("status", value, attrs) == forms.Select(choices=choices).render(
        "status", value, attrs
    )


def test_a_filter_form_marks_the_chosen_option(rf, reviewer):
    from credit.filters import RecordFilter
    from credit.models import Record

    request = rf.get("/workspace/records/", {"status": "approved", "ordering": "-due"})
    request.user = reviewer
    form = RecordFilter(request.GET, queryset=Record.objects.none(), request=request).form
    assert '<option value="approved" selected>' in str(form["status"])
    assert '<option value="-due" selected>' in str(form["ordering"])
    assert isinstance(form.fields["item"].widget, PlainSelect)
