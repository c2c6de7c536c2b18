"""Scoring a name against a candidate, and saying why it matched (issue: name checks; R10, R11).

The candidate index (``name_index``) picks at most a few dozen rows per search; each is scored
here with rapidfuzz's Indel ratio on the cores and explicit penalties for region (one written
inside a name costs once, ``_compared``), legal form and branch, and the reasons are worded for
the officer who decides. A row is kept ``pack``ed, one string per subject, because the index
holds a million of them: ``score`` reads that string, ``explain`` the normalised names.

Why the Indel ratio (``fuzz.ratio``): Chinese names have no spaces, so the token scorers see one
token; ``partial_ratio`` and ``WRatio`` rate 恒泰 inside 恒泰网络科技 as a near-perfect match, which
is how different companies get confused. The plain ratio over characters penalises every
character added, dropped or changed, which is what distinguishes one company from another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from xinyong.core.names import (
    FULL_WIDTH,
    SPACES_OR_PUNCTUATION,
    TRADITIONAL,
    NormalizedName,
    RegionsInside,
    legal_forms_compatible,
    read_regions_inside,
    region_relation,
)
from xinyong.core.regions import written_forms, written_within

REGION_PENALTY = {"same": 0.0, "nested": 3.0, "one-sided": 8.0, "different": 20.0}
# A region written inside a name (通昌众宁波建材 for 宁波通昌众建材) costs this much instead of
# twice, in the cores' Indel ratio and as a region one name lacks: read by a form read as a
# region in front of a name (宁波, 桐庐县, 光明区), the company stays at the same-subject
# threshold or above. Read by a county's short form (``RegionsInside.softly``: 桐庐 for 桐庐县,
# 光明 for 光明区), it may be a brand (深圳市光明乳业 is not 深圳市光明区乳业): it costs enough to
# stay below that threshold (92 at most), and above the shown score, for a person to decide.
REGION_INSIDE_PENALTY = 2.0
REGION_INSIDE_SOFTLY_PENALTY = 8.0
COMPATIBLE_FORM_PENALTY = 4.0
DIFFERENT_FORM_PENALTY = 20.0
BRANCH_PENALTY = 30.0


def core_similarity(a: str, b: str) -> float:
    """Indel ratio of two cores, 0–100: every character added, dropped or changed counts."""
    return fuzz.ratio(a, b)


# Separators of a packed row's parts and of its region's divisions: never in a name.
SEP = "\x1f"
DIVISIONS_SEP = "\x1e"


def pack(name: NormalizedName) -> str:
    """Region, core, legal form, branch and the region's divisions where it has several, in
    one string (one division is the region itself: not kept twice)."""
    divisions = DIVISIONS_SEP.join(name.regions) if len(name.regions) > 1 else ""
    return SEP.join((name.region, name.core, name.legal_form, name.branch, divisions))


@dataclass(frozen=True, slots=True)
class Inside:
    """What a query writes of divisions, found once and compared with every row it scores:
    the divisions its core writes (``regions.written_within``) and every form of its own."""

    within: tuple[tuple[int, str, tuple[str, ...]], ...]
    divisions: frozenset[str]  # written inside the core
    own_forms: re.Pattern[str] | None  # any form of the divisions of its region

    @classmethod
    def of(cls, query: NormalizedName) -> Inside:
        within = tuple(written_within(query.core))
        divisions = frozenset(d for _, _, found in within for d in found)
        own = [re.escape(form) for division in query.regions for form in written_forms(division)]
        return cls(within, divisions, re.compile("|".join(own)) if own else None)

    def may_read(self, query: NormalizedName, core: str, regions: tuple[str, ...]) -> bool:
        """Whether either core may write a division the other name has and it lacks: cheap (it
        is asked of every row scored), and never False where ``read_regions_inside`` finds
        one."""
        for division in regions:
            if division not in query.regions and (
                division in self.divisions or division in query.core
            ):
                return True
        return self.own_forms is not None and self.own_forms.search(core) is not None


def _compared(
    query: NormalizedName, core: str, region: str, regions: tuple[str, ...], inside: Inside
) -> tuple[float, float, RegionsInside | None]:
    """(core similarity, region penalty, the regions read inside if that scores better) of a
    name's core and region against the query's.

    A region one name writes inside its core (通昌众宁波建材, 桐庐鑫飞诚) and the other as its
    region (宁波通昌众建材, 桐庐县鑫飞诚) would cost twice, in the cores' ratio and as a region
    one name lacks, and leave the listed company below the shown score (应查必查): read out, it
    costs ``REGION_INSIDE_PENALTY`` once.
    """
    similarity = core_similarity(query.core, core)
    penalty = REGION_PENALTY[region_relation(query.region, region)]
    if region == query.region or not inside.may_read(query, core, regions):
        return similarity, penalty, None
    return _read_inside(query, core, regions, similarity, penalty)


def _read_inside(
    query: NormalizedName, core: str, regions: tuple[str, ...], similarity: float, penalty: float
) -> tuple[float, float, RegionsInside | None]:
    """``_compared`` once ``Inside.may_read`` says a region may be written inside a name.

    Nothing is read inside a name registered under another region than the other's (上海建工
    宁波建设 beside 宁波建工建设): the division it writes is its name's, not its region."""
    read_out = read_regions_inside(query.core, query.regions, core, regions)
    if read_out is None or read_out.relation == "different":
        return similarity, penalty, None
    read = core_similarity(*read_out.cores)
    costs = REGION_PENALTY[read_out.relation] + (
        REGION_INSIDE_SOFTLY_PENALTY if read_out.softly else REGION_INSIDE_PENALTY
    )
    if read - costs <= similarity - penalty:
        return similarity, penalty, None
    return read, costs, read_out


