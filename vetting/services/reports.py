"""信用报告 of organisations (legal persons): a PDF of what the public column shows about one organisation
(licences, penalties within their publicity, red-list entries, black-list status), numbered, timed, with a QR code of
its public verification page, which confirms a copy by the SHA-256 of the PDF as handed out.

reportlab draws the PDF (a maintained library, no external processes); the CJK font is a TrueType font from the
machine's packages (``CREDIT_REPORT_FONT``, by default Debian's fonts-wqy-zenhei), embedded as a subset. Only public
content goes in: the entries come from ``publicity.selectors.org_entries``, already masked.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from functools import cache

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from credit.catalog import ItemSpec
from credit.models import RecordStatus, Subject, SubjectKind
from credit.selectors import subject_name_for, subject_records, with_entered_subject_names
from publicity.selectors import BLACK_LIST, LICENCES, PENALTIES, RED_LIST, org_entries
from vetting.models import CreditReport

FONT_NAME = "CreditReportCJK"
MAX_ROWS_PER_SECTION = 200


@cache
def _font(path: str) -> str:
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    except Exception as exc:  # reportlab raises TTFError and OSError subclasses alike
        raise ImproperlyConfigured(f"CREDIT_REPORT_FONT {path!r} is not a usable TrueType font: {exc}") from exc
    return FONT_NAME


def _rows(code: str) -> tuple[str, dict[str, list[tuple[str, ...]]]]:
    """The organisation's name and, per section, the rows the report lists (public, masked content only)."""
    entries = {section: list(qs[:MAX_ROWS_PER_SECTION]) for section, qs in org_entries(code).items()}
    name = next((e.subject_name for rows in entries.values() for e in rows), "")
    d = lambda value: value.isoformat() if value else ""  # noqa: E731
    return name, {
        LICENCES: [(e.public.xkws, e.document_number, d(e.jdrq)) for e in entries[LICENCES]],
        PENALTIES: [(e.document_number, e.content, d(e.decision_date), d(e.valid_until)) for e in entries[PENALTIES]],
        RED_LIST: [(e.document_number, e.content, d(e.decision_date), d(e.valid_until)) for e in entries[RED_LIST]],
        BLACK_LIST: [(e.document_number, e.reason, d(e.listed_on), d(e.end_date)) for e in entries[BLACK_LIST]],
    }


