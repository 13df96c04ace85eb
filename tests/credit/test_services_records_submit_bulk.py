"""Submitting many drafts at once: each through the submit rules; one refused does not stop the others."""

import pytest

from credit.models import RecordStatus
from credit.services.records_bulk import records_submit_bulk
from tests.factories import create_record

pytestmark = pytest.mark.django_db


def test_drafts_are_submitted_and_a_refused_one_is_named(clerk, reviewer):
    drafts = [create_record(8, clerk) for _ in range(2)]
    already = create_record(8, clerk, status="submitted")
    submitted, refused = records_submit_bulk(records=[*drafts, already], user=clerk)
    assert [r.pk for r in submitted] == [d.pk for d in drafts]
    assert [r.pk for r, _reason in refused] == [already.pk]
    assert refused[0][1]  # a reason the clerk can read
    for record in drafts:
        record.refresh_from_db()
        assert record.status == RecordStatus.SUBMITTED


def test_another_office_cannot_submit_them(clerk, clerk_out):
    draft = create_record(8, clerk)
    submitted, refused = records_submit_bulk(records=[draft], user=clerk_out)
    assert not submitted and len(refused) == 1
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DRAFT
