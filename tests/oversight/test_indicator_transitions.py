"""Indicators move through the one transition of every reviewed object: a wrong state is refused (409 in the API's
terms, a message naming the current state) without an event; a decision records who and when with its event."""

import pytest

from core.api import exception_handler
from core.errors import StateError
from oversight.models import Indicator, IndicatorEvent, IndicatorStatus
from oversight.services import IndicatorError, indicator_complete, indicator_return


@pytest.mark.django_db
def test_completing_a_done_indicator_is_refused_naming_its_state(reviewer):
    indicator = indicator_complete(indicator=Indicator.objects.get(year=2026, no=1), user=reviewer)
    events = IndicatorEvent.objects.filter(indicator=indicator).count()
    with pytest.raises(IndicatorError) as caught:
        indicator_complete(indicator=indicator, user=reviewer)
    assert isinstance(caught.value, StateError)
    assert str(caught.value) == "操作未执行：指标当前状态为“已完成”，可能已被他人处理，请刷新页面。"
    assert exception_handler(caught.value, {}).status_code == 409
    assert IndicatorEvent.objects.filter(indicator=indicator).count() == events


@pytest.mark.django_db
def test_a_return_records_the_decision_its_comment_event_and_history_user(reviewer):
    indicator = indicator_return(
        indicator=Indicator.objects.get(year=2026, no=2), user=reviewer, comment="请补充佐证材料。"
    )
    indicator.refresh_from_db()
    assert indicator.status == IndicatorStatus.RETURNED and indicator.status_comment == "请补充佐证材料。"
    assert indicator.decided_by == reviewer
    event = IndicatorEvent.objects.filter(indicator=indicator).latest("at")
    assert (event.action, event.from_status, event.to_status) == ("return", "in_progress", "returned")
    assert event.at == indicator.decided_at and event.user == reviewer and event.comment == "请补充佐证材料。"
    assert indicator.history.latest("history_date").history_user == reviewer
