"""Typical cases of joint reward and punishment: chosen, masked, published, withdrawn (R11,
003 §七)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from tests.check_clients import check
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    LinkedPersonFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.races import race
from xinyong.access.roles import ADMIN_GROUP, REVIEWER_GROUP
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import CatalogItem, Disclosure
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services as listing
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListEntryPerson, ListKind
from xinyong.measures import services, typical_cases
from xinyong.measures.models import CheckFeedback, TypicalCase, TypicalCaseState

pytestmark = pytest.mark.django_db
D = dt.date
PERSON_ID = "110105194912310021"


def credit_office(group: str):
    officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
    officer.user.groups.add(Group.objects.get_or_create(name=group)[0])
    return officer.user


@pytest.fixture
def admin():
    return credit_office(ADMIN_GROUP)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reported(api, subject, *, applied=True, measure="bar-procurement") -> CheckFeedback:
    body = check(api, subject=subject.reveal_identifier(), scenario="government_procurement")
    answer = api.post(
        f"/api/v1/checks/{body.json()['check_id']}/feedback",
        {"business_reference": f"ZFCG-{CheckFeedback.objects.count() + 1}",
         "measures": [{"measure": measure, "applied": applied,
                       "reason": "" if applied else "名额已满"}]},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    return CheckFeedback.objects.get(pk=answer.json()["id"])


def published_portal(api, admin, company) -> str:
    """A case drafted from a check of ``company`` reported on 2026-11-02, published on 11-20:
    the portal's /cases/ page as a visitor reads it then."""
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, company)
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="t", summary="s")
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
        return Client().get("/cases/").content.decode()


@pytest.fixture
def case(api, measures):
    """A company barred from a procurement; its legal representative is 王小明."""
    company = SubjectFactory(name="杭州某某建材有限公司")
    LinkedPersonFactory(organisation=company, person__name="王小明")
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=company)
    with clock.frozen(D(2026, 11, 2)):
        return reported(api, company)


def test_the_words_are_kept_masked_and_the_whole_life_is_audited(case, admin):
    """The legal representative's name and a citizen ID typed in the summary are masked when
    saved (R5); each step leaves one audit row; a withdrawal keeps the case, off the portal."""
    summary = f"法定代表人王小明（身份证{PERSON_ID}）所在企业被限制参加政府采购。"
    title = "某建材公司被限制参加政府采购"
    drafted = services.draft_typical_case(
        actor=admin, feedback_id=case.pk, title=title, summary=summary
    )
    assert "王小明" not in drafted.summary and "王某" in drafted.summary
    assert PERSON_ID not in drafted.summary and "110105********0021" in drafted.summary
    assert Client().get("/cases/").content.decode().count("typical-case") == 0
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=drafted.pk, action="publish")
    page = Client().get("/cases/").content.decode()
    assert "某建材公司被限制参加政府采购" in page and "2026-11-20" in page
    assert "王小明" not in page and PERSON_ID not in page
    assert "限制参加政府采购" in page  # the measure applied, with its basis
    with clock.frozen(D(2026, 11, 25)):
        services.act_on_typical_case(actor=admin, case_id=drafted.pk, action="withdraw",
                                     reason="名单经复核撤销")  # fmt: skip
    withdrawn = TypicalCase.objects.get()
    assert (withdrawn.state, withdrawn.withdrawn_on) == (
        TypicalCaseState.WITHDRAWN,
        D(2026, 11, 25),
    )
    assert "某建材公司" not in Client().get("/cases/").content.decode()
    actions = list(
        AuditEntry.objects.filter(object_type="measures.typicalcase").values_list(
            "action", flat=True
        )
    )
    assert actions == ["typical_case.drafted", "typical_case.publish", "typical_case.withdraw"]


def test_a_person_subjects_name_is_masked_in_the_words(api, measures, admin):
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=person)
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, person, measure="bar-representative")
    drafted = services.draft_typical_case(
        actor=admin, feedback_id=feedback.pk, title="欧阳娜娜案", summary="欧阳娜娜被限制。"
    )
    assert (drafted.title, drafted.summary) == ("欧阳某案", "欧阳某被限制。")


