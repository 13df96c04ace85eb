"""Licensing decisions move through the one transition of every reviewed object: a wrong state is refused (409 in
the API's terms, a message naming the current state), a decision records who, when and why, and the history row
says which transition it was."""

import pytest

from core.api import exception_handler
from core.errors import StateError
from publicity.models import LicenceDecision, LicenceStatus
from publicity.services import licences as lic
from publicity.services.errors import PublicityError

_COPIED = ("xdr_mc", "xdr_lb", "xdr_shxym", "frdb", "fr_zjlx", "fr_zjhm", "xkws", "xklb", "nr", "xkjg", "xkjgdm")


def _draft_like(licence: LicenceDecision, clerk) -> LicenceDecision:
    data = {key: getattr(licence, key) for key in (*_COPIED, "lydw", "lydwdm")}
    data.update({key: getattr(licence, key).isoformat() for key in ("jdrq", "yxqz", "yxqzi")})
    return lic.licence_create(user=clerk, data={**data, "wsh": f"{licence.wsh}-2"})


def test_approving_an_approved_licence_is_refused_naming_its_state(build):
    licence = build.licence(publish=False)
    history_rows = licence.history.count()
    with pytest.raises(PublicityError) as caught:
        lic.licence_approve(licence=licence, user=build.reviewer)
    assert isinstance(caught.value, StateError)
    assert str(caught.value) == "操作未执行：当前状态为“已通过”，可能已被他人处理，请刷新页面。"
    assert exception_handler(caught.value, {}).status_code == 409
    assert licence.history.count() == history_rows  # nothing saved


def test_submission_is_no_decision_and_a_return_records_who_when_and_why(build, clerk_yijiao):
    draft = _draft_like(build.licence(publish=False), clerk_yijiao)
    submitted = lic.licence_submit(licence=draft, user=clerk_yijiao)
    submitted.refresh_from_db()
    assert submitted.status == LicenceStatus.SUBMITTED and submitted.submitted_at is not None
    assert submitted.decided_by is None and submitted.decided_at is None

    lic.licence_return(licence=submitted, user=build.reviewer, reason="请补充许可内容")
    returned = LicenceDecision.objects.get(pk=draft.pk)
    assert returned.status == LicenceStatus.RETURNED and returned.submitted_at == submitted.submitted_at
    assert returned.decided_by == build.reviewer and returned.decided_at is not None
    assert returned.decision_reason == "请补充许可内容"
    last = returned.history.latest("history_date")
    assert last.history_change_reason == "returned:请补充许可内容" and last.history_user == build.reviewer

    with pytest.raises(StateError, match="当前状态为“已退回”"):
        lic.licence_return(licence=returned, user=build.reviewer, reason="再次退回")
