"""The data key from the settings, and what a subject's identifier becomes at rest (R14).

``XINYONG_DATA_KEY`` holds the secrets (see ``xinyong.core.protection.KeyRing.parse``). When it
is not set — development and tests — the keys are derived from ``SECRET_KEY``, and the deploy
check ``subjects.E001`` refuses that for production.
"""

from __future__ import annotations

import dataclasses
import functools

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from xinyong.core.identifiers import normalize_identifier
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import KeyRing, looks_like_citizen_id
from xinyong.settings import INSECURE_DEFAULT_SECRET_KEY


@functools.lru_cache(maxsize=4)
def _keyring(data_key: str, secret_key: str) -> KeyRing:
    return KeyRing.parse(data_key) if data_key else KeyRing.from_secret_key(secret_key)


def keyring() -> KeyRing:
    """The data key's ring; refused when it would come from the built-in development key.

    Identifiers are stored and looked up by their keyed hash (R14), so a command run with
    another key than the data's finds no one and records every subject again: a cron job or a
    command typed with no key in its environment silently split the data. The built-in key is
    taken only with DEBUG on, or where the tests allow it (``XINYONG_DEVELOPMENT_KEY_ALLOWED``).
    """
    data_key = getattr(settings, "XINYONG_DATA_KEY", "")
    secret_key = settings.SECRET_KEY
    development = not data_key and secret_key == INSECURE_DEFAULT_SECRET_KEY
    if development and not (settings.DEBUG or _development_key_allowed()):
        raise ImproperlyConfigured(NO_KEY)
    return _keyring(data_key, secret_key)


def _development_key_allowed() -> bool:
    return getattr(settings, "XINYONG_DEVELOPMENT_KEY_ALLOWED", False)


NO_KEY = (
    "Neither XINYONG_DATA_KEY nor SECRET_KEY is set, so identifiers cannot be stored or looked "
    "up with the key the data was stored with. Set them in the environment as the server has "
    "them (after `make demo`, var/secret_key is read by itself when run from the project)."
)


def identifier_digest(value: str) -> str:
    """The look-up digest of any identifier, normalised first (full width, spaces, case)."""
    return keyring().digest(normalize_identifier(value))


@dataclasses.dataclass(frozen=True)
class StoredIdentifier:
    shown: str  # what the ``identifier`` column holds: a code in clear, an ID masked
    digest: str
    sealed: str  # the ciphertext of a citizen ID (or of a code that may be one); else empty


def stored_identifier(value: str, *, personal: bool) -> StoredIdentifier:
    """The three stored forms of an identifier; ``personal``: it is a citizen ID.

    An organisation's code that may be a person's ID is stored as a person's ID is, masked and
    sealed: 18 digits can be valid both as a USCC and as a citizen ID, and a code for review in
    an ID's shape may be a mistyped ID (``looks_like_citizen_id``, the test that masks IDs in
    free text). A company's code masked by mistake is a small harm; a person's ID in clear is a
    breach (R14, DOMAIN.md §4).
    """
    ring = keyring()
    normalized = normalize_identifier(value)
    digest = ring.digest(normalized)
    if not personal and not looks_like_citizen_id(normalized):
        return StoredIdentifier(normalized, digest, "")
    return StoredIdentifier(mask_id_number(normalized), digest, ring.seal(normalized))


def reveal(sealed: str) -> str:
    """A citizen ID in full, for the few places allowed to show it (the subject itself, an
    authorised officer's page); raises ``ProtectionError`` under a wrong key."""
    return keyring().open(sealed)


@checks.register(checks.Tags.security, deploy=True)
def check_data_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Production needs a data key of its own: one derived from SECRET_KEY would change, and
    lose every stored ID, the day the secret key is rotated."""
    data_key = getattr(settings, "XINYONG_DATA_KEY", "")
    if not data_key:
        return [
            checks.Error(
                "XINYONG_DATA_KEY is not set: citizen IDs would be encrypted under a key derived "
                "from SECRET_KEY.",
                hint="Set XINYONG_DATA_KEY to a random secret of at least 32 characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))', and keep it "
                "apart from the database backups.",
                id="subjects.E001",
            )
        ]
    try:
        KeyRing.parse(data_key)
    except ValueError as error:
        return [checks.Error(f"XINYONG_DATA_KEY is malformed: {error}", id="subjects.E002")]
    return []
