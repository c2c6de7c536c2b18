"""A report sent through a check that found the measure suspended, once the objection behind the
suspension is concluded (R6, R11): the suspension lasts only while the objection is verified
(002 §二十七: 联合惩戒措施在信息核实期间暂不执行), and a report is judged on the days the business
applied its measures, not on what the check found then. A day still under verification stays
refused; a day after the conclusion binds the mandatory measure like any other.
"""

import datetime as dt

import pytest

from tests.check_clients import check
from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import ListEntryPerson, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
OBJECTED, CHECKED, VERIFYING, UPHELD, TODAY = (
    D(2026, 11, 18), D(2026, 11, 20), D(2026, 11, 21), D(2026, 11, 23), D(2026, 11, 24),
)  # fmt: skip


def objects(entry, day, person=None):
    """The entry's own objection, or ``person``'s to being named in it, received on ``day``."""
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    named = {"named_as": "法定代表人", "person": person} if person is not None else {}
    objector = person.name if person is not None else entry.subject.name
    with clock.frozen(day):
        services.record_objection(
            entry.pk, actor=officer, objector=objector, grounds="证据不足", **named
        )


def upholds(entry, day, **which):
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(day):
        services.uphold_after_verification(entry.pk, actor=officer, finding="核实无误", **which)


def checked_suspended(api, subject) -> str:
    """The check on ``CHECKED``, which finds every measure suspended (R6)."""
    with clock.frozen(CHECKED):
        body = check(api, subject=subject.reveal_identifier(), scenario="government_procurement")
    assert body.json()["measures"], body.json()
    assert all(m["suspended"] for m in body.json()["measures"])
    return body.json()["check_id"]


def send(api, check_id, measure, start=None, applied=True, reference="GP-44"):
    """``measure`` reported applied from ``start`` (left out: the report's day), or not at all
    (``measure=None``), on ``TODAY``."""
    lines = []
    if measure is not None:
        line = {"measure": measure, "applied": applied, "reason": "" if applied else "未涉及"}
        if start is not None:
            line["start"] = start.isoformat()
        lines.append(line)
    with clock.frozen(TODAY):
        return api.post(
            f"/api/v1/checks/{check_id}/feedback",
            {"business_reference": reference, "measures": lines},
            content_type="application/json",
        )


@pytest.fixture
def objected(api, measures):
    """A black-listed company whose entry's objection, received on ``OBJECTED``, was verified
    when it was checked, and upheld (unfounded) on ``UPHELD``: (entry, the check's id)."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    objects(entry, OBJECTED)
    check_id = checked_suspended(api, entry.subject)
    upholds(entry, UPHELD)
    return entry, check_id


@pytest.mark.parametrize("start", [TODAY, UPHELD, None], ids=["today", "conclusion-day", "unsaid"])
def test_applied_after_the_conclusion_is_taken_through_the_earlier_check(api, objected, start):
    answer = send(api, objected[1], "bar-procurement", start)
    assert answer.status_code == 201, answer.json()


def test_the_mandatory_measure_binds_again_once_the_objection_is_concluded(api, objected):
    """Nothing is under verification on the report's day: the mandatory measure must be
    reported, applied or with the reason it was not (R11)."""
    answer = send(api, objected[1], None)
    assert (answer.status_code, answer.json()["code"]) == (422, "mandatory-measure-unreported")
    assert answer.json()["measures"] == ["bar-procurement"]
    assert send(api, objected[1], "bar-procurement", applied=False).status_code == 201


def test_a_day_still_under_verification_stays_refused(api, objected):
    answer = send(api, objected[1], "bar-procurement", VERIFYING)
    assert (answer.status_code, answer.json()["code"]) == (422, "measure-suspended-by-objection")


def test_a_correction_is_judged_on_its_days_after_the_conclusion(api, measures):
    """A report sent while the measure was suspended (nothing binding then) is corrected once the
    objection is concluded: the correction is judged on the first check, on its own days."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    objects(entry, OBJECTED)
    check_id = checked_suspended(api, entry.subject)
    with clock.frozen(VERIFYING):
        first = api.post(
            f"/api/v1/checks/{check_id}/feedback",
            {"business_reference": "GP-45", "measures": []},
            content_type="application/json",
        )
    assert first.status_code == 201, first.json()
    upholds(entry, UPHELD)
    with clock.frozen(TODAY):
        corrected = api.post(
            f"/api/v1/checks/{check_id}/feedback",
            {"business_reference": "GP-45", "applied_on": TODAY.isoformat(),
             "corrects": first.json()["id"], "correction_reason": "异议核实后恢复执行",
             "measures": [{"measure": "bar-procurement", "applied": True, "reason": ""}]},
            content_type="application/json",
        )  # fmt: skip
    assert corrected.status_code == 201, corrected.json()


