"""Every answer that names a natural person registers exactly one row, with its purpose (R14).

An answer about organisations only registers nothing; a check is registered by its own row.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    DepartmentFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
    meeting_fields,
)
from xinyong.api import tokens
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind, QueryPurpose, QueryRegistration
from xinyong.catalog.models import RecordFormat
from xinyong.core import clock
from xinyong.listings.models import ListEntryEvent, ListEntryPerson, ListKind
from xinyong.measures.models import Check, ScreeningJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def purpose_list():
    # A test that empties the tables (the browser's) also empties the seeded reference list.
    purposes.ensure_built_in(QueryPurpose)


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")


@pytest.fixture
def officer(department):
    return OfficerFactory(department=department, user__username="scjg_officer")


@pytest.fixture
def officer_client(officer):
    client = Client()
    client.force_login(officer.user)
    return client


def bearer_client(user, scenarios=None) -> Client:
    token, _ = tokens.create_token(actor="test", user=user, scenarios=scenarios)
    return Client(headers={"Authorization": f"Bearer {token}"})


def look_up(client, subject_id, purpose="regulatory_supervision", detail="杭市监检〔2026〕3号"):
    return client.post(
        f"/office/subjects/{subject_id}/", {"purpose": purpose, "purpose_detail": detail}
    )


# -- the officer's subject page ----------------------------------------------------------------


def test_nothing_shows_before_a_purpose_is_chosen(officer_client):
    person = SubjectFactory(natural_person=True, name="王小明")
    form = officer_client.get(f"/office/subjects/{person.pk}/")
    assert form.status_code == 200
    assert "王小明" not in form.content.decode()
    assert 'name="purpose"' in form.content.decode()
    refused = officer_client.post(f"/office/subjects/{person.pk}/", {"purpose": ""})
    assert "王小明" not in refused.content.decode()
    assert not QueryRegistration.objects.exists()


def test_a_persons_page_registers_one_row_with_who_why_and_whom(officer_client, officer):
    person = SubjectFactory(natural_person=True, name="王小明")
    CreditRecordFactory(subject=person, department=officer.department)
    page = look_up(officer_client, person.pk)
    assert page.status_code == 200
    assert "王小明" in page.content.decode()
    row = QueryRegistration.objects.get()
    assert (row.account, row.actor, row.department, row.role) == (
        officer.user,
        "scjg_officer",
        officer.department,
        "recognizing_officer",
    )
    assert (row.purpose_id, row.purpose_detail, row.kind) == (
        "regulatory_supervision",
        "杭市监检〔2026〕3号",
        QueryKind.SUBJECT_PAGE,
    )
    assert (row.subject, row.natural_persons, row.rows) == (person, 1, 1)
    assert row.route == "POST /office/subjects/<int:subject_id>/"
    assert row.client_address == "127.0.0.1"


def test_no_citizen_id_is_stored_in_a_registration(officer_client):
    person = SubjectFactory(natural_person=True)
    citizen_id = person.reveal_identifier()
    officer_client.post("/office/subjects/", {"query": citizen_id, "purpose": "credit_repair"})
    row = QueryRegistration.objects.values().get()
    assert row["subject_id"] == person.pk
    assert not any(citizen_id in str(value) for value in row.values())


def test_the_purpose_other_needs_its_detail(officer_client):
    person = SubjectFactory(natural_person=True, name="王小明")
    refused = look_up(officer_client, person.pk, purpose="other", detail="")
    assert "王小明" not in refused.content.decode()
    assert not QueryRegistration.objects.exists()
    look_up(officer_client, person.pk, purpose="other", detail="领导交办")
    assert QueryRegistration.objects.get().purpose_detail == "领导交办"


def test_an_organisation_alone_registers_nothing(officer_client):
    organisation = SubjectFactory(name="杭州示例科技有限公司")
    page = look_up(officer_client, organisation.pk)
    assert "杭州示例科技有限公司" in page.content.decode()
    assert not QueryRegistration.objects.exists()


def test_an_organisation_naming_its_legal_representative_registers_one_row(officer_client):
    link = LinkedPersonFactory(person__name="李法人")
    page = look_up(officer_client, link.organisation.pk)
    assert "李法人" in page.content.decode()
    row = QueryRegistration.objects.get()
    assert (row.subject, row.natural_persons) == (link.organisation, 1)


def test_a_search_by_name_registers_each_person_among_its_candidates(officer_client):
    """Once per person, naming them, so the reviewer finds the search under either person."""
    first = SubjectFactory(natural_person=True, name="赵一")
    second = SubjectFactory(natural_person=True, name="赵一凡")
    SubjectFactory(name="赵一贸易有限公司")
    answer = officer_client.post("/office/subjects/", {"query": "赵一", "purpose": "credit_repair"})
    html = answer.content.decode()
    assert "赵一凡" in html and "赵一贸易有限公司" in html
    rows = QueryRegistration.objects.values_list("kind", "subject", "natural_persons", "rows")
    assert sorted(rows) == [
        (QueryKind.SUBJECT_SEARCH, first.pk, 1, 3),
        (QueryKind.SUBJECT_SEARCH, second.pk, 1, 3),
    ]


@pytest.mark.parametrize("which", ["uscc", "citizen_id"])
def test_a_code_whose_check_character_fails_is_named_as_such(officer_client, which):
    """A mistyped code matches nobody: the officer is told its check character is wrong."""
    subject = SubjectFactory(natural_person=which == "citizen_id")
    code = subject.reveal_identifier()
    typo = code[:-1] + ("1" if code[-1] != "1" else "2")
    answer = officer_client.post("/office/subjects/", {"query": typo, "purpose": "credit_repair"})
    html = answer.content.decode()
    assert "没有符合条件的主体" in html and "校验码（最后一位）不符" in html
    other = officer_client.post(
        "/office/subjects/", {"query": "无此公司", "purpose": "credit_repair"}
    )
    assert "校验码" not in other.content.decode()


def test_the_page_shows_only_what_the_department_may_see(officer_client, officer):
    person = SubjectFactory(natural_person=True)
    ours = ListDefinitionFactory(recognizing_department=officer.department, name="本部门名单")
    ListEntryFactory(list=ours, subject=person, in_publicity=True)
    ListEntryFactory(subject=person, effective=True, list__name="他部门生效名单")
    ListEntryFactory(subject=person, in_publicity=True, list__name="他部门公示名单")
    CreditRecordFactory(subject=person, document_number="共享文书1号")
    CreditRecordFactory(subject=person, document_number="不共享文书2号",
                        catalog_item__share_scope="none")  # fmt: skip
    html = look_up(officer_client, person.pk).content.decode()
    assert "本部门名单" in html and "他部门生效名单" in html
    assert "他部门公示名单" not in html
    assert "共享文书1号" in html and "不共享文书2号" not in html
    assert QueryRegistration.objects.get().rows == 3


def test_a_record_past_its_sharing_end_is_not_shared_before_the_daily_job(officer_client, officer):
    """Sharing stops at the end of its window, on the day itself when the job has not yet run:
    another department no longer sees the record; its own department still does (R4, R8)."""
    person = SubjectFactory(natural_person=True)
    CreditRecordFactory(subject=person, document_number="到期文书1号",
                        sharing_ends_on=dt.date(2026, 11, 19))  # fmt: skip
    CreditRecordFactory(subject=person, document_number="当日文书2号",
                        sharing_ends_on=dt.date(2026, 11, 20))  # fmt: skip
    CreditRecordFactory(subject=person, document_number="本部门文书3号",
                        department=officer.department,
                        sharing_ends_on=dt.date(2026, 11, 19))  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 20)):
        html = look_up(officer_client, person.pk).content.decode()
    assert "到期文书1号" not in html
    assert "当日文书2号" in html and "本部门文书3号" in html


def test_an_entry_past_its_validity_is_not_shown_before_the_daily_job(officer_client, officer):
    """Another department's entry counts through the last day of its validity (R4), whether or
    not the daily job has exited it; the department's own entries stay in its view."""
    person = SubjectFactory(natural_person=True)
    ListEntryFactory(subject=person, effective=True, valid_until=dt.date(2026, 11, 19),
                     list__name="昨日届满名单")  # fmt: skip
    ListEntryFactory(subject=person, effective=True, valid_until=dt.date(2026, 11, 20),
                     list__name="今日届满名单")  # fmt: skip
    ListEntryFactory(subject=person, effective=True, valid_until=dt.date(2026, 11, 19),
                     list__name="本部门名单",
                     list__recognizing_department=officer.department)  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 20)):
        html = look_up(officer_client, person.pk).content.decode()
    assert "昨日届满名单" not in html
    assert "今日届满名单" in html and "本部门名单" in html