def score_parts(query: NormalizedName, parts: str, inside: Inside) -> tuple[float, float]:
    """(score, core similarity) of a row's ``pack``ed parts against the query, 0–100: as
    ``_compared`` weighs core and region, which it asks only where the regions differ."""
    region, core, legal_form, branch, divisions = parts.split(SEP)
    similarity = core_similarity(query.core, core)
    penalty = REGION_PENALTY[region_relation(query.region, region)]
    if region != query.region:
        regions = tuple(divisions.split(DIVISIONS_SEP)) if divisions else (region,)
        if inside.may_read(query, core, regions):
            similarity, penalty, _ = _read_inside(query, core, regions, similarity, penalty)
    if legal_form != query.legal_form:
        compatible = legal_forms_compatible(query.legal_form, legal_form)
        penalty += COMPATIBLE_FORM_PENALTY if compatible else DIFFERENT_FORM_PENALTY
    if branch != query.branch:
        penalty += BRANCH_PENALTY
    return max(0.0, similarity - penalty), similarity


# What normalisation had to undo (core.names keeps them as codes), as the reasons word it.
CHANGE_WORDS = {
    FULL_WIDTH: "已转换全角字符",
    SPACES_OR_PUNCTUATION: "已去除空格或标点",
    TRADITIONAL: "已转换繁体字",
}


def explain(
    query: NormalizedName, found: NormalizedName, inside: Inside | None = None
) -> tuple[str, ...]:
    """Why a candidate matched, in words a reviewer understands.

    The reviewers are the departments' officers: the reasons are Chinese, and each one names
    what it compares as the query wrote it, then as the candidate does (查询/候选). ``inside``:
    what the search found of the query's divisions, found again when not given.
    """
    reasons: list[str] = []
    hints = inside or Inside.of(query)
    similarity, _, read_out = _compared(query, found.core, found.region, found.regions, hints)
    if query.key == found.key:
        reasons.append("规范化后完全一致")
    elif similarity < 100:
        cores = read_out.cores if read_out else (query.core, found.core)
        reasons.append(f"相似度{similarity:.0f}（{cores[0]}/{cores[1]}）")
    if query.legal_form == found.legal_form:
        if query.legal_form_written != found.legal_form_written:
            same_core = "名称主干相同，" if query.core == found.core else ""
            forms = "/".join(sorted({query.legal_form_written, found.legal_form_written}))
            reasons.append(f"{same_core}组织形式写法不同（{forms}）")
    elif legal_forms_compatible(query.legal_form, found.legal_form):
        reasons.append(f"组织形式可能一致（{query.legal_form or '—'}/{found.legal_form or '—'}）")
    else:
        reasons.append(f"组织形式不同（{query.legal_form}/{found.legal_form}）")
    relation = region_relation(query.region, found.region)
    regions = (query.region, found.region)
    if read_out is not None:  # how the regions compare once those written inside are read
        reasons.append(f"地区写在名称中（{'、'.join(read_out.found)}）")
        relation, regions = read_out.relation, read_out.regions
    if relation == "same" and query.region_placement != found.region_placement and not read_out:
        reasons.append(f"地区写法不同（{query.region}）")
    elif relation == "nested":
        reasons.append(f"地区详略不同（{regions[0]}/{regions[1]}）")
    elif relation == "one-sided":
        reasons.append(f"仅一方名称含地区（{query.region or found.region}）")
    elif relation == "different":
        reasons.append(f"地区不同（{regions[0]}/{regions[1]}）")
    if query.branch != found.branch:
        if query.branch and found.branch:
            reasons.append(f"分支机构不同（{query.branch}/{found.branch}）")
        else:
            reasons.append(f"分支机构与总机构（{query.branch or found.branch}）")
    for change in dict.fromkeys(query.changes + found.changes):
        reasons.append(CHANGE_WORDS.get(change, change))
    return tuple(reasons)
