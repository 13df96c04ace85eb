"""A natural person's home written as an estate's building-unit-room with hyphens (``XX小区3-2-501``), a village
group (``幸福村12组``) or a lettered building and room (``滨江花园B座1502``) is masked down to the estate, like
``北京东路88号5栋1单元302室``; dates, a group or class not in a village, a lettered word stay."""

import pytest

from publicity.masking import mask_personal_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("家住XX小区3-2-501", "家住XX小区*-*-***"),
        ("住XX小区３－２－５０１室", "住XX小区*-*-***室"),
        ("住幸福村12组", "住幸福村**组"),
        ("住幸福村十二组", "住幸福村**组"),
        ("住滨江花园B座1502", "住滨江花园B座****"),
        ("住滨江花园B座15楼1502室", "住滨江花园B座**楼****室"),
        ("住阳光家园12-3-402，电话13907915678", "住阳光家园**-*-***，电话139****5678"),
    ],
)
def test_estate_and_village_forms_of_a_home_are_masked(text, expected):
    assert mask_personal_text(text) == expected
    assert mask_personal_text(expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        "青山湖区2026-3-2检查",
        "小区1-2-3年级",
        "学生分为3组，第3组",
        "召开B座谈会",
        "在教学楼3层，共3户",
        "洪教罚〔2026〕4号",
    ],
)
def test_dates_groups_and_words_stay(text):
    assert mask_personal_text(text) == text
