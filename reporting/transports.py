"""How a batch file reaches the municipal platform: a drop folder (default) or an HTTP endpoint.

Which one, and its folder, URL, token and retries, come from ``delivery_config``: the system admin's 报送设置
(``reporting.models.DeliverySettings``) where saved, else the environment settings.

Both are idempotent per batch: the drop-folder name is derived from the batch id and content hash and written
atomically (temp name, then ``os.replace``), so a retry after a crash overwrites the same file with the same bytes
instead of adding a second one; the HTTP POST carries an ``Idempotency-Key`` of the same id and hash.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class DeliveryConfig:
    """The delivery settings in force (``source``: "admin" when a saved 报送设置 row applies, else "environment")."""

    transport: str
    drop_dir: Path
    http_url: str
    http_token: str = field(repr=False)
    http_timeout: int
    retries: int
    source: str


def delivery_config() -> DeliveryConfig:
    """The system admin's 报送设置 where saved; the environment settings without a row, and for its empty fields
    (the token only with the environment address: an address set in the admin goes with the admin's token or none)."""
    from reporting.models import DELIVERY_SETTINGS_PK, DeliverySettings

    row = DeliverySettings.objects.filter(pk=DELIVERY_SETTINGS_PK).first()
    if row is None:
        return DeliveryConfig(
            transport=settings.REPORTING_TRANSPORT,
            drop_dir=Path(settings.REPORTING_DROP_DIR),
            http_url=settings.REPORTING_HTTP_URL,
            http_token=settings.REPORTING_HTTP_TOKEN,
            http_timeout=settings.REPORTING_HTTP_TIMEOUT,
            retries=settings.REPORTING_DELIVERY_RETRIES,
            source="environment",
        )
    if row.http_url:
        # Never the environment token with an address set in the admin: the system admin never saw that token and
        # must not be able to send it (with every batch) to an address of their choosing.
        http_url, http_token = row.http_url, row.http_token
    else:
        http_url, http_token = settings.REPORTING_HTTP_URL, row.http_token or settings.REPORTING_HTTP_TOKEN
    return DeliveryConfig(
        transport=row.transport,
        drop_dir=Path(row.drop_dir or settings.REPORTING_DROP_DIR),
        http_url=http_url,
        http_token=http_token,
        http_timeout=row.http_timeout,
        retries=row.max_retries,
        source="admin",
    )


def delivery_name(batch) -> str:
    scope = f"item{batch.folder}" if batch.item_id else batch.folder
    return f"nc-edu-credit-{scope}-batch{batch.pk:08d}-{batch.sha256[:16]}.xlsx"


class DropFolderTransport:
    name = "dropfolder"

    def __init__(self, directory: str | os.PathLike | None = None, config: DeliveryConfig | None = None):
        self.directory = Path(directory or (config or delivery_config()).drop_dir)

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

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        timeout: int | None = None,
        config: DeliveryConfig | None = None,
    ):
        config = config or delivery_config()
        self.url = url or config.http_url
        self.token = token if token is not None else config.http_token
        self.timeout = timeout or config.http_timeout
        if not self.url:
            raise ImproperlyConfigured(
                "REPORTING_HTTP_URL (or the 报送设置 接口地址) must be set when the transport is 'http'"
            )

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


def get_transport(config: DeliveryConfig | None = None):
    config = config or delivery_config()
    if config.transport == "dropfolder":
        return DropFolderTransport(config=config)
    if config.transport == "http":
        return HttpTransport(config=config)
    raise ImproperlyConfigured(f"Unknown REPORTING_TRANSPORT {config.transport!r} (use 'dropfolder' or 'http')")