# What wrapping keeps together: a run of printable ASCII (a date, a document number, a code, a URL), a space, or one
# other character (a CJK character may end a line anywhere).
_WRAP_UNITS = re.compile(r"[!-~]+| +|.", re.DOTALL)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``, breaking between CJK characters or at spaces but never inside a
    run of ASCII letters, digits and punctuation ("2027-01-19", "http://…/credit-report/…") unless the run alone is
    longer than a line; a space where a line breaks is dropped."""
    measure = lambda s: pdfmetrics.stringWidth(s, font, size)  # noqa: E731
    lines, line = [], ""
    for unit in _WRAP_UNITS.findall(text.replace("\n", " ")):
        if measure(line + unit) <= width:
            line += unit
            continue
        if unit.isspace():  # the break falls on the space: end the line here
            if line:
                lines.append(line)
                line = ""
            continue
        if measure(unit) <= width or len(unit) == 1:
            if line:
                lines.append(line.rstrip(" ") or line)
            line = unit
            continue
        for ch in unit:  # a run longer than a line: fill the line, then go on on the next
            if line and measure(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
    return [*lines, line] if line else lines or [""]


class _Writer:
    """Top-down text on A4 pages with page breaks (reportlab's canvas, which draws from the bottom)."""

    def __init__(self, canvas: Canvas, font: str):
        self.c, self.font = canvas, font
        self.left, self.width = 20 * mm, A4[0] - 40 * mm
        self.y = A4[1] - 20 * mm

    def text(self, text: str, size: float = 10, indent: float = 0, gap: float = 1.5) -> None:
        for line in _wrap(text, self.font, size, self.width - indent):
            if self.y < 20 * mm:
                self.c.showPage()
                self.y = A4[1] - 20 * mm
            self.c.setFont(self.font, size)
            self.c.drawString(self.left + indent, self.y, line)
            self.y -= size * gap


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The verification URL as a QR code drawn as vector squares (no image library needed)."""
    matrix = list(segno.make(url, error="m").matrix_iter(scale=1, border=2))
    cell = size / len(matrix)
    for row, modules in enumerate(matrix):
        for col, dark in enumerate(modules):
            if dark:
                canvas.rect(x + col * cell, y + size - (row + 1) * cell, cell, cell, stroke=0, fill=1)


def _report_number(now) -> str:
    return f"XYBG{timezone.localtime(now):%Y%m%d}{secrets.token_hex(4).upper()}"


def _render(
    *, number: str, now, url: str, header: list[str], sections: list[tuple[str, list[str], str]], footer: str
) -> bytes:
    """The report PDF: title, number, time, issuer, ``header`` lines, the QR code of ``url``, each section's
    (title, lines, text when empty), then ``footer``."""
    font = _font(settings.CREDIT_REPORT_FONT)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=False)
    canvas.setTitle(_("信用报告") + f" {number}")
    canvas.setAuthor(settings.BUREAU_NAME)
    w = _Writer(canvas, font)
    w.text(_("信用报告"), size=20, gap=1.8)
    w.text(_("报告编号：%(n)s") % {"n": number})
    w.text(_("生成时间：%(t)s") % {"t": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S")})
    w.text(_("出具单位：%(b)s 信用信息公示专栏") % {"b": settings.BUREAU_NAME})
    for i, line in enumerate(header):
        w.text(line, size=12, gap=2.2 if i == len(header) - 1 else 1.5)
    _qr(canvas, url, A4[0] - 20 * mm - 30 * mm, A4[1] - 20 * mm - 30 * mm, 30 * mm)
    for title, lines, empty in sections:
        w.text(f"{title}（{len(lines)}）", size=13, gap=1.8)
        if not lines:
            w.text(empty, indent=4 * mm)
        for i, line in enumerate(lines, start=1):
            w.text(f"{i}. {line}", indent=4 * mm)
        w.y -= 4
    w.text(footer % {"url": url}, size=9)
    canvas.save()
    return out.getvalue()


def credit_report_create(*, code: str, verify_url_for) -> tuple[CreditReport, bytes] | None:
    """Generate an organisation's report (None when the column shows nothing about ``code``) and record its hash.

    ``verify_url_for(number)`` gives the absolute URL of the verification page (printed and in the QR code).
    """
    name, rows = _rows(code)
    if not name:
        return None
    now = timezone.now()
    number = _report_number(now)
    sections = [
        (LICENCES, _("行政许可"), _("许可决定：%s；文书号：%s；决定日期：%s")),
        (PENALTIES, _("行政处罚（公示期内）"), _("文书号：%s；内容：%s；决定日期：%s；公示至：%s")),
        (RED_LIST, _("红名单"), _("文号：%s；内容：%s；决定日期：%s；有效至：%s")),
        (BLACK_LIST, _("黑名单"), _("认定文书号：%s；列入事由：%s；列入日期：%s；列入截止：%s")),
    ]
    data = _render(
        number=number,
        now=now,
        url=verify_url_for(number),
        header=[
            _("主体名称：%(name)s") % {"name": name},
            _("统一社会信用代码：%(code)s") % {"code": code},
        ],
        sections=[
            (title, [template % row for row in rows[section]], _("未列入。") if section == BLACK_LIST else _("无。"))
            for section, title, template in sections
        ],
        footer=_(
            "本报告依据信用信息公示专栏在生成时间公开的信息出具。核验：扫描右上角二维码或访问 %(url)s，上传本文件即可核对其是否与存档一致。"
        ),
    )
    report = CreditReport.objects.create(
        number=number,
        subject_code=code,
        subject_name=name,
        generated_at=now,
        sha256=hashlib.sha256(data).hexdigest(),
        summary={section: len(rows[section]) for section, _t, _f in sections},
    )
    return report, data


def person_report_create(*, user, subject: Subject, verify_url_for) -> tuple[CreditReport, bytes]:
    """A natural person's report for a staff member: the person's approved credit records ``user`` may see (a
    clerk's offices; every office for a reviewer), numbered and hashed like an organisation's.

    The stored report keeps neither the ID number nor the name (only the subject's link), so its public verification
    page confirms the number, time and hash without telling anyone whose report it is.
    """
    if subject.kind != SubjectKind.NATURAL:
        raise ValueError("person_report_create is for natural persons")
    records = with_entered_subject_names(
        subject_records(user, subject).filter(status=RecordStatus.APPROVED)[:MAX_ROWS_PER_SECTION]
    )
    name = subject_name_for(user, subject)
    d = lambda value: value.isoformat() if value else ""  # noqa: E731
    positive = [r for r in records if not ItemSpec.get(r.item.no).is_negative]
    negative = [r for r in records if ItemSpec.get(r.item.no).is_negative]
    line = _("事项：%s；报送处室：%s；业务发生日期：%s；有效期至：%s")
    lines = lambda rows: [line % (r.item.name, r.office.name, d(r.business_date), d(r.validity_end)) for r in rows]  # noqa: E731
    now = timezone.now()
    number = _report_number(now)
    data = _render(
        number=number,
        now=now,
        url=verify_url_for(number),
        header=[_("姓名：%(name)s") % {"name": name}, _("身份证件号码：%(id)s") % {"id": subject.identifier}],
        sections=[
            (_("失信及负面信息"), lines(negative), _("无。")),
            (_("守信及其他信息"), lines(positive), _("无。")),
        ],
        footer=_(
            "本报告依据本平台在生成时间已审核通过的信用记录出具，仅供内部工作使用，含个人信息，请妥善保管。核验：扫描右上角二维码或访问 %(url)s，上传本文件即可核对其是否与存档一致。"
        ),
    )
    report = CreditReport.objects.create(
        number=number,
        personal=True,
        subject=subject,
        generated_at=now,
        sha256=hashlib.sha256(data).hexdigest(),
        summary={"negative": len(negative), "positive": len(positive)},
    )
    return report, data


def credit_report_matches(report: CreditReport, data: bytes) -> bool:
    """Whether ``data`` is exactly the PDF handed out as ``report``."""
    return secrets.compare_digest(hashlib.sha256(data).hexdigest(), report.sha256)
