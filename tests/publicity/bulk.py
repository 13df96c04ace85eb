"""Many public entries at once, for the PostgreSQL index tests and ``bench/bench_public.py``: base credit records and
their publications by ``bulk_create`` (no typed rows: list and search read only the publication's public columns)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from credit.demo import credit_code, person_id, person_name, school_name
from credit.models import Item, Office, Record, RecordStatus, SubjectKind
from credit.validators import mask_cn_id
from publicity.models import Publication, PublicationKind


def load_entries(count: int, *, user, batch: int = 5000, start: int = 0) -> int:
    """``count`` public entries: two thirds school penalties (item 2), one third red-list workers (item 7)."""
    items = {no: Item.objects.get(no=no) for no in (2, 7)}
    office = Office.objects.get(code="yijiao")
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    for lo in range(start, start + count, batch):
        hi = min(lo + batch, start + count)
        records, pubs = [], []
        for i in range(lo, hi):
            no = 7 if i % 3 == 2 else 2
            day = today - datetime.timedelta(days=10 + i % 700)
            records.append(
                Record(
                    item=items[no],
                    office=office,
                    business_date=day,
                    due_date=day,
                    status=RecordStatus.APPROVED,
                    validity_end=day.replace(year=day.year + 5) if not (day.month == 2 and day.day == 29) else day,
                    created_by=user,
                    updated_by=user,
                    decided_by=user,
                    decided_at=now,
                )
            )
        Record.objects.bulk_create(records, batch_size=batch)
        for i, record in zip(range(lo, hi), records, strict=True):
            natural = record.item_id == items[7].pk
            day = record.business_date
            pub = Publication(
                record=record,
                item_no=7 if natural else 2,
                kind=PublicationKind.RED_LIST if natural else PublicationKind.PENALTY,
                subject_kind=SubjectKind.NATURAL if natural else SubjectKind.LEGAL,
                subject_name=person_name(i) if natural else school_name(i),
                public_code=mask_cn_id(person_id(i)) if natural else credit_code(i),
                document_number="" if natural else f"洪教罚〔{day.year}〕{i + 1}号",
                decision_date=day,
                content="南昌市教育系统先进工作者" if natural else "给予警告，责令限期改正",
                authority="南昌市教育局",
                penalty_category="" if natural else "警告",
                publicity_end=None
                if natural
                else day.replace(year=day.year + 3)
                if day.month != 2 or day.day != 29
                else day,
                published_at=now,
            )
            pub.valid_until = record.validity_end if natural else pub.publicity_end
            pub.search_text = pub.build_search_text()
            pubs.append(pub)
        Publication.objects.bulk_create(pubs, batch_size=batch)
        made += len(pubs)
    return made
