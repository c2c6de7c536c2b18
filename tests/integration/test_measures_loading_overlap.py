"""Two measures of one name are one measure twice only where both could follow from one entry,
for one department, in one scenario and on one target (R1, R10): 限制参加政府采购活动 for the tax
domain's black list under the tax rules and for the food domain's under 《食品安全法》 are two
measures, each with its own legal basis. The loader, file against file and file against the
list, and the admin decide it alike (``loading_duplicates.could_both_apply``)."""

import pytest

from tests.check_clients import DECIDED_ON, check, client_for, decided
from tests.factories import (
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
)
from tests.integration.test_measures_loading import HEADER, write_csv
from tests.integration.test_measures_loading_duplicates import refused_with
from xinyong.core import clock
from xinyong.listings.models import ListKind
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Measure, Scenario
from xinyong.subjects.models import Domain

pytestmark = pytest.mark.django_db

NAME = "限制参加政府采购活动"
TAX_BASIS = "《重大税收违法失信主体信息公布管理办法》第十四条"
FOOD_BASIS = "《中华人民共和国食品安全法》第一百三十五条"
TAX = ["1", NAME, "限制其参加政府采购活动", "单位", TAX_BASIS, "省", "每次", "惩戒", "强制性",
       "严重失信主体名单", "tax", "government_procurement"]  # fmt: skip
FOOD = ["2", NAME, "限制其参加政府采购活动", "单位", FOOD_BASIS, "省", "每次", "惩戒", "强制性",
        "严重失信主体名单", "food_drugs", "government_procurement"]  # fmt: skip
TWICE = "同一措施不得以两个编号同时有效"


@pytest.fixture(autouse=True)
def reference():
    DomainFactory(code="food_drugs", name="食品药品")
    DomainFactory(code="tax", name="税务")
    ScenarioFactory(code="government_procurement", name="政府采购")
    ScenarioFactory(code="fiscal_funds", name="财政资金")


def load(tmp_path, rows, name="m.csv", **options):
    return load_measures_file(write_csv(tmp_path / name, rows), actor="officer", **options)


def bases() -> list[tuple[str, str]]:
    return list(Measure.objects.filter(is_active=True).order_by("code")
                .values_list("code", "legal_basis"))  # fmt: skip


def changed(row, **cells):
    columns = {"sequence": 0, "targets": 3, "kinds": 9, "domains": 10, "scenarios": 11}
    row = list(row)
    for field, value in cells.items():
        row[columns[field]] = value
    return row


# -- in one file ------------------------------------------------------------------------------


def test_one_name_in_two_domains_loads_as_two_measures_each_with_its_basis(tmp_path):
    assert load(tmp_path, [HEADER, TAX, FOOD]).created == ("m001", "m002")
    assert bases() == [("m001", TAX_BASIS), ("m002", FOOD_BASIS)]


def test_a_check_returns_the_measure_of_the_entrys_domain_with_its_basis(tmp_path):
    load(tmp_path, [HEADER, TAX, FOOD])
    tax = Domain.objects.get(code="tax")
    entry = decided([NAME], list=ListDefinitionFactory(kind=ListKind.BLACK, domain=tax))
    api = client_for(DepartmentFactory(implementing=True), ["government_procurement"])
    with clock.frozen(DECIDED_ON):
        body = check(api, subject=entry.subject.reveal_identifier(),
                     scenario="government_procurement").json()  # fmt: skip
    assert [(m["code"], m["legal_basis"]) for m in body["measures"]] == [("m001", TAX_BASIS)]


@pytest.mark.parametrize(
    "other",
    [
        changed(FOOD, kinds="重点关注名单"),
        changed(FOOD, domains="tax", scenarios="fiscal_funds"),
        changed(FOOD, domains="tax", targets="法定代表人"),
    ],
    ids=["list-kinds", "scenarios", "targets"],
)
def test_one_name_that_cannot_follow_from_one_entry_loads_twice(tmp_path, other):
    assert load(tmp_path, [HEADER, TAX, other]).created == ("m001", "m002")


@pytest.mark.parametrize(
    "other",
    [
        changed(FOOD, domains="全部"),
        changed(FOOD, domains="tax、food_drugs"),
        changed(
            FOOD,
            domains="tax",
            kinds="严重失信主体名单;重点关注名单",
            scenarios="government_procurement;fiscal_funds",
            targets="单位及其法定代表人",
        ),
    ],
    ids=["every-domain", "domains-meet", "all-meet"],
)
def test_one_name_that_could_follow_from_one_entry_is_refused(tmp_path, other):
    assert refused_with(write_csv(tmp_path / "m.csv", [HEADER, TAX, other])) == [
        f"第 3 行：措施“{NAME}”（惩戒，编号 m002）与第 2 行（编号 m001）重复：{TWICE}"
    ]
    assert not Measure.objects.exists()


