"""A list is valid no longer than its catalog item publishes (R8; 国办发〔2025〕22号: serious
dishonesty information is published for 1 to 3 years, counted from the decision, and stops
automatically at the maximum).

``ListDefinition.clean`` refuses a new or changed validity beyond the item's maximum; the lists
stored before that, or left beyond it by a later change of their item, are not changed under
their entries but named by a deploy check (``xinyong check --deploy``, reported when serving).
"""

from __future__ import annotations

import datetime as dt

from django.core import checks
from django.db import DatabaseError

from xinyong.core.periods import add_months, period_end

# Four years of decision days: every length a period of months takes, with and without a
# 29 February, and every day of the month it may start on.
_DECISION_DAYS = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(4 * 366))


def validity_outlasts(value: int | None, unit: str, months_max: int) -> bool:
    """Whether an entry valid for ``value`` ``unit`` from its decision (none: until its exit)
    can stay in force after ``months_max`` months from that decision (R8): decided on some day,
    its last day comes after the maximum's. Counted as a signature counts the validity
    (``core.periods.period_end``) and as a record's publication counts its maximum
    (``catalog.publication``)."""
    if not value:  # the signature gives no end: valid until the exit
        return True
    return any(period_end(day, value, unit) > add_months(day, months_max) for day in _DECISION_DAYS)


@checks.register(deploy=True)
def list_validity_within_publication(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Each stored list whose validity outlasts its catalog item's maximum publication."""
    from xinyong.listings.models import ListDefinition

    try:
        lists = list(
            ListDefinition.objects.filter(catalog_item__publication_months_max__isnull=False)
            .select_related("catalog_item")
            .order_by("code")
        )
    except DatabaseError:
        return []  # no database yet, or not migrated: ``xinyong serve`` names the step to run
    found = []
    for definition in lists:
        item = definition.catalog_item
        months = item.publication_months_max
        if not validity_outlasts(definition.validity_value, definition.validity_unit, months):
            continue
        validity = (
            f"for {definition.validity_value} {definition.validity_unit}"
            if definition.validity_value
            else "until the exit"
        )
        found.append(
            checks.Warning(
                f"List {definition.code!r} is valid {validity}, longer than the {months}-month "
                f"maximum publication of its catalog item {item.code!r} (R8).",
                hint="Give the list a validity within the maximum in the admin; entries already "
                "decided keep the validity their decision gave them.",
                obj=definition,
                id="listings.W001",
            )
        )
    return found
