"""In real Chromium: a reviewer meets an award blocked by the credit check (信用审查) in the review queue, reads the
subject's live penalty through its link, is refused without a reason, then approves with a reasoned override; a
visitor downloads an organisation's 信用报告 and verifies it (and an altered copy is refused)."""

import pytest

from accounts.roles import Role
from credit.catalog import ItemSpec
from credit.models import RecordStatus
from credit.registry import model_for_item
from tests.browser.test_workspace_flow import _ensure_catalog, login
from tests.factories import UserFactory, create_record
from tests.factories.publicity import PublicationFactory
from vetting.models import CheckOutcome, CreditCheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AWARD_ORG = next(i.no for i in ItemSpec.all() if i.is_recognition and not i.is_natural_person and i.publicity)
PENALTY_ORG = next(i.no for i in ItemSpec.all() if i.is_negative and i.penalty_columns and not i.is_natural_person)


def test_reviewer_reads_the_hits_and_overrides_with_a_reason(live_server, browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    _ensure_catalog()
    reviewer_user = UserFactory(username="reviewer", role=Role.REVIEWER, last_name="办公室审核员")
    penalty_id = PublicationFactory(no=PENALTY_ORG, seq=71, reviewer=reviewer_user).record_id
    penalty = model_for_item(PENALTY_ORG).objects.get(pk=penalty_id)
    award = create_record(AWARD_ORG, status="submitted", seq=72, org_code=penalty.org_code)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        login(page, base, "reviewer")
        page.goto(f"{base}/workspace/review/")
        expect(page.locator("main")).to_contain_text("信用审查：失信 1 条")
        page.goto(f"{base}/workspace/records/{award.pk}/")
        expect(page.locator("#credit-check")).to_contain_text(penalty.item.name)
        page.click(f"#credit-check a[href='/workspace/records/{penalty.pk}/']")
        expect(page.locator("main")).to_contain_text(penalty.org_name)

        page.goto(f"{base}/workspace/records/{award.pk}/")
        page.click("button[name=approve]")
        expect(page.locator("main")).to_contain_text("例外通过理由")
        assert model_for_item(AWARD_ORG).objects.get(pk=award.pk).status == RecordStatus.SUBMITTED

        page.fill("[name=credit_check_override]", "处罚已整改到位，经局务会研究同意授予。")
        page.click("button[name=approve]")
        expect(page.locator(".msg-success").first).to_contain_text("已审核通过")
        assert model_for_item(AWARD_ORG).objects.get(pk=award.pk).status == RecordStatus.APPROVED
        expect(page.locator("#credit-checks")).to_contain_text("处罚已整改到位")
        assert CreditCheck.objects.filter(record_id=award.pk, outcome=CheckOutcome.OVERRIDDEN).exists()
    finally:
        context.close()


def test_visitor_downloads_an_organisations_credit_report_and_verifies_it(live_server, browser, tmp_path):
    from playwright.sync_api import expect

    from vetting.models import CreditReport

    expect.set_options(timeout=20_000)
    _ensure_catalog()
    reviewer_user = UserFactory(username="reviewer", role=Role.REVIEWER)
    penalty_id = PublicationFactory(no=PENALTY_ORG, seq=73, reviewer=reviewer_user).record_id
    penalty = model_for_item(PENALTY_ORG).objects.get(pk=penalty_id)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{base}/org/{penalty.org_code}/")
        with page.expect_download() as download_info:
            page.click("#credit-report")
        saved = tmp_path / "report.pdf"
        download_info.value.save_as(saved)
        report = CreditReport.objects.get(subject_code=penalty.org_code)

        page.goto(f"{base}/credit-report/{report.number}/")
        expect(page.locator("#report-facts")).to_contain_text(report.sha256)
        page.set_input_files("#verify-form input[name=file]", str(saved))
        page.click("#verify-form button[type=submit]")
        expect(page.locator("#verdict")).to_contain_text("核验通过")

        altered = tmp_path / "altered.pdf"
        altered.write_bytes(saved.read_bytes() + b"\n% edited")
        page.set_input_files("#verify-form input[name=file]", str(altered))
        page.click("#verify-form button[type=submit]")
        expect(page.locator("#verdict")).to_contain_text("核验未通过")
    finally:
        context.close()
