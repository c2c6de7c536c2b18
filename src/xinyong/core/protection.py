"""Citizen IDs at rest and in logs: encryption, a keyed look-up hash, masking (R14; 001 §13).

A citizen ID (公民身份号码, GB 11643-1999, and the residence permits with 81/82/83 in the place
of a region) is stored only as

* a ciphertext: AES-GCM under a key of a numbered version, the version written in front
  (``v2:…``), so that keys can rotate and old rows still open;
* a keyed hash: HMAC-SHA256 of the normalised ID under a key of its own, for unique look-up
  and joins — equal IDs give equal digests, and without the key a digest cannot be recomputed
  from a guessed ID;
* a masked form for pages (first 6 and last 4 characters, DOMAIN.md §4).

Both keys are derived (HKDF-SHA256, separate labels) from the secrets given; nothing here
knows where they come from. Organisations' codes are public identifiers and stay in clear.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import logging
import os
import re
from collections.abc import Container, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from xinyong.core import clock
from xinyong.core.identifiers import (
    AUTHORITIES,
    EARLIEST_BIRTH_YEAR,
    RESIDENCE_PERMIT_REGIONS,
    USCC_ALPHABET,
    citizen_id_check_character,
    region_names,
    uscc_check_character,
)
from xinyong.core.masking import mask_id_number

MIN_SECRET_LENGTH = 32  # characters of an explicit secret: e.g. secrets.token_urlsafe(32)
NONCE_BYTES = 12
# Bound into every ciphertext: a ciphertext made for something else does not open as an ID.
ASSOCIATED_DATA = b"xinyong citizen id"
_ENTRY = re.compile(r"(?P<version>[0-9]{1,4}):(?P<secret>.+)")
_SEALED = re.compile(r"v(?P<version>[0-9]{1,4}):(?P<body>[A-Za-z0-9_-]+=*)")

# Something shaped like a citizen ID: a region whose first digit is not 0, a birth year from
# 1800 on with any four digits for month and day, three digits and a check character; not
# inside a longer run of letters or digits. Shape only, with no check of the date nor of the
# last character: a mistyped ID (month 13, a wrong check digit) is still personal data.
# The look-behind follows the first digit, two characters wide, rather than leading the
# pattern: a pattern that starts with a character set lets the engine skip to the next digit,
# where a leading look-behind is tried at every character (a third of the time of a search of
# a penalty row's text). At the start of the text there are no two characters to look at, and
# the look-behind holds, as the leading one did.
CITIZEN_ID_SHAPE = re.compile(
    r"[1-9](?<![0-9A-Za-z].)[0-9]{5}(?:18|19|20)[0-9]{6}[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)
# The same, or an old first-generation ID (GB 11643-1989: 15 digits, a region, the birth date
# as YYMMDD, three digits and no check character) with a month and a day that may be real.
# Fifteen digits are also what many batch and document numbers have, so a 15-digit run is
# taken for an ID only when ``is_legacy_citizen_id`` also finds a province and a real date.
# A run of either length may follow Latin letters (ID11010519491231002X, ID110105491231002,
# No.…): people write a label so. Where the letter before it starts an organisation's code
# (N + 17 digits), ``_masked`` keeps it. A contract's or a batch's number after letters
# (HT202312310001234) is kept as any other 15 digits are: it reads as no ID, with no province
# or no real birth date; one that does read as an ID is masked, as 18 digits there are (R14:
# a number masked by mistake is a small harm, a person's ID in clear a breach). Letters may
# follow it too (11010519491231002Xabc, an ID run into a remark's Latin text): only a digit
# after it makes it part of a longer number.
CITIZEN_ID_RUN = re.compile(
    r"[1-9](?<![0-9].)[0-9]{5}(?:(?:18|19|20)[0-9]{9}[0-9Xx]"
    r"|[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3})"
    r"(?![0-9])"
)
# An ID a character or two short or long (a digit dropped or typed twice): 16, 17 or 19
# characters with a birth year where an ID has one. Such a run is a person's only when
# ``could_be_a_mistyped_citizen_id`` finds a province and a date a person could have in
# positions 7–14; the birth date must not show for a typo (DOMAIN §4).
MISTYPED_CITIZEN_ID_RUN = re.compile(
    r"[1-9](?<![0-9].)[0-9]{5}(?:18|19|20)[0-9]{6}"
    r"(?:[0-9]{2}|[0-9]{3}|[0-9]{4}[0-9Xx]|[0-9][Xx]|[0-9]{2}[Xx])(?![0-9])"
)
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# The provinces of GB/T 2260 when first-generation IDs were issued (Chongqing's 50 from 1997).
LEGACY_ID_PROVINCES = frozenset(
    ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65"]
)  # fmt: skip


class ProtectionError(Exception):
    """A ciphertext that cannot be opened: a wrong or missing key, or altered data."""


class DamagedCiphertext(ProtectionError):
    """A ciphertext that no key could open as it stands: not whole base64, or too short to hold
    a nonce and a tag (cut short, or edited by hand). Unlike an altered one, it says nothing of
    the key."""


TAG_BYTES = 16  # AES-GCM's authentication tag
DAMAGED = "the ciphertext is damaged"  # how a DamagedCiphertext's message begins


def _derive(secret: str, label: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xinyong", info=label.encode()).derive(
        secret.encode()
    )


class KeyRing:
    """The numbered secrets: the highest version encrypts, every version listed decrypts.

    The look-up key comes from the lowest version listed, so adding a new version to rotate
    the encryption key leaves every stored digest valid.
    """

    def __init__(self, secrets: Mapping[int, str]) -> None:
        if not secrets:
            raise ValueError("no data key")
        self.current = max(secrets)
        self.versions = frozenset(secrets)
        self._ciphers = {v: AESGCM(_derive(s, f"encryption v{v}")) for v, s in secrets.items()}
        # Keyed once: each digest copies the keyed state instead of keying again, which
        # halves the cost of a digest (batch screening hashes every row's code).
        self._lookup = hmac.new(_derive(secrets[min(secrets)], "look-up hash"), digestmod="sha256")

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """``SECRET`` (version 1) or ``VERSION:SECRET`` items separated by commas."""
        secrets: dict[int, str] = {}
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            match = _ENTRY.fullmatch(item)
            version, secret = (int(match["version"]), match["secret"]) if match else (1, item)
            if len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(f"the secret of version {version} is shorter than "
                                 f"{MIN_SECRET_LENGTH} characters")  # fmt: skip
            if version in secrets:
                raise ValueError(f"version {version} is listed twice")
            secrets[version] = secret
        return cls(secrets)

    @classmethod
    def from_secret_key(cls, secret_key: str) -> KeyRing:
        """For development and tests only: one version derived from the framework's secret."""
        return cls({1: "derived from the secret key: " + secret_key})

    def seal(self, plaintext: str) -> str:
        """``v<version>:<base64url(nonce | ciphertext | tag)>``; a fresh nonce every time."""
        nonce = os.urandom(NONCE_BYTES)
        body = self._ciphers[self.current].encrypt(nonce, plaintext.encode(), ASSOCIATED_DATA)
        return f"v{self.current}:" + base64.urlsafe_b64encode(nonce + body).decode()

    def open(self, sealed: str) -> str:
        match = _SEALED.fullmatch(sealed or "")
        if match is None:
            raise ProtectionError("not a ciphertext")
        cipher = self._ciphers.get(int(match["version"]))
        if cipher is None:
            raise ProtectionError(f"no key of version {match['version']}")
        try:  # a ciphertext cut short or edited by hand is refused, never a decoder's error
            raw = base64.urlsafe_b64decode(match["body"])
        except binascii.Error:
            raise DamagedCiphertext(f"{DAMAGED}: not whole base64") from None
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise DamagedCiphertext(f"{DAMAGED}: too short for its nonce and tag")
        try:
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], ASSOCIATED_DATA).decode()
        except InvalidTag:
            raise ProtectionError("the key does not open this ciphertext") from None

    def is_current(self, sealed: str) -> bool:
        """Whether a ciphertext is under the current version (else: re-encrypt it)."""
        return sealed.startswith(f"v{self.current}:")

    def digest(self, normalized: str) -> str:
        """HMAC-SHA256 of an identifier already normalised, as 64 hex digits."""
        keyed = self._lookup.copy()
        keyed.update(normalized.encode())
        return keyed.hexdigest()


