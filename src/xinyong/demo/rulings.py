"""Black-list entries the signing officer rules not repairable (R8; 000 §九).

R8: the list says whether repair is allowed, and on a list that allows it an especially serious
entry may be ruled not repairable on its own, with its reason. A few candidates on the
food-safety black list, which takes repair, with especially serious facts are planned awaiting
signature, each with the working day the market regulator's signing officer signs it. Once the
entries and their notices are written, each is signed on its day through the office's own
service (``listings.services.sign_decision``), ruling repair out with the reason: the ruling,
the signature's history and audit row, the persons the entry names and the decision notice that
states the ruling are the platform's own, never rows made up here. The decision's record of
serious dishonesty is planned with the entry, as every other black entry's is
(``EntryPlanner.listing_record``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from xinyong.core import clock
from xinyong.demo.list_definitions import LIST_BY_CODE, ListSpec
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ListEntry

if TYPE_CHECKING:
    from xinyong.demo.entries import EntryPlan, EntryPlanner

LIST_CODE = "black-food"  # 食品安全严重违法失信名单, the market regulator's (zj-scjg)
SIGNER = "scjg_signer"  # the demo officer who signs for it (demo/accounts.py)
SIGNED_DAYS_AGO = (40, 200)  # in force a while on the business date, well within its validity

# Each case: words of the names of the businesses it fits (a caterer, a food producer; any
# trader of the list's kinds when the load has none left), its facts (a template as the list's
# own, ``EntryPlanner.facts``) and the reason the signer gives for ruling repair out.
CASES = (
    (
        ("餐饮", "食品"),
        "{year}年在供应{county}多所中小学校食堂的卤制品中添加工业明胶等非食品原料，"
        "货值金额{amount}万元，被吊销食品经营许可证。",
        "违法添加的非食品原料流入中小学校食堂，危害在校学生身体健康，"
        "经集体审议认定性质恶劣、情节特别严重",
    ),
    (
        ("食品有限", "食品股份"),
        "{year}年生产销售添加非食品原料的婴幼儿辅助食品，货值金额{amount}万元，"
        "致{n}名婴幼儿就医，被吊销食品生产许可证。",
        "涉案食品以婴幼儿为消费对象并已造成健康损害，社会影响恶劣，经集体审议认定情节特别严重",
    ),
)


@dataclasses.dataclass(frozen=True)
class Ruling:
    """The signature that rules repair out: its day, the decision's number and the reason."""

    signs_on: dt.date
    document: str
    reason: str


def plan(planner: EntryPlanner) -> None:
    """One candidate per case, awaiting signature, with the ruling its signature makes and the
    record its decision puts on the subject's record; fewer when the list runs out of subjects."""
    spec = LIST_BY_CODE[LIST_CODE]
    timeline = planner.timeline
    for words, template, reason in CASES:
        subject = _business(planner, spec, words)
        if subject is None:
            return
        signs_on = timeline.ago(*SIGNED_DAYS_AGO)
        while not timeline.calendar.is_workday(signs_on):  # officers sign on working days
            signs_on -= dt.timedelta(days=1)
        signed = timeline.effective(spec, signs_on)  # its publicity ended before that day
        # Written as the candidate it is before that day: the service takes the last step.
        awaiting = dataclasses.replace(
            signed, path=signed.path[:-1], effective_on=None, valid_until=None
        )
        facts = planner.facts(spec, subject, signed, (template,))
        candidate = planner.add(spec, EntryState.AWAITING_SIGNATURE, subject=subject,
                                dates=awaiting, facts=facts)  # fmt: skip
        if candidate is None:  # never with its subject given; answered for the type checker
            return
        document = planner.document(spec, subject, signs_on)
        candidate.ruling = Ruling(signs_on, document, reason)
        decided = dataclasses.replace(candidate, dates=signed, document=document)
        planner.records.append(planner.listing_record(spec, decided))


def _business(planner: EntryPlanner, spec: ListSpec, words: tuple[str, ...]) -> int | None:
    """A trader whose name has one of ``words``, of a kind the list takes, on the black side
    of the split (R2) and not yet on the list, as ``EntryPlanner.pick`` would take it; any such
    trader when none is named so."""
    rows = planner.population.subjects
    fitting = [
        subject
        for kind in spec.kinds
        for subject in planner.pools["black"][kind]
        if rows[subject].trade and (subject, spec.code) not in planner.used
        and any(word in rows[subject].name for word in words)
    ]  # fmt: skip
    if not fitting:
        return planner.pick(spec)
    subject = planner.rng.choice(fitting)
    planner.used.add((subject, spec.code))
    return subject


def sign(pairs: Iterable[tuple[EntryPlan, ListEntry]]) -> int:
    """Sign each planned ruling's entry on its day through the office's service, ruling
    repair out with its reason (R8, R1); answers how many."""
    signer = get_user_model().objects.get(username=SIGNER)
    signed = 0
    for candidate, entry in pairs:
        ruling = candidate.ruling
        if ruling is None:
            continue
        with clock.frozen(ruling.signs_on):
            listings.sign_decision(
                entry.pk, actor=signer, decision_document_number=ruling.document,
                not_repairable=True, not_repairable_reason=ruling.reason,
            )  # fmt: skip
        signed += 1
    return signed
