"""The name a check sent beside its code is registered with it, whatever answered (R14): kept
in a column of its own, never as the check's ``query_name`` (which makes a check one by name,
that a department may decide on), and shown in the query registry and its exports as the
registry shows a subject, a person's name masked."""

import csv
import io
import uuid

import pytest
from django.core.management import call_command

from tests.factories import ListEntryFactory, SubjectFactory, make_citizen_id, make_uscc
from tests.integration import test_name_checks as name_checks
from tests.integration import test_query_registration_review as review
from xinyong.listings.models import ListKind
from xinyong.measures.checks import NAME_LIMIT
from xinyong.measures.models import Check
from xinyong.subjects.models import SubjectKind

pytestmark = pytest.mark.django_db

LISTED = "浙江瑞兴包装有限公司"
OTHER = "杭州清源贸易有限公司"

# An implementing department's token for procurement, a fresh name index (autouse); the
# registry's reviewer and purposes (autouse), and the business date on the real day.
api, fresh_index = name_checks.api, name_checks.fresh_index
reviewer, reviewer_client = review.reviewer, review.reviewer_client
purpose_list = review.purpose_list
business_date_is_the_real_one = review.business_date_is_the_real_one


@pytest.fixture
def listed():
    company = SubjectFactory(name=LISTED)
    ListEntryFactory(subject=company, effective=True, list__kind=ListKind.BLACK)
    return company


