"""How the audit trail's codes read to a reviewer: actions and object types by their labels
(R14: the trail is reviewable)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from xinyong.listings.workflow import ACTION_NAMES as LISTING_ACTION_NAMES

# What the services record (``audit.services.record(action=…)``), as a reviewer reads it. An
# action missing here is shown by its code, so a new one is never hidden.
ACTION_LABELS = {
    "admin.add": _("Added in the admin"),
    "admin.change": _("Changed in the admin"),
    "admin.delete": _("Deleted in the admin"),
    "calendar.load": _("Working calendar loaded"),
    "calendar.seed": _("Working calendar seeded"),
    "catalog.refused": _("Import refused: not in the catalog"),
    "catalog.tick": _("Catalog's daily run"),
    "check.feedback_corrected": _("Check feedback corrected"),
    "check.feedback_reported": _("Check feedback reported"),
    "demo.load": _("Demonstration data loaded"),
    "demo.reset": _("Demonstration data reset"),
    "import.fail": _("Import failed"),
    "import.finish": _("Import finished"),
    "import.start": _("Import started"),
    "listing.deadlines_recounted": _("Deadlines recounted on the working calendar"),
    "listing.extend": _("Key monitoring extended"),
    "listing.monitor": _("Key monitoring started"),
    "listing.propose": _("Listing proposed"),
    "listing.shorten": _("Key monitoring shortened"),
    "listing.tick": _("Lists' daily run"),
    "measures.load": _("Measures list loaded"),
    "name_decision.recorded": _("Name decision recorded"),
    "remedies.red_list_exit.close": _("Request to leave a red list closed: the entry ended"),
    "remedies.red_list_exit.done": _("Request to leave a red list done: the entry exited"),
    "remedies.red_list_exit.request": _("Request to leave a red list received"),
    "remedies.repair.accept": _("Credit repair accepted"),
    "remedies.repair.apply": _("Credit repair applied for"),
    "remedies.repair.reject": _("Credit repair rejected"),
    "report.close": _("Report closed: the entry had already ended"),
    "report.dismiss": _("Report found untrue"),
    "report.found": _("Report found true"),
    "report.receive": _("Report received"),
    "screening.run": _("Screening run"),
    "subjects.rekey": _("Data keys rotated"),
    "submission.confirm_update": _("Submission list update confirmed"),
    "submission.deadlines_recounted": _("Submission list update deadlines recounted"),
    "submission.register_change": _("Change of law or duty registered"),
    "token.create": _("API token created"),
    "token.revoke": _("API token revoked"),
    "typical_case.drafted": _("Typical case drafted"),
    "typical_case.edit": _("Typical case edited"),
    "typical_case.publish": _("Typical case published"),
    "typical_case.withdraw": _("Typical case withdrawn"),
}
# Rows that are not a model's (``record(obj=(type, id))``), named like the models are.
OBJECT_TYPE_LABELS = {
    "catalog.tick": _("Catalog's daily run"),
    "demo": _("Demonstration data"),
    "keys": _("Data keys"),
    "listings.calendar": _("Working calendar"),
    "listings.tick": _("Lists' daily run"),
    "submissions.calendar": _("Working calendar"),
}


def action_label(code: str) -> str:
    """``listing.sign`` → 名单记录：签发决定; an unknown code as it is."""
    kind, _dot, verb = code.partition(".")
    if kind == "listing" and verb in LISTING_ACTION_NAMES:
        return str(_("List entry: %(action)s") % {"action": LISTING_ACTION_NAMES[verb]})
    return str(ACTION_LABELS.get(code, code))


def object_type_label(code: str) -> str:
    """``measures.checkfeedback`` → the model's verbose name; an unknown type as it is."""
    if code in OBJECT_TYPE_LABELS:
        return str(OBJECT_TYPE_LABELS[code])
    try:
        return str(apps.get_model(code)._meta.verbose_name)
    except (LookupError, ValueError):
        return code


def known_actions() -> list[str]:
    """Every action with a label: what the admin's filter offers without reading the trail."""
    return [*ACTION_LABELS, *(f"listing.{verb}" for verb in LISTING_ACTION_NAMES)]


def known_object_types() -> list[str]:
    """Every object type with a label: the rows not a model's, and the platform's models and
    accounts (an admin edit records any model it shows)."""
    models = [
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("xinyong.") or model._meta.app_label == "auth"
    ]
    return [*OBJECT_TYPE_LABELS, *models]
