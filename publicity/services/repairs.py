"""Credit-repair decisions made on 信用中国 (or 信用江西) for the bureau's penalties: a reviewer enters one, or imports
the platform's list (xlsx or CSV), and each withdraws the matching penalty from the column, queuing the correction
for the municipal platform. The public page of a withdrawn entry then says it was withdrawn after credit repair."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from accounts.roles import Role
from core.scoping import require_role
from credit.services.calendar import decode_csv_bytes
from credit.validators import parse_date
from publicity.models import ExternalRepair, Publication, PublicationKind
from publicity.services.errors import PublicityError
from publicity.services.publications import publication_withdraw

# Where a repair decision comes from when the file or form does not say.
DEFAULT_SOURCE = "信用中国"
SOURCE_KEY = "external_repair"
# Import columns: header → key; the first and third are required, the others optional (any order).
IMPORT_COLUMNS = {
    "行政处罚决定书文号": "decision_number",
    "行政相对人名称或代码": "subject",
    "修复日期": "repair_date",
    "修复平台": "source",
    "修复决定编号": "reference",
}
REQUIRED_IMPORT_COLUMNS = ("decision_number", "repair_date")
MAX_IMPORT_ROWS = 5000


def _match(decision_number: str, subject: str) -> Publication:
    """The penalty publication a repair names: by decision number, narrowed by the subject's name or code."""
    number = (decision_number or "").strip()
    if not number:
        raise PublicityError({"decision_number": [_("行政处罚决定书文号：必须填写。")]})
    qs = Publication.objects.filter(kind=PublicationKind.PENALTY, document_number=number, published_at__isnull=False)
    subject = (subject or "").strip()
    if subject:
        qs = qs.filter(subject_name=subject) | qs.filter(public_code=subject.upper())
    found = list(qs.order_by("id")[:2])
    if not found:
        raise PublicityError(
            {"decision_number": [_("未找到文书号为“%(n)s”的行政处罚公示，请核对文书号或主体。") % {"n": number}]}
        )
    if len(found) > 1:
        raise PublicityError(
            {"subject": [_("文书号“%(n)s”对应多条公示，请填写行政相对人名称或代码以区分。") % {"n": number}]}
        )
    return found[0]


@transaction.atomic
def external_repair_record(
    *,
    decision_number: str,
    repair_date: datetime.date,
    user,
    subject: str = "",
    source: str = "",
    reference: str = "",
) -> ExternalRepair:
    """Record a repair decision of another platform and withdraw the penalty it names (once per platform)."""
    require_role(user, Role.REVIEWER)
    pub = _match(decision_number, subject)
    source = (source or "").strip() or DEFAULT_SOURCE
    if repair_date < pub.decision_date:
        raise PublicityError({"repair_date": [_("修复日期不能早于处罚决定日期（%(d)s）。") % {"d": pub.decision_date}]})
    try:
        with transaction.atomic():
            repair = ExternalRepair.objects.create(
                decision_number=pub.document_number,
                subject=(subject or "").strip(),
                repair_date=repair_date,
                source=source,
                reference=(reference or "").strip(),
                publication=pub,
                created_by=user,
            )
    except IntegrityError:
        raise PublicityError({"decision_number": [_("该处罚的%(s)s修复结果已录入。") % {"s": source}]}) from None
    reason = _("经%(source)s信用修复（%(date)s%(ref)s），提前撤下公示") % {
        "source": source,
        "date": repair_date.isoformat(),
        "ref": f"，{repair.reference}" if repair.reference else "",
    }
    publication_withdraw(
        publication=pub, user=user, reason=reason, source=SOURCE_KEY, source_reference=repair.reference or source
    )
    return repair


@dataclass
class RepairImportResult:
    imported: int
    errors: list[str]


def _table(data: bytes, filename: str) -> list[list[str]]:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False)
        except (CalamineError, ValueError, IndexError, OSError) as exc:
            raise PublicityError({"file": [_("无法读取工作簿：%(e)s") % {"e": exc}]}) from exc
        return [[_cell(c) for c in row] for row in rows]
    if name.endswith((".csv", ".txt")):
        try:
            text = decode_csv_bytes(data)
        except ValidationError as exc:
            raise PublicityError({"file": exc.messages}) from exc
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise PublicityError({"file": [_("文件：只接受 .xlsx 或 .csv 文件。")]})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@transaction.atomic
def external_repairs_import(*, data: bytes, filename: str, user) -> RepairImportResult:
    """Import a list of repair decisions (header row with ``IMPORT_COLUMNS``). All or nothing: any bad row refuses
    the file and nothing is withdrawn; the errors name the row and the reason."""
    require_role(user, Role.REVIEWER)
    table = [row for row in _table(data, filename) if any(c for c in row)]
    if not table:
        raise PublicityError({"file": [_("文件是空的。")]})
    header = [c.strip() for c in table[0]]
    unknown = [h for h in header if h and h not in IMPORT_COLUMNS]
    keys = [IMPORT_COLUMNS.get(h) for h in header]
    missing = [name for name, key in IMPORT_COLUMNS.items() if key in REQUIRED_IMPORT_COLUMNS and key not in keys]
    if missing or unknown:
        raise PublicityError(
            {
                "file": [
                    _("表头应包含“%(req)s”，可选“%(opt)s”。%(problem)s")
                    % {
                        "req": "”“".join(n for n, k in IMPORT_COLUMNS.items() if k in REQUIRED_IMPORT_COLUMNS),
                        "opt": "”“".join(n for n, k in IMPORT_COLUMNS.items() if k not in REQUIRED_IMPORT_COLUMNS),
                        "problem": "；".join(
                            [_("缺少“%(c)s”") % {"c": c} for c in missing]
                            + [_("无法识别“%(c)s”") % {"c": c} for c in unknown]
                        ),
                    }
                ]
            }
        )
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise PublicityError({"file": [_("数据行过多（上限 %(n)s 行），请分批导入。") % {"n": MAX_IMPORT_ROWS}]})
    errors: list[str] = []
    imported = 0
    for row_no, row in enumerate(table[1:], start=2):
        values = {key: (row[i] if i < len(row) else "") for i, key in enumerate(keys) if key}
        try:
            day = parse_date(values.get("repair_date", ""))
        except ValidationError:
            errors.append(_("第 %(r)s 行：修复日期无效（%(v)s）。") % {"r": row_no, "v": values.get("repair_date", "")})
            continue
        try:
            with transaction.atomic():
                external_repair_record(
                    decision_number=values.get("decision_number", ""),
                    subject=values.get("subject", ""),
                    repair_date=day,
                    source=values.get("source", ""),
                    reference=values.get("reference", ""),
                    user=user,
                )
            imported += 1
        except PublicityError as exc:
            messages = [m for ms in exc.errors.values() for m in ms]
            errors.append(_("第 %(r)s 行：%(m)s") % {"r": row_no, "m": "；".join(messages)})
    if errors:
        transaction.set_rollback(True)
        return RepairImportResult(imported=0, errors=errors)
    return RepairImportResult(imported=imported, errors=[])
