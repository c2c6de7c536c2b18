"""The authorization matrix as data (R14): read and checked once, and in step with the URLconf.

Every route the platform serves has a row (else it is refused), and no row names a route that
is gone; a malformed file stops the start-up with the line at fault.
"""

import pytest

from xinyong.access import matrix, routes
from xinyong.access.matrix import Cell, MatrixError
from xinyong.access.roles import Role

HEADER = "route,method," + ",".join(r.value for r in Role) + ",note\n"
ALL_ALLOW = ",".join(["allow"] * len(Role))


def parse(body: str, header: str = HEADER) -> matrix.Matrix:
    return matrix.parse(header + body)


def test_the_shipped_matrix_loads():
    loaded = matrix.load()
    assert loaded.cell("portal:home", "GET", Role.PUBLIC) is Cell.ALLOW
    assert loaded.cell("api-v1:me", "GET", Role.SUBJECT) is Cell.OWN


def test_head_is_decided_by_the_get_row():
    loaded = matrix.load()
    assert loaded.cell("portal:home", "HEAD", Role.PUBLIC) is Cell.ALLOW


def test_a_namespace_row_covers_its_routes_and_a_route_row_wins():
    loaded = parse(
        f"admin:*,*,deny,deny,allow,allow,deny,allow,allow,\nadmin:login,GET,{ALL_ALLOW},\n"
    )
    assert loaded.cell("admin:auth_user_changelist", "POST", Role.PUBLIC) is Cell.DENY
    assert loaded.cell("admin:login", "GET", Role.PUBLIC) is Cell.ALLOW
    assert loaded.cell("office:worklist", "GET", Role.CREDIT_ADMIN) is None


@pytest.mark.parametrize(
    ("body", "header", "says"),
    [
        (f"portal:home,GET,{ALL_ALLOW},\n", HEADER.replace("credit_admin", "auditor"),
         "unknown role column(s): auditor"),
        (f"portal:home,GET,{ALL_ALLOW},\n", HEADER.replace(",public", ""), "missing column(s)"),
        ("portal:home,GET,allow,allow,allow,allow,allow,allow,maybe,\n", HEADER,
         "line 2: portal:home GET, role credit_admin: unknown cell 'maybe'"),
        (f"portal:home,GET,{ALL_ALLOW},\nportal:home,get,{ALL_ALLOW},\n", HEADER,
         "line 3: duplicate row portal:home GET (first on line 2)"),
        (f"portal:home,FETCH,{ALL_ALLOW},\n", HEADER, "line 2: unknown method 'FETCH'"),
        (f"portal:home,*,{ALL_ALLOW},\n", HEADER, "line 2: a namespace row"),
        (f",GET,{ALL_ALLOW},\n", HEADER, "line 2: the route is empty"),
    ],
    ids=["unknown-role", "missing-role", "unknown-cell", "duplicate", "method", "star", "empty"],
)  # fmt: skip
def test_a_malformed_matrix_is_refused_with_the_line_at_fault(body, header, says):
    with pytest.raises(MatrixError) as refused:
        parse(body, header)
    assert says in str(refused.value)


def _uncovered() -> list[str]:
    loaded = matrix.load()
    missing = []
    for route in routes.all_routes():
        if not route.name:
            missing.append(f"(unnamed) {route.path}")
        elif route.methods is not None:
            missing += [
                f"{route.name} {method} ({route.path})"
                for method in route.methods
                if loaded.rule_for(route.name, method) is None
            ]
        elif not any(loaded.rule_for(route.name, m) for m in routes.HTTP_METHODS):
            missing.append(f"{route.name} ({route.path})")
    return missing


def test_every_route_has_a_row_in_the_matrix():
    """Walks the whole URLconf, the API's operations and the admin included."""
    missing = _uncovered()
    assert not missing, "routes without a row in access/matrix.csv:\n  " + "\n  ".join(missing)


def test_no_row_names_a_route_that_is_gone():
    known = {route.name: route for route in routes.all_routes()}
    namespaces = {name.rsplit(":", 1)[0] for name in known if ":" in name}
    stale = []
    for rule in matrix.load().rules:
        if rule.route.endswith(":*"):
            if rule.route[:-2] not in namespaces:
                stale.append(f"line {rule.line}: {rule.route} (no such namespace)")
            continue
        route = known.get(rule.route)
        if route is None:
            stale.append(f"line {rule.line}: {rule.route} {rule.method} (no such route)")
        elif route.methods is not None and rule.method not in route.methods:
            stale.append(f"line {rule.line}: {rule.route} {rule.method} (the API serves "
                         f"{', '.join(route.methods)} there)")  # fmt: skip
    assert not stale, "rows in access/matrix.csv naming no route:\n  " + "\n  ".join(stale)


def test_api_route_names_name_one_operation_each():
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for route in routes.all_routes():
        for method in route.methods or ():
            if (route.name, method) in seen and seen[route.name, method] != route.path:
                clashes.append(f"{route.name} {method}: {seen[route.name, method]}, {route.path}")
            seen.setdefault((route.name, method), route.path)
    assert not clashes, "API operations sharing a URL name (set url_name):\n  " + "\n  ".join(
        clashes
    )