def sent(api, payload) -> Check:
    answer = api.post(
        "/api/v1/checks", {**payload, "scenario": "government_procurement"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200, answer.json()
    return Check.objects.get(pk=answer.json()["check_id"])


def test_a_known_code_that_decides_keeps_the_name_sent_beside_it(api, listed):
    made = sent(api, {"subject": listed.reveal_identifier(), "name": f" {OTHER} "})
    assert made.response["warning"]["code"] == "name-mismatch"
    # Kept as asked (trimmed), and not as a name the check was made by.
    assert (made.name_with_code, made.query_name, made.subject) == (OTHER, "", listed)
    variant = sent(api, {"subject": listed.reveal_identifier(), "name": "浙江瑞兴包装有限责任公司"})
    assert "warning" not in variant.response
    assert (variant.name_with_code, variant.query_name) == ("浙江瑞兴包装有限责任公司", "")


def test_an_unknown_code_whose_name_finds_nothing_keeps_the_name(api, listed):
    made = sent(api, {"subject": make_uscc(987_655), "name": "宁夏远图测绘有限公司"})
    assert (made.result, made.subject) == ("clear", None)
    assert (made.name_with_code, made.query_name) == ("宁夏远图测绘有限公司", "")


def test_an_unknown_code_answered_by_the_name_keeps_it_in_both(api, listed):
    made = sent(api, {"subject": make_uscc(987_654), "name": LISTED})
    assert made.response["warning"]["code"] == "code-unknown-answered-by-name"
    assert (made.name_with_code, made.query_name, made.subject) == (LISTED, LISTED, listed)


def test_a_citizen_id_keeps_the_name_sent_beside_it(api, listed):
    person = SubjectFactory(
        kind=SubjectKind.NATURAL_PERSON, identifier=make_citizen_id(4322), name="王小明"
    )
    made = sent(api, {"subject": person.reveal_identifier(), "name": "李小明"})
    assert (made.name_with_code, made.query_name, made.subject) == ("李小明", "", person)
    unknown = sent(api, {"subject": make_citizen_id(4321), "name": LISTED})
    assert (unknown.name_with_code, unknown.query_name, unknown.subject) == (LISTED, "", None)


def test_a_citizen_id_in_the_name_is_masked_and_a_long_name_kept_to_the_limit(api, listed):
    inside = make_citizen_id(4323)
    made = sent(api, {"subject": listed.reveal_identifier(), "name": f"张三{inside}"})
    assert inside[6:14] not in made.name_with_code
    assert made.name_with_code.startswith("张三" + inside[:6])
    long = "宁" * (NAME_LIMIT + 50)
    made = sent(api, {"subject": make_uscc(987_658), "name": long})
    assert made.name_with_code == long[:NAME_LIMIT]


def test_a_check_by_code_alone_or_by_name_alone_has_no_name_beside_a_code(api, listed):
    assert sent(api, {"subject": listed.reveal_identifier()}).name_with_code == ""
    assert sent(api, {"subject": listed.reveal_identifier(), "name": "  "}).name_with_code == ""
    by_name = sent(api, {"name": LISTED})
    assert (by_name.name_with_code, by_name.query_name) == ("", LISTED)


def test_a_decision_on_a_check_the_code_decided_is_refused_as_before(api, listed):
    """The name beside a code that decided makes no check by name (``name_decisions``)."""
    made = sent(api, {"subject": listed.reveal_identifier(), "name": OTHER})
    decided = api.post(
        f"/api/v1/checks/{made.pk}/decisions",
        {"candidate": listed.pk, "same_subject": True, "reason": "营业执照核对一致"},
        content_type="application/json",
    )  # fmt: skip
    assert decided.status_code >= 400


@pytest.fixture
def asked(api, listed):
    """Checks that sent a name beside a code: an organisation's, a person's, and an
    organisation's code with a name that may be a person's; and a check by name."""
    person = SubjectFactory(
        kind=SubjectKind.NATURAL_PERSON, identifier=make_citizen_id(4324), name="王小明"
    )
    return {
        "organisation": sent(api, {"subject": listed.reveal_identifier(), "name": OTHER}),
        "person": sent(api, {"subject": person.reveal_identifier(), "name": "李小明"}),
        "unknown_person": sent(api, {"subject": make_citizen_id(4325), "name": "赵大勇"}),
        "persons_name": sent(api, {"subject": make_uscc(987_659), "name": "张伟"}),
        "by_name": sent(api, {"name": LISTED}),
    }


def test_the_registry_shows_the_name_asked_a_persons_masked(
    asked, reviewer_client, business_date_is_the_real_one
):
    rows = review.page(reviewer_client, kind="check").context["rows"]
    names = {str(uuid.UUID(row.ref)): row.name_asked for row in rows}  # hex on SQLite
    assert names == {
        str(asked["organisation"].pk): OTHER,
        str(asked["person"].pk): "李某",
        str(asked["unknown_person"].pk): "赵某",
        str(asked["persons_name"].pk): "张某",
        str(asked["by_name"].pk): LISTED,  # a check by name shows the name it was made by
    }
    page = review.page(reviewer_client, kind="check").content.decode()
    assert OTHER in page and "李某" in page
    assert "李小明" not in page and "赵大勇" not in page and "张伟" not in page


def test_the_registry_exports_show_the_name_asked(
    asked, reviewer_client, business_date_is_the_real_one
):
    answer = reviewer_client.get("/office/queries/export.csv", {"kind": "check"})
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    column, ref = rows[0].index("所填名称"), rows[0].index("编号")
    shown = {str(uuid.UUID(row[ref])): row[column] for row in rows[1:]}
    assert shown[str(asked["organisation"].pk)] == OTHER
    assert shown[str(asked["person"].pk)] == "李某"
    assert "李小明" not in "".join(",".join(row) for row in rows)
    out = io.StringIO()
    call_command("audit", "queries", "--kind", "check", "--format", "csv", stdout=out)
    exported = list(csv.reader(out.getvalue().splitlines()))
    assert "所填名称" in exported[0] and OTHER in out.getvalue()
    assert "李小明" not in out.getvalue()
    table = io.StringIO()
    call_command("audit", "queries", "--kind", "check", stdout=table)
    assert "所填名称" in table.getvalue() and "李某" in table.getvalue()
    assert "李小明" not in table.getvalue()
