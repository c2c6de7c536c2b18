"""The OpenAPI description names every group of the API's operations, so that a reader of the
docs learns from its first lines all the API offers, a group mounted later included."""

from xinyong.api.main import api


def test_the_description_names_every_group_of_operations():
    schema = api.get_openapi_schema()
    groups = {
        tag
        for operations in schema["paths"].values()
        for operation in operations.values()
        for tag in operation.get("tags", ())
    }
    description = schema["info"]["description"]
    assert "record-objections" in groups
    assert [group for group in sorted(groups) if f"{group} (" not in description] == []
