"""What the accessibility tests read off a page's HTML (GB/T 37668-2019, WCAG 2.1 AA): its ids,
those given twice, those named by a label or an ARIA reference that no element has, and the
Chinese of a message as the pages show it."""

import re
from collections import Counter


def zh(message: str) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(message)


def ids(html: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def duplicate_ids(html: str) -> list[str]:
    return [name for name, count in ids(html).items() if count > 1]


def dangling_references(html: str) -> list[str]:
    """Ids named by ``for``, ``aria-describedby`` or ``aria-labelledby`` that no element has."""
    present = ids(html)
    named = re.findall(r'\s(?:for|aria-describedby|aria-labelledby)="([^"]+)"', html)
    return [one for many in named for one in many.split() if one not in present]
