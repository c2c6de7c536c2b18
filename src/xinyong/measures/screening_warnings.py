"""What batch screening says of a row with both a code and a name (item 6, R10, R11; 应查必查:
an implementing department must not miss a listed subject because its supplier list has a typo).

The code decides a row that has one, so its answer is the subject the code names. Two things
are said beside it, in the row's ``reason_code`` and ``reason`` (several codes joined by ``;``,
their messages by ``；``):

* ``name-mismatch``: the code is a known subject's, but the row's name plainly names another
  organisation — compared as a name check compares names (``names.normalize_name``: traditional
  characters, full-width letters, brackets, spaces, 有限责任公司 for 有限公司, the region), so that
  a variant of the same name says nothing. The message names what the platform holds, as the
  row shows it: a person's name masked (R5, R14). Nor may the warning itself tell a person's
  name: were it given whenever the name differs, a file of one ID and many names would find the
  name out. A person's row is warned only from what the row shows already, the masked name (张某:
  the surname), or from the asked name alone (an organisation's, with its legal form).
* ``code-unknown-answered-by-name``: the code is well-formed but nobody has it; the row is
  answered by its name as a row of names is (``screening_names``), unless the name finds nothing.

Only rows with a name are compared or searched, each distinct name normalised once per run.
"""

from __future__ import annotations

import unicodedata
from itertools import compress
from operator import eq, not_
from typing import Any, NamedTuple

from xinyong.core.identifiers import CHECK_CHARACTER_MISMATCH
from xinyong.core.masking import mask_name
from xinyong.core.names import NormalizedName, may_name_the_same, normalize_name, simplified_name
from xinyong.measures.checks import name_too_long
from xinyong.measures.screening_store import PERSON_FLAG, from_csv_field

NAME_MISMATCH = "name-mismatch"
NAME_MISMATCH_MESSAGE = (
    "所填名称与该代码的主体在平台登记的名称“{name}”不一致，本行按代码核查：请核实代码或名称是否填错"
)
CODE_UNKNOWN_BY_NAME = "code-unknown-answered-by-name"
CODE_UNKNOWN_BY_NAME_MESSAGE = "平台中没有该代码的主体，本行按所填名称核查：请核实代码"
# After the check character's own warning, which says already that nobody has the code.
BY_NAME_AFTER_CHECK_CHARACTER = "本行按所填名称核查"

CACHE_LIMIT = 100_000  # distinct names kept normalised per run; beyond, the cache starts afresh


class NameMismatch(NamedTuple):
    """In place of what a known code found (``screening_store``'s map value), on a row whose
    name names another: answered by the code, with a warning."""

    value: Any


class NameComparer:
    """Whether a row's name names another subject than its code: one per run, each distinct
    name normalised once (a run's rows repeat the few names their subjects have)."""

    def __init__(self) -> None:
        self._normalized: dict[str, NormalizedName] = {}

    def mark_mismatches(self, asked: list[str], found: list[Any]) -> None:
        """Put a ``NameMismatch`` in place of what each row's code found (``found``, None where
        nothing) when the row's name (``asked``) names another. A name cell that is the name as
        the map holds it is passed over in C; the others are compared once per distinct name."""
        for at in compress(range(len(asked)), map(not_, map(eq, asked, found))):
            value = found[at]
            if value is None or not asked[at]:
                continue
            if value.__class__ is str:  # a plain organisation's name as a CSV field
                differs = self.names_another(asked[at], from_csv_field(value))
            elif value[1] & PERSON_FLAG:  # judged by what tells nothing of the name (R14)
                differs = self.names_another_than_a_person(asked[at], value[0])
            else:
                differs = self.names_another(asked[at], value[0])
            if differs:
                found[at] = NameMismatch(value)

    def names_another(self, asked: str, held: str) -> bool:
        """Whether ``asked`` (a row's name cell) plainly names another subject than ``held``
        (the name the platform holds for the row's code). A blank name names nobody; one longer
        than any name kept is another's without being read (normalising takes time that grows
        with the text, R14)."""
        asked = asked.strip()
        if not asked or asked == held:
            return False
        if name_too_long(asked):
            return True
        return not may_name_the_same(self._normal(asked), self._normal(held))

    def names_another_than_a_person(self, asked: str, held: str) -> bool:
        """Whether ``asked`` names another than the person whose name is ``held``, judged only
        by what tells nothing of the person's name (R14): the masked names (张某, which the row
        shows), each in simplified characters, and whether ``asked`` is an organisation's name
        (it has a legal form). A person's given name is never compared: its answer would tell
        it."""
        asked = asked.strip()
        if not asked:
            return False
        if name_too_long(asked):
            return True
        masked = mask_name(_folded(asked))
        return masked != mask_name(_folded(held)) or bool(self._normal(asked).legal_form)

    def _normal(self, name: str) -> NormalizedName:
        normal = self._normalized.get(name)
        if normal is None:
            if len(self._normalized) > CACHE_LIMIT:
                self._normalized = {}
            normal = self._normalized[name] = normalize_name(name)
        return normal


def _folded(name: str) -> str:
    """A person's name as a name check reads it: full-width folded, simplified characters, no
    spaces."""
    return simplified_name("".join(unicodedata.normalize("NFKC", name).split()))


def name_mismatch(shown_name: str) -> tuple[str, str]:
    """(code, message) of a known code whose row names another: ``shown_name`` as the row
    shows the subject's name (a person's masked)."""
    return NAME_MISMATCH, NAME_MISMATCH_MESSAGE.format(name=shown_name)


def answered_by_name(code_answer: list[str], named: list[str]) -> list[str]:
    """A row's answer by its name (``named``, as a row of names is answered) with what its
    unknown code said (``code_answer``: a check character that fails) and that the name
    answered in front of its own reason."""
    codes, messages = [], []
    if code_answer[1] == CHECK_CHARACTER_MISMATCH:
        codes += [CHECK_CHARACTER_MISMATCH, CODE_UNKNOWN_BY_NAME]
        messages += [code_answer[2], BY_NAME_AFTER_CHECK_CHARACTER]
    else:
        codes.append(CODE_UNKNOWN_BY_NAME)
        messages.append(CODE_UNKNOWN_BY_NAME_MESSAGE)
    if named[1]:
        codes.append(named[1])
        messages.append(named[2])
    return [named[0], ";".join(codes), "；".join(messages), *named[3:]]
