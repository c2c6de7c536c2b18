"""A credit subject logs in at the portal and sees its own record, in a real browser (R14)."""

import pytest

from tests.factories import CreditRecordFactory, ListEntryFactory, SubjectFactory, UserFactory
from xinyong.access.models import SubjectAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_subject_logs_in_and_sees_only_itself(live_server, page):
    me = SubjectFactory(natural_person=True, name="许本人")
    other = SubjectFactory(natural_person=True, name="杨他人")
    for person in (me, other):
        ListEntryFactory(subject=person, in_publicity=True, facts=f"{person.name}的失信事实")
        CreditRecordFactory(subject=person, title=f"{person.name}的行政处罚")
    SubjectAccount.objects.create(user=UserFactory(username="xu"), subject=me)

    page.goto(live_server.url + "/my/")
    page.wait_for_url(live_server.url + "/login/?next=/my/")
    page.fill("#id_username", "xu")
    page.fill("#id_password", "correct horse battery")
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/my/")
    assert page.locator("[data-field=identifier]").inner_text() == me.reveal_identifier()
    html = page.content()
    assert "许本人的失信事实" in html and "许本人的行政处罚" in html
    assert "杨他人" not in html and other.reveal_identifier() not in html

    answer = page.goto(live_server.url + "/office/")
    assert answer.status == 403
    assert answer.headers["x-access-refused"] == "denied"
