"""``xinyong demo`` makes an account for every role (R14) and prints how to log in with it."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from xinyong.access.roles import Role, role_of
from xinyong.core import clock

pytestmark = pytest.mark.django_db

ROLES = {
    "admin": Role.CREDIT_ADMIN,
    "xyb_admin": Role.CREDIT_ADMIN,
    "xyb_reviewer": Role.CREDIT_REVIEWER,
    "scjg_officer": Role.RECOGNIZING_OFFICER,
    "scjg_signer": Role.SIGNING_OFFICER,
    "zhuti_person": Role.SUBJECT,
    "zhuti_company": Role.SUBJECT,
}


@pytest.fixture
def printed(settings, tmp_path) -> str:
    settings.VAR_DIR = tmp_path  # the demo's evidence files go to a scratch data directory
    out = io.StringIO()
    with clock.frozen(dt.date(2026, 9, 21)):
        call_command("demo", "--subjects", "300", "--seed", "7", stdout=out)
    return out.getvalue()


def test_every_role_has_a_demo_account_and_the_token_line_stays_last(printed):
    users = get_user_model().objects
    for username, role in ROLES.items():
        assert re.search(rf"username:\s+{username}\s+password: xinyong-demo", printed), username
        assert role_of(users.get(username=username)) is role, username
    assert "http://127.0.0.1:8000/login/" in printed
    assert printed.strip().splitlines()[-1].startswith("API token (")


def test_the_demo_subjects_log_in_at_the_portal_and_see_themselves(printed):
    for username, kind in (("zhuti_person", "natural_person"), ("zhuti_company", "legal_person")):
        client = Client()
        answer = client.post("/login/", {"username": username, "password": "xinyong-demo"})
        assert (answer.status_code, answer["Location"]) == (302, "/my/")
        assert client.get("/my/").status_code == 200
        assert client.get("/api/v1/me").json()["subject"]["kind"] == kind
