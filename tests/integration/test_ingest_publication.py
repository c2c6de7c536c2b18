"""Publication windows of imported licences and penalties, and their end in the daily job
(R8 tiers, R9's 7 working days over the State Council calendar, R15)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from xinyong.audit.models import AuditEntry
from xinyong.catalog import selectors, services
from xinyong.catalog.models import (
    CreditRecord,
    Disclosure,
    PublicationRule,
    PublicationTier,
    RecordFormat,
)
from xinyong.catalog.receivers import recompute_publication_deadlines
from xinyong.catalog.tick import end_record_publication
from xinyong.core import clock

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg")


@pytest.fixture
def penalty_item():
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def run(tmp_path, department, rows, *, today, name="p.csv"):
    path = samples.write_csv(tmp_path / name, samples.PENALTY_FIELDS, rows)
    with clock.frozen(today):
        return services.import_file(actor="t", kind="penalties", path=path, department=department)


def record(number):
    return CreditRecord.objects.get(document_number=f"杭市监处罚〔2026〕{number}号")


@pytest.mark.parametrize(
    ("types", "tier", "published", "min_end", "end"),
    [
        ("警告", "minor", False, None, None),
        ("罚款", "general", True, D(2027, 2, 2), D(2027, 11, 2)),
        ("吊销许可证件", "serious", True, D(2027, 11, 2), D(2029, 11, 2)),
        ("警告；罚款、责令停产停业", "serious", True, D(2027, 11, 2), D(2029, 11, 2)),
        ("通报批评（情节轻微）", "minor", False, None, None),
        ("没收非法财物、违法所得", "general", True, D(2027, 2, 2), D(2027, 11, 2)),
        ("法律、行政法规规定的其他行政处罚", "general", True, D(2027, 2, 2), D(2027, 11, 2)),
        ("警告、没收非法财物、违法所得", "general", True, D(2027, 2, 2), D(2027, 11, 2)),
        ("没收非法财物、违法所得；吊销营业执照", "serious", True, D(2027, 11, 2), D(2029, 11, 2)),
    ],
)
def test_the_tier_of_a_decision_sets_its_window(
    tmp_path, department, penalty_item, types, tier, published, min_end, end
):
    """Minor: not published; general: 3 months to 1 year; serious: 1 to 3 years; several
    penalty types: the longest (R8). Counted from the decision, 2026-11-02."""
    run(tmp_path, department, [samples.penalty(1, CF_CFLB=types)], today=D(2026, 11, 5))
    r = record(1)
    assert (r.tier, r.is_serious) == (tier, tier == "serious")
    assert (r.published_on is not None, r.publication_min_ends_on, r.publication_ends_on) == (
        published, min_end, end,
    )  # fmt: skip
    assert r.sharing_ends_on == (end or D(2026, 11, 2))


@pytest.mark.parametrize(
    ("types", "unknown"),
    [("罚款、训诫", "训诫"), ("没收非法财物、违法所得、训诫", "训诫"),
     ("没收非法财物、所得", "所得")],
)  # fmt: skip
def test_a_penalty_type_not_in_the_table_is_named(
    tmp_path, department, penalty_item, types, unknown
):
    """A name that holds a separator is matched whole; whatever is left over is not guessed."""
    job = run(tmp_path, department, [samples.penalty(1, CF_CFLB=types)], today=D(2026, 11, 5))
    assert job.quarantined_by_reason == {"penalty-type-unknown": 1}
    (reason,) = job.report_rows.get().reasons
    assert f"处罚类别“{unknown}”" in reason["message"]


@pytest.mark.parametrize("disclosure", [Disclosure.NOT_PUBLIC, Disclosure.ON_REQUEST])
@pytest.mark.parametrize(
    ("types", "sharing_end", "min_end"),
    [
        ("警告", D(2026, 11, 2), None),
        ("罚款", D(2027, 11, 2), D(2027, 2, 2)),
        ("吊销许可证件", D(2029, 11, 2), D(2027, 11, 2)),
    ],
)
def test_an_item_that_is_not_public_shares_for_the_tiers_period(
    tmp_path, department, types, sharing_end, min_end, disclosure
):
    """Under an item that is never published, a penalty is shared for its tier's period, as
    under a public one: a minor penalty not past its decision day, not forever (R8). It keeps
    its tier's minimum too: repair only after the minimum, published or not."""
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None, disclosure=disclosure)  # fmt: skip
    run(tmp_path, department, [samples.penalty(1, CF_CFLB=types)], today=D(2026, 11, 5))
    r = record(1)
    assert (r.published_on, r.publication_ends_on, r.sharing_ends_on) == (None, None, sharing_end)
    assert r.publication_min_ends_on == min_end


