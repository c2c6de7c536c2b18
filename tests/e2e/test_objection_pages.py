"""A credit subject objects online to its own entry and reads the result, in a real browser
(R6: object with evidence, verified within 20 days, the result and remedies told)."""

import pytest

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.listings import services
from xinyong.listings.models import EntryState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n%%EOF\n"


def test_a_subject_objects_with_evidence_and_reads_the_result(
    live_server, page, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    me = SubjectFactory(name="杭州某某科技有限公司")
    definition = ListDefinitionFactory(name="食品安全严重失信主体名单")
    entry = ListEntryFactory(subject=me, list=definition, in_publicity=True)
    SubjectAccount.objects.create(user=UserFactory(username="zhuti"), subject=me)
    evidence = tmp_path / "撤销决定书.pdf"
    evidence.write_bytes(PDF)
    wrong = tmp_path / "说明.txt"
    wrong.write_text("不是证据格式")

    page.goto(live_server.url + "/login/?next=/my/")
    page.fill("#id_username", "zhuti")
    page.fill("#id_password", "correct horse battery")
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/my/")
    page.click(f"#entry-{entry.pk} [data-action=object]")
    page.wait_for_url(f"{live_server.url}/my/entries/{entry.pk}/objection/")

    # A file of a kind not taken is refused with a message, and nothing is recorded.
    page.fill("textarea[name=grounds]", "该行政处罚决定已被复议机关撤销")
    page.set_input_files("input[name=files]", [str(evidence), str(wrong)])
    page.click("main button[type=submit]")
    assert "只接受 PDF、JPG、PNG" in page.locator("[data-error=files]").inner_text()

    page.fill("textarea[name=grounds]", "该行政处罚决定已被复议机关撤销")
    page.set_input_files("input[name=files]", [str(evidence)])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/my/#entry-{entry.pk}")
    entry.refresh_from_db()
    assert entry.state == EntryState.UNDER_VERIFICATION
    due = page.locator(f"#entry-{entry.pk} [data-field=verification-due]").inner_text()
    assert entry.verification_due_on.isoformat() in due
    assert page.locator(f"#entry-{entry.pk} [data-action=object]").count() == 0

    with page.expect_download() as download:
        page.click(f"#entry-{entry.pk} [data-evidence]")
    assert download.value.suggested_filename == "撤销决定书.pdf"
    assert download.value.path().read_bytes() == PDF

    officer = OfficerFactory(department=definition.recognizing_department).user
    services.reject_listing(entry.pk, actor=officer, finding="处罚决定已被撤销，不予列入")
    page.reload()
    result = page.locator(f"#entry-{entry.pk} [data-field=objection-result]").inner_text()
    assert "异议成立" in result and "不予列入食品安全严重失信主体名单" in result
    assert "书面致歉" in result and "救济途径" in result
