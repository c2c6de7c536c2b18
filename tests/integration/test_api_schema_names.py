"""No two of the API's schemas share a name: the OpenAPI document keeps one component per name,
so the second would silently describe the first's operations too."""

from collections import Counter

from ninja import Schema

from xinyong.api.main import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_schema_of_the_platform_has_a_name_of_its_own():
    assert api.urls  # every router mounted, so every schema module imported
    ours = {cls for cls in _subclasses(Schema) if cls.__module__.startswith("xinyong.")}
    names = Counter(cls.__name__ for cls in ours)
    assert [name for name, count in names.items() if count > 1] == []
