"""A record's identity is its issuing body, document number and subject, whichever department
sends it (issue §3: never lose or double a row; DOMAIN.md §5: CF_CFJG/CF_CFJGDM name the body,
CF_SJLY/CF_SJLYDM the sender). A recorded decision is never overwritten by a row that says
something else about it: that row is quarantined, and the department told to go through the
correction procedure (R6, R8)."""

import datetime as dt

import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_uscc
from xinyong.catalog import selectors, services
from xinyong.catalog.models import CreditRecord, PublicationRule, RecordFormat
from xinyong.core import clock
from xinyong.portal.double_publicity import REGISTERS, public_records

pytestmark = pytest.mark.django_db
D = dt.date
AUTHORITY_CODE = make_uscc(1, authority="1", org_type="1")
OTHER_BODY_CODE = make_uscc(2, authority="1", org_type="1")


@pytest.fixture
def scjg():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture
def data_bureau():
    """A unit that forwards other bodies' decisions: the data source, not the issuing body."""
    return DepartmentFactory(code="hz-sjj", name="杭州市数据资源管理局")


@pytest.fixture(autouse=True)
def items():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                       provider=None)  # fmt: skip


def run(tmp_path, department, rows, *, today, kind="penalties", name=None):
    fields = samples.PENALTY_FIELDS if kind == "penalties" else samples.LICENCE_FIELDS
    name = name or f"{department.code}-{today:%m%d}-{len(list(tmp_path.iterdir()))}.csv"
    path = samples.write_csv(tmp_path / name, fields, rows)
    with clock.frozen(today):
        return services.import_file(actor="test", kind=kind, path=path, department=department)


def reasons(job):
    return {
        r.row_number: (r.outcome, [p["code"] for p in r.reasons]) for r in job.report_rows.all()
    }


def forwarded(n, **changes):
    """Penalty ``n`` as the data bureau forwards it: the same decision, its own source columns
    and note, the body's name abridged (its code says which body it is)."""
    forwarding = {
        "CF_SJLY": "杭州市数据资源管理局", "CF_SJLYDM": make_uscc(9, authority="1", org_type="1"),
        "BZ": "由数据资源管理局汇聚", "CF_CFJG": "杭州市市场监管局",
    }  # fmt: skip
    return samples.penalty(n, **{**forwarding, **changes})


def test_one_decision_sent_by_two_departments_is_recorded_published_and_counted_once(
    tmp_path, scjg, data_bureau
):
    first = run(tmp_path, scjg, [samples.penalty(1), samples.penalty(2)], today=D(2026, 11, 5))
    assert first.inserted == 2
    second = run(tmp_path, data_bureau, [forwarded(1), forwarded(3)], today=D(2026, 11, 6))

    assert (second.rows_done, second.accepted, second.quarantined) == (2, 2, 0)
    assert (second.inserted, second.already_recorded) == (1, 1)
    assert reasons(second) == {1: ("recorded", ["recorded-by-another-department"])}
    said = second.report_rows.get().reasons[0]["message"]
    assert samples.AUTHORITY in said and "未重复入库" in said
    assert ("already_recorded[recorded-by-another-department]", 1) in services.describe(second)
    assert CreditRecord.objects.filter(document_number=samples.penalty(1)["CF_WSH"]).count() == 1
    with clock.frozen(D(2026, 11, 6)):
        shown = list(public_records(REGISTERS["penalties"], D(2026, 11, 6)))
    assert sorted(r.document_number for r in shown) == sorted(
        samples.penalty(n)["CF_WSH"] for n in (1, 2, 3)
    )
    counted = {row["department"]: row["total"] for row in selectors.timeliness()}
    assert counted == {"hz-scjg": 2, "hz-sjj": 1}  # timeliness stays with the sender


def test_without_a_code_the_body_is_known_by_its_name_as_typed(tmp_path, scjg, data_bureau):
    run(tmp_path, scjg, [samples.penalty(1, CF_CFJGDM="")], today=D(2026, 11, 5))
    spaced = forwarded(1, CF_CFJGDM="", CF_CFJG="杭州市 市场监督管理局\u3000")
    job = run(tmp_path, data_bureau, [spaced], today=D(2026, 11, 6))
    assert (job.inserted, job.already_recorded, job.quarantined) == (0, 1, 0)
    assert CreditRecord.objects.count() == 1


