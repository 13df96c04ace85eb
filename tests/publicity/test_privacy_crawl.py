"""The privacy scan: crawl every public page, feed and open-data response (JSON and CSV) over data with natural-person
penalties, red-list workers, natural-person licences and black-list entries; no full ID number may appear anywhere,
the masked form must, and natural persons' phones and addresses never do."""

import io
import re
from urllib.parse import urljoin, urlsplit

import pytest

from credit.demo import person_id
from credit.validators import mask_cn_id
from publicity.services.requests import objection_file
from tests.typed import typed

pytestmark = pytest.mark.django_db

# A full resident ID number: 18 characters (region, YYYYMMDD, sequence, check) or the old 15-digit form (YYMMDD).
FULL_ID = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
HREF = re.compile(r"""(?:href|action)="([^"#]+)""")
OPEN_DATA = [
    f"/api/v1/public/{s}{suffix}"
    for s in ("licences", "penalties", "red-list", "black-list")
    for suffix in ("/", ".csv", ".xlsx")
]


def _crawl(client, seeds: list[str], limit: int = 400) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(seeds)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if (
            url in seen
            or not url.startswith("/")
            or url.startswith(
                ("/workspace", "/admin", "/accounts", "/static", "/display/")  # /display/: the text-size switch (POST)
            )
        ):
            continue
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/pdf"):
            # Organisations' credit reports (compressed PDF text; no natural person has one: tests/vetting).
            continue
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            # The open-data workbooks: every cell's text is checked like a page's.
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            seen[url] = "\n".join(
                "\t".join(str(c) for c in row if c is not None) for row in book.active.iter_rows(values_only=True)
            )
            continue
        text = body.decode("utf-8")
        seen[url] = text
        if "html" in response.get("Content-Type", ""):
            for href in HREF.findall(text):
                href = href.replace("&amp;", "&")
                parts = urlsplit(urljoin(url, href))
                if not parts.netloc:
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_no_full_id_number_anywhere_public(build, client):
    teacher = build.penalty(8)
    school = build.penalty(2)
    worker = build.red(7)
    build.red(6)
    natural_licence = build.licence(name="李丽华", natural_id=person_id(77, female=True))
    org_licence = build.licence(name="南昌市启航培训学校")
    black = build.blacklist(build.record(9))
    fraud = build.record(10)  # 失信 with a contact phone and address: not public unless listed
    build.blacklist(fraud)
    for no in (1, 3, 4, 5):
        build.record(no)
    req = objection_file(target=teacher, applicant_name="王晓明", applicant_contact="13807910000", content="有误")

    full_ids = {
        typed(teacher.record).id_number,
        typed(worker.record).id_number,
        natural_licence.xdr_zjhm,
        org_licence.fr_zjhm,
        typed(black.records.get()).doc_number,
    }
    masked = {mask_cn_id(i) for i in full_ids if i != org_licence.fr_zjhm}
    private = {typed(fraud).contact_phone, "13807910000", typed(school.record).address}

    seeds = [
        "/",
        "/search/?q=南昌",
        f"/search/?q={teacher.subject_name}",
        f"/search/?q={worker.subject_name}",
        "/search/?q=李丽华",
        f"/track/{req.tracking_code}/",
        "/open-data/",
        "/feed/rss/",
        "/feed/atom/",
        f"/org/{school.public_code}/",
        *OPEN_DATA,
    ]
    pages = _crawl(client, seeds)
    assert len(pages) > 25
    everything = "\n".join(pages.values())
    for url, text in pages.items():
        found = FULL_ID.findall(text)
        assert not found, f"full ID number {found} on {url}"
        for secret in full_ids | private:
            assert secret not in text, f"{secret} on {url}"
    for m in masked:
        assert m in everything, m
    for url in OPEN_DATA:
        assert url in pages
    # The masked form is in the open data too, JSON and CSV.
    assert mask_cn_id(typed(teacher.record).id_number) in pages["/api/v1/public/penalties/"]
    assert mask_cn_id(typed(worker.record).id_number) in pages["/api/v1/public/red-list.csv"]


def test_no_public_page_per_natural_person(build, client):
    pub = build.penalty(8)
    full = typed(pub.record).id_number
    assert client.get(f"/org/{full}/").status_code == 404
    assert client.get(f"/org/{pub.public_code}/").status_code == 404
    assert client.get("/search/", {"q": full}).content.decode().count(pub.subject_name + "</a>") == 0


def test_scan_regex_catches_ids_and_spares_credit_codes():
    from credit.demo import credit_code

    assert FULL_ID.search(f"x {person_id(3)} y")
    assert FULL_ID.search("证件 360102850101123 号")
    assert not FULL_ID.search(mask_cn_id(person_id(3)))
    assert not any(FULL_ID.search(credit_code(i)) for i in range(200))
