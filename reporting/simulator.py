"""A stand-in for the municipal platform (信用南昌's exchange) for the tests and the demo: it takes batches and answers
per-row verdicts (入库, or 问题数据 with a reason) by configurable refusals.

Two ways, as the real exchange: over HTTP (``serve``: the upload endpoint, on the loopback interface only, answering
``{"receipt": ..., "rows": [{"row", "result", "reason"}]}``) and through the drop folder (``answer_folder``: a
feedback CSV beside each batch file, in the format of the README's "平台反馈文件").

A row is refused when one of its cells contains a configured text (``refuse_text``: text → reason), or when its
batch and row are configured (``refuse_rows``: ``(batch id, row)`` → reason). Run it with
``manage.py platform_simulator``.
"""

from __future__ import annotations

import csv
import email.parser
import email.policy
import ipaddress
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from openpyxl import load_workbook

# Record rows of a 更正报送 (notices) batch are those of this sheet; any other batch's are on its first sheet.
REVOKED_SHEET = "撤销记录"
MAX_BODY = 200 * 1024 * 1024
FEEDBACK_HEADER = ("batch_id", "row", "result", "reason")
# A national 双公示 column code (xk_xdr_mc, cf_wsh…): a sheet that starts with a row of them has two header rows.
FIELD_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")


def record_rows(path: str | os.PathLike) -> Iterable[tuple[str, ...]]:
    """The record rows of a batch workbook, as text cells (header left out): one header row in the upload template,
    two in a national 双公示 sheet (row 1 the field codes such as ``xk_xdr_mc``, row 2 the Chinese names)."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook[REVOKED_SHEET] if REVOKED_SHEET in workbook.sheetnames else workbook.worksheets[0]
        header_rows = 1
        for index, values in enumerate(sheet.iter_rows(values_only=True)):
            if index == 0:
                codes = [str(v) for v in values if v not in (None, "")]
                header_rows = 2 if codes and all(FIELD_CODE.fullmatch(c) for c in codes) else 1
            if index < header_rows:
                continue
            cells = tuple("" if v is None else str(v) for v in values)
            if any(cells):
                yield cells
    finally:
        workbook.close()


@dataclass
class PlatformSimulator:
    refuse_text: dict[str, str] = field(default_factory=dict)
    refuse_rows: dict[tuple[int, int], str] = field(default_factory=dict)
    token: str = ""
    received: list[dict] = field(default_factory=list)

    def verdicts(self, batch_id: int, path: str | os.PathLike) -> list[dict]:
        """The platform's answer on every record row of the batch file."""
        answer = []
        for row, cells in enumerate(record_rows(path), start=1):
            reason = self.refuse_rows.get((batch_id, row))
            if reason is None:
                reason = next((why for text, why in self.refuse_text.items() if any(text in c for c in cells)), None)
            if reason is None:
                answer.append({"row": row, "result": "accepted", "reason": ""})
            else:
                answer.append({"row": row, "result": "refused", "reason": reason})
        return answer

    # --- drop folder ---------------------------------------------------------------------------------------------
    def answer_folder(self, directory: str | os.PathLike) -> int:
        """Leave a feedback CSV beside each batch file of ``directory`` that has none yet; returns how many."""
        directory = Path(directory)
        written = 0
        for path in sorted(directory.glob("nc-edu-credit-*-batch*.xlsx")):
            target = path.with_name(path.name.removesuffix(".xlsx") + ".feedback.csv")
            if target.exists():
                continue
            batch_id = int(path.name.split("-batch", 1)[1][:8])
            self.write_feedback(target, batch_id, self.verdicts(batch_id, path))
            written += 1
        return written

    @staticmethod
    def write_feedback(target: Path, batch_id: int, verdicts: list[dict]) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".part-", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(FEEDBACK_HEADER)
            for verdict in verdicts:
                writer.writerow([batch_id, verdict["row"], verdict["result"], verdict["reason"]])
        os.replace(tmp, target)

    # --- HTTP ----------------------------------------------------------------------------------------------------
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
        """Serve the upload endpoint in a background thread on the loopback interface (nothing else is allowed)."""
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the platform simulator listens on the loopback interface only")
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                if not 0 < length <= MAX_BODY:
                    return self._answer(413, {"error": "body size"})
                if simulator.token and self.headers.get("Authorization") != f"Bearer {simulator.token}":
                    self.rfile.read(length)
                    return self._answer(401, {"error": "token"})
                fields, upload = _multipart(self.headers.get("Content-Type", ""), self.rfile.read(length))
                if upload is None or not fields.get("batch_id", "").isdigit():
                    return self._answer(400, {"error": "batch_id and file required"})
                batch_id = int(fields["batch_id"])
                fd, tmp = tempfile.mkstemp(suffix=".xlsx")
                try:
                    with os.fdopen(fd, "wb") as out:
                        out.write(upload)
                    rows = simulator.verdicts(batch_id, tmp)
                except Exception:  # an unreadable workbook is the platform's 400, not a crash
                    return self._answer(400, {"error": "unreadable workbook"})
                finally:
                    os.unlink(tmp)
                simulator.received.append({"batch_id": batch_id, "fields": fields, "rows": rows})
                self._answer(200, {"receipt": f"SIM-{batch_id}-{len(simulator.received)}", "rows": rows})

            def _answer(self, code: int, body: dict):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, str], bytes | None]:
    """The form fields and the uploaded file of a multipart/form-data body."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields, upload = {}, None
    if not message.is_multipart():
        return fields, upload
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            upload = payload
        elif name:
            fields[name] = payload.decode("utf-8", "replace")
    return fields, upload


def parse_refusals(values: Iterable[str]) -> tuple[dict[str, str], dict[tuple[int, int], str]]:
    """``TEXT=REASON`` (refuse rows containing TEXT) or ``BATCH:ROW=REASON`` options of the management command."""
    by_text, by_row = {}, {}
    for value in values:
        key, _, reason = value.partition("=")
        reason = reason.strip() or "数据不规范"
        batch, colon, row = key.partition(":")
        if colon and batch.strip().isdigit() and row.strip().isdigit():
            by_row[(int(batch), int(row))] = reason
        elif key.strip():
            by_text[key.strip()] = reason
    return by_text, by_row


__all__ = ["PlatformSimulator", "parse_refusals", "record_rows"]
