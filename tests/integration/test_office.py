"""The officer's worklist and entry page: what needs me, the timeline, the actions allowed now."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
    meeting_fields,
    meeting_of,
)
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import QueryRegistration
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import EntryState, ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def signer_client(client, black_list):
    client.force_login(
        OfficerFactory(department=black_list.recognizing_department, signer=True).user
    )
    return client


def test_pages_need_a_login(client):
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"].startswith("/office/login/")


def test_the_worklist_orders_by_deadline_and_flags_it(signer_client, black_list):
    def objected(name, due):
        ListEntryFactory(list=black_list, state=EntryState.UNDER_VERIFICATION,
                         verification_due_on=due, subject__name=name)  # fmt: skip

    objected("后到期公司", D(2026, 11, 30))
    objected("三日内到期公司", D(2026, 11, 25))
    objected("已逾期公司", D(2026, 11, 20))
    ListEntryFactory(list=black_list, awaiting_signature=True, subject__name="待签发公司")
    ListEntryFactory(subject__name="别的部门公司", awaiting_signature=True)  # another department
    with clock.frozen(D(2026, 11, 23)):
        html = signer_client.get("/office/").content.decode()
    order = ["已逾期公司", "三日内到期公司", "后到期公司", "待签发公司"]
    assert [html.index(name) for name in order] == sorted(html.index(name) for name in order)
    assert "别的部门公司" not in html
    rows = {
        name: html[html.rindex("<tr", 0, html.index(name)) : html.index(name)] for name in order
    }
    assert 'class="overdue"' in rows["已逾期公司"]
    assert 'class="due-soon"' in rows["三日内到期公司"]
    assert 'class=""' in rows["后到期公司"]


def test_the_entry_page_shows_the_allowed_actions(signer_client, black_list):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    html = signer_client.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-action="sign"' in html
    assert 'data-action="exit"' not in html
    assert "签发决定" in html


@pytest.mark.parametrize(
    ("traits", "shown"),
    [({}, "<dd>—</dd>"), ({"in_publicity": True}, "<dd>2026-09-21 — 2026-10-26</dd>")],
)
def test_an_entry_without_publicity_shows_one_dash_for_it(signer_client, black_list, traits, shown):
    entry = ListEntryFactory(list=black_list, **traits)
    html = signer_client.get(f"/office/entries/{entry.pk}/").content.decode()
    assert f"<dt>公示期</dt>{shown}" in html


def test_signing_from_the_page(signer_client, black_list):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        response = signer_client.post(
            f"/office/entries/{entry.pk}/sign/",
            {"version": entry.version, "decision_document_number": "黑〔2026〕8号"},
            follow=True,
        )
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    html = response.content.decode()
    assert "已办理" in html
    # The decision document, as issued, is on the page to print or send (R1).
    assert "列入决定书" in html and "黑〔2026〕8号" in html and "救济途径" in html


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_signing_from_the_page_needs_the_decision_document_number(signer_client, black_list, typed):
    """The decision carries the number the department gave it (R1): none typed, the form says
    so and nothing is signed."""
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    data = {"version": entry.version}
    if typed is not None:
        data["decision_document_number"] = typed
    with clock.frozen(D(2026, 10, 27)):
        response = signer_client.post(f"/office/entries/{entry.pk}/sign/", data)
    assert response.status_code == 422
    assert "请填写认定文书号。" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.state, entry.decision_document_number) == (EntryState.AWAITING_SIGNATURE, "")


def test_a_typed_decision_document_number_is_kept_without_its_spaces(signer_client, black_list):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        signer_client.post(
            f"/office/entries/{entry.pk}/sign/",
            {"version": entry.version, "decision_document_number": "  黑〔2026〕7号 "},
        )
    entry.refresh_from_db()
    assert (entry.state, entry.decision_document_number) == (
        EntryState.EFFECTIVE, "黑〔2026〕7号",
    )  # fmt: skip


def test_a_refusal_shows_its_message_and_changes_nothing(signer_client, black_list):
    entry = ListEntryFactory(list=black_list, in_publicity=True)
    with clock.frozen(D(2026, 10, 1)):
        response = signer_client.post(
            f"/office/entries/{entry.pk}/sign/", {"version": entry.version}, follow=True
        )
    html = response.content.decode()
    assert "当前状态（公示中）下不能执行该操作" in html
    assert "transition-not-allowed" not in html  # the Chinese message only, not the code
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_PUBLICITY


def test_another_departments_entry_is_not_found(client, black_list):
    client.force_login(OfficerFactory().user)
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    assert client.get(f"/office/entries/{entry.pk}/").status_code == 404


def test_forms_need_the_csrf_token(black_list):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    entry = ListEntryFactory(list=black_list)
    response = client.post(f"/office/entries/{entry.pk}/notify/", {"version": entry.version})
    assert response.status_code == 403


def test_the_worklist_masks_a_person_and_registers_nothing(signer_client, black_list):
    """The worklist is shown at every log-in: a person on it is masked, so that showing it is
    no look-up (R14); the entry's page shows the person and is registered."""
    entry = ListEntryFactory(list=black_list, subject__natural_person=True,
                             subject__name="欧阳娜娜")  # fmt: skip
    html = signer_client.get("/office/").content.decode()
    assert "欧阳某" in html and "欧阳娜娜" not in html
    assert not QueryRegistration.objects.exists()
    assert "欧阳娜娜" in signer_client.get(f"/office/entries/{entry.pk}/").content.decode()
    assert QueryRegistration.objects.count() == 1


