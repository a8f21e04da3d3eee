"""Chinese officials: a title (局长, 新闻发言人, with the body before it) and the name after it."""

from __future__ import annotations

import re
from typing import Final

from monitor.extract.keywords import Keywords

OFFICIAL: Final = re.compile(
    r"((?:[\u4e00-\u9fff]{2,14}?(?:部|局|厅|委|院|办|队|所|处|会))?"
    r"副?(?:局长|部长|厅长|主任|总队长|支队长|大队长|所长|处长|政委|书记|新闻发言人|发言人|检察长|院长))"
    r"([\u4e00-\u9fff]{2,3}?)(?=表示|说|介绍|指出|称|强调|通报|在|，|、|出席|答|回答|\d)"
)
TITLE_KEYS: Final = Keywords(
    (
        (w, w)
        for w in (
            "局长",
            "部长",
            "厅长",
            "主任",
            "队长",
            "所长",
            "处长",
            "政委",
            "书记",
            "发言人",
            "检察长",
            "院长",
        )
    ),
    folded=False,
    shared=True,
)