# --- a person reached through an organisation's entry (落实到人, 004 §二(三)6) -------------------


@pytest.fixture
def named(measures):
    """(entry, person): an organisation's effective black entry naming the person as its legal
    representative, which brings ``bar-representative`` on the person, made mandatory here."""
    measures["bar_person"].mandatory = True
    measures["bar_person"].save()
    organisation = SubjectFactory(name="杭州某某科技有限公司")
    person = SubjectFactory(natural_person=True, name="许本人")
    entry = ListEntryFactory(subject=organisation, effective=True, list__kind=ListKind.BLACK)
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    return entry, person


@pytest.mark.parametrize("whose", ["person", "organisation"])
def test_the_objection_open_at_the_check_releases_the_naming_when_concluded(api, named, whose):
    """The check of the person found the measure suspended by one objection: the person's to
    being named, or the organisation's own. Its conclusion resumes the measure on the person:
    applied since is taken, and left unreported is refused; a day before it stays refused."""
    entry, person = named
    objects(entry, OBJECTED, person if whose == "person" else None)
    check_id = checked_suspended(api, person)
    upholds(
        entry, UPHELD, **({"person": person} if whose == "person" else {"entry_objection": True})
    )
    during = send(api, check_id, "bar-representative", VERIFYING, reference="GP-1")
    assert (during.status_code, during.json()["code"]) == (422, "measure-suspended-by-objection")
    unreported = send(api, check_id, None, reference="GP-2")
    assert unreported.json()["code"] == "mandatory-measure-unreported"
    for start, reference in ((UPHELD, "GP-3"), (TODAY, "GP-4")):
        answer = send(api, check_id, "bar-representative", start, reference=reference)
        assert answer.status_code == 201, answer.json()


def test_both_objections_open_at_the_check_hold_it_until_both_are_concluded(api, named):
    """Both open when the check was answered: the conclusion of one leaves the measure
    suspended while the other is verified, on the days between as today (R6)."""
    entry, person = named
    objects(entry, OBJECTED)
    objects(entry, D(2026, 11, 19), person)
    check_id = checked_suspended(api, person)
    upholds(entry, D(2026, 11, 22), entry_objection=True)
    between = send(api, check_id, "bar-representative", UPHELD, reference="GP-1")
    assert between.json()["code"] == "measure-suspended-by-objection"
    upholds(entry, TODAY, person=person)
    assert send(api, check_id, "bar-representative", UPHELD, reference="GP-2").json()["code"] == (
        "measure-suspended-by-objection"
    )
    assert send(api, check_id, "bar-representative", TODAY, reference="GP-3").status_code == 201


def test_a_naming_removed_on_the_persons_objection_brings_nothing_on_them_since(api, named):
    """The person checked while nothing was verified; then their objection to being named was
    found founded and the naming removed (004 §二(三)6, R6). From that day the entry reaches
    them no more: the measure is not reported unreported, nor taken as applied since."""
    entry, person = named
    with clock.frozen(CHECKED):
        body = check(api, subject=person.reveal_identifier(), scenario="government_procurement")
    assert [m["code"] for m in body.json()["measures"]] == ["bar-representative"]
    check_id = body.json()["check_id"]
    objects(entry, VERIFYING, person)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 22)):
        services.remove_naming_after_verification(
            entry.pk, actor=officer, finding="非法定代表人", person=person
        )
    assert send(api, check_id, None, reference="GP-1").status_code == 201
    applied = send(api, check_id, "bar-representative", TODAY, reference="GP-2")
    assert applied.status_code == 422, applied.json()
