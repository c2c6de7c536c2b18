"""A listed company among many older namesakes is still scored (R10, R11; issue: name checks).

At most ``max_scored`` rows are scored per name; which ones must not depend on which subjects
were registered first: a name that shares its core with the query, then one of the query's
region, come before namesakes elsewhere, however many of those there are.
"""

import pytest

from xinyong.core.regions import region_forms
from xinyong.subjects.name_index import NameIndex

LISTED = "杭州恒泰科技有限公司"
ASKED = (
    "浙江省杭州市恒泰科技有限公司",  # a province in front of the city
    "杭州市西湖区恒泰科技有限公司",  # a county after it
    "恒泰科技（杭州）有限公司",  # the city in brackets
    LISTED,
)


def cities(count: int) -> list[str]:
    """Cities other than 杭州, as written in front of a name (北京市)."""
    found = [f for f in region_forms() if f.endswith("市") and len(f) == 3 and f != "杭州市"]
    assert len(found) >= count
    return found[:count]


def crowded(names: list[str]) -> NameIndex:
    """``names`` registered first, the listed company last (the newest row)."""
    return NameIndex.build(enumerate([*names, LISTED], start=1))


def offered(index: NameIndex, asked: str) -> list[str]:
    found = index.search(asked, limit=10)
    assert 0 < index.last_scored <= 50
    return [candidate.name for candidate in found]


@pytest.mark.parametrize("asked", ASKED)
@pytest.mark.parametrize("trade", ["恒泰科技", "恒泰科技发展"])
def test_the_listed_company_is_scored_among_sixty_older_namesakes(asked, trade):
    index = crowded([f"{city}{trade}有限公司" for city in cities(60)])
    assert LISTED in offered(index, asked)


def test_a_name_without_its_region_finds_the_company_of_that_very_core():
    """恒泰科技有限公司 is 杭州恒泰科技有限公司 with its region left out, not 恒泰科技发展."""
    index = crowded([f"{city}恒泰科技发展有限公司" for city in cities(60)])
    assert offered(index, "恒泰科技有限公司")[0] == LISTED


def test_namesakes_of_the_same_core_are_all_offered_when_no_region_tells_them_apart():
    """Sixty companies named 恒泰科技 and a query naming no region: as many are offered as a
    check shows, each as plausible as the others, so that a person decides."""
    index = crowded([f"{city}恒泰科技有限公司" for city in cities(60)])
    found = index.search("恒泰科技有限公司", limit=10)
    assert index.last_scored == 50
    assert len(found) == 10 and len({c.score for c in found}) == 1


def test_ties_in_shared_bigrams_go_to_the_more_similar_name():
    """杭州恒泰信息科技 shares as many tokens with 杭州恒泰科技 (恒泰, 科技 and its city) as sixty
    older 恒泰科技发展 elsewhere (恒泰, 泰科, 科技): the tie goes to the better score, not the
    older row."""
    names = [f"{city}恒泰科技发展有限公司" for city in cities(60)]
    index = NameIndex.build(enumerate([*names, "杭州恒泰信息科技有限公司"], start=1))
    assert "杭州恒泰信息科技有限公司" in offered(index, LISTED)


def test_ties_go_to_the_better_score_whatever_the_rows_order():
    """Sixty older 恒泰科技发展 and a newer 恒泰科技园 share 恒泰, 泰科 and 科技 with 恒泰科技: the
    one closer to the name asked is scored, not the first registered."""
    names = [f"{city}恒泰科技发展有限公司" for city in cities(60)]
    index = NameIndex.build(enumerate([*names, "恒泰科技园有限公司"], start=1))
    assert offered(index, "恒泰科技有限公司")[0] == "恒泰科技园有限公司"


def test_a_renamed_namesake_leaves_the_core_and_the_region_it_had():
    index = crowded([f"{city}恒泰科技有限公司" for city in cities(60)])
    listed_row = len(index)
    index.put(listed_row, "宁波远达机械有限公司")
    assert LISTED not in offered(index, "浙江省杭州市恒泰科技有限公司")
    index.put(listed_row, LISTED)
    assert LISTED in offered(index, "浙江省杭州市恒泰科技有限公司")
    index.put(listed_row, None)
    assert LISTED not in offered(index, "浙江省杭州市恒泰科技有限公司")
