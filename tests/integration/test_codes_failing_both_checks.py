"""A company's all-digit code that fails its check character and has a date in positions 7–14
(a county ending in 18–20, such as 延庆区 110119) is kept for review, never dropped: the check
API answers it and the admin form takes it (DOMAIN.md §4, R11); a person's mistyped ID is still
refused with the reason, masked (R14)."""

import datetime as dt

import pytest

from tests.check_clients import check
from tests.factories import ListEntryFactory, SubjectFactory
from xinyong.core import clock
from xinyong.core.identifiers import organization_code_check_character, uscc_check_character
from xinyong.listings.models import ListKind
from xinyong.subjects.admin import SubjectForm
from xinyong.subjects.models import Subject, SubjectKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _failing_check(first16: str) -> str:
    """An all-digit code whose organisation number is right and whose check character is not."""
    first17 = first16 + organization_code_check_character(first16[8:])
    right = uscc_check_character(first17)
    return first17 + ("0" if right != "0" else "1")


YANQING = _failing_check("9111011980010124")  # 91 | 110119 延庆区 | 80010124
# 11 is 北京 as well as 机构编制·机关: a person could hold these 18 digits, mistyped.
BEIJING_ORGAN = _failing_check("1111011980010124")


def test_the_check_api_answers_a_listed_company_whose_code_fails_its_check(api, measures):
    for code in (YANQING, BEIJING_ORGAN):
        subject = SubjectFactory(identifier=code, identifier_status="review")
        ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
        with clock.frozen(TODAY):
            answer = check(api, subject=code, scenario="government_procurement")
        assert answer.status_code == 200, answer.json()
        assert answer.json()["result"] != "clear"


def test_a_person_s_mistyped_id_is_still_refused_and_masked(api, measures):
    typo = "11010519491231002" + "1"  # the check character should be X
    with clock.frozen(TODAY):
        answer = check(api, subject=typo, scenario="government_procurement")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "ric-check-character"
    assert "19491231" not in str(body)


def test_the_admin_form_takes_a_company_s_code_failing_its_check():
    for code, name in ((YANQING, "北京延庆示例有限公司"), (BEIJING_ORGAN, "北京某机关")):
        form = SubjectForm(
            data={"kind": SubjectKind.LEGAL_PERSON, "name": name, "identifier": code}
        )
        with clock.frozen(TODAY):
            assert form.is_valid(), form.errors
        subject = form.save()
        assert Subject.objects.get(pk=subject.pk).identifier_status == "review"


def test_the_admin_form_still_refuses_a_person_s_mistyped_id():
    form = SubjectForm(
        data={"kind": SubjectKind.NATURAL_PERSON, "name": "张三",
              "identifier": "110105194912310021"}
    )  # fmt: skip
    with clock.frozen(TODAY):
        assert not form.is_valid()
    assert "identifier" in form.errors