def test_a_cut_list_of_candidates_says_so(officer_client):
    """21 names match and 20 are shown: the page says the list was cut, and registers the 20."""
    for n in range(21):
        SubjectFactory(name=f"钱塘{n:02d}贸易有限公司")
    html = officer_client.post(
        "/office/subjects/", {"query": "钱塘", "purpose": "credit_repair"}
    ).content.decode()
    assert "钱塘19贸易有限公司" in html and "钱塘20贸易有限公司" not in html
    assert "仅显示前 20 个" in html
    assert QueryRegistration.objects.count() == 0  # organisations only: no person named
    SubjectFactory(name="钱江唯一有限公司")
    SubjectFactory(name="钱江唯一有限公司分公司")
    html = officer_client.post(
        "/office/subjects/", {"query": "钱江唯一", "purpose": "credit_repair"}
    ).content.decode()
    assert "仅显示前" not in html


def test_the_departments_own_entries_link_to_their_page(officer_client, officer):
    """An effective entry is reached from the subject's page, to object or exit (R4, R6)."""
    person = SubjectFactory(natural_person=True)
    ours = ListDefinitionFactory(recognizing_department=officer.department, name="本部门名单")
    mine = ListEntryFactory(list=ours, subject=person, effective=True)
    theirs = ListEntryFactory(subject=person, effective=True, list__name="他部门生效名单")
    html = look_up(officer_client, person.pk).content.decode()
    assert f'href="/office/entries/{mine.pk}/"' in html
    assert f'href="/office/entries/{theirs.pk}/"' not in html


