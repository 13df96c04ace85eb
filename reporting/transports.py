"""How a batch file reaches the municipal platform: a drop folder (default) or an HTTP endpoint.

Both are idempotent per batch: the drop-folder name is derived from the batch id and content hash and written
atomically (temp name, then ``os.replace``), so a retry after a crash overwrites the same file with the same bytes
instead of adding a second one; the HTTP POST carries an ``Idempotency-Key`` of the same id and hash.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class TransportError(Exception):
    """A delivery attempt failed in a way worth retrying (network, 5xx, full disk…)."""


@dataclass
class Delivery:
    receipt: str
    outcome: str


def delivery_name(batch) -> str:
    scope = f"item{batch.folder}" if batch.item_id else batch.folder
    return f"nc-edu-credit-{scope}-batch{batch.pk:08d}-{batch.sha256[:16]}.xlsx"


class DropFolderTransport:
    name = "dropfolder"

    def __init__(self, directory: str | os.PathLike | None = None):
        self.directory = Path(directory or settings.REPORTING_DROP_DIR)

    def deliver(self, batch, path: str) -> Delivery:
        target = self.directory / delivery_name(batch)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if target.exists() and target.stat().st_size == os.path.getsize(path):
                return Delivery(receipt=target.name, outcome=f"已在投递目录：{target}")
            fd, tmp = tempfile.mkstemp(prefix=".part-", dir=self.directory)
            try:
                with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, target)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise TransportError(f"写入投递目录失败：{exc}") from exc
        return Delivery(receipt=target.name, outcome=f"已写入投递目录：{target}")


class HttpTransport:
    name = "http"

    def __init__(self, url: str | None = None, token: str | None = None, timeout: int | None = None):
        self.url = url or settings.REPORTING_HTTP_URL
        self.token = token if token is not None else settings.REPORTING_HTTP_TOKEN
        self.timeout = timeout or settings.REPORTING_HTTP_TIMEOUT
        if not self.url:
            raise ImproperlyConfigured("REPORTING_HTTP_URL must be set when REPORTING_TRANSPORT is 'http'")

    def deliver(self, batch, path: str) -> Delivery:
        headers = {"Idempotency-Key": f"batch-{batch.pk}-{batch.sha256}"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = {
            "batch_id": str(batch.pk),
            "item": str(batch.item.no) if batch.item_id else "",  # empty: a corrections batch of every item
            "kind": batch.kind,
            "format": batch.format,
            "rows": str(batch.row_count),
            "sha256": batch.sha256,
        }
        try:
            with open(path, "rb") as fh:
                response = requests.post(
                    self.url,
                    headers=headers,
                    data=data,
                    files={
                        "file": (
                            delivery_name(batch),
                            fh,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        )
                    },
                    timeout=self.timeout,
                )
        except requests.RequestException as exc:
            raise TransportError(f"连接报送平台失败：{exc}") from exc
        if response.status_code >= 300:
            raise TransportError(f"报送平台返回 HTTP {response.status_code}：{response.text[:200]}")
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        receipt = ""
        if isinstance(payload, dict):
            receipt = str(payload.get("receipt") or payload.get("receipt_no") or payload.get("id") or "")
        return Delivery(receipt=receipt[:200], outcome=f"平台已接收（HTTP {response.status_code}）")


def get_transport():
    kind = settings.REPORTING_TRANSPORT
    if kind == "dropfolder":
        return DropFolderTransport()
    if kind == "http":
        return HttpTransport()
    raise ImproperlyConfigured(f"Unknown REPORTING_TRANSPORT {kind!r} (use 'dropfolder' or 'http')")