def test_an_objection_to_an_effective_entry_is_on_the_worklist(signer_client, black_list):
    ListEntryFactory(list=black_list, effective=True, verification_due_on=D(2026, 11, 24),
                     subject__name="异议中公司")  # fmt: skip
    ListEntryFactory(list=black_list, effective=True, subject__name="无异议公司")
    with clock.frozen(D(2026, 11, 23)):
        html = signer_client.get("/office/").content.decode()
    assert "异议中公司" in html and "无异议公司" not in html


@pytest.mark.parametrize(
    ("reviewer", "lands_on"), [(False, "/office/"), (True, "/office/queries/")]
)
def test_a_log_in_with_no_page_asked_for_lands_where_the_role_works(reviewer, lands_on):
    from django.contrib.auth.models import Group
    from django.test import Client

    from tests.factories import DepartmentFactory

    if reviewer:
        officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
        officer.user.groups.add(Group.objects.get_or_create(name="credit_reviewer")[0])
    else:
        officer = OfficerFactory()
    client = Client()
    answer = client.post(
        "/office/login/", {"username": officer.user.username, "password": "correct horse battery"}
    )
    assert answer.status_code == 302
    landed = client.get(answer["Location"])
    assert (landed.status_code, landed["Location"]) == (302, lands_on)


@pytest.mark.parametrize(
    ("reviewer", "lands_on"), [(False, "/office/"), (True, "/office/queries/")]
)
def test_a_log_in_asked_for_the_back_office_address_lands_where_the_role_works(reviewer, lands_on):
    """/office/ is the address every officer is given; a reviewer, who has no worklist, is not
    sent from the log-in to a refusal."""
    from django.contrib.auth.models import Group

    from tests.factories import DepartmentFactory

    if reviewer:
        officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
        officer.user.groups.add(Group.objects.get_or_create(name="credit_reviewer")[0])
    else:
        officer = OfficerFactory()
    client = Client()
    asked = client.get("/office/")
    assert asked["Location"] == "/office/login/?next=/office/"
    answer = client.post(
        "/office/login/?next=/office/",
        {"username": officer.user.username, "password": "correct horse battery",
         "next": "/office/"},
    )  # fmt: skip
    landed = client.get(answer["Location"], follow=True)
    assert landed.status_code == 200
    assert landed.wsgi_request.path == lands_on
    assert client.get(lands_on).status_code == 200


@pytest.fixture
def officer_client(client, black_list):
    """An officer of the list's department who cannot sign."""
    client.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    return client


def test_only_actions_that_can_succeed_are_offered(officer_client, black_list):
    """No signing for an officer who cannot sign, no verification with no objection open, and
    only the exit reasons the entry could end for today (R1, R4, R6)."""
    waiting = ListEntryFactory(list=black_list, awaiting_signature=True)
    html = officer_client.get(f"/office/entries/{waiting.pk}/").content.decode()
    assert 'data-action="sign"' not in html and 'data-action="reject"' in html
    effective = ListEntryFactory(list=black_list, effective=True, valid_until=D(2027, 6, 30))
    with clock.frozen(D(2026, 11, 23)):
        html = officer_client.get(f"/office/entries/{effective.pk}/").content.decode()
    assert 'data-action="uphold"' not in html and 'data-action="object"' in html
    exit_form = html[html.index('data-action="exit"') :]
    assert 'value="corrected"' in exit_form and 'value="repaired"' in exit_form
    assert 'value="expired"' not in exit_form and 'value="requested"' not in exit_form
    with clock.frozen(D(2027, 7, 1)):
        html = officer_client.get(f"/office/entries/{effective.pk}/").content.decode()
    assert 'value="expired"' in html[html.index('data-action="exit"') :]