def test_a_given_name_written_alone_is_masked_too(api, measures, admin):
    """王慧薇 written as 慧薇女士 or 慧薇 is still the person (R5); the portal shows it masked."""
    person = SubjectFactory(natural_person=True, name="王慧薇")
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=person)
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, person, measure="bar-representative")
    drafted = services.draft_typical_case(
        actor=admin, feedback_id=feedback.pk, title="慧薇女士被限制担任法定代表人",
        summary="王慧薇名下企业申请变更登记时，慧薇被告知其受限。",
    )  # fmt: skip
    assert drafted.title == "某女士被限制担任法定代表人"
    assert drafted.summary == "王某名下企业申请变更登记时，某被告知其受限。"
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=drafted.pk, action="publish")
        page = Client().get("/cases/").content.decode()
    assert "某女士被限制担任法定代表人" in page and "慧薇" not in page


@pytest.mark.parametrize(
    ("state", "action"),
    [("published", "publish"), ("published", "edit"), ("withdrawn", "publish"),
     ("withdrawn", "withdraw")],
)  # fmt: skip
def test_the_transition_table_refuses_what_it_does_not_allow(case, admin, state, action):
    drafted = services.draft_typical_case(actor=admin, feedback_id=case.pk, title="t", summary="s")
    TypicalCase.objects.filter(pk=drafted.pk).update(state=state)
    with pytest.raises(XinyongError) as refused:
        services.act_on_typical_case(actor=admin, case_id=drafted.pk, action=action,
                                     title="t", summary="s", reason="r")  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("typical-case-action-not-allowed", 409)
    assert TypicalCase.objects.get().state == state


def test_only_a_case_may_be_typical_and_only_once(api, measures, case, admin):
    barred = ListEntryFactory(effective=True, list__kind=ListKind.BLACK).subject
    not_applied = reported(api, barred, applied=False)
    with pytest.raises(XinyongError) as refused:
        services.draft_typical_case(actor=admin, feedback_id=not_applied.pk, title="t", summary="s")
    assert refused.value.code == "case-not-found"
    services.draft_typical_case(actor=admin, feedback_id=case.pk, title="t", summary="s")
    with pytest.raises(XinyongError) as again:
        services.draft_typical_case(actor=admin, feedback_id=case.pk, title="t", summary="s")
    assert again.value.code == "typical-case-exists"
    with pytest.raises(XinyongError) as blank:
        services.act_on_typical_case(actor=admin, case_id=TypicalCase.objects.get().pk,
                                     action="withdraw", reason="  ")  # fmt: skip
    assert blank.value.code == "withdrawal-reason-required"


def test_only_the_credit_offices_administrators_write_them(case):
    reviewer = credit_office(REVIEWER_GROUP)
    with pytest.raises(XinyongError) as refused:
        services.draft_typical_case(actor=reviewer, feedback_id=case.pk, title="t", summary="s")
    assert refused.value.status == 403
    page = logged_in(reviewer).post(f"/office/joint/cases/{case.pk}/",
                                    {"action": "draft", "title": "t", "summary": "s"})  # fmt: skip
    assert page.status_code == 403 and not TypicalCase.objects.exists()


def test_the_office_pages_choose_publish_and_withdraw(case, admin):
    client = logged_in(admin)
    with clock.frozen(D(2026, 11, 20)):
        listing = client.get("/office/joint/cases/").content.decode()
        assert f'data-feedback="{case.pk}"' in listing and "杭州某某建材有限公司" in listing
        blank = client.post(f"/office/joint/cases/{case.pk}/", {"action": "draft", "title": ""})
        assert blank.status_code == 422 and not TypicalCase.objects.exists()
        words = {"action": "draft", "title": "典型", "summary": "王小明所在企业"}
        made = client.post(f"/office/joint/cases/{case.pk}/", words)
        assert made.status_code == 302
        assert TypicalCase.objects.get().summary == "王某所在企业"
        unread = client.post(f"/office/joint/cases/{case.pk}/", {"action": "publish"})
        assert unread.status_code == 422 and "请先阅读" in unread.content.decode()
        assert TypicalCase.objects.get().published_on is None
        read = {"action": "publish", "checked": "on"}
        client.post(f"/office/joint/cases/{case.pk}/", read)
        assert TypicalCase.objects.get().published_on == D(2026, 11, 20)
        twice = client.post(f"/office/joint/cases/{case.pk}/", read)
        assert twice.status_code == 409 and "不能发布" in twice.content.decode()
        unexplained = client.post(f"/office/joint/cases/{case.pk}/", {"action": "withdraw"})
        assert unexplained.status_code == 422
        client.post(f"/office/joint/cases/{case.pk}/", {"action": "withdraw", "reason": "复核"})
    assert TypicalCase.objects.get().state == TypicalCaseState.WITHDRAWN
    page = client.get(f"/office/joint/cases/{case.pk}/").content.decode()
    assert 'data-state="withdrawn"' in page and "复核" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_two_administrators_publishing_at_once_publish_once(case):
    first, second = credit_office(ADMIN_GROUP), credit_office(ADMIN_GROUP)
    drafted = services.draft_typical_case(actor=first, feedback_id=case.pk, title="t", summary="s")
    outcomes = race(
        lambda: services.act_on_typical_case(actor=first, case_id=drafted.pk, action="publish"),
        lambda: services.act_on_typical_case(actor=second, case_id=drafted.pk, action="publish"),
    )
    assert sorted(outcomes) == ["ok", "typical-case-action-not-allowed"]
    assert AuditEntry.objects.filter(action="typical_case.publish").count() == 1