def is_organisations_code(text: str) -> bool:
    """A run of ID shape that reads only as an organisation's code: its USCC check character
    is right, its citizen-ID one is not, and no person can have been given it, mistyped or not
    (``could_be_a_mistyped_citizen_id``): an all-digit code of a county whose number ends in
    18–20, such as Yanqing's 110119, after an enterprise's 91 or with an organisation number
    that reads as no date. A person's ID with a typo fails the citizen-ID check and passes the
    USCC's one time in 31: with a real province and a date a typo could have made, it stays a
    person's (R14), as one that fails both does. A company's code masked by mistake is a small
    harm; a person's ID in clear is a breach."""
    first17, last = text[:17].upper(), text[17].upper()
    # The citizen-ID character first: it settles most runs (a person's ID is right), at a
    # tenth of the cost of the USCC's (1.4 µs against 12 µs through stdnum, here).
    if citizen_id_check_character(first17) == last or uscc_check_character(first17) != last:
        return False
    return not could_be_a_mistyped_citizen_id(first17)


def could_be_a_mistyped_citizen_id(text: str) -> bool:
    """Whether 17 digits or more read as the start of a person's ID, typo or not (GB 11643-1999,
    DOMAIN §4): a province that issues IDs (or a residence permit's 81–83), then a birth date
    from 1900 that is not after the business date, with a month from 01 to 12 and a day from
    01 to 31. The day is not checked against its month: 0230 is 0203 or 0220 mistyped, and a
    typo does not make an ID any less a person's. A month 13, a day 00 or 32, a year before
    1900 or to come is what an organisation's number shows, never a date given to a person."""
    province = text[:2] + "0000"
    if province not in RESIDENCE_PERMIT_REGIONS and region_names(province)[0] is None:
        return False
    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    if year < EARLIEST_BIRTH_YEAR or not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    today = clock.today()
    return (year, month, day) <= (today.year, today.month, today.day)


