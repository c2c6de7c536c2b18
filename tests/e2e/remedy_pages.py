"""What the browser tests of a subject's remedies share (R6 objections, R8 repair): the
subject's own account and an officer of the department concerned, logging in through the login
form, and the PDF the subject sends from its disk."""

from tests.factories import OfficerFactory, UserFactory
from xinyong.access.models import SubjectAccount

PDF = b"%PDF-1.4\n%%EOF\n"


def accounts(subject, department) -> None:
    """``subject``'s own account, ``zhuti``, and an officer of ``department``, ``renyuan``."""
    SubjectAccount.objects.create(user=UserFactory(username="zhuti"), subject=subject)
    OfficerFactory(user__username="renyuan", department=department)


def log_in(page, url, username, lands_on):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.click("main button[type=submit]")
    page.wait_for_url(lands_on)