def test_another_bodys_decision_under_the_same_number_is_a_record_of_its_own(tmp_path, scjg):
    """The same document number and subject from two bodies are two decisions."""
    rows = [samples.penalty(1), samples.penalty(1, CF_CFJG="杭州市生态环境局",
                                                 CF_CFJGDM=OTHER_BODY_CODE)]  # fmt: skip
    job = run(tmp_path, scjg, rows, today=D(2026, 11, 5))
    assert (job.inserted, job.quarantined) == (2, 0)
    assert set(CreditRecord.objects.values_list("issuing_body_key", flat=True)) == {
        AUTHORITY_CODE, OTHER_BODY_CODE,
    }  # fmt: skip


def test_a_row_in_the_same_file_twice_is_still_a_duplicate_row(tmp_path, scjg):
    job = run(tmp_path, scjg, [samples.penalty(1), forwarded(1)], today=D(2026, 11, 5))
    assert (job.inserted, job.quarantined) == (1, 1)
    assert reasons(job) == {2: ("quarantined", ["duplicate-in-file"])}


def test_the_same_decision_exported_again_with_other_bookkeeping_is_already_recorded(
    tmp_path, scjg
):
    run(tmp_path, scjg, [samples.penalty(1)], today=D(2026, 11, 5))
    again = samples.penalty(1, BZ="重新推送", CF_SJLY="杭州市市场监督管理局信息中心")
    job = run(tmp_path, scjg, [again], today=D(2026, 11, 6))
    assert (job.inserted, job.already_recorded, job.quarantined) == (0, 1, 0)
    assert reasons(job) == {}  # its own decision sent again: nothing to say


@pytest.mark.parametrize(
    "changes",
    [
        {"CF_CFLB": "吊销许可证件", "CF_NR": "吊销食品经营许可证", "CF_JDRQ": "2026-11-03"},
        {"CF_NR_FK": "2"},
    ],
    ids=["another-penalty-and-date", "another-fine"],
)
@pytest.mark.parametrize("sender", ["same", "other"])
def test_a_recorded_decision_sent_with_other_content_is_quarantined_not_overwritten(
    tmp_path, scjg, data_bureau, changes, sender
):
    run(tmp_path, scjg, [samples.penalty(1)], today=D(2026, 11, 5))
    before = CreditRecord.objects.get()
    department = scjg if sender == "same" else data_bureau
    job = run(tmp_path, department, [samples.penalty(1, **changes), samples.penalty(2)],
              today=D(2026, 11, 6))  # fmt: skip

    assert (job.rows_done, job.accepted, job.quarantined) == (2, 1, 1)
    assert (job.inserted, job.already_recorded) == (1, 0)
    assert job.quarantined_by_reason == {"recorded-decision-differs": 1}
    assert reasons(job) == {1: ("quarantined", ["recorded-decision-differs"])}
    said = job.report_rows.get().reasons[0]["message"]
    assert "异议" in said and "更正" in said and samples.AUTHORITY in said
    after = CreditRecord.objects.get(document_number=before.document_number)
    assert (after.pk, after.tier, after.decision_date, after.publication_ends_on) == (
        before.pk, before.tier, before.decision_date, before.publication_ends_on,
    )  # fmt: skip
    assert after.content == before.content


@pytest.mark.parametrize(
    "changes", [{"XK_YXQZI": "2027-11-01"}, {"XK_ZT": "0"}], ids=["earlier-end", "marked-invalid"]
)
def test_a_licence_sent_again_ending_earlier_or_invalid_is_quarantined(tmp_path, scjg, changes):
    run(tmp_path, scjg, [samples.licence(1)], today=D(2026, 11, 5), kind="licences")
    before = CreditRecord.objects.get()
    job = run(tmp_path, scjg, [samples.licence(1, **changes)], today=D(2026, 11, 6),
              kind="licences")  # fmt: skip
    assert (job.inserted, job.already_recorded, job.quarantined) == (0, 0, 1)
    assert reasons(job) == {1: ("quarantined", ["recorded-decision-differs"])}
    after = CreditRecord.objects.get()
    assert (after.publication_ends_on, after.content) == (
        before.publication_ends_on,
        before.content,
    )