def looks_like_citizen_id(value: str) -> bool:
    """Whether the whole value has a citizen ID's shape and is not an organisation's code
    (``is_organisations_code``: a mistyped ID that passes the USCC's check is a person's)."""
    text = value.strip()
    return CITIZEN_ID_SHAPE.fullmatch(text) is not None and not is_organisations_code(text)


def is_legacy_citizen_id(text: str) -> bool:
    """Whether 15 digits read as a first-generation citizen ID: a province, then a real birth
    date YYMMDD in the 1900s (R14)."""
    if len(text) != 15 or not text.isdigit() or text[:2] not in LEGACY_ID_PROVINCES:
        return False
    try:
        dt.date(1900 + int(text[6:8]), int(text[8:10]), int(text[10:12]))
    except ValueError:
        return False
    return True


def _in_a_code(match: re.Match) -> bool:
    """Whether the run is the tail of an organisation's code that a Latin letter starts (a USCC
    of authority N or Y, or with a letter in its organisation number, has digits after it):
    the 18 characters from the letter before the run are a valid USCC."""
    start = match.start()
    if start == 0 or match.string[start - 1] not in _LATIN:
        return False
    code = match.string[start - 1 : start + 17].upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    # A letter that registers no organisation (the D of ID) starts no code, whatever its check
    # character happens to be.
    authority = AUTHORITIES.get(code[0])
    if authority is None or code[1] not in authority[1]:
        return False
    return uscc_check_character(code[:17]) == code[17]


def _masked(match: re.Match) -> str:
    text = match.group()
    if _in_a_code(match):
        return text
    if len(text) == 15:
        return mask_id_number(text) if is_legacy_citizen_id(text) else text
    return text if is_organisations_code(text) else mask_id_number(text)


def _masked_typo(match: re.Match) -> str:
    text = match.group()
    if _in_a_code(match) or not could_be_a_mistyped_citizen_id(text):
        return text
    return mask_id_number(text)


# An input method in full-width mode types a whole ID so: １１０１０５…００２Ｘ. Such a run is
# found as the ASCII it stands for; the fold maps one character to one, so positions hold.
_FULL_WIDTH_DIGIT = re.compile("[０-９]")
_FOLD = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def _folded(text: str) -> str:
    """``text`` with full-width digits and X as ASCII, or ``text`` itself when it has none."""
    return text.translate(_FOLD) if _FULL_WIDTH_DIGIT.search(text) else text


def has_citizen_id_run(text: str) -> bool:
    """Whether ``mask_citizen_ids`` could change ``text``: a quick test before masking."""
    folded = _folded(text)
    return (
        CITIZEN_ID_RUN.search(folded) is not None
        or MISTYPED_CITIZEN_ID_RUN.search(folded) is not None
    )