def test_an_entry_cannot_be_exited_as_expired_before_its_validity_ends(officer_client, black_list):
    """Posted anyway: refused, nothing changes, no announcement (R4)."""
    entry = ListEntryFactory(list=black_list, effective=True, valid_until=D(2027, 6, 30))
    with clock.frozen(D(2026, 11, 23)):
        response = officer_client.post(
            f"/office/entries/{entry.pk}/exit/", {"version": entry.version, "reason": "expired"}
        )
    assert response.status_code == 422
    entry.refresh_from_db()
    assert (entry.state, entry.announcements.count()) == (EntryState.EFFECTIVE, 0)


def test_a_red_entry_is_never_ended_as_blacklisted_by_hand(officer_client, black_list):
    """Not offered, and refused when posted anyway: the reason comes only from the platform's
    cross-check when a black entry of the subject takes effect (R2, R4)."""
    red_list = ListDefinitionFactory(
        kind=ListKind.RED, recognizing_department=black_list.recognizing_department
    )
    entry = ListEntryFactory(list=red_list, effective=True)
    html = officer_client.get(f"/office/entries/{entry.pk}/").content.decode()
    exit_form = html[html.index('data-action="exit"') :]
    assert 'value="requested"' in exit_form and 'value="blacklisted"' not in exit_form
    response = officer_client.post(
        f"/office/entries/{entry.pk}/exit/", {"version": entry.version, "reason": "blacklisted"}
    )
    assert response.status_code == 422
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.announcements.count()) == (
        EntryState.EFFECTIVE, "", 0,
    )  # fmt: skip


@pytest.mark.parametrize("version_seen", ["stale", "current"])
def test_after_a_refusal_the_page_shows_the_entry_as_it_is_now(
    officer_client, black_list, version_seen
):
    """Two officers notify the subject at once: the one who lost is told why, and the page
    shows the entry as it is now — its timeline, and only the actions allowed now (R1)."""
    entry = ListEntryFactory(list=black_list)
    other = OfficerFactory(department=black_list.recognizing_department).user
    seen = entry.version
    services.notify_subject(entry.pk, actor=other, version=seen, **meeting_of(entry.pk))
    version = seen if version_seen == "stale" else seen + 1
    response = officer_client.post(
        f"/office/entries/{entry.pk}/notify/", {"version": version, **meeting_fields(entry.pk)}
    )
    assert response.status_code == 409
    html = response.content.decode()
    refusals = {"stale": "该记录已被他人办理", "current": "当前状态（已告知）下不能执行该操作"}
    assert refusals[version_seen] in html
    assert 'data-action="notify"' not in html
    assert 'data-action="start_publicity"' in html and 'data-action="withdraw"' in html
    assert 'data-state="notified"' in html
    timeline = html[html.index('class="timeline"') :]
    assert "告知当事人" in timeline


