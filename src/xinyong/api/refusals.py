"""What each operation may refuse with, for its OpenAPI schema (README: a stable code, a
Chinese message, the right 4xx status).

Every refusal has one shape, whoever writes it — a rule (``XinyongError``), the schemas, the
authorization matrix, the token budget, the body limits: ``RefusalOut``. An operation declares
the statuses it may answer, so that a client (and a schema-driven test) knows them all; the
groups below name the refusals common to many operations and where they come from.
"""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict


class ProblemOut(Schema):
    field: str = Field(..., description="the field, dotted; empty for the body as a whole")
    type: str = Field(..., description="the kind of problem, e.g. missing, greater_than_equal")
    message: str = Field(..., description="what is wrong, in Chinese")


class RefusalOut(Schema):
    """A refusal: its code, its Chinese message and the details the rule names."""

    # Details vary with the rule (``retry_after`` and ``limit`` for a spent budget, ``state``
    # and ``action`` for a step the workflow refuses, ...): documented as allowed, not listed.
    model_config = ConfigDict(extra="allow")

    code: str = Field(..., description="stable code, e.g. publicity-not-ended")
    message: str = Field(..., description="what was refused and why, in Chinese")
    errors: list[ProblemOut] = Field(
        default_factory=list, description="with invalid-request: each problem, field by field"
    )


# Any call with credentials: none or unknown (401), the authorization matrix or the caller's
# department says no (403), the token's budget for the minute is spent (429, Retry-After).
CALLER = (401, 403, 429)
# A call with parameters: the schemas refuse one, or a rule refuses what was asked (422).
PARAMETERS = (*CALLER, 422)
# A call with a body: it cannot be read (400) or is past the size limits (413).
BODY = (*PARAMETERS, 400, 413)


def refusals(*statuses: int | tuple[int, ...]) -> dict[int, type[RefusalOut]]:
    """``{status: RefusalOut}`` for the groups and single statuses given, to spread into an
    operation's ``response`` beside its success: ``{200: EntryOut, **refusals(BODY, 404)}``."""
    flat: list[int] = []
    for status in statuses:
        flat.extend(status if isinstance(status, tuple) else (status,))
    return dict.fromkeys(sorted(flat), RefusalOut)


def csv_download(description: str) -> dict[str, object]:
    """``openapi_extra`` of an operation answering a CSV file rather than JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def sent_file_download() -> dict[str, object]:
    """``openapi_extra`` of an operation answering a file a subject sent (evidence, a repair
    material) as an attachment, in any of the kinds the platform takes."""
    from xinyong.remedies import evidence

    kinds = sorted({kind.content_type for kind in evidence.KINDS.values()})
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {
                "description": "the file as the subject sent it, as an attachment",
                "content": dict.fromkeys(kinds, binary),
            }
        }
    }
