"""The migration that masks the file names evidence and repair materials kept before they were
masked: a citizen ID in the name a subject gave its file is masked as a file sent today is;
every other name, and the file itself, stays as it was (R14)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    CreditRecordFactory,
    ListEntryFactory,
    SubjectFactory,
    UserFactory,
    make_citizen_id,
)
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.access.models import SubjectAccount
from xinyong.core import clock
from xinyong.core.masking import mask_id_number
from xinyong.remedies import record_objections, repairs, services

BEFORE = [("remedies", "0009_red_list_exit_requests")]
AFTER = [("remedies", "0010_mask_sent_file_names")]
DAY = dt.date(2026, 11, 16)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
CITIZEN_ID = make_citizen_id(13)
MASKED = mask_id_number(CITIZEN_ID)
MODELS = ["ObjectionEvidence", "RecordObjectionEvidence", "RepairMaterial"]


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _sent_one_file_each() -> None:
    subject = SubjectFactory(name="杭州某某科技有限公司")
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=subject)
    record = CreditRecordFactory(
        subject=subject, published_on=dt.date(2026, 9, 3),
        publication_min_ends_on=dt.date(2026, 10, 1), publication_ends_on=dt.date(2027, 9, 1),
        sharing_ends_on=dt.date(2027, 9, 1),
    )  # fmt: skip
    with clock.frozen(DAY):
        entry = ListEntryFactory(subject=subject, in_publicity=True)
        services.object_to_entry(
            entry.pk, actor=account, grounds="事实有误", files=[_pdf(), _pdf()]
        )
        record_objections.object_to_record(
            record.pk, actor=account, grounds="事实有误", files=[_pdf(), _pdf("复议决定书.pdf")]
        )
        repaired = ListEntryFactory(subject=subject, effective=True)
        repairs.apply_for_entry(
            repaired.pk, actor=account, corrected="已缴清罚款",
            materials={"fulfilment": [_pdf()], "commitment": [_pdf()]},
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_names_files_were_kept_under_are_masked_and_nothing_else_changes():
    try:
        _sent_one_file_each()
        apps = migrate(BEFORE)
        sent = {}
        for model in MODELS:
            files = apps.get_model("remedies", model).objects
            first = files.order_by("pk").first()
            files.filter(pk=first.pk).update(file_name=f"张三_{CITIZEN_ID}身份证.pdf")
            sent[model] = {file.pk: file.stored_name for file in files.all()}
        apps = migrate(AFTER)
        for model in MODELS:
            files = apps.get_model("remedies", model).objects.order_by("pk")
            names = [file.file_name for file in files]
            assert names[0] == f"张三_{MASKED}身份证.pdf", model
            assert set(names[1:]) <= {"说明.pdf", "复议决定书.pdf"} and len(names) > 1, model
            assert {file.pk: file.stored_name for file in files} == sent[model], model
    finally:
        migrate_to_latest()