def test_a_form_sent_for_an_action_no_longer_possible_says_so(officer_client, black_list):
    """A withdrawal typed with no reason, sent after the entry took effect: the page says why
    the action is no longer possible rather than offer its form again."""
    entry = ListEntryFactory(list=black_list, effective=True)
    response = officer_client.post(
        f"/office/entries/{entry.pk}/withdraw/", {"version": entry.version, "reason": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "当前状态（生效）下不能执行该操作：撤回" in html
    assert 'data-action="withdraw"' not in html and 'data-action="exit"' in html


def test_a_form_with_a_mistake_comes_back_as_typed_naming_the_field(officer_client, black_list):
    """The objector left blank: the grounds typed are kept, the error is on its field."""
    entry = ListEntryFactory(list=black_list, effective=True)
    response = officer_client.post(
        f"/office/entries/{entry.pk}/object/",
        {"version": entry.version, "objector": "  ", "grounds": "处罚决定已被撤销，附复议决定书"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "处罚决定已被撤销，附复议决定书" in html
    objector = html[html.index('name="objector"') - 600 : html.index('name="objector"')]
    assert "这个字段是必填项" in objector
    entry.refresh_from_db()
    assert entry.verification_due_on is None


def test_a_refusal_by_the_service_keeps_the_form_and_says_why(signer_client, black_list):
    """A red-list candidate found on a black list at signing (R2): the reason is shown with the
    typed document number, as signing is still what the page offers."""
    red_list = ListDefinitionFactory(
        kind=ListKind.RED, recognizing_department=black_list.recognizing_department
    )
    entry = ListEntryFactory(list=red_list, awaiting_signature=True)
    ListEntryFactory(subject=entry.subject, effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 10, 27)):
        response = signer_client.post(
            f"/office/entries/{entry.pk}/sign/",
            {"version": entry.version, "decision_document_number": "红〔2026〕9号"},
        )
    assert response.status_code == 409
    html = response.content.decode()
    assert "该主体在严重失信主体名单中，不能列入红名单" in html and "红〔2026〕9号" in html
    assert "red-candidate-blacklisted" not in html


def test_a_signature_refused_while_the_publicity_runs_offers_no_signing(signer_client, black_list):
    """Signed before the publicity ends (R1): the reason is shown, and the page offers only
    what is allowed now, which is not signing."""
    entry = ListEntryFactory(
        list=black_list, awaiting_signature=True, publicity_ends_on=D(2026, 10, 26)
    )
    with clock.frozen(D(2026, 10, 26)):
        response = signer_client.post(
            f"/office/entries/{entry.pk}/sign/",
            {"version": entry.version, "decision_document_number": "黑〔2026〕9号"},
        )
    assert response.status_code == 409
    html = response.content.decode()
    assert "公示期未满（截止于 2026-10-26）" in html and "publicity-not-ended" not in html
    assert 'data-action="sign"' not in html and 'data-action="reject"' in html


@pytest.mark.parametrize("url", ["/office/login/", "/login/"])
def test_a_failed_log_in_keeps_the_user_name_typed(client, url):
    response = client.post(url, {"username": "scjg_officer", "password": "wrong"})
    html = response.content.decode()
    assert 'value="scjg_officer"' in html
    assert 'value="wrong"' not in html  # the password is never sent back


def test_a_form_refused_for_a_version_conflict_comes_back_ready_to_send_again(
    officer_client, black_list
):
    """Someone else acted in between: the typed form comes back with the current version."""
    entry = ListEntryFactory(list=black_list, effective=True)
    stale = entry.version
    ListEntry.objects.filter(pk=entry.pk).update(version=stale + 1)
    data = {"version": stale, "objector": "当事人", "grounds": "事实有误"}
    with clock.frozen(D(2026, 11, 23)):
        refused = officer_client.post(f"/office/entries/{entry.pk}/object/", data)
        assert refused.status_code == 409
        html = refused.content.decode()
        form = html[html.index('data-action="object"') :]
        form = form[: form.index("</form>")]
        assert f'value="{stale + 1}"' in form and "事实有误" in form
        assert "该记录已被他人办理，请刷新后重试</p>" in html
        again = officer_client.post(
            f"/office/entries/{entry.pk}/object/", {**data, "version": stale + 1}
        )
    assert again.status_code == 302


def test_a_subject_refused_in_the_back_office_sees_no_office_menu():
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=SubjectFactory())
    client = Client()
    client.force_login(user)
    page = client.get("/office/joint/")
    assert page.status_code == 403
    assert '<p class="message error" data-code="access-denied"' in page.content.decode()
    assert "当前角色无权使用此功能</p>" in page.content.decode()
    assert "/office/joint/" not in page.content.decode().split("<main>")[0]


@pytest.mark.parametrize("path", ["/office/entries/99999/", "/office/imports/999/"])
def test_a_missing_back_office_page_stays_in_the_back_office(officer_client, path):
    """Not the public portal's page, with its links for the public and for subjects."""
    missing = officer_client.get(path)
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "页面不存在" in html and 'href="/office/home/"' in html
    assert 'class="site-header office"' in html and 'href="/my/"' not in html


def test_a_path_under_the_back_office_that_names_no_page_shows_the_roles_menu():
    from django.contrib.auth.models import Group

    from tests.factories import DepartmentFactory

    officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
    officer.user.groups.add(Group.objects.get_or_create(name="credit_reviewer")[0])
    client = Client()
    client.force_login(officer.user)
    html = client.get("/office/no-such-page/").content.decode()
    assert "页面不存在" in html and 'href="/office/queries/"' in html
    assert 'href="/office/"' not in html  # the worklist is not the reviewer's


def test_a_missing_public_page_is_still_the_portals(client):
    html = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in html and 'class="site-header office"' not in html


@pytest.mark.parametrize("asked", ["", "/office/", "/office/home/"])
def test_a_subject_logging_in_to_the_back_office_lands_on_its_own_record(asked):
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=SubjectFactory())
    client = Client()
    answer = client.post(
        "/office/login/" + (f"?next={asked}" if asked else ""),
        {"username": user.username, "password": "correct horse battery"},
    )
    assert (answer.status_code, answer["Location"]) == (302, "/my/")
    assert client.get("/my/").status_code == 200


def test_the_platforms_own_steps_are_shown_as_the_systems_in_chinese(officer_client, black_list):
    """The end of publicity is a step the platform takes itself: the timeline names it so in
    Chinese, not by the internal actor ``system``; an officer's step keeps the officer's name."""
    from xinyong.listings.tick import run_tick

    entry = ListEntryFactory(list=black_list, in_publicity=True)
    with clock.frozen(D(2026, 10, 27)):
        run_tick(D(2026, 10, 27))
    assert ListEntry.objects.get(pk=entry.pk).state == EntryState.AWAITING_SIGNATURE
    html = officer_client.get(f"/office/entries/{entry.pk}/").content.decode()
    timeline = html[html.index('class="timeline"') :]
    assert "公示期满" in timeline
    assert "· 系统自动" in timeline and "system" not in timeline


def test_the_timeline_names_officers_as_colleagues_know_them(black_list):
    """An officer's step shows their name and department, the account kept in the title; an
    actor that is no officer's account shows as recorded; the platform's own steps as such."""
    officer = OfficerFactory(
        department=black_list.recognizing_department, user__username="wang_hr",
        user__last_name="王", user__first_name="浩然",
    )  # fmt: skip
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(D(2026, 10, 13)):
        services.record_objection(entry.pk, actor=officer.user, objector="当事人", grounds="有误")
    entry.events.create(action="recount", to_state="effective", business_date=D(2026, 10, 14),
                        actor="system")  # fmt: skip
    entry.events.create(action="recount", to_state="effective", business_date=D(2026, 10, 15),
                        actor="importer-batch")  # fmt: skip
    client = Client()
    client.force_login(officer.user)
    with clock.frozen(D(2026, 10, 16)):
        html = client.get(f"/office/entries/{entry.pk}/").content.decode()
    department = black_list.recognizing_department.name
    assert f'<span data-field="actor" title="wang_hr">王浩然（{department}）</span>' in html
    assert '<span data-field="actor" title="importer-batch">importer-batch</span>' in html
    assert "系统自动" in html


def test_the_timeline_names_a_departments_system_and_a_subjects_own_account(black_list):
    """A step a department's system took through its token reads as that department's
    system; an objection a subject sent from its own account reads as the subject's."""
    from xinyong.api.tokens import system_account
    from xinyong.remedies import services as remedies

    department = black_list.recognizing_department
    entry = ListEntryFactory(list=black_list, effective=True)
    account = UserFactory(username="zhuti_online")
    SubjectAccount.objects.create(user=account, subject=entry.subject)
    with clock.frozen(D(2026, 10, 13)):
        remedies.object_to_entry(entry.pk, actor=account, grounds="处罚决定已被撤销")
        services.uphold_after_verification(
            entry.pk, actor=system_account(department), finding="经核实，列入依据充分"
        )
    officer = OfficerFactory(department=department)
    client = Client()
    client.force_login(officer.user)
    with clock.frozen(D(2026, 10, 16)):
        html = client.get(f"/office/entries/{entry.pk}/").content.decode()
    system = f"system:{department.code}"
    assert f'title="{system}">{department.name}（系统接口）</span>' in html
    assert f'title="zhuti_online">{entry.subject.name}（本人账号）</span>' in html


def _account(role: str):
    """An account acting in ``role`` (R14: the role comes from the department and groups)."""
    from django.contrib.auth.models import Group

    from tests.factories import DepartmentFactory

    if role == "subject":
        user = UserFactory()
        SubjectAccount.objects.create(user=user, subject=SubjectFactory())
        return user
    if role in ("credit_admin", "credit_reviewer"):
        officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
        officer.user.groups.add(Group.objects.get_or_create(name=role)[0])
        return officer.user
    return OfficerFactory(signer=role == "signing_officer").user


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("recognizing_officer", True),
        ("signing_officer", True),
        ("credit_admin", True),
        ("credit_reviewer", False),
        ("subject", False),
    ],
)
def test_the_menu_links_the_reports_for_the_roles_that_decide_them(role, shown):
    """Reports on red-list entries (R7) are in the menu of exactly the roles the access matrix
    lets open their list: a link is never shown to someone the page would refuse (R14)."""
    from xinyong.access import matrix
    from xinyong.access.roles import Role, role_of

    user = _account(role)
    assert role_of(user) is Role(role)
    cell = matrix.load().cell("office:reports:list", "GET", Role(role))
    assert cell is not None and cell.lets_through is shown
    client = Client()
    client.force_login(user)
    page = client.get("/office/home/", follow=True)
    menu = page.content.decode().split("<main>")[0]
    assert ('href="/office/reports/"' in menu) is shown
    if shown:
        assert "红名单举报</a>" in menu
        assert client.get("/office/reports/").status_code == 200
