"""Behind the reverse proxy the README describes, a person's address is the one the proxy
forwards, never the proxy's own (R7: anyone may report, each within a budget of their own;
R14: a registration says from where). Only a proxy named in XINYONG_TRUSTED_PROXIES is
believed: anyone may write an X-Forwarded-For header."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.core.cache import caches
from django.test import Client, RequestFactory

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.audit.registrations import client_address
from xinyong.core import clock
from xinyong.listings.models import ListKind
from xinyong.measures.models import Check
from xinyong.reports.models import RedListReport

PROXY = "10.0.0.2"


def _address(remote: str | None, forwarded: str | None = None) -> str | None:
    meta = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return client_address(request)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards(settings):
    settings.XINYONG_TRUSTED_PROXIES = []
    assert _address("203.0.113.9", "198.51.100.7") == "203.0.113.9"
    assert _address(None) is None


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # The proxy appends the address it was reached from; what the client wrote is left of it.
        (PROXY, "198.51.100.7", "198.51.100.7"),
        (PROXY, "1.1.1.1, 198.51.100.7", "198.51.100.7"),
        # Two proxies of the platform's, one behind the other (a network of them).
        (PROXY, "198.51.100.7, 10.0.1.5", "198.51.100.7"),
        (PROXY, "198.51.100.7,10.0.1.5 , 10.0.0.3", "198.51.100.7"),
        # What is not an address is passed over.
        (PROXY, "198.51.100.7, unknown, ", "198.51.100.7"),
        (PROXY, "198.51.100.7, 10.0.1.5:443", "198.51.100.7"),
        (PROXY, "[2001:db8::7]:51234", "2001:db8::7"),
        (PROXY, "2001:db8::7", "2001:db8::7"),
        # Nothing forwarded, or only proxies: the proxy is all that is known.
        (PROXY, None, PROXY),
        (PROXY, "10.0.1.5, not-an-address", PROXY),
        # A peer not named is never believed.
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),
        ("::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7"),
    ],
)
def test_behind_a_trusted_proxy_the_client_is_the_right_most_address_not_a_proxy(
    settings, remote, forwarded, client
):
    settings.XINYONG_TRUSTED_PROXIES = [PROXY, "10.0.1.0/24", "10.0.0.3"]
    assert _address(remote, forwarded) == client


# -- the report budget (R7) -----------------------------------------------------------------


@pytest.fixture
def red(db):
    caches["default"].clear()
    definition = ListDefinitionFactory(kind=ListKind.RED, name="纳税信用A级名单")
    yield ListEntryFactory(subject=SubjectFactory(), list=definition, effective=True)
    caches["default"].clear()


def _report(entry, forwarded: str):
    data = {"facts": "该企业存在偷税行为", "evidence": "税务处理决定书",
            "reporter_name": "王举报人", "reporter_contact": "13812345678"}  # fmt: skip
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    with clock.frozen(dt.date(2026, 11, 10)):
        return client.post(f"/reports/entries/{entry.pk}/", data).status_code


def test_each_person_behind_the_proxy_has_a_report_budget_of_their_own(red, settings):
    """Five reports an hour from one address; behind the proxy that was five for the whole
    public, the sixth reporter of the hour refused whoever they were."""
    settings.XINYONG_TRUSTED_PROXIES = [PROXY]
    settings.XINYONG_REPORTS_PER_HOUR = 2
    assert [_report(red, f"198.51.100.{n}") for n in range(1, 5)] == [200] * 4
    assert [_report(red, "198.51.100.1") for _ in range(2)] == [200, 429]
    # Writing another X-Forwarded-For in front changes nothing: the proxy's entry counts.
    assert _report(red, "192.0.2.44, 198.51.100.1") == 429
    assert RedListReport.objects.count() == 5


def test_an_untrusted_peer_spends_its_own_budget_whatever_it_forwards(red, settings):
    settings.XINYONG_TRUSTED_PROXIES = []
    settings.XINYONG_REPORTS_PER_HOUR = 2
    assert [_report(red, f"198.51.100.{n}") for n in range(1, 4)] == [200, 200, 429]


# -- registrations (R14) --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_check_is_registered_with_the_forwarded_address(settings, api, measures):
    settings.XINYONG_TRUSTED_PROXIES = ["10.0.0.0/30"]
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    payload = {"subject": entry.subject.reveal_identifier(), "scenario": "government_procurement"}
    answer = api.post("/api/v1/checks", payload, content_type="application/json",
                      REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")  # fmt: skip
    assert answer.status_code == 200
    assert Check.objects.get().client_address == "198.51.100.7"


@pytest.mark.django_db
def test_a_page_read_is_registered_with_the_forwarded_address(settings):
    from xinyong.audit.models import QueryRegistration

    settings.XINYONG_TRUSTED_PROXIES = [PROXY]
    person = SubjectFactory(natural_person=True)
    officer = OfficerFactory()
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    client.force_login(officer.user)
    page = client.post(
        f"/office/subjects/{person.pk}/",
        {"purpose": "regulatory_supervision", "purpose_detail": "杭市监检〔2026〕3号"},
    )
    assert page.status_code == 200
    assert QueryRegistration.objects.get().client_address == "198.51.100.8"


@pytest.mark.django_db
def test_a_failed_log_in_is_recorded_with_the_forwarded_address(settings):
    settings.XINYONG_TRUSTED_PROXIES = [PROXY]
    name = OfficerFactory().user.username
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    client.post("/office/login/", {"username": name, "password": "wrong"})
    assert AccessAttempt.objects.get(username=name).ip_address == "198.51.100.9"


# -- the setting ----------------------------------------------------------------------------


def _settings_with(proxies: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = "import xinyong.settings as s; print(s.XINYONG_TRUSTED_PROXIES)"
    return subprocess.run(
        [sys.executable, "-c", code], env={**env, "XINYONG_TRUSTED_PROXIES": proxies},
        capture_output=True, text=True,
    )  # fmt: skip


def test_the_setting_reads_addresses_and_networks_and_refuses_anything_else():
    read = _settings_with(" 10.0.0.2, 10.0.1.0/24 ,2001:db8::/32,")
    assert read.stdout.strip() == "['10.0.0.2/32', '10.0.1.0/24', '2001:db8::/32']", read.stderr
    assert _settings_with("").stdout.strip() == "[]"
    refused = _settings_with("10.0.0.2, proxy.internal")
    assert refused.returncode != 0 and "XINYONG_TRUSTED_PROXIES" in refused.stderr