def _substituted(text: str, pattern: re.Pattern, replace) -> str:
    folded = _folded(text)
    if folded is text:
        return pattern.sub(replace, text)
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        masked = replace(match)
        if masked != match.group():
            pieces += [text[last : match.start()], masked]
            last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def mask_citizen_ids(text: str) -> str:
    """Every citizen-ID-shaped run in ``text`` masked to its first 6 and last 4 characters,
    unless it reads only as an organisation's code; every 15-digit run that reads as a
    first-generation ID; and every run of 16, 17 or 19 characters that reads as a mistyped ID
    (``MISTYPED_CITIZEN_ID_RUN``). Full-width digits count as digits; the rest of the text is
    kept as written."""
    if len(text) < 15:
        return text
    text = _substituted(text, CITIZEN_ID_RUN, _masked)
    return _substituted(text, MISTYPED_CITIZEN_ID_RUN, _masked_typo)


def mask_refused_code(text: str) -> str:
    """A code refused as no valid identifier, as an answer or a report repeats it (R14): every
    character past the first 6 and before the last 4 masked, whatever it holds. Nobody knows
    whose a refused code is, and it may hold a person's ID that no pattern finds as one: two
    written back to back (``CITIZEN_ID_RUN`` needs no digit after an ID), one parted by
    hyphens, one after a label; its birth date must not show (DOMAIN.md §4). The caller sent
    the code and knows it; the reason says what is wrong with it."""
    return mask_id_number(text)


def mask_citizen_ids_in(value):
    """The same through lists, tuples and dictionaries (a record's content, a report row)."""
    if isinstance(value, str):
        return mask_citizen_ids(value)
    if isinstance(value, dict):
        return {k: mask_citizen_ids_in(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_citizen_ids_in(v) for v in value)
    return value


class CitizenIdLogFilter(logging.Filter):
    """Masks citizen IDs in every log record: the message with its arguments, the traceback.

    It never drops a record. The message is formatted here only when masking changes it; the
    record then carries the masked text and no arguments.
    """

    mask = staticmethod(mask_citizen_ids)  # how a message is masked; a subclass may read more

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it itself, later
            return True
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_citizen_ids(record.stack_info)
        return True


def stored_key_mismatch(ring: KeyRing, digest: str, *, sealed: str = "", clear: str = "") -> str:
    """Why ``ring`` is not the key a stored identifier was written under, or "" when it is.

    The identifier is given as stored: its look-up ``digest`` and either its ciphertext
    (``sealed``) or, for a code kept in clear, the code (``clear``). The ring must open the
    ciphertext, and the value must hash to the stored digest: a process whose key differs from
    the server's writes what the server can neither open nor look up (R14). Both are compared
    as written: a stored value is normalised already, so a later rule of normalisation does
    not make a right key look wrong."""
    if sealed:
        try:
            clear = ring.open(sealed)
        except ProtectionError as error:
            return str(error)
    if not hmac.compare_digest(ring.digest(clear), digest):
        return "the look-up hash of a stored identifier differs from the one this key gives"
    return ""


# An 18-character run in an ID's shape, ASCII or full width (``mask_citizen_ids`` reads both),
# in the syntax both Python's ``re`` and PostgreSQL's ``~`` read: for a database to pick the
# rows whose text may hold an ID or a code that may be one in clear, cheaply, before they are
# read. It finds candidates only, with no boundary: what is masked is ``mask_citizen_ids``'s
# to say.
ID_RUN_EITHER_WIDTH = (
    "[1-9１-９][0-9０-９]{5}([1１][89８９]|[2２][0０])[0-9０-９]{9}[0-9０-９XxＸｘ]"
)
_EIGHTEEN = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def shows_in_clear(text: str, masked: Container[str]) -> bool:
    """Whether ``text`` holds, in clear, a run of 18 characters (ASCII or full width) that
    ``mask_id_number`` masks to one of ``masked``: a copy of a code stored masked (R14). The
    masked form keeps the first 6 and last 4 characters; a run that shares them may be another
    code, which is why the caller masks with ``mask_citizen_ids`` rather than by this test."""
    return any(
        mask_id_number(run.group().upper()) in masked for run in _EIGHTEEN.finditer(_folded(text))
    )
