"""No 500 on any input, HTML side: crawl what each role can reach and submit every form with hostile values.

For each role the test GETs the permission-matrix URLs, the public pages and the same-site links found on them (a
bounded crawl), collects every ``<form>`` (parsed with the stdlib's ``html.parser``), then submits each form a bounded
number of times with hostile values in every field (the CSRF token and hidden fields kept, except in one round that
fuzzes the hidden fields too; selects and radios get an invalid choice and a valid one; file inputs get a small file
that is not a workbook). List pages are also fetched with hostile query parameters. Every response must not be a 500;
the ``<script>`` probe is never echoed unescaped; a POST answered 200 (the form shown again) names the problem in
Chinese. The API side is covered by ``test_schemathesis.py``.

Runs on SQLite and on PostgreSQL (``DATABASE_URL``), where NUL characters and integer overflows are refused by the
database itself instead of stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from credit.models import Item
from credit.services import records as record_services
from oversight.models import Indicator
from oversight.periods import parse_period
from oversight.services import bulletin_generate, ensure_indicators
from publicity.models import NewsItem, PolicyDocument
from publicity.services import licences as lic
from publicity.services.content import article_save
from publicity.services.requests import objection_file
from reporting.models import BatchKind
from reporting.services.batches import batch_create
from tests.factories import UserFactory, clerk_of, create_record
from tests.factories.publicity import PublicEntries, licence_values

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
LONG_TEXT = "\n".join(f"第{n}行：情节说明 line {n} " + "很长" * 40 for n in range(300))
HOSTILE = [
    "²",
    "٣",
    "３",
    "1\x00",
    "x" * 10_000,
    "9999-12-31",
    "0001-01-01",
    "-1",
    "1e309",
    "NaN",
    "9" * 25,
    "",
    "   \t ",
    SCRIPT,
    LONG_TEXT,
]
# Query parameters the list pages read (or might): each is tried with hostile values.
QUERY_PARAMS = [
    "page",
    "q",
    "item",
    "office",
    "status",
    "year",
    "period",
    "due",
    "date_from",
    "date_to",
    "after",
    "kind",
    "action",
    "user",
    "reveal",
    "next",
]
# Addresses with a free-text segment, per role that can reach them.
PATH_PROBES = {
    "anonymous": ["/org/{}/", "/track/{}/"],
    "reviewer": ["/workspace/publicity/requests/{}/1/", "/workspace/publicity/licences/1/{}/"],
}
HIDDEN_VALUES = ["NaN", "-1", "1\x00", "9" * 25, "x" * 10_000]
ONE_FIELD_VALUES = ["1\x00", "x" * 10_000, "9999-12-31", "0001-01-01", "-1", "9" * 25, "NaN", "²", "1e309", SCRIPT]
GET_VALUES = ["²", "３", "1\x00", "x" * 10_000, "9999-12-31", "-1", "1e309", "NaN", "9" * 25, "   ", SCRIPT]

CRAWL_LIMIT = 60  # pages per role
PER_PATTERN = 4  # pages of one URL shape (/workspace/records/N/) per role
FORM_LIMIT = 40  # distinct forms per role
ONE_FIELD_ROUNDS = 5  # rounds per form with one hostile field among the page's values
QUERY_PAGE_LIMIT = 20  # list pages per role tried with hostile query parameters

# Links and forms not to follow: they end the session, delete or only download.
SKIP = re.compile(r"logout|/delete/|/static/|/media/|^/api/|download|\.xlsx$|\.csv$|/feed/|/errors\.")
CJK = re.compile(r"[\u4e00-\u9fff]")
ERROR_BLOCK = re.compile(
    r"""<(?:ul|div|p|span|li)[^>]*class="[^"]*(?:error|alert|invalid|warning)[^"]*"[^>]*>(.*?)</""",
    re.S,
)

ROLES = ["anonymous", "clerk", "reviewer", "sysadmin", "secadmin", "auditor"]


# --- HTML ------------------------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def key(self) -> tuple:
        # Ids vary, the shape does not; one office's figures page stands for every office's.
        path = re.sub(r"/offices/[^/]+/", "/offices/X/", urlsplit(self.action).path)
        return (self.method, re.sub(r"\d+", "N", path), tuple(sorted({f.name for f in self.fields})))

    @property
    def public(self) -> bool:
        """A form of the public column (or the sign-in page): the same for every visitor, fuzzed as anonymous."""
        return not urlsplit(self.action).path.startswith(("/workspace/", "/admin/", "/accounts/password_change/"))

    @property
    def hostile_fields(self) -> bool:
        """Whether the fuzz puts a value of its own in a field the user sees (else there is nothing to refuse)."""
        return any(f.kind != "hidden" for f in self.fields)


class PageParser(HTMLParser):
    """The forms and the links of one page."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option_text: bool = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self._form = Form(page=self.url, action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            self._option_text = "value" not in a
        elif self._form is None or not a.get("name") or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form.buttons.append((a["name"], a.get("value", "")))
            elif kind not in ("reset", "button"):
                self._form.fields.append(Field(a["name"], kind, a.get("value", ""), checked="checked" in a))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select-multiple" if "multiple" in a else "select")
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option_text and self._select is not None:
            self._select.options[-1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._option_text = False


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(sorted(k for k, _ in parse_qsl(parts.query)))


def _local(url: str) -> str | None:
    """The path and query of a same-site URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _is_html(response) -> bool:
    return "html" in response.get("Content-Type", "")


# --- Data ------------------------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    seeds: list[str]


def _world(tmp_path, settings) -> World:
    """Records of several items in several states, a change, a publication, a red-list entry, licences, a black-list
    entry, an objection, a batch, indicators and a bulletin: enough for every workspace page to show its forms."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTING_DROP_DIR = tmp_path / "drop"
    settings.REPORTING_TRANSPORT = "dropfolder"

    clerk = clerk_of("zuren")
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    users = {
        "anonymous": None,
        "clerk": clerk,
        "reviewer": reviewer,
        "sysadmin": UserFactory(username="sysadmin", role=Role.SYSADMIN),
        "secadmin": UserFactory(username="secadmin", role=Role.SECADMIN),
        "auditor": UserFactory(username="auditor", role=Role.AUDITOR),
    }
    build = PublicEntries(reviewer)
    records = {s: create_record(8, clerk, status=s, reviewer=reviewer) for s in ("draft", "submitted", "returned")}
    records["draft1"] = create_record(1, clerk, reviewer=reviewer)
    records["revoked"] = create_record(8, clerk, status="revoked", reviewer=reviewer)
    changed = create_record(8, clerk, status="approved", reviewer=reviewer)
    record_services.record_change_propose(record=changed, user=clerk, data={"offence": "变更后的案由"})
    unpublished = create_record(8, clerk, status="approved", reviewer=reviewer)
    penalty = build.penalty(8)
    build.red(7)
    licence = build.licence()
    draft_licence = lic.licence_create(user=build.yijiao, data=_licence_data(), submit=True)
    build.blacklist(build.record(9))
    objection = objection_file(target=penalty, applicant_name="王晓明", applicant_contact="13807910000", content="有误")
    batch = batch_create(item=Item.objects.get(no=8), kind=BatchKind.FULL, user=reviewer)
    year = timezone.localdate().year
    ensure_indicators(year)
    indicator = Indicator.objects.filter(year=year).order_by("pk").first()
    policy = article_save(
        model=PolicyDocument,
        user=reviewer,
        data={
            "title": "南昌市教育系统信用管理办法",
            "document_number": "洪教字〔2026〕1号",
            "source": "南昌市教育局",
            "body": "正文",
            "is_published": True,
            "published_at": timezone.now(),
        },
    )
    bulletin_generate(period=parse_period(f"{year}Q1"), user=reviewer)

    seeds = [
        "/",
        "/search/?q=南昌",
        "/track/",
        f"/track/{objection.tracking_code}/",
        "/open-data/",
        "/accounts/login/",
        "/accounts/password_change/",
        "/admin/",
        "/workspace/",
        "/workspace/records/",
        "/workspace/records/?status=draft&q=x",
        "/workspace/notices/",
        "/workspace/review/",
        "/workspace/items/8/new/",
        "/workspace/items/1/new/",
        *[f"/workspace/records/{r.pk}/" for r in (*records.values(), changed, unpublished)],
        *[f"/workspace/records/{r.pk}/edit/" for r in (records["draft"], records["returned"], changed)],
        f"/workspace/subjects/{records['draft'].subject_id}/",
        "/workspace/publicity/",
        f"/workspace/publicity/publish/{unpublished.pk}/",
        "/workspace/publicity/publications/",
        f"/workspace/publicity/requests/objection/{objection.pk}/",
        "/workspace/publicity/licences/",
        "/workspace/publicity/licences/new/",
        f"/workspace/publicity/licences/{licence.pk}/",
        f"/workspace/publicity/licences/{draft_licence.pk}/",
        f"/workspace/publicity/licences/{draft_licence.pk}/edit/",
        "/workspace/publicity/black-list/",
        "/workspace/publicity/black-list/new/",
        "/workspace/reporting/",
        "/workspace/reporting/imports/new/",
        "/workspace/reporting/batches/",
        "/workspace/reporting/batches/new/",
        f"/workspace/reporting/batches/{batch.pk}/",
        "/workspace/oversight/",
        "/workspace/oversight/indicators/",
        "/workspace/oversight/bulletins/",
        f"/workspace/oversight/indicators/{indicator.pk}/",
        "/workspace/publicity/policies/new/",
        f"/workspace/publicity/policies/{policy.pk}/",
        "/workspace/publicity/news/new/",
        "/workspace/audit/",
    ]
    return World(users=users, seeds=seeds)


def _licence_data() -> dict:
    return licence_values(seq=9001, name="南昌市远航培训学校")


# --- Fuzz ------------------------------------------------------------------------------------------------------


@dataclass
class Run:
    role: str
    client: Client
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def send(self, method: str, url: str, data: dict | None, what: str) -> object | None:
        """The response, or None when the view raised (the test client re-raises what would be a 500)."""
        self.requests += 1
        try:
            return getattr(self.client, method)(url, data or {})
        except Exception as exc:
            self.problems.append(f"{self.role}: 500 ({exc.__class__.__name__}: {str(exc)[:160]}) on {what}")
            return None

    def check(self, response, what: str, *, posted: bool = False) -> bytes:
        if response is None:
            return b""
        body = _body(response)
        if response.status_code >= 500:
            self.problems.append(f"{self.role}: {response.status_code} on {what}")
            return body
        if _is_html(response):
            text = body.decode("utf-8", "replace")
            if SCRIPT in text:
                self.problems.append(f"{self.role}: {SCRIPT} reflected unescaped on {what}")
            confirmation = 'name="post" value="yes"' in text  # the admin's "are you sure?" step of an action
            if posted and response.status_code == 200 and not confirmation and not _names_a_problem_in_chinese(text):
                self.problems.append(f"{self.role}: POST answered 200 without a Chinese error message on {what}")
        return body


def _names_a_problem_in_chinese(text: str) -> bool:
    return any(CJK.search(re.sub(r"<[^>]+>", "", block)) for block in ERROR_BLOCK.findall(text))


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}…({len(value)} chars)"


def _crawl(run: Run, seeds: list[str]) -> list[Form]:
    seen: set[str] = set()
    per_pattern: dict[str, int] = {}
    forms: dict[tuple, Form] = {}
    queue = list(seeds)
    n_seeds = len(seeds)
    visited = 0
    while queue and visited < CRAWL_LIMIT + n_seeds:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        is_seed = url in seeds
        pattern = _pattern(url)
        if not is_seed and (SKIP.search(url) or per_pattern.get(pattern, 0) >= PER_PATTERN):
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        visited += 1
        response = run.send("get", url, None, f"GET {url}")
        body = run.check(response, f"GET {url}")
        if response is None or response.status_code != 200 or not _is_html(response):
            continue
        parser = PageParser("http://testserver" + url)
        parser.feed(body.decode("utf-8", "replace"))
        for form in parser.forms:
            if _local(form.action) is None or SKIP.search(_local(form.action) or ""):
                continue
            forms.setdefault(form.key(), form)
        for link in parser.links:
            local = _local(link.split("#")[0])
            if local and local not in seen:
                queue.append(local)
    mine = [f for f in forms.values() if run.role == "anonymous" or not f.public]
    return mine[:FORM_LIMIT]


def _hostile_choice(value: str) -> str:
    return value if value.strip() else "999999"


def _payload(form: Form, value: str, round_no: int) -> dict:
    """Every visible field gets ``value``; choices alternate between an invalid and a valid option."""
    valid_round = round_no == len(HOSTILE)  # one round keeps the page's values and picks valid choices
    fuzz_hidden = round_no == len(HOSTILE) + 1
    data: dict[str, list] = {}
    for f in form.fields:
        if f.kind == "hidden":
            keep = f.name == "csrfmiddlewaretoken" or not fuzz_hidden
            data.setdefault(f.name, []).append(f.value if keep else value)
        elif f.kind == "file":
            # Not a workbook, whether its name says so or not.
            name = "evidence.txt" if round_no % 2 else "evidence.xlsx"
            data.setdefault(f.name, []).append(
                SimpleUploadedFile(name, b"not a workbook\x00" + value.encode()[:200], "text/plain")
            )
        elif f.kind in ("select", "select-multiple", "radio", "checkbox"):
            options = f.options if f.kind.startswith("select") else [f.value]
            real = [o for o in options if o]
            if valid_round or round_no % 2:
                if f.kind in ("radio", "checkbox") and not (f.checked or valid_round):
                    continue
                if real:
                    data.setdefault(f.name, []).append(real[-1] if f.kind.startswith("select") else f.value)
            else:
                data.setdefault(f.name, []).append(_hostile_choice(value))
        elif valid_round:
            data.setdefault(f.name, []).append(f.value or value)
        else:
            data.setdefault(f.name, []).append(value)
    if form.buttons:
        name, button_value = form.buttons[round_no % len(form.buttons)]
        data[name] = [button_value]
    return data


def _rounds(form_no: int) -> list[str]:
    """The value of each round: every hostile value, then the valid-choices round (free text gets the script probe,
    so a saved value is shown back on the next page), then the hidden-fields round (a value that breaks parsing)."""
    return [*HOSTILE, SCRIPT, HIDDEN_VALUES[form_no % len(HIDDEN_VALUES)]]


def _one_field_payloads(form: Form, form_no: int) -> list[tuple[str, str, dict]]:
    """The page's own values (an edit form's are valid) with one visible field at a time made hostile, so the value
    gets past the other fields' validation to the service: up to ``ONE_FIELD_ROUNDS`` fields, spread over the form."""
    base = _payload(form, "", len(HOSTILE))  # the valid-choices round, with the page's values as they are
    visible = [f for f in form.fields if f.kind not in ("hidden", "file", "checkbox", "radio")]
    step = max(1, len(visible) // ONE_FIELD_ROUNDS)
    payloads = []
    for i, f in enumerate(visible[::step][:ONE_FIELD_ROUNDS]):
        value = ONE_FIELD_VALUES[(form_no + i) % len(ONE_FIELD_VALUES)]
        payloads.append((f.name, value, {**base, f.name: [value]}))
    return payloads


def _submit(run: Run, form: Form, data: dict, what: str) -> None:
    """Send ``data`` and follow a redirect once, then undo what it changed: each value meets the data as they were
    (the first value an action accepts would otherwise leave the record where the next ones are refused early)."""
    with transaction.atomic():
        _send_form(run, form, data, what)
        transaction.set_rollback(True)


def _send_form(run: Run, form: Form, data: dict, what: str) -> None:
    action = _local(form.action)
    if form.method == "post":
        response = run.send("post", action, data, what)
        run.check(response, what, posted=form.hostile_fields)
        redirected = response is not None and response.status_code in (301, 302, 303)
        target = _local(response.get("Location", "")) if redirected else None
        if target and not SKIP.search(target):
            run.check(run.send("get", target, None, f"GET {target} after {what}"), f"GET {target} after {what}")
    else:
        flat = {k: v for k, v in data.items() if not any(hasattr(x, "read") for x in v)}
        run.check(run.send("get", action.split("?")[0], flat, what), what)


def _fuzz_form(run: Run, form: Form, form_no: int) -> None:
    """Submit each round's values once: a round whose values equal an earlier round's (a form of choices only gets the
    same valid choices in every odd round) would meet the same data, rolled back, and get the same answer."""
    where = f"{form.method.upper()} {_local(form.action)} (form of {urlsplit(form.page).path})"
    sent: set[tuple] = set()
    for round_no, value in enumerate(_rounds(form_no)):
        data = _payload(form, value, round_no)
        if _first_time(sent, data):
            _submit(run, form, data, f"{where} fields [{', '.join(sorted(data))}] = {_short(value)}")
    for name, value, data in _one_field_payloads(form, form_no):
        if _first_time(sent, data):
            _submit(run, form, data, f"{where} field {name} = {_short(value)}, the others as on the page")


def _first_time(sent: set[tuple], data: dict[str, list]) -> bool:
    """Whether ``data`` (files by name and content) differs from every payload in ``sent``; adds it."""
    key = tuple((name, tuple(_value_key(v) for v in values)) for name, values in sorted(data.items()))
    if key in sent:
        return False
    sent.add(key)
    return True


def _value_key(value) -> object:
    if not hasattr(value, "read"):
        return value
    content = value.read()
    value.seek(0)
    return (value.name, content)


def _list_pages(seeds: list[str], role: str) -> list[str]:
    """The seed pages without an object id, once each: the public ones for the anonymous visitor (they answer every
    role alike), the workspace and admin ones for the others."""
    paths = []
    for url in seeds:
        path = url.split("?")[0]
        staff = path.startswith(("/workspace/", "/admin/"))
        if not re.search(r"/\d+/", path) and path not in paths and (staff != (role == "anonymous")):
            paths.append(path)
    return paths[:QUERY_PAGE_LIMIT]


def _fuzz_path_segments(run: Run) -> None:
    """The pages whose address carries free text (a credit code, a tracking code, a request kind, an action)."""
    for template in PATH_PROBES.get(run.role, []):
        for value in GET_VALUES:
            url = template.format(quote(value.strip() or value, safe=""))
            for method in ("get", "post"):
                what = f"{method.upper()} {template} with {_short(value)}"
                run.check(run.send(method, url, None, what), what)


def _fuzz_query(run: Run, paths: list[str]) -> None:
    for path in paths:
        for value in GET_VALUES:
            params = {name: value for name in QUERY_PARAMS}
            what = f"GET {path}?{'&'.join(QUERY_PARAMS)} each = {_short(value)}"
            run.check(run.send("get", path, params, what), what)


# About how long each role's run takes on these 2 cores (``make test`` starts the longest first, spread over both).
ROLE_SECONDS = {"anonymous": 4, "clerk": 14, "reviewer": 18, "sysadmin": 23, "secadmin": 5, "auditor": 4}


@pytest.mark.parametrize("role", [pytest.param(r, marks=pytest.mark.slow(ROLE_SECONDS[r])) for r in ROLES], ids=ROLES)
def test_no_500_on_hostile_form_input(role, tmp_path, settings):
    world = _world(tmp_path, settings)
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    run = Run(role=role, client=client)
    forms = _crawl(run, world.seeds)
    _fuzz_query(run, _list_pages(world.seeds, role))
    _fuzz_path_segments(run)
    for form_no, form in enumerate(forms):
        _fuzz_form(run, form, form_no)
    assert len(forms) >= 2 and run.requests > 80, "the crawl found next to nothing to fuzz: is the role signed in?"
    assert not run.problems, "\n".join(run.problems[:400]) + f"\n({len(run.problems)} problems)"


# --- What the fuzz found (one test per fix, on whichever database runs the suite) ------------------------------


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_search_and_lists_take_pasted_text_and_nul(client):
    """SQLite refused the pasted text as a LIKE pattern, PostgreSQL the NUL: both were a 500."""
    for url in ("/search/", "/penalties/", "/black-list/"):
        long = client.get(url, {"q": LONG_TEXT})
        assert long.status_code == 200, url
        assert "搜索词过长：仅按前 100 个字符检索。" in long.content.decode()
        assert client.get(url, {"q": "南昌\x00市"}).status_code == 200, url


def test_record_lists_name_a_search_longer_than_any_name(db):
    """The workspace search went straight into LIKE: pasted text was a 500 on SQLite; now 搜索 names the limit."""
    clerk = clerk_of("zuren")
    response = _signed_in(clerk).get("/workspace/records/", {"q": LONG_TEXT, "status": "draft"})
    assert response.status_code == 200
    assert "搜索：" in response.content.decode()
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    response = _signed_in(reviewer).get("/workspace/review/", {"q": "x" * 101})
    assert response.status_code == 200
    assert "搜索：" in response.content.decode()
    assert "搜索：" not in _signed_in(reviewer).get("/workspace/review/", {"q": "x" * 100}).content.decode()


def test_admin_search_is_cut_and_nul_dropped(db):
    """Pasted text was thousands of conditions (SQLite: expression tree too large), a NUL a PostgreSQL error."""
    client = _signed_in(UserFactory(username="sysadmin", role=Role.SYSADMIN))
    response = client.get("/admin/credit/item/", {"q": LONG_TEXT})
    assert response.status_code == 200
    assert "搜索词过长：仅按前 100 个字符检索。" in response.content.decode()
    assert client.get("/admin/credit/office/", {"q": "组人\x00"}).status_code == 200
    response = client.get("/admin/credit/item/", {"q": "\x00", "deadline_kind__exact": "working\x00days"})
    assert response.status_code in (200, 302)


def test_crontab_admin_shows_the_errors_of_a_negative_value(db):
    """The form shown again described the refused schedule with celery's parser, which raised: a 500."""
    from django_celery_beat.models import CrontabSchedule

    client = _signed_in(UserFactory(username="sysadmin", role=Role.SYSADMIN))
    before = CrontabSchedule.objects.count()
    fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
    response = client.post(
        "/admin/django_celery_beat/crontabschedule/add/",
        {**dict.fromkeys(fields, "-1"), "timezone": "Asia/Shanghai", **_empty_inline("periodictask_set")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请更正以下错误。" in html
    # Every field says in Chinese what it takes (django-celery-beat's own messages are English: "Bad range …").
    assert html.count("取值无效：请填写") == 5 and "0–59" in html and "0–6（0 为星期日）" in html
    assert "Bad range" not in html and "Unknown cron" not in html and "Invalid" not in html
    assert CrontabSchedule.objects.count() == before
    valid = {"minute": "*/10", "hour": "2", "day_of_month": "1,15", "month_of_year": "6-12", "day_of_week": "*"}
    response = client.post(
        "/admin/django_celery_beat/crontabschedule/add/",
        {**valid, "timezone": "Asia/Shanghai", **_empty_inline("periodictask_set")},
    )
    assert response.status_code == 302 and CrontabSchedule.objects.count() == before + 1


def _empty_inline(prefix: str) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_article_publication_time_out_of_range_is_refused(db):
    """0001-01-01 in Beijing time is year 0 in UTC: saving it raised OverflowError."""
    client = _signed_in(UserFactory(username="reviewer", role=Role.REVIEWER))
    data = {"title": "信用动态", "source": "南昌市教育局", "body": "正文", "is_published": "on"}
    response = client.post("/workspace/publicity/news/new/", {**data, "published_at": "0001-01-01 00:00"})
    assert response.status_code == 200
    assert "发布时间应在 2000 年至 2099 年之间。" in response.content.decode()
    assert not NewsItem.objects.exists()
    response = client.post("/workspace/publicity/news/new/", {**data, "published_at": "2026-03-02 09:00"})
    assert response.status_code == 302
    assert NewsItem.objects.get().title == "信用动态"


def test_reviewer_reasons_with_a_nul_character_are_refused_by_name(tmp_path, settings):
    """Returning or revoking a licence and removing a black-list entry took the reason straight from the POST: a NUL
    was a 500 on PostgreSQL (SQLite stored it)."""
    from publicity.models import BlackListEntry, BlackListStatus, LicenceDecision, LicenceStatus

    settings.MEDIA_ROOT = tmp_path / "media"
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    build = PublicEntries(reviewer)
    submitted = lic.licence_create(user=build.yijiao, data=_licence_data(), submit=True)
    approved = build.licence()
    entry = build.blacklist(build.record(9))
    client = _signed_in(reviewer)
    cases = [
        (f"/workspace/publicity/licences/{submitted.pk}/return/", "退回理由：不能包含空字符"),
        (f"/workspace/publicity/licences/{approved.pk}/revoke/", "撤销理由：不能包含空字符"),
        (f"/workspace/publicity/black-list/{entry.pk}/remove/", "移出原因：不能包含空字符"),
    ]
    for url, message in cases:
        response = client.post(url, {"reason": "理由\x00"}, follow=True)
        assert response.status_code == 200, url
        assert message in response.content.decode(), url
    assert LicenceDecision.objects.get(pk=submitted.pk).status == LicenceStatus.SUBMITTED
    assert LicenceDecision.objects.get(pk=approved.pk).status == LicenceStatus.APPROVED
    assert BlackListEntry.objects.get(pk=entry.pk).status != BlackListStatus.REMOVED
    client.post(f"/workspace/publicity/licences/{submitted.pk}/return/", {"reason": "请补充许可依据"})
    assert LicenceDecision.objects.get(pk=submitted.pk).decision_reason == "请补充许可依据"


def test_account_form_refuses_an_office_number_beyond_any_database_integer(db):
    """The admin's offices selector took a 25-digit value straight into ``pk IN (…)``: SQLite's driver raised
    OverflowError (a 500); now the field names the value as no valid choice and no account is made."""
    from accounts.models import User

    client = _signed_in(UserFactory(username="secadmin", role=Role.SECADMIN))
    data = {
        "username": "new_clerk",
        "password1": "Qz!8vN2#kLp7wR",
        "password2": "Qz!8vN2#kLp7wR",
        "role": Role.CLERK,
        "offices": ["9" * 25],
    }
    for value in ["9" * 25, "²", "٣", "-1"]:
        response = client.post("/admin/accounts/user/add/", {**data, "offices": [value]})
        assert response.status_code == 200, value
        assert "请更正下面的错误" in response.content.decode() or "请更正以下错误" in response.content.decode()
    response = client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 200
    assert "请更正下面的错误" in response.content.decode() or "请更正以下错误" in response.content.decode()
    assert not User.objects.filter(username="new_clerk").exists()
