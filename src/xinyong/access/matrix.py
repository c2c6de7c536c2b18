"""The authorization matrix (R14): which role may call which route, read from ``matrix.csv``.

One row per route name and HTTP method; one column per role. A cell is ``allow``, ``deny``, or
a scope: ``own`` (only the caller's own subject) or ``department`` (only the caller's
department's objects). A scope lets the call through here; the selectors and services behind
the route narrow what it sees, and the access tests check both.

A route name is the Django URL name with its namespace (``office:worklist``); an API operation
is named ``api-v1:<ninja url name>``. A namespace may be given once for all its routes as
``<namespace>:*`` with the method ``*`` (the Django admin, which has its own permissions); a
row naming the route itself wins over it.

The file is read once per process and checked as it is read: an unknown role column, a missing
role column, an unknown cell value, an unknown method or a duplicate row stops the start-up
with the line at fault.
"""

from __future__ import annotations

import csv
import enum
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from xinyong.access.roles import Role

MATRIX_PATH = Path(__file__).with_name("matrix.csv")
KEY_COLUMNS = ("route", "method")
NOTE_COLUMN = "note"
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "*"})
ANY = "*"


class MatrixError(ImproperlyConfigured):
    """The matrix file is malformed; the platform does not start with it."""


class Cell(enum.StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    OWN = "own"
    DEPARTMENT = "department"

    @property
    def lets_through(self) -> bool:
        return self is not Cell.DENY


@dataclass(frozen=True)
class Rule:
    route: str
    method: str
    cells: dict[Role, Cell]
    note: str
    line: int


class Matrix:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._by_key = {(rule.route, rule.method): rule for rule in rules}

    def rule_for(self, route: str, method: str) -> Rule | None:
        """The row deciding ``method`` on ``route``: the route's own, else its namespace's."""
        method = "GET" if method == "HEAD" else method
        for key in ((route, method), (route, ANY)):
            if key in self._by_key:
                return self._by_key[key]
        namespace = route.rpartition(":")[0]
        while namespace:
            wildcard = self._by_key.get((f"{namespace}:{ANY}", ANY))
            if wildcard is not None:
                return wildcard
            namespace = namespace.rpartition(":")[0]
        return None

    def cell(self, route: str, method: str, role: Role) -> Cell | None:
        """The cell for this call, or None when no row covers it (which refuses it)."""
        rule = self.rule_for(route, method)
        return None if rule is None else rule.cells[role]


def parse(text: str, *, source: str = "matrix.csv") -> Matrix:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    _check_header(header, source)
    rules: list[Rule] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        route, method = (row["route"] or "").strip(), (row["method"] or "").strip().upper()
        if not route:
            raise MatrixError(f"{source}, line {line}: the route is empty")
        if method not in METHODS:
            raise MatrixError(f"{source}, line {line}: unknown method {method!r}")
        if route.endswith(f":{ANY}") != (method == ANY):
            raise MatrixError(
                f"{source}, line {line}: a namespace row ('<namespace>:*') takes the method '*', "
                "and only it does"
            )
        if (route, method) in seen:
            raise MatrixError(
                f"{source}, line {line}: duplicate row {route} {method} "
                f"(first on line {seen[route, method]})"
            )
        seen[route, method] = line
        cells = {}
        for role in Role:
            value = (row[role.value] or "").strip()
            try:
                cells[role] = Cell(value)
            except ValueError:
                allowed = ", ".join(c.value for c in Cell)
                raise MatrixError(
                    f"{source}, line {line}: {route} {method}, role {role.value}: unknown cell "
                    f"{value!r} (expected one of {allowed})"
                ) from None
        note = (row.get(NOTE_COLUMN) or "").strip()
        rules.append(Rule(route=route, method=method, cells=cells, note=note, line=line))
    return Matrix(rules)


def _check_header(header: list[str], source: str) -> None:
    roles = {role.value for role in Role}
    known = roles | set(KEY_COLUMNS) | {NOTE_COLUMN}
    unknown = [column for column in header if column not in known]
    if unknown:
        raise MatrixError(f"{source}: unknown role column(s): {', '.join(unknown)}")
    missing = [c for c in (*KEY_COLUMNS, *(r.value for r in Role)) if c not in header]
    if missing:
        raise MatrixError(f"{source}: missing column(s): {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise MatrixError(f"{source}: a column is named twice")


@functools.cache
def load() -> Matrix:
    """The matrix of this process, read and checked once."""
    return parse(MATRIX_PATH.read_text(encoding="utf-8"), source=MATRIX_PATH.name)
