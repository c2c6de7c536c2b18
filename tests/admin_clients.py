"""Back-office clients for tests: an officer logged in with a demo group's admin rights."""

import datetime as dt

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories import OfficerFactory
from xinyong.core import clock
from xinyong.demo.accounts import GROUPS, permissions_for


def admin_as(department, group_name: str) -> Client:
    """An officer of ``department`` (a new one when None) with the demo's admin rights of
    ``group_name``, logged in."""
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.set(permissions_for(GROUPS[group_name]))
    user = (OfficerFactory(department=department) if department else OfficerFactory()).user
    user.is_staff = True
    user.save()
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


def _as_shown(client: Client, url: str, changes: dict) -> dict:
    """The admin form at ``url`` as shown, with ``changes``, as a browser posts it: a check
    box unticked is absent."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields} | changes
    return {
        name: "on" if value is True else "" if value is None else value
        for name, value in data.items()
        if value is not False
    }


def save_list_form(client: Client, definition, day: dt.date, **changes) -> None:
    """Save the list's admin form as shown, with ``changes``, on the business ``day``."""
    url = reverse("admin:listings_listdefinition_change", args=[definition.pk])
    data = _as_shown(client, url, changes)
    with clock.frozen(day):
        answer = client.post(url, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors


def save_measure_form(client: Client, measure, **changes) -> None:
    """Save the measure's admin form as shown, with ``changes``."""
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    answer = client.post(url, _as_shown(client, url, changes))
    assert answer.status_code == 302, answer.context["adminform"].form.errors
