"""Report rows kept before they said whether they name a natural person are marked by the
migration that adds the mark, so that reading them is registered (R14)."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory
from tests.migration_steps import migrate, migrate_to_latest

BEFORE = [("catalog", "0005_rest_day_collections_are_late")]
AFTER = [("catalog", "0006_report_rows_name_natural_persons")]


@pytest.mark.django_db(transaction=True)
def test_earlier_rows_of_persons_are_marked_by_their_kind_or_their_id_number():
    try:
        department = DepartmentFactory()
        apps = migrate(BEFORE)
        job_model, row_model = (
            apps.get_model("catalog", "ImportJob"),
            apps.get_model("catalog", "ReportRow"),
        )

        def job(columns, *rows):
            made = job_model.objects.create(
                kind="penalties", department_id=department.pk, actor="t", file_name="p.csv",
                file_path="p.csv", file_sha256=str(len(columns)) * 64, file_format="csv",
                business_date=dt.date(2026, 11, 20), columns=columns, status="done",
            )  # fmt: skip
            for number, values in enumerate(rows, start=1):
                row_model.objects.create(job=made, row_number=number, outcome="quarantined",
                                         reasons=[], values=values)  # fmt: skip
            return made

        current = job(["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_ZJHM"],
                      ["张三", "自然人", ""], ["某公司", "法人及非法人组织", ""])  # fmt: skip
        older = job(["行政相对人名称", "统一社会信用代码", "居民身份证号"],
                    ["李四", "", "110105********1234"],
                    ["某公司", "91330100MA27XXXX0X", ""])  # fmt: skip
        apps = migrate(AFTER)
        rows = apps.get_model("catalog", "ReportRow").objects
        marked = set(rows.filter(names_natural_person=True).values_list("job_id", "row_number"))
        assert marked == {(current.pk, 1), (older.pk, 1)}
    finally:
        # Apps whose migrations follow catalog's were moved back with it (R14's tests run on).
        migrate_to_latest()
