"""English campaign names: the words that make a name an operation's ("special action",
"Operation ..."), and the words that never open one.
"""

from __future__ import annotations

import re
from typing import Final

from monitor.extract.keywords import Keywords

TRIGGER: Final = (
    r"(?:(?:special|concentrated|centralized|centralised|joint|nationwide|crackdown|series\s+of|"
    r"series|special\s+rectification|rectification|network)\s+){0,2}"
    r"(?:special\s+)?(?:operations?|campaigns?|actions?|series|strikes?|crackdowns?|initiatives?|"
    r"drives?|sweeps?)\b"
)

# "special actions such as Cloud Sword, Breaking Cards and Pulling Out Nails": names listed after
# an operation word, read back from a known name over other capitalised names and joins
LIST_INTRO: Final = re.compile(
    r"\b(?:operations?|actions?|campaigns?|crackdowns?|strikes?)\s+"
    r"(?:such\s+as|including|like|namely|dubbed|called|named|code-?named|known\s+as)\s+"
    # possessive: a run of capitals splits into words one way only, else the search backtracks
    # through every split of it
    r"((?:[A-Z][\w'.-]*+|of|the|out|and|No\.|\d++|,|\s)*+)$"
)

OPERATION_BEFORE: Final = re.compile(r"\b(?:operation|campaign|action)\s*$", re.IGNORECASE)

INNER_TRIGGER: Final = re.compile(
    r"^(?P<name>.+?)\s+(?:special\s+)?(?:action|operation|campaign)s?$", re.IGNORECASE
)

# a capitalised name right before "campaign" / "operation" (searched in a window ending there)
CAPITALISED: Final = re.compile(
    r"\b((?:[A-Z][a-z]+[ -]){0,3}[A-Z][a-z]+(?: No\. ?\d{1,3}| \d{4})?)\s+(?:special\s+)?$"
)

# "Operation Fox Hunt", "Operation AttackPlan", "Operation HAECHI-III", "Operation Jackal 2"
NAME: Final = (
    r"(?:[A-Z][a-z]*(?:[A-Z][a-z]+)+|[A-Z]{3,}|[A-Z][a-z]+)"
    r"(?:[ -](?:[A-Z][a-z]+|[A-Z]{3,}|[IVX]{1,5}\b|No\. ?\d{1,3}|\d{4}|\d{1,2}\b)){0,3}"
)

OPERATION_NAME: Final = re.compile(rf"Operation\s+({NAME})")

# 'an operation dubbed "Storm Makers"', 'a campaign code-named Fox Hunt'
# whole words, so "surnamed Li" is not a name ("code-named" is: the hyphen ends a word)
# "codenamed" (one word, as Hong Kong police releases write it) ends with no word of its own
DUBBING: Final = Keywords(
    ((w, w) for w in ("dubbed", "named", "codenamed", "known as", "called")), shared=True
)

DUBBED: Final = re.compile(rf"(?:dubbed|named|codenamed|known as|called)\s+[\"“‘']?({NAME})")

OPERATION_WORD: Final = re.compile(
    r"\b(?:operations?|campaigns?|crackdowns?|actions?|drives?|sweeps?)\b", re.IGNORECASE
)

NOT_A_NAME_WORDS: Final = {
    # a sentence may open with these before "Operation ..." or "... operation"
    "under",
    "during",
    "after",
    "before",
    "since",
    "through",
    "with",
    "amid",
    "following",
    "via",
    "from",
    "launched",
    "the",
    "this",
    "that",
    "a",
    "an",
    "in",
    "national",
    "nationwide",
    "special",
    "ministry",
    "bureau",
    "public",
    "security",
    "police",
    "china",
    "chinese",
    "department",
    "office",
    "provincial",
    "municipal",
    "government",
    "central",
    "state",
    "these",
    "its",
    "their",
    "internet",
    "online",
    "cyber",
    "network",
    "crackdown",
    "joint",
    "year",
    "annual",
    "new",
    "army",
    "court",
    "procuratorate",
    "commission",
    "committee",
    "party",
    "council",
    # "the Operation Centre of the Royal Thai Police", "Operations Command": a body, not a name
    "centre",
    "center",
    "centres",
    "centers",
    "command",
    "room",
    "headquarters",
    "division",
    "unit",
    "team",
    "staff",
    "officers",
    "manager",
    "managers",
    "costs",
}

SMALL: Final = {"the", "of", "and", "on", "in", "for", "to", "a", "an", "at", "by", "no."}
