"""How a batch file reaches the municipal platform: a drop folder (default) or an HTTP endpoint.

Which one, and its folder, URL, token and retries, come from ``delivery_config``: the system admin's 报送设置
(``reporting.models.DeliverySettings``) where saved, else the environment settings.

Both are idempotent per batch: the drop-folder name is derived from the batch id and content hash and written
atomically (temp name, then ``os.replace``), so a retry after a crash overwrites the same file with the same bytes
instead of adding a second one; the HTTP POST carries an ``Idempotency-Key`` of the same id and hash.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from requests.adapters import HTTPAdapter

logger = logging.getLogger(__name__)


class TransportError(Exception):
    """A delivery attempt failed in a way worth retrying (network, 5xx, full disk…). ``destination``: where it was
    going, as far as known (for the audit log; never shown to users)."""

    def __init__(self, message: str, destination: dict | None = None):
        super().__init__(message)
        self.destination = destination or {}


# Stored in the batch's outcome, which reviewers see: never an address, port or the far end's reply (the log has them).
# A host the operators allowed may be named (the reviewers know where batches go); an address the name resolved to, a
# port or an exception's text never (they would map the internal network: "Connection refused", "timed out"…).
REFUSED_ENDPOINT = "报送平台地址未通过安全检查，未发送，详情见服务器日志。"
CONNECTION_FAILED = "连接报送平台失败，详情见服务器日志。"


def connection_failed(host: str) -> str:
    """The outcome of a failed connection to an allowed ``host``: its name, nothing the connection attempt revealed."""
    return f"连接报送平台 {host} 失败，详情见服务器日志。" if host else CONNECTION_FAILED


def allowed_delivery_hosts() -> set[str]:
    """Hosts a batch may be sent to: REPORTING_DELIVERY_ALLOWED_HOSTS plus the host of REPORTING_HTTP_URL."""
    hosts = {_norm_host(h) for h in settings.REPORTING_DELIVERY_ALLOWED_HOSTS if h.strip()}
    if env_host := urlsplit(settings.REPORTING_HTTP_URL or "").hostname:
        hosts.add(_norm_host(env_host))
    return hosts


def _norm_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


def delivery_host_allowed(url: str) -> bool:
    host = urlsplit(url or "").hostname
    return bool(host) and _norm_host(host) in allowed_delivery_hosts()


def _address_allowed(address: str) -> bool:
    """Only public unicast addresses; a stand-in platform on loopback only with the test-only setting."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback and settings.REPORTING_DELIVERY_TEST_LOOPBACK:
        return True
    blocked = (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )
    return not blocked


@dataclass(frozen=True)
class Endpoint:
    """A checked delivery address: the connection goes to ``address``; TLS and Host stay those of ``host``."""

    host: str
    port: int
    address: str

    @property
    def destination(self) -> dict:
        return {"transport": "http", "host": self.host, "port": self.port, "address": self.address}