def test_a_catalog_item_may_set_its_own_periods(tmp_path, department, penalty_item):
    PublicationRule.objects.create(
        catalog_item=penalty_item, tier=PublicationTier.GENERAL, months_min=6, months_max=24
    )
    run(tmp_path, department, [samples.penalty(1)], today=D(2026, 11, 5))
    assert (record(1).publication_min_ends_on, record(1).publication_ends_on) == (
        D(2027, 5, 2), D(2028, 11, 2),
    )  # fmt: skip


def item_rule(item, tier, months_min, months_max, *, published=True):
    return PublicationRule.objects.create(
        catalog_item=item, tier=tier, is_published=published, months_min=months_min,
        months_max=months_max,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("stated", "end"), [("", D(2028, 11, 2)), ("2028-06-30", D(2028, 6, 30))]
)  # fmt: skip
def test_several_types_take_the_longest_window_not_the_most_severe_tiers(
    tmp_path, department, penalty_item, stated, end
):
    """A decision with several penalty types takes the longest window (R8); under an item
    whose general rule (3 to 24 months) outlasts its serious one (12 to 18), a fine with a
    revoked licence is published for 24 months, while the record stays serious. A stated end
    is kept within that longest window, not cut to the serious tier's 18 months."""
    item_rule(penalty_item, PublicationTier.GENERAL, 3, 24)
    item_rule(penalty_item, PublicationTier.SERIOUS, 12, 18)
    row = samples.penalty(1, CF_CFLB="罚款；吊销许可证件", CF_GSJZQ=stated)
    run(tmp_path, department, [row], today=D(2026, 11, 5))
    r = record(1)
    assert (r.tier, r.is_serious) == ("serious", True)
    # The minimum: the latest of the tiers' minimums (serious: 12 months).
    assert (r.publication_min_ends_on, r.publication_ends_on, r.sharing_ends_on) == (
        D(2027, 11, 2), end, end,
    )  # fmt: skip


def test_a_published_tier_beside_one_shared_longer_publishes_and_shares_each_the_longest(
    tmp_path, department, penalty_item
):
    """Published if any of the tiers is; shared until the latest of their sharing ends, here a
    minor tier configured to be shared, unpublished, for five years."""
    item_rule(penalty_item, PublicationTier.MINOR, 0, 60, published=False)
    run(tmp_path, department, [samples.penalty(1, CF_CFLB="警告；罚款")], today=D(2026, 11, 5))
    r = record(1)
    assert (r.tier, r.published_on) == ("general", D(2026, 11, 5))
    assert (r.publication_min_ends_on, r.publication_ends_on, r.sharing_ends_on) == (
        D(2027, 2, 2), D(2027, 11, 2), D(2031, 11, 2),
    )  # fmt: skip


def test_under_an_item_never_published_several_types_are_shared_the_longest(tmp_path, department):
    item = CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None, disclosure=Disclosure.NOT_PUBLIC)  # fmt: skip
    item_rule(item, PublicationTier.GENERAL, 3, 24)
    item_rule(item, PublicationTier.SERIOUS, 12, 18)
    run(tmp_path, department, [samples.penalty(1, CF_CFLB="罚款；吊销许可证件")],
        today=D(2026, 11, 5))  # fmt: skip
    r = record(1)
    assert (r.published_on, r.publication_ends_on) == (None, None)
    assert (r.publication_min_ends_on, r.sharing_ends_on) == (D(2027, 11, 2), D(2028, 11, 2))


@pytest.mark.parametrize("types", ["吊销许可证件", "罚款；吊销许可证件"])
def test_a_tier_without_any_publication_rule_is_quarantined(
    tmp_path, department, penalty_item, types
):
    """With neither the item's rule nor the default one for a tier, a penalty of that tier has
    no window: refused, naming the item and the tier, never kept unpublished and shared for
    good (R8)."""
    PublicationRule.objects.filter(tier=PublicationTier.SERIOUS).delete()
    rows = [samples.penalty(1, CF_CFLB=types), samples.penalty(2, CF_CFLB="罚款")]
    job = run(tmp_path, department, rows, today=D(2026, 11, 5))
    assert (job.accepted, job.quarantined_by_reason) == (1, {"tier-rule-missing": 1})
    (reason,) = job.report_rows.get().reasons
    assert f"目录条目“{penalty_item.name}”" in reason["message"]
    assert "“严重”失信等级" in reason["message"]
    assert record(2).publication_ends_on == D(2027, 11, 2)


