"""Whose operation it is in Hong Kong, Macau and Taiwan releases: their police are Chinese police;
foreign police named first do not make a Chinese body's joint investigation foreign."""

from __future__ import annotations

from collections.abc import Callable

from monitor.models import Extraction

Run = Callable[..., Extraction]


def test_taiwan_bureau_investigating_with_foreign_police_is_chinese_police(run: Run) -> None:
    ex = run(
        "台泰聯手破獲曼谷詐欺機房",
        "泰國警方接獲情資，指有台灣籍人士在曼谷設立機房。刑事警察局獲報後，與泰國警方共同偵辦，"
        "逮捕嫌犯12人，查扣手機40支。",
    )
    assert ex.relevance.about_chinese_police


def test_foreign_police_leading_stay_foreign(run: Run) -> None:
    """Cambodia's police raid with Taiwanese among those arrested is Cambodia's operation."""
    ex = run(
        "柬埔寨突擊詐騙據點",
        "柬埔寨警方4日突擊詐騙據點，逮捕300名外籍嫌犯，其中包括12名台灣人。",
    )
    assert not ex.relevance.about_chinese_police


def test_an_international_body_named_by_its_meeting_leads_nothing(run: Run) -> None:
    """Hong Kong hosting INTERPOL's General Assembly is about Hong Kong's police; an operation
    INTERPOL coordinates is not."""
    hosted = run(
        "香港主辦國際刑警組織周年大會",
        "香港將舉辦國際刑警組織周年大會，警務處處長表示，警方已拘捕跨境詐騙疑犯50人。",
    )
    led = run(
        "國際刑警組織行動",
        "在國際刑警組織協調下，多國警方拘捕詐騙疑犯1000人，香港警方拘捕50人。",
    )
    assert hosted.relevance.about_chinese_police
    assert not led.relevance.about_chinese_police


def test_macau_judiciary_police_release_is_chinese_police(run: Run) -> None:
    ex = run(
        "司警拘捕一名馬來西亞女子",
        "澳門司法警察局今日通報，拘捕一名涉嫌電話詐騙的馬來西亞女子，涉案金額50萬澳門元。",
    )
    assert ex.relevance.about_chinese_police


def test_thai_special_investigation_raid_is_foreign(run: Run) -> None:
    ex = run(
        "DSI raids call centre, 40 arrested",
        "Department of Special Investigation officers arrested 40 suspects, 30 of them Chinese "
        "nationals, in a raid on a call centre in Bangkok.",
    )
    assert "Department of Special Investigation" in ex.agencies
    assert not ex.relevance.about_chinese_police