def checked_endpoint(url: str) -> Endpoint:
    """Check ``url`` before anything is sent: https (plain http only to the test suite's loopback stand-in), host in
    the allow-list, and every address it resolves to public. Raises TransportError with a message that names none of
    them (the reason goes to the server log). The address returned is the one to connect to: resolving again at
    connect time would let a DNS answer change in between (rebinding)."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    where = {"transport": "http", "host": host}
    if parts.scheme != "https" and not (parts.scheme == "http" and settings.REPORTING_DELIVERY_TEST_LOOPBACK):
        logger.warning("delivery refused: scheme %r of %s is not https", parts.scheme, host)
        raise TransportError(REFUSED_ENDPOINT, {**where, "refused": "scheme"})
    if not delivery_host_allowed(url):
        logger.warning("delivery refused: host %s is not in REPORTING_DELIVERY_ALLOWED_HOSTS", host)
        raise TransportError(REFUSED_ENDPOINT, {**where, "refused": "host"})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        logger.warning("delivery refused: %s does not resolve: %s", host, exc)
        raise TransportError(connection_failed(host), {**where, "refused": "unresolved"}) from exc
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not _address_allowed(a)]
    if not addresses or refused:
        logger.warning("delivery refused: %s resolves to non-public address(es) %s", host, refused)
        raise TransportError(REFUSED_ENDPOINT, {**where, "refused": "address", "addresses": addresses})
    return Endpoint(host=host, port=port, address=addresses[0])


class _PinnedAdapter(HTTPAdapter):
    """Connects to the checked address, whatever the host name resolves to by then; TLS still verifies the
    certificate for the host name (urllib3 connects to ``_dns_host`` and verifies/sends SNI for ``host``)."""

    def __init__(self, address: str):
        self._address = address
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        pool = super().get_connection_with_tls_context(request, verify, proxies=proxies, cert=cert)
        address, base = self._address, pool.ConnectionCls

        class PinnedConnection(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                name = self.host
                # urllib3 connects to ``_dns_host``; ``host`` reads it too, so TLS gets the name back explicitly (SNI
                # and certificate check for the host name, not the address). The Host header is set by the caller.
                self._dns_host = address
                if hasattr(self, "server_hostname") and not self.server_hostname:
                    self.server_hostname = name

        pool.ConnectionCls = PinnedConnection
        return pool


@dataclass
class Delivery:
    receipt: str
    outcome: str
    # Where the batch went (for the audit log): the folder, or the host, port and the address connected to.
    destination: dict = field(default_factory=dict)
    # The platform's per-row verdicts when its answer carried them (HTTP body ``rows``): (row, result, reason) text.
    feedback: list = field(default_factory=list)


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
                return Delivery(
                    receipt=target.name,
                    outcome=f"已在投递目录：{target}",
                    destination={"transport": self.name, "folder": str(self.directory)},
                )
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
            # The folder and the reason ("Permission denied"), not the exception's text (it may name other paths).
            logger.warning("delivery of batch %s to %s failed: %s", batch.pk, self.directory, exc)
            reason = exc.strerror or type(exc).__name__
            raise TransportError(
                f"写入投递目录 {self.directory} 失败：{reason}，详情见服务器日志。",
                {"transport": self.name, "folder": str(self.directory)},
            ) from exc
        return Delivery(
            receipt=target.name,
            outcome=f"已写入投递目录：{target}",
            destination={"transport": self.name, "folder": str(self.directory)},
        )


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
        endpoint = checked_endpoint(self.url)
        # The connection goes to the checked address: the Host header names the host (urllib3 would use the address).
        headers["Host"] = urlsplit(self.url).netloc.rpartition("@")[2]
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
        session = requests.Session()
        session.trust_env = False  # no proxy from the environment: it would connect instead of the checked address
        # trust_env also governs the CA bundle: keep an operator's private CA (same variables requests reads).
        session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        session.mount("https://", _PinnedAdapter(endpoint.address))
        session.mount("http://", _PinnedAdapter(endpoint.address))
        try:
            with open(path, "rb") as fh:
                response = session.post(
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
                    allow_redirects=False,  # a redirect could re-send the batch anywhere, internal services included
                )
        except requests.RequestException as exc:
            logger.warning("delivery of batch %s to %s (%s) failed: %s", batch.pk, endpoint.host, endpoint.address, exc)
            raise TransportError(connection_failed(endpoint.host), endpoint.destination) from exc
        finally:
            session.close()
        if response.status_code >= 300:
            # The status only: the reply body of an unexpected host would otherwise reach reviewers.
            logger.warning(
                "delivery of batch %s to %s (%s): HTTP %s %s",
                batch.pk,
                endpoint.host,
                endpoint.address,
                response.status_code,
                response.text[:500],
            )
            kind = "重定向（未跟随）" if response.status_code < 400 else ""
            raise TransportError(
                f"报送平台返回 HTTP {response.status_code}{kind}，报送未完成。",
                {**endpoint.destination, "status": response.status_code},
            )
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        receipt = ""
        if isinstance(payload, dict):
            receipt = str(payload.get("receipt") or payload.get("receipt_no") or payload.get("id") or "")
        return Delivery(
            receipt=receipt[:200],
            outcome=f"平台已接收（HTTP {response.status_code}）",
            destination={**endpoint.destination, "status": response.status_code},
            feedback=feedback_rows_from_json(payload),
        )


def feedback_rows_from_json(payload) -> list[tuple[str, str, str]]:
    """The platform's per-row verdicts in an HTTP answer (``rows``: ``{"row", "result", "reason"}`` objects), as
    (row, result, reason) text; anything else is no feedback (``reporting.services.feedback`` stores them)."""
    rows = payload.get("rows") if isinstance(payload, dict) else None
    if not isinstance(rows, list):
        return []
    out = []
    for entry in rows:
        if isinstance(entry, dict):
            out.append((str(entry.get("row", "")), str(entry.get("result", "")), str(entry.get("reason") or "")))
    return out


def get_transport(config: DeliveryConfig | None = None):
    config = config or delivery_config()
    if config.transport == "dropfolder":
        return DropFolderTransport(config=config)
    if config.transport == "http":
        return HttpTransport(config=config)
    raise ImproperlyConfigured(f"Unknown REPORTING_TRANSPORT {config.transport!r} (use 'dropfolder' or 'http')")
