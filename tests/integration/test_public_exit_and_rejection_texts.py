"""What the stored public texts say about an exit or a candidacy decided not to list: the site's
language whoever asked (R4, R5), nothing a hidden black listing would tell (R2, R5, 001 §三(二)),
and a candidacy that never took effect announced as not listed, not as a listing corrected
(001 §8, R6, 000 §十一.3)."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    CatalogItemFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from xinyong.api import tokens
from xinyong.catalog.models import Disclosure
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
Kind = Announcement.Kind
NEUTRAL = "不再符合守信激励条件"


def _red_entry_ended_by_black_listing(disclosure: str):
    """A subject in force on a red list is black-listed on a list kept under a catalog item
    with this disclosure: the cross-check ends its red entry (R2)."""
    black = ListDefinitionFactory(
        kind=ListKind.BLACK, catalog_item=CatalogItemFactory(disclosure=disclosure)
    )
    red_entry = ListEntryFactory(list=ListDefinitionFactory(kind=ListKind.RED), effective=True)
    black_entry = ListEntryFactory(list=black, subject=red_entry.subject, awaiting_signature=True)
    signer = OfficerFactory(department=black.recognizing_department, signer=True).user
    with clock.frozen(D(2026, 10, 28)):
        services.sign_decision(black_entry.pk, actor=signer)
    red_entry.refresh_from_db()
    return red_entry


@pytest.mark.parametrize("disclosure", [Disclosure.ON_REQUEST, Disclosure.NOT_PUBLIC])
def test_a_red_exit_does_not_tell_of_a_black_listing_that_is_not_public(disclosure):
    red_entry = _red_entry_ended_by_black_listing(disclosure)
    notice = red_entry.announcements.get(kind=Kind.EXIT)
    assert "严重失信" not in notice.body
    assert f"移出原因：{NEUTRAL}" in notice.body
    # The real reason stays in the back end: the entry and its history.
    assert red_entry.exit_reason == ExitReason.BLACKLISTED
    assert red_entry.events.get(action="exit").reason.startswith("列入")


def test_a_red_exit_names_a_public_black_listing():
    red_entry = _red_entry_ended_by_black_listing(Disclosure.PUBLIC)
    notice = red_entry.announcements.get(kind=Kind.EXIT)
    assert "移出原因：被列入严重失信主体名单" in notice.body


def test_the_stored_exit_announcement_is_in_the_sites_language_whatever_the_caller_reads():
    red = ListDefinitionFactory(kind=ListKind.RED)
    entry = ListEntryFactory(list=red, effective=True)
    user = OfficerFactory(department=red.recognizing_department).user
    token, _ = tokens.create_token(actor="test", user=user)
    client = Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    with clock.frozen(D(2026, 11, 23)):
        answer = client.post(
            f"/api/v1/listings/entries/{entry.pk}/exit",
            {"reason": "requested", "version": entry.version},
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.content
    body = entry.announcements.get(kind=Kind.EXIT).body
    assert "移出原因：主体申请退出" in body
    assert "Requested" not in body


def test_a_candidacy_the_meeting_decides_not_to_list_is_announced_as_not_listed():
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    entry = ListEntryFactory(list=black, awaiting_signature=True)
    officer = OfficerFactory(department=black.recognizing_department).user
    with clock.frozen(D(2026, 10, 28)):
        services.reject_listing(entry.pk, actor=officer, finding="经集体讨论决定不予列入")
    notice = entry.announcements.get(kind=Kind.CORRECTION)
    assert notice.title == f"关于不予列入{black.name}的公告"
    assert "经审议，决定不予列入" in notice.body
    assert "认定有误" not in notice.body and "恢复其名誉" not in notice.body


def test_a_candidacy_found_wrong_on_objection_is_announced_as_not_listed():
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    entry = ListEntryFactory(
        list=black, awaiting_signature=True, state=EntryState.UNDER_VERIFICATION,
        verification_due_on=D(2026, 11, 20),
    )  # fmt: skip
    officer = OfficerFactory(department=black.recognizing_department).user
    with clock.frozen(D(2026, 10, 28)):
        services.reject_listing(entry.pk, actor=officer, finding="处罚决定已被撤销")
    notice = entry.announcements.get(kind=Kind.CORRECTION)
    assert "异议成立，不予列入" in notice.body
    assert "认定有误" not in notice.body


def test_an_effective_listing_found_wrong_is_still_corrected_in_public():
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    entry = ListEntryFactory(list=black, effective=True)
    officer = OfficerFactory(department=black.recognizing_department).user
    with clock.frozen(D(2026, 11, 2)):
        services.exit_entry(
            entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="处罚决定已被撤销"
        )
    notice = entry.announcements.get(kind=Kind.CORRECTION)
    assert f"列入{black.name}的认定有误，现予更正，并恢复其名誉" in notice.body
