"""Typesetting read back from the briefs: citation order, quotation marks, titles as configured."""

from __future__ import annotations

import re

import docx
import pytest
from pypdf import PdfReader

from .conftest import docx_text, pdf_text

BRIEFS = ["commerce/investment-2026", "default/all-lessons", "default/compendium", "hitech-zone/industrial-chains-2026",
          "organization/cadre-competence-2026", "science/innovation-2026"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("brief", BRIEFS)
def test_references_are_numbered_in_order_of_first_citation(built, brief, fmt):
    text = (pdf_text if fmt == "pdf" else docx_text)(built / f"{brief}.{fmt}")
    body = text[:text.rindex("参考文献")]
    first = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", body)))
    assert first == list(range(1, len(first) + 1)) and len(first) >= 2, first


def test_an_article_named_in_the_text_carries_its_reference_number(built):
    text = pdf_text(built / "default/handouts/kunshan-coffee-chain.pdf")
    number = re.search(r"\[(\d+)\]廖喜张，李军\.株洲干部需大干一场\[N\]", text).group(1)
    assert f"《株洲干部需大干一场》[{number}]把昆山干部" in text


def test_subtitle_follows_a_colon_in_the_reference(built):
    text = pdf_text(built / "default/all-lessons.pdf")
    assert "天元区做实“高新样本”王牌何在？：株洲县区发展大型新闻调查之四[N]" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_quotation_marks_nest_and_balance(built, fmt):
    for brief in ("default/all-lessons", "default/handouts/kunshan-coffee-chain"):
        text = (pdf_text if fmt == "pdf" else docx_text)(built / f"{brief}.{fmt}")
        assert "““" not in text and "””" not in text
        assert "“我在全国各地听了不少元宇宙主题的会" in text
    assert "按照‘缺什么补什么’的原则" in text


def test_an_ideographic_space_in_a_configured_title_is_kept(built):
    title = "对标先进园区\u3000做强主导产业链专题学习会"
    reader = PdfReader(built / "hitech-zone/industrial-chains-2026.pdf")
    assert reader.metadata.title == title
    assert title in reader.pages[0].extract_text()
    document = docx.Document(str(built / "hitech-zone/industrial-chains-2026.docx"))
    assert document.core_properties.title == title
    assert title in [p.text for p in document.paragraphs]
