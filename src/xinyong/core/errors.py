"""One error type for rule violations: a stable code and a Chinese message.

The API maps it to JSON with its HTTP status in one place; the CLI prints it.
"""

from __future__ import annotations

from xinyong.core.protection import mask_citizen_ids, mask_citizen_ids_in


class XinyongError(Exception):
    """A refused operation with a stable code and a Chinese message.

    Example: ``XinyongError("publicity-not-ended", "公示期未满", status=409)``.
    """

    def __init__(self, code: str, message: str, *, status: int = 400, **details: object) -> None:
        # A message or detail that echoes input never carries a citizen ID in full: it reaches
        # answers, pages and logs (R14).
        message = mask_citizen_ids(message)
        details = {k: mask_citizen_ids_in(v) for k, v in details.items()}
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = details

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, **self.details}
