"""English officials: the titles an official is named with, and the words no name holds."""

from __future__ import annotations

import re
from typing import Final

from monitor.extract.keywords import Keywords

TITLE_WORDS: Final = (
    r"(?:[Dd]eputy |[Vv]ice |[Ee]xecutive |[Aa]ssistant |[Ss]enior |[Cc]hief )?"
    r"(?:[Dd]irector(?:-[Gg]eneral)?|[Mm]inister|[Hh]ead|[Cc]hief|[Ss]ecretary|"
    r"[Ss]pokes(?:person|man|woman)|[Cc]ommissioner|[Pp]olitical [Cc]ommissar|"
    r"[Pp]resident|[Pp]rocurator-[Gg]eneral|[Gg]overnor|[Mm]ayor|[Cc]hairman|"
    r"[Cc]hairwoman|[Cc]aptain|[Cc]ommander|[Pp]arty [Ss]ecretary)"
)
NAME: Final = r"[A-Z][a-z]{1,6}(?: [A-Z][a-z]{1,9}){1,2}"
_SPEECH: Final = (
    r"said|told|informed|noted|responded|stated|explained|added|introduced|pointed out|announced|"
    r"revealed"
)
# the title runs to the first comma, stop or semicolon, or to the first verb of speech; read
# possessively (one pass, no backtracking), it ends where the shortest such title would
OFFICIAL_AFTER: Final = re.compile(
    rf"\b({NAME}), ((?:the )?{TITLE_WORDS}\b(?:[^,;.\n() ]| (?!{_SPEECH})){{0,120}}+)"
    rf"(?=,|\.|;| (?:{_SPEECH}))"
)
OFFICIAL_BEFORE: Final = re.compile(
    rf"\b({TITLE_WORDS}(?: of (?:the )?[A-Z][\w'’]*(?: (?:of |and |the )?[A-Z][\w'’]*)*)?)"
    rf" ({NAME})(?= said| told| informed| noted|,| announced)"
)
NOT_NAMES: Final = {
    "Ministry",
    "Public",
    "Security",
    "The",
    "Criminal",
    "Bureau",
    "Central",
    "National",
    "Supreme",
    "China",
    "Chinese",
    "Reporter",
    "Internet",
    "State",
    "People",
}


TITLE_KEYS: Final = Keywords(
    (
        (w, w)
        for w in [
            "director",
            "director-general",
            "minister",
            "head",
            "chief",
            "secretary",
            "spokesperson",
            "spokesman",
            "spokeswoman",
            "commissioner",
            "commissar",
            "president",
            "procurator-general",
            "governor",
            "mayor",
            "chairman",
            "chairwoman",
            "captain",
            "commander",
        ]
    ),
    shared=True,
)

# where a match of each pattern can start: a word opening with a capital (a name), or with a
# first letter of TITLE_WORDS
NAME_FIRSTS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
TITLE_FIRSTS: Final = frozenset("DdVvEeAaSsCcMmHhPpGg")
# what OFFICIAL_AFTER's title opens with after the name's comma: a title word, or "the"
AFTER_NAME_FIRSTS: Final = TITLE_FIRSTS | {"t"}
# a NAME is at most 7 + 2 x 11 characters: OFFICIAL_AFTER has its ", " within this many
NAME_REACH: Final = 31
# the first three letters of every word TITLE_WORDS opens with, in either case of the first: a
# word that opens otherwise is not tried
_OPENING_WORDS: Final = (
    "deputy", "vice", "executive", "assistant", "senior", "chief", "director", "minister", "head",
    "secretary", "spokes", "commissioner", "political", "president", "procurator", "governor",
    "mayor", "chairman", "captain", "commander", "party",
)  # fmt: skip
TITLE_OPENINGS: Final = frozenset(
    w[:3] for word in _OPENING_WORDS for w in (word, word[0].upper() + word[1:])
)