def test_a_differing_row_resumed_after_a_kill_is_counted_once(tmp_path, scjg):
    """A chunk committed again adds its report row once (``ReportRow`` is unique per row)."""
    run(tmp_path, scjg, [samples.penalty(1)], today=D(2026, 11, 5))
    rows = [samples.penalty(1, CF_NR_FK="3"), *[samples.penalty(n) for n in range(2, 5)]]
    path = samples.write_csv(tmp_path / "r.csv", samples.PENALTY_FIELDS, rows)

    class Stop(Exception):
        pass

    def stop(job, position):
        raise Stop

    with clock.frozen(D(2026, 11, 6)), pytest.raises(Stop):
        services.import_file(actor="test", kind="penalties", path=path, department=scjg,
                             chunk_rows=2, on_progress=stop)  # fmt: skip
    with clock.frozen(D(2026, 11, 6)):
        job = services.import_file(actor="test", kind="penalties", path=path, department=scjg,
                                   chunk_rows=2)  # fmt: skip
    assert (job.rows_done, job.accepted, job.quarantined, job.inserted) == (4, 3, 1, 3)
    assert job.quarantined_by_reason == {"recorded-decision-differs": 1}


def test_the_same_file_sent_again_tells_each_row_as_before_and_stores_on_its_own_day(
    tmp_path, scjg, data_bureau
):
    """Sent again after rows were quarantined, a file is checked as a new job (R9, R13): a row
    repeating another of the file is still a duplicate in the file, not a row saying otherwise
    than the record its first job stored; a row saying otherwise than another department's
    record is quarantined again; a decision that department recorded first is said so; a row
    refused for a missing tier rule goes in once the rule is set, public from the day it is
    stored (R9, R15; issue §3-4)."""
    PublicationRule.objects.filter(catalog_item=None, tier="serious").delete()
    run(tmp_path, data_bureau, [forwarded(1), forwarded(4)], today=D(2026, 11, 5))
    rows = [
        samples.penalty(1, CF_NR_FK="3"),  # otherwise than the bureau's record
        samples.penalty(2),
        samples.penalty(2, CF_NR_FK="5"),  # row 2 again, saying otherwise
        samples.penalty(4),  # the bureau's record
        samples.penalty(5, CF_CFLB="吊销许可证件"),  # serious: no tier rule yet
    ]
    path = samples.write_csv(tmp_path / "again.csv", samples.PENALTY_FIELDS, rows)

    def send(today):
        with clock.frozen(today):
            return services.import_file(actor="test", kind="penalties", path=path,
                                        department=scjg)  # fmt: skip

    told = {
        1: ("quarantined", ["recorded-decision-differs"]),
        3: ("quarantined", ["duplicate-in-file"]),
        4: ("recorded", ["recorded-by-another-department"]),
    }
    first = send(D(2026, 11, 6))
    assert first.quarantined_by_reason == {
        "duplicate-in-file": 1, "recorded-decision-differs": 1, "tier-rule-missing": 1,
    }  # fmt: skip
    assert reasons(first) == {**told, 5: ("quarantined", ["tier-rule-missing"])}
    PublicationRule.objects.create(catalog_item=None, tier="serious", is_published=True,
                                   months_min=12, months_max=36)  # fmt: skip

    again = send(D(2026, 11, 10))
    assert again.pk != first.pk
    assert (again.rows_done, again.accepted, again.quarantined) == (5, 3, 2)
    assert (again.inserted, again.already_recorded) == (1, 2)
    assert again.quarantined_by_reason == {"duplicate-in-file": 1, "recorded-decision-differs": 1}
    assert reasons(again) == told
    stored = CreditRecord.objects.get(import_job=again)
    assert stored.document_number == samples.penalty(5)["CF_WSH"]
    assert stored.published_on == D(2026, 11, 10)
    assert again.last_collected_on == D(2026, 11, 10)
    assert CreditRecord.objects.count() == 4