def test_an_items_own_rule_stands_in_for_a_missing_default(tmp_path, department, penalty_item):
    PublicationRule.objects.filter(tier=PublicationTier.SERIOUS).delete()
    item_rule(penalty_item, PublicationTier.SERIOUS, 12, 36)
    run(tmp_path, department, [samples.penalty(1, CF_CFLB="吊销许可证件")], today=D(2026, 11, 5))
    assert record(1).publication_ends_on == D(2029, 11, 2)


@pytest.mark.parametrize(
    ("stated", "end"),
    [("2027-06-30", D(2027, 6, 30)), ("2026-12-01", D(2027, 2, 2)), ("2030-01-01", D(2027, 11, 2))],
)
def test_a_stated_end_is_kept_within_the_tiers_bounds(
    tmp_path, department, penalty_item, stated, end
):
    run(tmp_path, department, [samples.penalty(1, CF_GSJZQ=stated)], today=D(2026, 11, 5))
    assert record(1).publication_ends_on == end


@pytest.mark.parametrize(
    ("decided", "collected", "due", "late"),
    [
        ("2026-11-02", D(2026, 11, 11), D(2026, 11, 11), 0),
        ("2026-11-02", D(2026, 11, 12), D(2026, 11, 11), 1),
        ("2026-09-28", D(2026, 10, 13), D(2026, 10, 13), 0),  # across National Day (R15)
        ("2026-09-28", D(2026, 11, 20), D(2026, 10, 13), 28),
    ],
)
def test_public_within_seven_working_days_or_flagged_late(
    tmp_path, department, penalty_item, decided, collected, due, late
):
    run(tmp_path, department, [samples.penalty(1, CF_JDRQ=decided)], today=collected)
    r = record(1)
    assert (r.publication_due_on, r.published_on, r.workdays_late) == (due, collected, late)


@pytest.mark.parametrize(
    ("decided", "collected", "late"),
    [
        # Due Friday 2026-11-13.
        ("2026-11-04", D(2026, 11, 13), 0),  # on the due day itself: on time
        ("2026-11-04", D(2026, 11, 14), 1),  # Saturday: as the next working day, Monday
        ("2026-11-04", D(2026, 11, 15), 1),  # Sunday
        ("2026-11-04", D(2026, 11, 16), 1),  # Monday
        ("2026-11-04", D(2026, 11, 17), 2),
        # Decided on a worked Sunday, due 2026-09-30, before National Day (10-01 to 10-07).
        ("2026-09-20", D(2026, 9, 30), 0),
        ("2026-09-20", D(2026, 10, 1), 1),
        ("2026-09-20", D(2026, 10, 7), 1),  # the holiday's last day: as 10-08
        ("2026-09-20", D(2026, 10, 8), 1),
        ("2026-09-20", D(2026, 10, 10), 3),  # a worked Saturday counts as itself
        ("2026-09-20", D(2026, 10, 11), 4),  # the Sunday after it: as Monday 10-12
    ],
)
def test_a_collection_on_a_rest_day_after_the_due_day_is_late(
    tmp_path, department, penalty_item, decided, collected, late
):
    """Late means collected after the due day; the working days late run to the collection,
    a rest day or holiday counting as the next working day (R9, R15)."""
    run(tmp_path, department, [samples.penalty(1, CF_JDRQ=decided)], today=collected)
    assert record(1).workdays_late == late
    [row] = selectors.timeliness(department)
    assert (row["on_time"], row["late"]) == ((1, 0) if late == 0 else (0, 1))


def test_timeliness_counts_a_rest_day_collection_late_whatever_was_stored(
    tmp_path, department, penalty_item
):
    """A record counted before the rule was fixed (0 days late, public the day after its due
    day) is late in the statistics all the same (R9)."""
    run(tmp_path, department, [samples.penalty(1, CF_JDRQ="2026-11-04")], today=D(2026, 11, 14))
    CreditRecord.objects.update(workdays_late=0)
    [row] = selectors.timeliness(department)
    assert (row["on_time"], row["late"]) == (0, 1)


