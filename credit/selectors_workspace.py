"""Reads of the record page and the subject page: the batches that carried a record, a subject's credit history."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from credit.models import Record, Subject
from credit.selectors import record_list


def record_batches(record: Record) -> QuerySet:
    """The export batches (报送批次) that carried ``record``, newest first, each line with the version it carried.

    One query whatever the number of batches (the batch and its item are joined in).
    """
    from reporting.models import BatchRecord  # reporting builds on credit; the record page only reads its ledger

    return (
        BatchRecord.objects.filter(record_id=record.pk)
        .select_related("batch__item")
        .order_by("-batch__created_at", "-batch_id")
    )


def record_publication(record: Record):
    """The record's entry on the public column (双公示 penalty or 红名单), if it has one; None for other items."""
    from publicity.models import Publication
    from publicity.services.publications import PUBLIC_ITEMS

    if record.item.no not in PUBLIC_ITEMS:
        return None
    return Publication.objects.filter(record_id=record.pk).first()


def subject_for(user, pk) -> Subject:
    """The subject ``pk`` if ``user`` may see its history: reviewers any subject; a clerk only one with a record of
    their offices (otherwise 404, so a clerk cannot probe which people or organisations exist)."""
    try:
        subject = Subject.objects.get(pk=int(pk))
    except (Subject.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not user.is_reviewer and not Record.objects.restrict(user).filter(subject=subject).exists():
        raise Http404
    return subject


def subject_records(user, subject: Subject) -> QuerySet[Record]:
    """The subject's records ``user`` may see (a clerk's offices; every office for a reviewer), newest business first."""
    return record_list(user).filter(subject=subject).order_by("-business_date", "-id")
