"""A refused choice names the values it takes in Chinese style, not in pydantic's English."""

import enum
from typing import Literal

import pydantic
import pytest

from xinyong.api.invalid import as_refusal, problem


class State(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Choices(pydantic.BaseModel):
    kind: Literal["person", "organisation", "lawyer"] = "person"
    one: Literal["only"] = "only"
    state: State = State.OPEN
    level: Level = Level.LOW
    odd: Literal["a, b", "c or d", "it's", 'say "hi"', 3, None, True] = 3


def errors_of(**fields) -> dict[str, dict]:
    with pytest.raises(pydantic.ValidationError) as refused:
        Choices(**fields)
    return {error["loc"][0]: error for error in refused.value.errors(include_url=False)}


def test_a_literal_choice_lists_its_values_joined_with_the_enumeration_comma():
    error = errors_of(kind="nobody")["kind"]
    assert error["ctx"]["expected"] == "'person', 'organisation' or 'lawyer'"  # pydantic's
    assert problem(error) == {
        "field": "kind", "type": "literal_error",
        "message": "须为以下之一：person、organisation、lawyer",
    }  # fmt: skip


def test_an_enum_choice_lists_its_values_too():
    found = errors_of(state="lost", level=9)
    assert problem(found["state"])["message"] == "须为以下之一：open、closed、withdrawn"
    assert problem(found["level"])["message"] == "须为以下之一：1、2"


def test_a_choice_of_one_value_names_it():
    assert problem(errors_of(one="other")["one"])["message"] == "须为以下之一：only"


def test_values_with_commas_quotes_or_or_in_them_are_each_one_value():
    message = problem(errors_of(odd="zzz")["odd"])["message"]
    assert message == '须为以下之一：a, b、c or d、it\'s、say "hi"、3、None、True'


def test_the_refusal_message_carries_the_chinese_list():
    refusal = as_refusal([errors_of(kind="nobody")["kind"]])
    assert refusal["message"] == "请求不符合要求：kind须为以下之一：person、organisation、lawyer"
    assert " or " not in refusal["message"]


@pytest.mark.parametrize(
    "expected", ["'a' or", "'unclosed, 'b'", "", "datetime.date(2024, 1, 1) or 'b'", "'\\N'"]
)
def test_a_list_that_cannot_be_read_is_shown_as_pydantic_gave_it(expected):
    error = {"loc": ("body", "x"), "type": "literal_error", "ctx": {"expected": expected}}
    assert problem(error)["message"] == f"须为以下之一：{expected}"