def test_departments_decide_as_domains_do(tmp_path):
    DepartmentFactory(code="tax-office", name="税务局", implementing=True)
    DepartmentFactory(code="market", name="市场监管局", implementing=True)
    header = [*HEADER, "实施部门"]
    apart = [header, [*changed(TAX, domains="全部"), "tax-office"],
             [*changed(FOOD, domains="全部"), "market"]]  # fmt: skip
    assert load(tmp_path, apart).created == ("m001", "m002")
    every = [header, [*changed(FOOD, sequence="3", domains="全部"), "全部"]]
    errors = refused_with(write_csv(tmp_path / "every.csv", every))
    assert errors[0].startswith(f"第 2 行：措施“{NAME}”（惩戒，编号 m003）与现有有效措施 "
                                "m001、m002 重复")  # fmt: skip


def test_a_row_pasted_twice_is_still_refused(tmp_path):
    assert refused_with(
        write_csv(tmp_path / "m.csv", [HEADER, TAX, changed(TAX, sequence="7")])
    ) == [f"第 3 行：措施“{NAME}”（惩戒，编号 m007）与第 2 行（编号 m001）重复：{TWICE}"]


# -- against the list in force ----------------------------------------------------------------


def test_a_file_adds_the_measure_of_another_domain_beside_one_in_force(tmp_path):
    load(tmp_path, [HEADER, TAX])
    assert load(tmp_path, [HEADER, FOOD], name="food.csv").created == ("m002",)
    assert bases() == [("m001", TAX_BASIS), ("m002", FOOD_BASIS)]


def test_a_renumbered_reload_is_still_refused(tmp_path):
    load(tmp_path, [HEADER, TAX, FOOD])
    errors = refused_with(write_csv(tmp_path / "v2.csv", [
        HEADER, changed(TAX, sequence="5"), changed(FOOD, sequence="6")]))  # fmt: skip
    assert [error[:40] for error in errors] == [
        f"第 2 行：措施“{NAME}”（惩戒，编号 m005）与现有有效措施 m001 重复"[:40],
        f"第 3 行：措施“{NAME}”（惩戒，编号 m006）与现有有效措施 m002 重复"[:40],
    ]


def test_a_measure_of_every_domain_meets_each_in_force(tmp_path):
    load(tmp_path, [HEADER, TAX, FOOD])
    errors = refused_with(
        write_csv(tmp_path / "all.csv", [HEADER, changed(TAX, sequence="9", domains="全部")])
    )
    assert errors[0].startswith(f"第 2 行：措施“{NAME}”（惩戒，编号 m009）与现有有效措施 "
                                "m001、m002 重复")  # fmt: skip


def test_a_file_without_domains_keeps_each_codes_domains(tmp_path):
    """Without 领域 a row keeps the domains its code has: the two stay apart, and reload."""
    load(tmp_path, [HEADER, TAX, FOOD])
    header = HEADER[:10] + HEADER[11:]
    rows = [header, TAX[:10] + TAX[11:], FOOD[:10] + FOOD[11:]]
    assert load(tmp_path, rows, name="no-domains.csv").unchanged == ("m001", "m002")


# -- the admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    return client


def test_the_admin_adds_the_measure_of_another_domain_and_refuses_one_of_every(admin_client):
    procurement = Scenario.objects.get(code="government_procurement")
    tax, food = Domain.objects.get(code="tax"), Domain.objects.get(code="food_drugs")
    measure = MeasureFactory(code="m001", name=NAME, legal_basis=TAX_BASIS,
                             targets=["organisation"])  # fmt: skip
    measure.scenarios.add(procurement)
    measure.domains.add(tax)
    form = {"code": "m002", "name": NAME, "content": "限制", "type": "punishment",
            "mandatory": "on", "legal_basis": FOOD_BASIS, "list_kinds": ["black"],
            "targets": ["organisation"], "scenarios": [procurement.pk],
            "is_active": "on"}  # fmt: skip
    refused = admin_client.post("/admin/measures/measure/add/", form)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors.as_data()["name"]
    assert [error.code for error in errors] == ["duplicate-active-measure"]
    added = admin_client.post("/admin/measures/measure/add/", form | {"domains": [food.pk]})
    assert added.status_code == 302
    assert bases() == [("m001", TAX_BASIS), ("m002", FOOD_BASIS)]
