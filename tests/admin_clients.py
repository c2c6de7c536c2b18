"""Back-office clients for tests: an officer logged in with a demo group's admin rights."""

from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import OfficerFactory
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