assert connection  # the skip condition above reads it by name


def test_a_case_leaves_the_portal_with_its_entry_and_is_not_published_under_objection(
    api, measures, admin
):
    """R4, R8: an entry that exits is no longer public, and neither is a case resting on it;
    R6: while an objection is verified the case cannot be published."""
    company = SubjectFactory(name="某某物流有限公司")
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=company)
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, company)
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="物流公司案",
                                       summary="s")  # fmt: skip
    ListEntry.objects.filter(pk=entry.pk).update(verification_due_on=D(2026, 12, 1))
    with clock.frozen(D(2026, 11, 20)), pytest.raises(XinyongError) as refused:
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
    assert (refused.value.code, refused.value.status) == ("typical-case-not-standing", 409)
    ListEntry.objects.filter(pk=entry.pk).update(verification_due_on=None)
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
        assert "物流公司案" in Client().get("/cases/").content.decode()
    ListEntry.objects.filter(pk=entry.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.REPAIRED, exited_on=D(2026, 11, 21)
    )
    with clock.frozen(D(2026, 11, 22)):
        assert "物流公司案" not in Client().get("/cases/").content.decode()
        page = logged_in(admin).get(f"/office/joint/cases/{feedback.pk}/").content.decode()
    assert "data-off-portal" in page
    assert TypicalCase.objects.get().state == TypicalCaseState.PUBLISHED  # kept in the back end


def test_the_portal_names_only_the_red_and_black_lists_behind_a_case(api, measures, admin):
    """Key-attention lists are not published (R5): a case names the black list only."""
    company = SubjectFactory()
    black = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, list__name="某严重失信名单",
                             subject=company)  # fmt: skip
    ListEntryFactory(effective=True, list__kind=ListKind.KEY_ATTENTION, list__name="某重点关注名单",
                     subject=company)  # fmt: skip
    measures["bar"].list_kinds = ["black", "key_attention"]
    measures["bar"].save()
    portal = published_portal(api, admin, company)
    assert black.list.name in portal and "某重点关注名单" not in portal


def test_mobile_numbers_are_masked_in_the_words(case, admin):
    summary = "联系电话13812345678，座机0571-12345678"
    drafted = services.draft_typical_case(
        actor=admin, feedback_id=case.pk, title="t", summary=summary
    )
    assert drafted.summary == "联系电话138****5678，座机0571-12345678"


def test_the_portal_shows_only_what_still_stands_behind_a_case(api, measures, procurement, admin):
    """A list whose entry was found wrong since, and a measure that followed only from a list
    the portal does not publish, are not shown with the case (R4, R5)."""
    watch = MeasureFactory(code="watch", name="提高抽查频次", list_kinds=["key_attention"],
                           targets=["organisation"], mandatory=False)  # fmt: skip
    watch.scenarios.add(procurement)
    company = SubjectFactory()
    kept = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, list__name="甲名单",
                            subject=company)  # fmt: skip
    wrong = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, list__name="乙名单",
                             subject=company)  # fmt: skip
    ListEntryFactory(effective=True, list__kind=ListKind.KEY_ATTENTION, list__name="丙名单",
                     subject=company)  # fmt: skip
    body = check(api, subject=company.reveal_identifier(), scenario="government_procurement")
    finance_user = (
        CheckFeedback._meta.get_field("check_record")
        .related_model.objects.get(pk=body.json()["check_id"])
        .user
    )
    with clock.frozen(D(2026, 11, 2)):
        feedback, _ = services.report_feedback(
            actor=finance_user, check_id=body.json()["check_id"], business_reference="Z-1",
            outcome="", measures=[services.ReportedMeasure("bar-procurement", True),
                                  services.ReportedMeasure("watch", True)],
        )  # fmt: skip
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="t", summary="s")
    ListEntry.objects.filter(pk=wrong.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.CORRECTED, exited_on=D(2026, 11, 10)
    )
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
        portal = Client().get("/cases/").content.decode()
    assert kept.list.name in portal
    assert "乙名单" not in portal and "丙名单" not in portal and "提高抽查频次" not in portal


