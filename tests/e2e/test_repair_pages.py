"""A credit subject applies for credit repair and reads the result, in a real browser; the
department accepts it in the back office (R8, R4: early exit, announced)."""

import pytest

from tests.e2e.remedy_pages import PDF, accounts, log_in
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    SubjectFactory,
)
from xinyong.listings.models import EntryState, ExitReason

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_subject_applies_for_repair_the_department_accepts_and_the_subject_reads_it(
    live_server, browser, page, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    me = SubjectFactory(name="杭州某某科技有限公司")
    definition = ListDefinitionFactory(name="食品安全严重失信主体名单")
    entry = ListEntryFactory(subject=me, list=definition, effective=True)
    accounts(me, definition.recognizing_department)
    files = {}
    for name in ("缴款凭证.pdf", "信用承诺书.pdf"):
        files[name] = tmp_path / name
        files[name].write_bytes(PDF)

    log_in(page, live_server.url + "/login/?next=/my/", "zhuti", live_server.url + "/my/")
    page.click(f"#repair-entry-{entry.pk} [data-action=repair]")
    page.wait_for_url(f"{live_server.url}/my/entries/{entry.pk}/repair/")
    page.fill("textarea[name=corrected]", "已缴清全部罚款并完成整改")
    page.set_input_files("input[name=fulfilment]", [str(files["缴款凭证.pdf"])])
    page.set_input_files("input[name=commitment]", [str(files["信用承诺书.pdf"])])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/my/#repair-entry-{entry.pk}")
    status = page.locator(f"#repair-entry-{entry.pk} [data-field=repair-status]").inner_text()
    assert "办理部门正在审核" in status

    office = browser.new_context(locale="zh-CN").new_page()
    log_in(office, live_server.url + "/office/login/", "renyuan", live_server.url + "/office/")
    office.click("[data-link=repairs]")
    office.click("text=杭州某某科技有限公司")
    office.fill("textarea[name=reasons]", "已履行处罚决定，材料齐全，准予修复")
    office.click("button[value=accept]")
    office.wait_for_selector("[data-state=accepted]")
    office.context.close()

    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.REPAIRED)
    page.reload()
    result = page.locator(f"#repair-entry-{entry.pk} [data-field=repair-result]").inner_text()
    assert "准予修复" in result and "材料齐全" in result
    assert page.locator(f"[data-entry='{entry.pk}']").inner_text().count("信用修复") == 1