@pytest.mark.parametrize("suspends", [True, False])
def test_an_effective_entry_under_objection_says_so(officer_client, suspends):
    """An implementing department checking a subject sees that the black entry is being
    verified, by when, and — where its list says so — that its measures are suspended, as a
    check answers (R6)."""
    person = SubjectFactory(natural_person=True)
    entry = ListEntryFactory(subject=person, effective=True, list__kind=ListKind.BLACK,
                             list__name="食品安全严重失信主体名单",
                             list__objection_suspends_measures=suspends,
                             verification_due_on=dt.date(2026, 12, 21))  # fmt: skip
    quiet = ListEntryFactory(subject=person, effective=True, list__name="无异议名单")
    with clock.frozen(dt.date(2026, 11, 23)):
        html = look_up(officer_client, person.pk).content.decode()
    row = html[html.index(entry.list.name) :]
    row = row[: row.index("</tr>")]
    assert "异议核实中，核实期限 2026-12-21" in row
    assert ("奖惩措施暂停执行" in row) is suspends
    assert entry.is_suspended_by_objection is suspends
    other = html[html.index(quiet.list.name) :]
    assert "异议核实中" not in other[: other.index("</tr>")]


def test_only_officers_and_the_administrator_look_subjects_up(client, department):
    person = SubjectFactory(natural_person=True)
    system = tokens.system_account(DepartmentFactory(implementing=True))
    client.force_login(system)
    assert look_up(client, person.pk).status_code == 403
    assert not QueryRegistration.objects.exists()


# -- the entry page and the listings API -------------------------------------------------------


@pytest.fixture
def black_list(department):
    return ListDefinitionFactory(recognizing_department=department, kind=ListKind.BLACK)


