"""The web container's gunicorn believes forwarded headers from the configured proxies only (config/gunicorn.conf.py)."""

import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser
from gunicorn.http.wsgi import create

CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


def _config(monkeypatch, **env) -> Config:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cfg = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


def _environ(cfg: Config, peer: str, *headers: str) -> dict:
    """The WSGI environ gunicorn builds for a request from ``peer`` (parsed in memory, no socket)."""
    raw = "\r\n".join(["GET /api/v1/items/ HTTP/1.1", "Host: credit.example", *headers, "", ""]).encode()
    request = next(iter(RequestParser(cfg, iter([raw]), (peer, 40000))))
    _response, environ = create(request, None, (peer, 40000), ("0.0.0.0", 8000), cfg)
    return environ


def test_gunicorn_config_trusts_only_localhost_by_default(monkeypatch):
    cfg = _config(monkeypatch)
    assert cfg.forwarded_allow_ips == ["127.0.0.1"]
    assert cfg.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}
    assert cfg.forwarder_headers == []
    assert cfg.header_map == "drop"


def test_gunicorn_trusted_proxies_come_from_the_environment(monkeypatch):
    cfg = _config(monkeypatch, FORWARDED_ALLOW_IPS="10.0.0.5,172.18.0.0/16")
    assert cfg.forwarded_allow_ips == ["10.0.0.5", "172.18.0.0/16"]
    assert _environ(cfg, "172.18.0.3", "X-Forwarded-Proto: https")["wsgi.url_scheme"] == "https"


def test_client_cannot_spoof_https_past_the_proxy(monkeypatch):
    cfg = _config(monkeypatch)
    assert _environ(cfg, "203.0.113.9", "X-Forwarded-Proto: https")["wsgi.url_scheme"] == "http"
    assert _environ(cfg, "127.0.0.1", "X-Forwarded-Proto: https")["wsgi.url_scheme"] == "https"


@pytest.mark.parametrize("peer", ["203.0.113.9", "127.0.0.1"])
def test_no_peer_can_set_script_name_or_underscore_headers(monkeypatch, peer):
    environ = _environ(
        _config(monkeypatch), peer, "SCRIPT_NAME: /x", "X_Forwarded_For: 127.0.0.1", "X-Forwarded-For: 203.0.113.9"
    )
    assert environ.get("SCRIPT_NAME", "") == ""
    assert environ["HTTP_X_FORWARDED_FOR"] == "203.0.113.9"


def test_production_settings_do_not_believe_forwarded_proto_themselves():
    source = (CONF.parent / "settings" / "production.py").read_text(encoding="utf-8")
    assert "SECURE_PROXY_SSL_HEADER =" not in source
