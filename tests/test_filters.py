"""House filters: half-up rounding at presentation, thousands separators, Chinese numbering."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.render.env import docx_text, make_docx_env, make_env
from reportgen.render.filters import cn_num, cn_ordinal, cn_paren, num, pct, score, wan


def test_pct_of_a_real_ratio() -> None:
    rate = Decimal("124.23") / Decimal("126.33") * 100  # 98.3377…
    assert pct(rate) == "98.34%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("98.335"), "98.34%"),  # half-up, not banker's (98.33)
        (Decimal("98.345"), "98.35%"),
        (Decimal("0.125"), "0.13%"),
        (0.125, "0.13%"),
        (2.675, "2.68%"),  # the float 2.675 is 2.67499…; read as its decimal text
        (100, "100.00%"),
        ("97.5", "97.50%"),
        (None, "—"),
    ],
)
def test_pct_rounds_half_up(value: object, expected: str) -> None:
    assert pct(value) == expected


def test_num_places_half_up() -> None:
    assert num(Decimal("0.125"), 2) == "0.13"
    assert num(Decimal("12.3400")) == "12.34"
    assert num(Decimal("5.000")) == "5"
    assert num(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.891"), "1,234,567.89"),
        (Decimal("1234.5"), "1,234.50"),
        (Decimal("-1234.005"), "-1,234.01"),
        (Decimal("0.125"), "0.13"),
        (999, "999.00"),
        ("1,234.5", "1,234.50"),
        (None, ""),
        ("", ""),
    ],
)
def test_wan_thousands_separators(value: object, expected: str) -> None:
    assert wan(value) == expected


def test_wan_rejects_text_and_bools() -> None:
    with pytest.raises(TypeError):
        wan("十万")
    with pytest.raises(TypeError):
        wan(True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4.00", "4"), (Decimal("7.725"), "7.73"), ("4.50", "4.5"), (0, "0"), (None, "")],
)
def test_score_drops_trailing_zeros(value: object, expected: str) -> None:
    assert score(value) == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九")]
)
def test_cn_num(n: int, expected: str) -> None:
    assert cn_num(n) == expected


def test_cn_ordinal_and_paren() -> None:
    assert cn_ordinal(11) == "十一、"
    assert cn_ordinal(1) == "一、"
    assert cn_paren(3) == "（三）"
    assert cn_paren(12) == "（十二）"


def test_filters_are_in_both_environments() -> None:
    for env in (make_env(), make_env(autoescape=False), make_docx_env()):
        out = env.from_string("{{ a|wan }} {{ r|pct }} {{ s|score }} {{ 11|cn_ordinal }}").render(
            a=Decimal("1234.5"), r=Decimal("98.335"), s="4.00"
        )
        assert out == "1,234.50 98.34% 4 十一、"


def test_plain_env_keeps_strings_unchanged() -> None:
    text = "A&B <x> \"q\" 'q'\n第二行\t制表"
    assert make_env(autoescape=False).from_string("{{ v }}").render(v=text) == text


def test_docx_text_escapes_and_breaks_lines() -> None:
    out = make_docx_env().from_string("{{ v }}").render(v="A&B <x>\r\n第二行\x01")
    assert out == 'A&amp;B &lt;x&gt;</w:t><w:br/><w:t xml:space="preserve">第二行'
    assert docx_text(None) == ""
    assert docx_text(Decimal("1.50")) == "1.50"