def test_a_case_about_a_person_named_by_a_listed_organisation_says_so(api, measures, admin):
    """落实到人: the person is checked, the organisation is listed; the case must not read as if
    the person were on the list (R5)."""
    link = LinkedPersonFactory(organisation__name="浙江某某网络科技有限公司", person__name="曹明")
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=link.organisation)
    ListEntryPerson.objects.create(entry=entry, person=link.person, role=link.role)
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, link.person, measure="bar-representative")
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="t", summary="s")
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
        portal = Client().get("/cases/").content.decode()
    assert "曹某" in portal and "曹明" not in portal
    assert "浙江某某网络科技有限公司（法定代表人）" in portal


def test_old_ids_full_width_numbers_and_spaced_names_are_masked_too(api, measures, admin):
    person = SubjectFactory(natural_person=True, name="朱伟")
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=person)
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, person, measure="bar-representative")
    summary = "朱 伟（330112861130343，１３８１２３４５６７８）"
    drafted = services.draft_typical_case(
        actor=admin, feedback_id=feedback.pk, title="t", summary=summary
    )
    assert drafted.summary == "朱某（330112******343，138****5678）"


def test_a_case_of_lists_that_are_not_public_is_kept_not_published(api, measures, admin):
    measures["bar"].list_kinds = ["key_attention"]
    measures["bar"].save()
    entry = ListEntryFactory(effective=True, list__kind=ListKind.KEY_ATTENTION)
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, entry.subject)
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="t", summary="s")
    with pytest.raises(XinyongError) as refused:
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
    assert refused.value.code == "typical-case-not-public"
    page = logged_in(admin).get(f"/office/joint/cases/{feedback.pk}/").content.decode()
    assert "data-not-public" in page and 'value="publish"' not in page


def test_the_case_list_says_when_a_published_case_left_the_portal(case, admin):
    drafted = services.draft_typical_case(actor=admin, feedback_id=case.pk, title="t", summary="s")
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=drafted.pk, action="publish")
    ListEntry.objects.update(state=EntryState.EXITED, exit_reason=ExitReason.REPAIRED)
    with clock.frozen(D(2026, 11, 25)):
        listing = logged_in(admin).get("/office/joint/cases/").content.decode()
    assert "data-off-portal" in listing


def black_entry_under(disclosure: str, subject, list_name: str) -> ListEntry:
    """An effective black-list entry on a list kept under a catalog item of ``disclosure``."""
    return ListEntryFactory(
        effective=True, subject=subject, list__kind=ListKind.BLACK, list__name=list_name,
        list__catalog_item=CatalogItemFactory(disclosure=disclosure),
    )  # fmt: skip


@pytest.mark.parametrize("disclosure", [Disclosure.ON_REQUEST, Disclosure.NOT_PUBLIC])
def test_a_case_on_a_list_not_disclosed_to_the_public_is_kept_not_published(
    api, measures, admin, disclosure
):
    """R5, 001 §三(二): a list kept under a catalog item disclosed on request or not at all is
    not on /lists/, and its case is not on /cases/ either: it may be drafted and kept in the
    back end, it cannot be published, and nothing of it reaches the portal."""
    company = SubjectFactory(name="某某隐名建材有限公司")
    black_entry_under(disclosure, company, "某依申请公开失信名单")
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, company)
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="隐名案",
                                       summary="s")  # fmt: skip
    with clock.frozen(D(2026, 11, 20)), pytest.raises(XinyongError) as refused:
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
    assert (refused.value.code, refused.value.status) == ("typical-case-not-public", 409)
    assert TypicalCase.objects.get().state == TypicalCaseState.DRAFT
    with clock.frozen(D(2026, 11, 20)):
        office = logged_in(admin).get(f"/office/joint/cases/{feedback.pk}/").content.decode()
        listed = Client().get("/lists/black/").content.decode()
        portal = Client().get("/cases/").content.decode()
    assert "data-not-public" in office and 'value="publish"' not in office
    assert "某某隐名建材有限公司" not in listed
    for shown in ("隐名案", "某某隐名建材有限公司", "某依申请公开失信名单"):
        assert shown not in portal


