"""Citizen IDs at rest (R14): no table keeps one in clear, whichever way a person came in;
look-up by ID still works; production refuses to run without a data key of its own."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    LinkedPersonFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
    make_citizen_id,
)
from xinyong.api import tokens
from xinyong.catalog import services as imports
from xinyong.catalog.models import RecordFormat
from xinyong.core import clock
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import KeyRing, ProtectionError
from xinyong.measures.models import Check
from xinyong.subjects.models import Subject, SubjectKind
from xinyong.subjects.protection import check_data_key

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
DATA_KEY = "2:" + "n" * 40 + ",1:" + "o" * 40


def stored_text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else ""


def tables_holding(plaintexts: set[str]) -> set[str]:
    """Every table.column whose stored text contains one of these IDs, read with raw SQL."""
    pattern = re.compile("|".join(map(re.escape, plaintexts)))
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if pattern.search(stored_text(value)):
                        found.add(f"{table}.{name}")
    return found


def persons_ids() -> set[str]:
    people = Subject.objects.filter(kind=SubjectKind.NATURAL_PERSON)
    return {person.reveal_identifier() for person in people}


@pytest.fixture
def api():
    finance = DepartmentFactory(implementing=True, name="财政局")
    ScenarioFactory(code="government_procurement", name="政府采购")
    user = OfficerFactory(department=finance).user
    token, _ = tokens.create_token(actor="test", user=user, scenarios=["government_procurement"])
    return Client(headers={"Authorization": f"Bearer {token}"})


def check(api, code: str):
    return api.post(
        "/api/v1/checks", {"subject": code, "scenario": "government_procurement"},
        content_type="application/json",
    )  # fmt: skip


def test_factories_importer_and_checks_leave_no_plaintext_id(tmp_path, api):
    person = SubjectFactory(natural_person=True)
    linked = LinkedPersonFactory(person=SubjectFactory(natural_person=True))
    department = DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    rows = [samples.penalty(n, person=n % 2 == 0) for n in range(1, 9)]
    rows.append(samples.penalty(9, person=True, CF_WSH=""))  # quarantined: kept in the report
    rows.append(samples.penalty(10, CF_SY=f"当事人法定代表人身份证号{make_citizen_id(77)}"))
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    with clock.frozen(TODAY):
        job = imports.import_file(actor="test", kind="penalties", path=path, department=department)
    assert (job.accepted, job.quarantined) == (9, 1)
    unknown = make_citizen_id(4242)
    assert check(api, unknown).json()["subject"] == {"code": mask_id_number(unknown),
                                                     "known": False}  # fmt: skip
    assert check(api, person.reveal_identifier()).json()["subject"]["known"]
    plaintexts = persons_ids() | {unknown, make_citizen_id(77)}
    plaintexts |= {make_citizen_id(n + 50_000) for n in range(1, 11)}  # representatives
    # The factories' persons and the importer's (rows 2, 4, 6 and 8); a factory person may be
    # one the samples name too, depending on the factories' sequence when this test runs.
    assert persons_ids() == {person.reveal_identifier(), linked.person.reveal_identifier()} | {
        make_citizen_id(n) for n in (2, 4, 6, 8)
    }
    assert tables_holding(plaintexts) == set()
    assert Check.objects.filter(query_identifier=mask_id_number(unknown)).exists()


def test_the_demo_loader_leaves_no_plaintext_id(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the demo's evidence files go to a scratch data directory
    call_command("demo", "--subjects", "300", "--seed", "7", "--date", "2026-09-21",
                 stdout=io.StringIO())  # fmt: skip
    plaintexts = persons_ids()
    assert len(plaintexts) > 50
    assert tables_holding(plaintexts) == set()


def test_look_up_by_id_goes_through_the_keyed_hash():
    person = SubjectFactory(natural_person=True)
    full = person.reveal_identifier()
    assert person.identifier == mask_id_number(full) and person.identifier_sealed.startswith("v")
    spaced = " " + full[:6] + " " + full[6:].lower()  # as typed: spaces, a lower-case x
    assert Subject.objects.identified_by(spaced).get() == person
    assert not Subject.objects.filter(identifier=full).exists()
    company = SubjectFactory()
    assert Subject.objects.identified_by(company.identifier).get() == company
    assert company.identifier_sealed == "" and company.reveal_identifier() == company.identifier


def test_an_edited_code_is_hashed_again_and_a_person_retyped_in_full_is_protected():
    company = SubjectFactory()
    company.identifier = "91330106MA2B3C4D5X"
    company.save()
    assert Subject.objects.identified_by("91330106MA2B3C4D5X").get() == company
    person = SubjectFactory(natural_person=True)
    person.identifier = make_citizen_id(999)
    person.save()
    assert person.identifier == mask_id_number(make_citizen_id(999))
    assert Subject.objects.identified_by(make_citizen_id(999)).get() == person


def test_a_wrong_key_cannot_open_a_stored_id():
    person = SubjectFactory(natural_person=True)
    with pytest.raises(ProtectionError):
        KeyRing.parse("x" * 40).open(person.identifier_sealed)


def test_rotation_keeps_old_ids_readable_and_rekey_moves_them_to_the_new_version():
    with override_settings(XINYONG_DATA_KEY="1:" + "o" * 40):
        person = SubjectFactory(natural_person=True)
        full = person.reveal_identifier()
    with override_settings(XINYONG_DATA_KEY=DATA_KEY):
        person.refresh_from_db()
        assert person.identifier_sealed.startswith("v1:") and person.reveal_identifier() == full
        assert Subject.objects.identified_by(full).get() == person  # same look-up key
        out = io.StringIO()
        call_command("ids", "rekey", stdout=out)
        person.refresh_from_db()
        assert person.identifier_sealed.startswith("v2:") and person.reveal_identifier() == full
        assert "1 changed" in out.getvalue()


def test_the_deploy_check_refuses_a_derived_data_key():
    with override_settings(XINYONG_DATA_KEY=""):
        assert [m.id for m in check_data_key(None)] == ["subjects.E001"]
        found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
        assert "subjects.E001" in {m.id for m in found}
    with override_settings(XINYONG_DATA_KEY="short"):
        assert [m.id for m in check_data_key(None)] == ["subjects.E002"]
    with override_settings(XINYONG_DATA_KEY=DATA_KEY):
        assert check_data_key(None) == []