def load_2027(tmp_path, rows="2027-01-01,holiday,元旦\n"):
    """2027's notice: New Year's Day by default."""
    notice = tmp_path / "2027.csv"
    notice.write_text("date,kind,name\n" + rows, encoding="utf-8")
    call_command("calendar", "load", str(notice), stdout=io.StringIO())


def test_a_deadline_counted_before_its_year_was_known_is_counted_again(
    tmp_path, department, penalty_item
):
    """Decided 2026-12-28 and collected on 2027-01-08 before 2027's notice: 7 working days end
    on 01-07 as far as is known (12-29, 12-30, 12-31; 01-01 is off by law; 01-04 to 01-07), so it
    came 1 day late. Should the notice also give Monday 01-04 off, a day the law does not fix,
    they end on 01-08, the day it was collected: on time (R9, R15). A decision far from 2027
    keeps its deadline, and its days late lose 01-04."""
    rows = [samples.penalty(1, CF_JDRQ="2026-12-28"), samples.penalty(2, CF_JDRQ="2026-06-01")]
    run(tmp_path, department, rows, today=D(2027, 1, 8))
    assert (record(1).publication_due_on, record(1).workdays_late) == (D(2027, 1, 7), 1)
    assert (record(2).publication_due_on, record(2).workdays_late) == (D(2026, 6, 10), 146)
    # R15: both rest on 2027's days off (December's due day, June's days late), estimated
    # until its notice is loaded; only December's outcome may change with it.
    months = {row["month"]: row["provisional"] for row in selectors.timeliness()}
    assert months == {"2026-12": True, "2026-06": False}
    with transaction.atomic():  # as a calendar load calls it
        assert recompute_publication_deadlines(None, years=[2026]) == 0  # nothing to change
    load_2027(tmp_path, "2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n")
    assert (record(1).publication_due_on, record(1).workdays_late) == (D(2027, 1, 8), 0)
    assert (record(2).publication_due_on, record(2).workdays_late) == (D(2026, 6, 10), 145)
    CreditRecord.objects.filter(pk=record(2).pk).update(
        publication_due_on=D(2026, 6, 1), workdays_late=99
    )  # as if counted on another calendar
    with transaction.atomic():
        assert recompute_publication_deadlines(None, years=[2026]) == 2  # its due, its lateness
    december = next(row for row in selectors.timeliness() if row["month"] == "2026-12")
    assert (december["on_time"], december["late"]) == (1, 0)
    assert not december["provisional"]  # 2027's notice is loaded now


def test_a_day_corrected_later_moves_a_deadline_and_its_lateness(
    tmp_path, department, penalty_item
):
    """Decided 2027-01-05 and collected 01-15: due 01-14 (01-01 off), 1 day late. With 01-08
    also off (a correction of the notice), due 01-15 and on time."""
    load_2027(tmp_path)
    run(tmp_path, department, [samples.penalty(1, CF_JDRQ="2027-01-05")], today=D(2027, 1, 15))
    assert (record(1).publication_due_on, record(1).workdays_late) == (D(2027, 1, 14), 1)
    load_2027(tmp_path, "2027-01-01,holiday,元旦\n2027-01-08,holiday,更正\n")
    assert (record(1).publication_due_on, record(1).workdays_late) == (D(2027, 1, 15), 0)


def test_a_window_already_over_when_collected_is_never_shown(tmp_path, department, penalty_item):
    run(tmp_path, department, [samples.penalty(1, CF_JDRQ="2024-01-05")], today=D(2026, 11, 20))
    r = record(1)
    assert r.published_on is None and r.publication_ends_on == D(2025, 1, 5)
    assert r.workdays_late > 400


def test_the_daily_job_ends_publication_and_sharing_once(tmp_path, department, penalty_item):
    """终止公示 and 停止共享, the day after the window; the record stays (R4, R8)."""
    rows = [samples.penalty(1), samples.penalty(2, CF_CFLB="吊销许可证件"),
            samples.penalty(3, CF_CFLB="警告")]  # fmt: skip
    run(tmp_path, department, rows, today=D(2026, 11, 5))
    assert record(3).sharing_stopped_on == D(2026, 11, 3)  # minor: never shared past its day
    report = end_record_publication(D(2027, 11, 3))
    assert (report.records_publication_ended, report.records_sharing_stopped) == (1, 1)
    assert (record(1).publication_ended_on, record(1).sharing_stopped_on) == (
        D(2027, 11, 3), D(2027, 11, 3),
    )  # fmt: skip
    assert not record(1).is_published and not record(1).is_shared
    assert record(2).is_published and record(2).is_shared
    assert AuditEntry.objects.filter(action="catalog.tick").count() == 1
    assert end_record_publication(D(2027, 11, 4)).changed == 0
    assert CreditRecord.objects.count() == 3


