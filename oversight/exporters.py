"""The work bulletin (工作通报) as an .xlsx workbook (xlsxwriter): one row per office, ranked, and the indicators."""

from __future__ import annotations

import datetime
import io

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credit.catalog import SEMIANNUAL, ItemSpec

# (header, key in the bulletin's office row, kind) — the order of the columns of the 处室报送情况 sheet.
OFFICE_COLUMNS = [
    (gettext_lazy("排名"), "rank", "int"),
    (gettext_lazy("处室"), "office_name", "text"),
    (gettext_lazy("应报记录"), "due", "int"),
    (gettext_lazy("按时报送"), "on_time", "int"),
    (gettext_lazy("迟报"), "late", "int"),
    (gettext_lazy("逾期未报"), "overdue", "int"),
    (gettext_lazy("未到期"), "pending", "int"),
    (gettext_lazy("及时率"), "on_time_rate", "pct"),
    (gettext_lazy("报送率"), "submission_rate", "pct"),
    (gettext_lazy("截止日期暂定"), "provisional", "int"),
    (gettext_lazy("半年报应报"), "semiannual_expected", "int"),
    (gettext_lazy("半年报已报"), "semiannual_received", "int"),
    (gettext_lazy("承担指标"), "indicators_assigned", "int"),
    (gettext_lazy("已完成指标"), "indicators_done", "int"),
    (gettext_lazy("本期进展条数"), "progress_entries", "int"),
    # 双公示 timeliness (迟报率) and completeness (零报告, 缺报).
    (gettext_lazy("已公示"), "publication_published", "int"),
    (gettext_lazy("按时公示"), "publication_published_on_time", "int"),
    (gettext_lazy("公示迟报"), "publication_published_late", "int"),
    (gettext_lazy("迟报率"), "publication_late_rate", "pct"),
    (gettext_lazy("已报送平台"), "publication_delivered", "int"),
    (gettext_lazy("报送迟报"), "publication_delivered_late", "int"),
    (gettext_lazy("报送迟报率"), "publication_delivery_late_rate", "pct"),
    (gettext_lazy("应报（月×事项）"), "reports_expected", "int"),
    (gettext_lazy("已报"), "reports_received", "int"),
    (gettext_lazy("零报告"), "reports_nil", "int"),
    (gettext_lazy("缺报"), "reports_missing", "int"),
    (gettext_lazy("报送期限不留公示时间的事项"), "tight_deadline_text", "text"),
]

INDICATOR_COLUMNS = [
    (gettext_lazy("序号"), "no", "int"),
    (gettext_lazy("考核内容"), "text", "text"),
    (gettext_lazy("牵头/负责处室"), "lead", "text"),
    (gettext_lazy("配合处室"), "cooperating", "text"),
    (gettext_lazy("进展条数"), "entries", "int"),
    (gettext_lazy("状态"), "status_display", "text"),
    (gettext_lazy("办公室意见"), "comment", "text"),
]


class BulletinXlsxExporter:
    """Renders a bulletin's stored figures. Text goes through ``write_string``: a cell is never a formula."""

    def __init__(self, data: dict):
        self.data = data

    def render(self) -> bytes:
        buffer = io.BytesIO()
        # A fixed creation date keeps the bytes of the same figures identical (the ledger compares hashes).
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        workbook.set_properties(
            {"title": self.data["title"], "created": datetime.datetime.fromisoformat(self.data["as_of"])}
        )
        title = workbook.add_format({"bold": True, "font_size": 14})
        head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        pct = workbook.add_format({"num_format": "0.0%", "border": 1})
        cell = workbook.add_format({"border": 1})
        wrap = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})

        sheet = workbook.add_worksheet(_("处室报送情况"))
        sheet.write_string(0, 0, self.data["title"], title)
        sheet.write_string(
            1,
            0,
            _("统计期间：%(start)s 至 %(end)s；统计截至：%(as_of)s") % self.data,
        )
        rows = [
            {**o, "tight_deadline_text": "、".join(o.get("tight_deadline_items", []))} for o in self.data["offices"]
        ]
        self._table(sheet, 3, OFFICE_COLUMNS, rows, head, cell, pct, wrap)
        totals_row = 4 + len(self.data["offices"])
        totals = self.data["totals"]
        sheet.write_string(totals_row, 1, _("合计"), head)
        for col, (_h, key, kind) in enumerate(OFFICE_COLUMNS):
            if key in totals and key != "rank":
                self._write(sheet, totals_row, col, totals[key], kind, cell, pct, wrap)
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 1, 14)
        sheet.set_column(2, len(OFFICE_COLUMNS) - 1, 11)
        sheet.freeze_panes(4, 2)

        sheet2 = workbook.add_worksheet(_("考核指标进展"))
        self._table(sheet2, 0, INDICATOR_COLUMNS, self.data["indicators"], head, cell, pct, wrap)
        sheet2.set_column(1, 1, 60)
        sheet2.set_column(2, 3, 24)
        sheet2.set_column(6, 6, 40)

        sheet3 = workbook.add_worksheet(_("指标说明"))
        notes = [
            _("应报记录：截止日期在统计期间内的全部记录（任何状态）。"),
            _("按时报送：已提交且提交日期不晚于截止日期；迟报：已提交但晚于截止日期。"),
            _("逾期未报：未提交（草稿或被退回）且截止日期已过；未到期：未提交且尚未到截止日期。"),
            _("及时率 = 按时报送 ÷ 已到期记录（应报记录 − 未到期）；报送率 =（按时报送 + 迟报）÷ 已到期记录。"),
            _("截止日期暂定：所在年度节假日安排尚未录入、按周一至周五推算的记录数，录入后可能变化。"),
            _("半年报：一年两次报送的事项（事项%(items)s），每个责任处室每半年应报一次。")
            % {"items": "、".join(str(item.no) for item in ItemSpec.items_with(deadline_kind=SEMIANNUAL))},
            _("排名按及时率从高到低；本期尚无已到期记录的处室不参与排名。"),
            _(
                "双公示时效：决定日期（业务发生日期）在统计期间内的行政处罚与行政许可决定，首次公示、首次报送市级平台的"
                "日期不晚于决定日期后第 7 个工作日为按时，否则为迟报；迟报率 = 公示迟报 ÷ 已公示。"
            ),
            _("零报告与缺报：应报 = 已结束月份 × 负责的按月报送事项；既无已报送记录又无零报告的为缺报。"),
        ]
        for i, note in enumerate(notes):
            sheet3.write_string(i, 0, note)
        sheet3.set_column(0, 0, 90)
        workbook.close()
        return buffer.getvalue()

    def _table(self, sheet, top, columns, rows, head, cell, pct, wrap) -> None:
        for col, (header, _key, _kind) in enumerate(columns):
            sheet.write_string(top, col, str(header), head)
        for r, row in enumerate(rows, start=top + 1):
            for col, (_header, key, kind) in enumerate(columns):
                self._write(sheet, r, col, row.get(key), kind, cell, pct, wrap)

    @staticmethod
    def _write(sheet, r, c, value, kind, cell, pct, wrap) -> None:
        if value is None or value == "":
            sheet.write_blank(r, c, None, cell)
        elif kind == "int":
            sheet.write_number(r, c, value, cell)
        elif kind == "pct":
            sheet.write_number(r, c, value, pct)
        else:
            sheet.write_string(r, c, str(value), wrap)