def test_a_persons_entry_page_registers_one_row(officer_client, black_list):
    entry = ListEntryFactory(list=black_list, subject__natural_person=True, in_publicity=True)
    assert officer_client.get(f"/office/entries/{entry.pk}/").status_code == 200
    row = QueryRegistration.objects.get()
    assert (row.kind, row.purpose_id, row.subject, row.natural_persons) == (
        QueryKind.ENTRY_READ,
        purposes.LISTING_PROCEDURE,
        entry.subject,
        1,
    )


def test_an_organisations_entry_registers_only_when_it_names_persons(officer_client, black_list):
    plain = ListEntryFactory(list=black_list, in_publicity=True)
    officer_client.get(f"/office/entries/{plain.pk}/")
    assert not QueryRegistration.objects.exists()
    named = ListEntryFactory(list=black_list, effective=True)
    ListEntryPerson.objects.create(
        entry=named, person=SubjectFactory(natural_person=True), role="legal_representative"
    )
    officer_client.get(f"/office/entries/{named.pk}/")
    assert QueryRegistration.objects.get().natural_persons == 1


def test_the_api_registers_an_entry_read_and_each_page_of_entries(officer, black_list):
    api = bearer_client(officer.user)
    person_entry = ListEntryFactory(list=black_list, subject__natural_person=True)
    newer_person = ListEntryFactory(list=black_list, subject__natural_person=True).subject
    ListEntryFactory(list=black_list)
    assert api.get(f"/api/v1/listings/entries/{person_entry.pk}").status_code == 200
    assert api.get("/api/v1/listings/entries?limit=2").status_code == 200
    read, page = QueryRegistration.objects.order_by("id")
    assert (read.kind, read.subject, read.natural_persons) == (
        QueryKind.ENTRY_READ,
        person_entry.subject,
        1,
    )
    assert (read.route, page.route) == (
        "GET /api/v1/listings/entries/<entry_id>",
        "GET /api/v1/listings/entries",
    )
    # Newest first: the organisation and one person, whom the page's registration names.
    assert (page.kind, page.subject, page.rows) == (QueryKind.ENTRY_LIST, newer_person, 2)
    assert page.natural_persons == 1


