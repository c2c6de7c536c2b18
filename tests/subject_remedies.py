"""What the tests of a subject's remedies share (R6 objections, R8 repair, R4 leaving a red
list): the subject and its own account, that account logged in, a directory of the test's own
for the files sent, and the PDF a subject sends as evidence or as repair materials."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import SubjectFactory, UserFactory
from xinyong.access.models import SubjectAccount

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
# The materials every repair application needs (R8), and what the subject's files are called
# where a test reads the names back.
NEEDED = ("fulfilment", "commitment")
NAMED = {"fulfilment": "缴款凭证.pdf", "commitment": "信用承诺书.pdf", "training": "培训证明.pdf"}


@pytest.fixture(autouse=True)
def stored_files(settings, tmp_path):
    """Evidence and materials are kept under the test's own directory, not the platform's."""
    settings.VAR_DIR = tmp_path


@pytest.fixture
def me():
    return SubjectFactory(name="杭州某某科技有限公司")


@pytest.fixture
def account(me):
    user = UserFactory(username="zhuti")
    SubjectAccount.objects.create(user=user, subject=me)
    return user


@pytest.fixture
def client(account) -> Client:
    return logged_in(account)


def logged_in(user) -> Client:
    """A browser session of ``user``."""
    client = Client()
    client.force_login(user)
    return client


def account_of(subject, **user_fields):
    """A new user given ``subject``'s own account."""
    user = UserFactory(**user_fields)
    SubjectAccount.objects.create(user=user, subject=subject)
    return user


def pdf(name, body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def materials(kinds=NEEDED, names=None):
    """One PDF of each kind of ``kinds``, called as ``names`` says, else after its kind."""
    return {kind: [pdf(names[kind] if names else f"{kind}.pdf")] for kind in kinds}
