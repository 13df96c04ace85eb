"""Writes outside the credit records are audited too: policy and news edits, indicator decisions."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from credit.models import Office
from oversight.models import Indicator, IndicatorStatus
from oversight.services import indicator_add_progress, indicator_complete
from publicity.models import PolicyDocument
from publicity.services.content import article_save
from tests.factories import clerk_of


@pytest.mark.django_db
def test_a_policy_document_edit_is_audited_with_its_author(reviewer):
    data = {
        "title": "诚信制度",
        "document_number": "洪教字〔2026〕1号",
        "body": "正文",
        "source": "南昌市教育局",
        "is_published": True,
        "published_at": timezone.now(),
    }
    doc = article_save(model=PolicyDocument, user=reviewer, data=data)
    article_save(model=PolicyDocument, user=reviewer, data={**data, "body": "修订后的正文"}, instance=doc)
    events = AuditEvent.objects.filter(object_type="publicity.policydocument", object_id=str(doc.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == ["create", "change"]
    assert events.get(action="change").detail["changed_fields"] == ["body"]
    assert set(events.values_list("username", flat=True)) == {"reviewer"}


@pytest.mark.django_db
def test_an_indicator_confirmed_done_is_an_audited_transition(reviewer):
    indicator = Indicator.objects.get(year=2026, no=1)
    office = Office.objects.get(code="office")
    indicator_add_progress(indicator=indicator, office=office, user=clerk_of("office"), text="已制定年度实施方案")
    indicator_complete(indicator=indicator, user=reviewer, comment="同意")
    event = AuditEvent.objects.filter(object_type="oversight.indicator", action="transition").get()
    assert event.detail["to"] == IndicatorStatus.DONE and event.username == "reviewer"