def test_each_step_of_the_procedure_answered_by_the_api_is_a_registered_read(officer, black_list):
    """A step's answer carries the whole entry, as a read does: the person's full ID and name,
    and an organisation's named persons. Each is registered like ``GET`` (R14)."""
    api = bearer_client(officer.user)
    entry = ListEntryFactory(list=black_list, subject__natural_person=True)
    answer = api.post(f"/api/v1/listings/entries/{entry.pk}/notify",
                      {"version": entry.version, **meeting_fields(entry.pk)},
                      content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.json()
    read = QueryRegistration.objects.get()
    assert (read.kind, read.subject, read.natural_persons, read.route) == (
        QueryKind.ENTRY_READ, entry.subject, 1,
        "POST /api/v1/listings/entries/<entry_id>/notify",
    )  # fmt: skip
    company = ListEntryFactory(list=black_list)
    api.post(f"/api/v1/listings/entries/{company.pk}/notify",
             {"version": company.version, **meeting_fields(company.pk)},
             content_type="application/json")  # fmt: skip
    assert QueryRegistration.objects.count() == 1  # an organisation naming nobody: nothing


def test_a_page_of_organisations_registers_nothing(officer, black_list):
    ListEntryFactory(list=black_list)
    assert bearer_client(officer.user).get("/api/v1/listings/entries").status_code == 200
    assert not QueryRegistration.objects.exists()


def test_a_page_of_the_change_feed_registers_the_persons_it_names():
    finance = DepartmentFactory(implementing=True)
    # The feed shows a department the lists its measures follow from, on whom they target (R14).
    measure = MeasureFactory(list_kinds=[ListKind.BLACK], targets=["organisation", "person"])
    measure.scenarios.add(ScenarioFactory())
    api = bearer_client(tokens.system_account(finance), ["government_procurement"])
    person = SubjectFactory(natural_person=True)
    for subject in (person, SubjectFactory()):
        entry = ListEntryFactory(subject=subject, effective=True)
        ListEntryEvent.objects.create(entry=entry, action="sign", from_state="awaiting_signature",
                                      to_state="effective", business_date=dt.date(2026, 10, 27),
                                      actor="signer")  # fmt: skip
    answer = api.get("/api/v1/changes")
    assert answer.status_code == 200 and len(answer.json()["changes"]) == 2
    row = QueryRegistration.objects.get()
    assert (row.kind, row.purpose_id, row.subject, row.natural_persons, row.rows) == (
        QueryKind.ENTRY_LIST,
        purposes.JOINT_ACTION,
        person,
        1,
        2,
    )


# -- exports -----------------------------------------------------------------------------------


def test_an_import_report_download_registers_the_persons_it_names(tmp_path, officer_client):
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    rows = [samples.penalty(1), samples.penalty(2, person=True, CF_WSH="")]
    path = samples.write_csv(tmp_path / "处罚.csv", samples.PENALTY_FIELDS, rows)
    upload = SimpleUploadedFile("处罚.csv", path.read_bytes(), content_type="text/csv")
    with clock.frozen(dt.date(2026, 11, 20)):
        officer_client.post("/office/imports/", {"kind": "penalties", "file": upload})
    assert not QueryRegistration.objects.exists()
    job_id = officer_client.get("/office/imports/").context["jobs"][0].pk
    report = officer_client.get(f"/office/imports/{job_id}/report.csv")
    assert report.status_code == 200
    b"".join(report.streaming_content)
    row = QueryRegistration.objects.get()
    assert (row.kind, row.purpose_id, row.rows) == (QueryKind.EXPORT, purposes.DATA_QUALITY, 1)
    assert row.natural_persons == 1


def import_penalties(client, tmp_path, rows):
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    path = samples.write_csv(tmp_path / "处罚.csv", samples.PENALTY_FIELDS, rows)
    upload = SimpleUploadedFile("处罚.csv", path.read_bytes(), content_type="text/csv")
    with clock.frozen(dt.date(2026, 11, 20)):
        client.post("/office/imports/", {"kind": "penalties", "file": upload})
    return client.get("/office/imports/").context["jobs"][0].pk


def test_a_persons_row_without_an_id_number_is_a_person_in_the_download(tmp_path, officer_client):
    """A natural person's row refused for its missing ID number still names that person."""
    job_id = import_penalties(officer_client, tmp_path,
                              [samples.penalty(2, person=True, CF_XDR_ZJHM="")])  # fmt: skip
    b"".join(officer_client.get(f"/office/imports/{job_id}/report.csv").streaming_content)
    row = QueryRegistration.objects.get()
    assert (row.kind, row.natural_persons, row.rows) == (QueryKind.EXPORT, 1, 1)


def test_the_job_page_registers_the_persons_its_report_rows_name(tmp_path, officer_client):
    """The job's page shows its report's rows: reading a person's row there is registered as
    its download is (R14). Two persons' rows, one without its ID number, and an organisation's
    row naming its legal representative by ID: three persons."""
    rows = [
        samples.penalty(1),
        samples.penalty(2, person=True, CF_WSH=""),
        samples.penalty(3, person=True, CF_XDR_ZJHM=""),
        samples.penalty(4, CF_WSH=""),
    ]
    job_id = import_penalties(officer_client, tmp_path, rows)  # fmt: skip
    page = officer_client.get(f"/office/imports/{job_id}/")
    assert page.status_code == 200 and "张2" in page.content.decode()
    row = QueryRegistration.objects.get()
    assert (row.kind, row.purpose_id, row.natural_persons, row.rows) == (
        QueryKind.REPORT, purposes.DATA_QUALITY, 3, 3,
    )  # fmt: skip


def test_a_job_page_of_organisations_registers_nothing(tmp_path, officer_client):
    """An organisation's row that names no person, not even a representative's ID."""
    rows = [samples.penalty(1, CF_WSH="", CF_FR_ZJLX="", CF_FR_ZJHM="")]
    job_id = import_penalties(officer_client, tmp_path, rows)
    assert officer_client.get(f"/office/imports/{job_id}/").status_code == 200
    assert not QueryRegistration.objects.exists()


def test_a_screening_result_download_registers_one_row(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    finance = DepartmentFactory(implementing=True)
    scenario = ScenarioFactory()
    user = tokens.system_account(finance)
    person, other = SubjectFactory(natural_person=True), SubjectFactory(natural_person=True)
    result = tmp_path / "result.csv"
    # As a result file is written: the code asked, then the subject found, masked (R14); the
    # same person on a line is counted once.
    first, second = person.reveal_identifier(), other.reveal_identifier()
    result.write_text(
        "code,status,subject_code,result\n"
        f"{first},ok,{person.identifier},clear\n{second},ok,{other.identifier},clear\n"
        f"{first},ok,{person.identifier},clear\n91330106MA2XXXXXXX,invalid,,\n",
        encoding="utf-8-sig",
    )
    job = ScreeningJob.objects.create(
        department=finance, user=user, scenario=scenario, status=ScreeningJob.Status.DONE,
        input_path=str(tmp_path / "in.csv"), output_path=str(result), rows=4,
    )  # fmt: skip
    answer = bearer_client(user, [scenario.code]).get(f"/api/v1/screenings/{job.pk}/result")
    assert answer.status_code == 200
    b"".join(answer.streaming_content)
    row = QueryRegistration.objects.get()
    assert (row.kind, row.purpose_id, row.purpose_detail) == (
        QueryKind.EXPORT,
        purposes.JOINT_ACTION,
        scenario.name,  # the scenario, as a reviewer reads it
    )
    assert (row.natural_persons, row.rows, row.department) == (2, 4, finance)


# -- checks ------------------------------------------------------------------------------------


def test_a_check_is_its_own_registration_and_adds_no_row():
    finance = DepartmentFactory(implementing=True)
    scenario = ScenarioFactory()
    api = bearer_client(tokens.system_account(finance), [scenario.code])
    person = SubjectFactory(natural_person=True)
    answer = api.post(
        "/api/v1/checks", {"subject": person.reveal_identifier(), "scenario": scenario.code},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200, answer.json()
    assert Check.objects.get().subject == person
    assert not QueryRegistration.objects.exists()


# -- append-only -------------------------------------------------------------------------------


def _one_row(officer_client) -> QueryRegistration:
    look_up(officer_client, SubjectFactory(natural_person=True).pk)
    return QueryRegistration.objects.get()


def test_the_database_refuses_to_update_a_registration(officer_client):
    row = _one_row(officer_client)
    with pytest.raises(DatabaseError), transaction.atomic():
        QueryRegistration.objects.filter(pk=row.pk).update(purpose_detail="改写")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_queryregistration SET natural_persons = 0")
    assert QueryRegistration.objects.get().purpose_detail == row.purpose_detail


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgres_refuses_to_delete_or_truncate_a_registration(officer_client):
    _one_row(officer_client)
    for statement in ("DELETE FROM audit_queryregistration",
                      "TRUNCATE audit_queryregistration CASCADE"):  # fmt: skip
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL xinyong.audit_purge = 'off'")
            cursor.execute(statement)
    assert QueryRegistration.objects.count() == 1


def test_the_admin_shows_registrations_read_only(client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!")
    client.force_login(admin)
    assert client.get("/admin/audit/queryregistration/").status_code == 200
    assert client.get("/admin/audit/queryregistration/add/").status_code == 403


def test_an_unknown_subject_page_is_not_found(officer_client):
    assert look_up(officer_client, 999_999).status_code == 404
    assert not QueryRegistration.objects.exists()


def test_old_15_digit_ids_count_as_persons_in_a_file_masked_or_not():
    """R14: a first-generation ID names a person, in full or masked; other 15-digit numbers
    do not."""
    from xinyong.audit.registrations import citizen_ids_in

    lines = ["110105491231002,110105491231002", "110105******002", "批次 202611020000123"]
    assert citizen_ids_in(lines) == 2
