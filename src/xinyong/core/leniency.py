"""Lenient and prudent treatment (宽容审慎) of dishonesty (R10, 001 §10).

001 §10: the dishonesty of minors, dishonesty caused by force majeure such as a natural disaster
or an epidemic, and unintentional or slight dishonesty are recognised, recorded and punished
with leniency and prudence. The platform cannot judge intent or force majeure; it can make the
recognising department say, when it decides, which of these grounds it weighed and how, and it
can see one ground for itself: a citizen ID gives the birth date, so a subject under 18 on the
day of the decision is known to be a minor.
"""

from __future__ import annotations

import datetime as dt

from xinyong.core.periods import period_end

__all__ = ["ADULT_AGE", "GROUNDS", "coming_of_age", "is_minor_on", "unknown_grounds"]

# The grounds of 001 §10, in the order the clause names them, with the words a decision states.
GROUNDS: dict[str, str] = {
    "minor": "当事人系未成年人",
    "force_majeure": "受自然灾害、疫情等不可抗力影响",
    "unintentional": "非主观故意",
    "slight": "轻微失信",
}

ADULT_AGE = 18  # 民法典 art. 17: a person of 18 or more is an adult


def coming_of_age(born: dt.date) -> dt.date:
    """The first day of full age: the day after the 18th birthday.

    A period of years counts from the day after the event and ends on the corresponding day, or
    the month's last day when there is none (民法典 arts. 201, 202): born on 29 February, the
    18 years end on 28 February of a common year. Ages are counted the same way in the courts'
    reading, 周岁 "从周岁生日的第二天起算" (最高人民法院法释〔2006〕1号 art. 2), which is also the
    reading more lenient to the subject.
    """
    return period_end(born, ADULT_AGE, "years") + dt.timedelta(days=1)


def is_minor_on(born: dt.date, day: dt.date) -> bool:
    """Still a minor on ``day``: up to and including the 18th birthday."""
    return day < coming_of_age(born)


def unknown_grounds(grounds: list[str]) -> list[str]:
    """The codes in ``grounds`` that are no ground of 001 §10."""
    return [code for code in grounds if code not in GROUNDS]