def test_a_published_case_leaves_the_portal_when_its_lists_item_stops_being_public(
    api, measures, admin
):
    """The case is shown under a public catalog item, naming its list; once the item is
    disclosed only on request the list leaves /lists/ and the case leaves /cases/ with it,
    kept published in the back end (R5, 001 §三(二))."""
    company = SubjectFactory(name="某某公开建材有限公司")
    entry = black_entry_under(Disclosure.PUBLIC, company, "某公开失信名单")
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, company)
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="公开案",
                                       summary="s")  # fmt: skip
    with clock.frozen(D(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
        portal = Client().get("/cases/").content.decode()
    assert "公开案" in portal and "某公开失信名单" in portal
    CatalogItem.objects.filter(pk=entry.list.catalog_item_id).update(
        disclosure=Disclosure.ON_REQUEST
    )
    with clock.frozen(D(2026, 11, 22)):
        portal = Client().get("/cases/").content.decode()
        office = logged_in(admin).get(f"/office/joint/cases/{feedback.pk}/").content.decode()
    assert "公开案" not in portal and "某公开失信名单" not in portal
    assert "data-off-portal" in office
    assert TypicalCase.objects.get().state == TypicalCaseState.PUBLISHED


def test_a_case_names_only_its_lists_disclosed_to_the_public(api, measures, admin):
    """A case that followed from a public black list and from one kept under an item not
    public is published, naming the public list only (R5, 001 §三(二))."""
    company = SubjectFactory()
    black_entry_under(Disclosure.PUBLIC, company, "某公开失信名单")
    black_entry_under(Disclosure.NOT_PUBLIC, company, "某不公开失信名单")
    portal = published_portal(api, admin, company)
    assert "某公开失信名单" in portal and "某不公开失信名单" not in portal


def naming_objection(entry, person, day):
    """``person``'s objection to being named in ``entry``, registered on ``day``."""
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(day):
        listing.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="本人已辞职",
            named_as="法定代表人", person=person,
        )  # fmt: skip
    return officer


def test_a_case_about_a_named_person_leaves_the_portal_while_the_naming_is_disputed(
    api, measures, admin
):
    """落实到人: the case rests on the organisation's entry through the person's naming; the
    person's objection to being named disputes what the case tells of the person (R6, R11),
    and the naming found wrong (removed) takes the case off for good."""
    link = LinkedPersonFactory(organisation__name="浙江某某网络科技有限公司", person__name="曹明")
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=link.organisation)
    ListEntryPerson.objects.create(entry=entry, person=link.person, role=link.role)
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, link.person, measure="bar-representative")
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="曹某案",
                                       summary="s")  # fmt: skip
    with clock.frozen(D(2026, 11, 3)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
    assert typical_cases.stands(case, D(2026, 11, 3))
    officer = naming_objection(entry, link.person, D(2026, 11, 4))
    assert not typical_cases.stands(case, D(2026, 11, 5))
    with clock.frozen(D(2026, 11, 5)):
        assert "曹某案" not in Client().get("/cases/").content.decode()
        listing.uphold_after_verification(entry.pk, actor=officer, finding="辞职晚于违法行为")
    assert typical_cases.stands(case, D(2026, 11, 6))
    naming_objection(entry, link.person, D(2026, 11, 9))
    with clock.frozen(D(2026, 11, 10)):
        listing.remove_naming_after_verification(entry.pk, actor=officer, finding="已辞职")
    assert not typical_cases.stands(case, D(2026, 11, 11))
    assert typical_cases.standing_among([case.pk], D(2026, 11, 11)) == set()


def test_a_case_about_a_named_person_names_only_the_namings_not_disputed(api, measures, admin):
    """Named by two organisations' entries, the person objects to one naming: the case stands on
    the other, and the portal names that one's list only (R6, R11)."""
    person = SubjectFactory(natural_person=True, name="许本人")
    entries = [
        ListEntryFactory(effective=True, list__kind=ListKind.BLACK, list__name=name,
                         subject=SubjectFactory(name=f"{name}公司"))
        for name in ("甲名单", "乙名单")
    ]  # fmt: skip
    for entry in entries:
        ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    with clock.frozen(D(2026, 11, 2)):
        feedback = reported(api, person, measure="bar-representative")
    case = services.draft_typical_case(actor=admin, feedback_id=feedback.pk, title="t", summary="s")
    with clock.frozen(D(2026, 11, 3)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
    naming_objection(entries[0], person, D(2026, 11, 4))
    assert typical_cases.stands(case, D(2026, 11, 5))
    with clock.frozen(D(2026, 11, 5)):
        portal = Client().get("/cases/").content.decode()
    assert "乙名单" in portal and "甲名单" not in portal
