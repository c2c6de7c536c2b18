"""Whom a row is about: the subject's kind and its identifier, checked and staged as the
subject stores it (R14, DOMAIN.md §4).

A USCC that fails only its check characters is accepted with a note, and its subject is kept
for review. A person's valid citizen ID in the USCC column is refused. A citizen ID, and an
organisation's code that may be one, is staged masked, hashed and encrypted.
"""

from __future__ import annotations

from collections.abc import Callable

from xinyong.catalog.importers.formats import HeaderMap
from xinyong.catalog.importers.outcomes import Problem, problem
from xinyong.core.idcheck import IdentifierChecker
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import KeyRing, looks_like_citizen_id

LEGAL_PERSON, UNINCORPORATED = "legal_person", "unincorporated"
INDIVIDUAL_BUSINESS, NATURAL_PERSON = "individual_business", "natural_person"
ORGANISATIONS = frozenset({LEGAL_PERSON, UNINCORPORATED, INDIVIDUAL_BUSINESS})
KIND_LABELS = {
    LEGAL_PERSON: "法人", UNINCORPORATED: "非法人组织", INDIVIDUAL_BUSINESS: "个体工商户",
    NATURAL_PERSON: "自然人",
}  # fmt: skip
# 行政相对人类别 as the national formats write it, and our own codes.
SUBJECT_KINDS = {
    **dict.fromkeys(["法人及非法人组织", "法人", "法人组织", "企业", "legal_person"], LEGAL_PERSON),
    **dict.fromkeys(["非法人组织", "其他组织", "unincorporated"], UNINCORPORATED),
    **dict.fromkeys(["个体工商户", "个体户", "individual_business"], INDIVIDUAL_BUSINESS),
    **dict.fromkeys(["自然人", "个人", "natural_person"], NATURAL_PERSON),
}
# 证件类型 a natural person may be identified by: the citizen ID and the residence permits of
# Hong Kong, Macao and Taiwan residents, which follow the same standard (GB 11643-1999).
CITIZEN_ID_TYPES = frozenset(
    ["身份证", "居民身份证", "公民身份号码", "中华人民共和国居民身份证", "二代身份证",
     "港澳台居民居住证", "港澳居民居住证", "台湾居民居住证"]
)  # fmt: skip
REVIEW_CODES = frozenset({"uscc-check-character", "uscc-organization-code"})


class SubjectChecks:
    """The subject checks of one file: ``cell(cells, key)`` reads a field's text, ``labels``
    name the fields in messages."""

    def __init__(
        self,
        header_map: HeaderMap,
        labels: dict[str, str],
        cell: Callable[[list[str], str], str],
        ids: IdentifierChecker,
        keys: KeyRing,
    ) -> None:
        self.map = header_map
        self.labels = labels
        self.cell = cell
        self.ids = ids
        self.keys = keys

    def subject_kind(self, cells: list[str], problems: list[Problem]) -> str | None:
        if "subject_kind" in self.map.columns:
            text = self.cell(cells, "subject_kind")
            if not text:
                problems.append(problem("required", self.labels["subject_kind"]))
                return None
            kind = SUBJECT_KINDS.get(text)
            if kind is None:
                problems.append(
                    problem("subject-kind-unknown", self.labels["subject_kind"], value=text)
                )
            return kind
        # The older edition has no kind: an organisation has a code, a person an ID number.
        uscc = self.cell(cells, "uscc")
        if uscc:
            return INDIVIDUAL_BUSINESS if uscc[:2] == "92" else LEGAL_PERSON
        if self.cell(cells, "person_id"):
            return NATURAL_PERSON
        if any(
            self.cell(cells, key)
            for key in ("organization_code", "business_registration", "tax_registration")
        ):
            problems.append(problem("uscc-missing", self.labels["uscc"]))
        else:
            problems.append(problem("required", self.labels["uscc"]))
        return None

    def identifier(
        self, cells: list[str], kind: str | None, problems: list[Problem], notes: list[Problem]
    ) -> tuple[str, str]:
        if kind is None:
            return "", ""
        if kind == NATURAL_PERSON:
            if "person_id_type" in self.map.columns:
                id_type = self.cell(cells, "person_id_type")
                if not id_type:
                    problems.append(problem("required", self.labels["person_id_type"]))
                elif id_type not in CITIZEN_ID_TYPES:
                    problems.append(
                        problem("person-id-type", self.labels["person_id_type"], value=id_type)
                    )
            value = self.cell(cells, "person_id")
            if not value:
                problems.append(problem("required", self.labels["person_id"]))
                return "", ""
            answer = self.ids.citizen_id(value)
            column = self.labels["person_id"]
        else:
            value = self.cell(cells, "uscc")
            if not value:
                problems.append(problem("required", self.labels["uscc"]))
                return "", ""
            answer = self.ids.uscc(value)
            column = self.labels["uscc"]
            if answer is not None and answer.status != "valid" and self._is_citizen_id(value):
                problems.append(problem("uscc-is-citizen-id", column))
                return "", ""
        if answer is None:
            return value, "valid"
        if answer.status == "valid":
            return answer.value, "valid"
        if answer.status == "review":
            notes.append(Problem(answer.code, column, answer.message))
            return answer.value, "review"
        problems.append(Problem(answer.code, column, answer.message))
        return "", ""

    def _is_citizen_id(self, value: str) -> bool:
        """Whether a code in the USCC column is a person's valid citizen ID rather than an
        organisation's code (R14, DOMAIN.md §4). Asked only of codes that are not a valid USCC:
        a code valid both ways stays the organisation's, as the row says it is, but is kept
        masked and sealed as a person's ID would be (see ``staged``)."""
        answer = self.ids.citizen_id(value)
        return answer is None or answer.status == "valid"

    def staged(self, identifier: str, kind: str | None) -> tuple[str, str, str]:
        """The identifier as the subject stores it (R14): shown, its digest, its ciphertext."""
        if not identifier:
            return identifier, "", ""
        keys = self.keys
        digest = keys.digest(identifier)
        # An organisation's code that may be a person's ID (valid both ways, or for review
        # in an ID's shape) is staged as a person's ID is, as the subject would store it.
        if kind == NATURAL_PERSON or looks_like_citizen_id(identifier):
            return mask_id_number(identifier), digest, keys.seal(identifier)
        return identifier, digest, ""