def test_a_window_already_over_when_collected_stops_at_once_as_the_job_would(
    tmp_path, department, penalty_item
):
    """Collected on 2026-11-20: a general penalty of 2024-06-03 ended its sharing on 2025-06-03,
    a warning (minor) on its decision day. Both arrive no longer shared, stopped the day after
    their end as the daily job sets it, and the job finds nothing left to do (R4, R8)."""
    rows = [samples.penalty(1, CF_JDRQ="2024-06-03"), samples.penalty(2, CF_CFLB="警告"),
            samples.penalty(3)]  # fmt: skip
    run(tmp_path, department, rows, today=D(2026, 11, 20))
    assert (record(1).published_on, record(1).sharing_stopped_on) == (None, D(2025, 6, 4))
    assert record(2).sharing_stopped_on == D(2026, 11, 3)
    assert record(3).is_published and record(3).is_shared
    assert not record(1).is_shared and not record(2).is_shared
    assert end_record_publication(D(2026, 11, 20)).changed == 0


def test_a_window_ending_on_the_day_collected_is_shared_that_day(
    tmp_path, department, penalty_item
):
    """A warning collected on its decision day is shared that day; the job stops it the next."""
    run(tmp_path, department, [samples.penalty(1, CF_CFLB="警告")], today=D(2026, 11, 2))
    assert record(1).is_shared
    assert end_record_publication(D(2026, 11, 3)).records_sharing_stopped == 1
    assert record(1).sharing_stopped_on == D(2026, 11, 3)


def test_the_tick_command_prints_the_records_step(tmp_path, department, penalty_item, capsys):
    run(tmp_path, department, [samples.penalty(1)], today=D(2026, 11, 5))
    call_command("tick", "--date", "2027-11-03")
    out = capsys.readouterr().out
    assert "records_publication_ended: 1" in out
    assert "records_sharing_stopped: 1" in out


def test_timeliness_per_department_and_month(tmp_path, department, penalty_item):
    """The share of records public within 7 working days, by month of decision (R9)."""
    rows = [
        samples.penalty(n, CF_JDRQ=day)
        for n, day in enumerate(["2026-10-08", "2026-11-02", "2026-11-03", "2026-11-04"], 1)
    ]
    run(tmp_path, department, rows, today=D(2026, 11, 12))
    other = DepartmentFactory(code="hz-sw")
    run(tmp_path, other, [samples.penalty(5, CF_JDRQ="2026-11-11")], today=D(2026, 11, 12),
        name="other.csv")  # fmt: skip
    ours = selectors.timeliness(department)
    assert [(r["month"], r["total"], r["on_time"], r["share_on_time"]) for r in ours] == [
        ("2026-11", 3, 2, 0.6666),  # rounded down
        ("2026-10", 1, 0, 0.0),
    ]
    everyone = selectors.timeliness()
    assert {r["department"] for r in everyone} == {"hz-scjg", "hz-sw"}


def revoke(number, department, *, on):
    """R6: the subject objects to the record, the department finds it founded and revokes it."""
    from tests.factories import OfficerFactory, UserFactory
    from xinyong.access.models import SubjectAccount
    from xinyong.remedies import record_objections
    from xinyong.remedies.record_objections import Finding

    wrong = record(number)
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=wrong.subject)
    with clock.frozen(on):
        objection = record_objections.object_to_record(wrong.pk, actor=account, grounds="金额有误")
        record_objections.decide(
            objection.pk, actor=OfficerFactory(department=department).user,
            finding=Finding.FOUNDED, statement="罚款金额有误，予以撤销", outcome="revoke",
        )  # fmt: skip
    assert CreditRecord.objects.get(pk=wrong.pk).revoked_on == on


RIGHT_AMOUNT = {"CF_NR": "罚款人民币伍仟元", "CF_NR_FK": "0.5"}


