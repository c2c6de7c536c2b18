"""Route names as the authorization matrix spells them, for a request and for the whole URLconf.

A Django view is named by its URL name with namespaces (``office:entry``). django-ninja makes
one URL pattern per operation but Django resolves a path to the first of them whatever the
method, so an API call is named after the operation that serves its method: the ninja view
of a path keeps its operations, and they are zipped with the patterns made for them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import ResolverMatch
from ninja.operation import PathView

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    methods: tuple[str, ...] | None  # None: a Django view, whose methods the URLconf does not say
    is_api: bool


def _path_view(callback) -> PathView | None:
    """The ninja view behind a URL pattern's callback (kept in its closure), if any."""
    for cell in getattr(callback, "__closure__", None) or ():
        contents = cell.cell_contents
        if isinstance(contents, PathView):
            return contents
    return None


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            qualified = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield prefix + str(entry.pattern), entry, qualified


@functools.cache
def _index() -> tuple[tuple[Route, ...], dict[int, dict[str, str]]]:
    """Every route, and for each ninja view (by identity) its method → route name."""
    routes: list[Route] = []
    api_names: dict[int, dict[str, str]] = {}
    seen_ops: dict[int, int] = {}
    for path, pattern, name in _walk(get_resolver()):
        view = _path_view(pattern.callback)
        if view is None:
            routes.append(Route(name=name, path=path, methods=None, is_api=False))
            continue
        # The n-th pattern of a ninja view was made for its n-th operation.
        position = seen_ops.get(id(view), 0)
        seen_ops[id(view)] = position + 1
        operation = view.operations[position]
        methods = tuple(m for m in operation.methods if m in HTTP_METHODS)
        routes.append(Route(name=name, path=path, methods=methods, is_api=True))
        by_method = api_names.setdefault(id(view), {})
        for method in methods:
            by_method.setdefault(method, name)
    return tuple(routes), api_names


def all_routes() -> tuple[Route, ...]:
    return _index()[0]


def route_name(match: ResolverMatch, method: str) -> str | None:
    """The matrix's name for this call; None for an API path with no operation for the method."""
    view = _path_view(match.func)
    if view is None:
        return match.view_name
    return _index()[1].get(id(view), {}).get(method)


def is_api(match: ResolverMatch) -> bool:
    """An API route answers JSON, HTML routes pages (the API's namespaces are ``api-v<n>``)."""
    return bool(match.namespaces) and match.namespaces[0].startswith("api-")