@pytest.mark.parametrize(
    ("first_collected", "on_time", "late"),
    [(D(2026, 11, 5), 1, 1), (D(2026, 11, 20), 0, 2)],
    ids=["first-on-time", "first-late"],
)
def test_a_decision_revoked_and_sent_again_counts_once_as_first_published(
    tmp_path, department, penalty_item, first_collected, on_time, late
):
    """A decision wrong in its amount is revoked on a founded objection and the department
    sends the right one, same number, subject and decision date (``record_corrections``): one
    decision, counted once in its month, by the day it was first published (R9). Correcting
    an error neither makes the department late nor undoes a first publication that was late.
    Decision 2, sent with it, is late (decided 11-02, due 11-11)."""
    run(tmp_path, department, [samples.penalty(1)], today=first_collected)  # decided 11-02
    revoke(1, department, on=D(2026, 11, 24))
    run(tmp_path, department, [samples.penalty(1, **RIGHT_AMOUNT), samples.penalty(2)],
        today=D(2026, 11, 25), name="q.csv")  # fmt: skip
    assert CreditRecord.objects.count() == 3  # the revoked one, the right one, decision 2
    rows = selectors.timeliness(department)
    assert [(r["month"], r["total"], r["on_time"], r["late"]) for r in rows] == [
        ("2026-11", 2, on_time, late),
    ]


def test_a_revoked_decision_never_sent_again_counts_as_it_was_published(
    tmp_path, department, penalty_item
):
    """Revoked and not replaced: the revoked one was published, on time or not, and still
    counts. Replaced by a decision of another date (the date was the error): one decision,
    counted by its first record, on time (R9)."""
    run(tmp_path, department, [samples.penalty(1), samples.penalty(2)], today=D(2026, 11, 5))
    revoke(1, department, on=D(2026, 11, 24))
    revoke(2, department, on=D(2026, 11, 24))
    run(tmp_path, department, [samples.penalty(2, CF_JDRQ="2026-11-03")], today=D(2026, 11, 25),
        name="q.csv")  # fmt: skip
    [row] = selectors.timeliness(department)
    assert (row["total"], row["on_time"], row["late"]) == (2, 2, 0)


def test_a_month_whose_due_days_are_known_is_settled_before_the_next_notice(
    tmp_path, department, penalty_item
):
    """Collected 2027-01-04 before 2027's notice: September to November 2026 fall due in
    2026, whose notice is loaded, and came late under any notice for 2027; December's last
    day and New Year's Day fall due in January 2027, which the notice may move (R9, R15)."""
    days = ["2026-09-30", "2026-10-01", "2026-10-31", "2026-11-01", "2026-12-31", "2027-01-01"]
    rows = [samples.penalty(n, CF_JDRQ=day) for n, day in enumerate(days, 1)]
    run(tmp_path, department, rows, today=D(2027, 1, 4))
    months = {row["month"]: row["provisional"] for row in selectors.timeliness(department)}
    assert months == {
        "2027-01": True, "2026-12": True, "2026-11": False, "2026-10": False, "2026-09": False,
    }  # fmt: skip
    load_2027(tmp_path)
    assert not any(row["provisional"] for row in selectors.timeliness(department))


def test_a_record_never_made_public_is_not_on_time(tmp_path, department, penalty_item):
    """R9: public within 7 working days. A licence decided 2026-11-02 that expired on 11-03
    and came on 11-05, before its due day, was never public: it counts, and not on time. A
    minor penalty, not published by rule (R8), is not due to be public: it counts neither way."""
    CatalogItemFactory(
        code="administrative-licence", record_format=RecordFormat.LICENCE, provider=None
    )
    expired = samples.licence(1, XK_YXQZ="2026-11-02", XK_YXQZI="2026-11-03")
    path = samples.write_csv(tmp_path / "l.csv", samples.LICENCE_FIELDS, [expired])
    with clock.frozen(D(2026, 11, 5)):
        services.import_file(actor="t", kind="licences", path=path, department=department)
    minor = samples.penalty(2, CF_CFLB="警告")
    run(tmp_path, department, [samples.penalty(1), minor], today=D(2026, 11, 5))
    licence = CreditRecord.objects.get(document_number="杭市监许〔2026〕1号")
    assert (licence.published_on, licence.publication_due_on) == (None, D(2026, 11, 11))
    assert (record(2).published_on, record(2).publication_due_on) == (None, None)
    [row] = selectors.timeliness(department)
    assert (row["total"], row["on_time"], row["late"]) == (2, 1, 1)
