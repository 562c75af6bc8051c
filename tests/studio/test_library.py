"""The library: search, filters, lesson pages, the source viewer and the stable contract."""

from __future__ import annotations

import re
from html import unescape

import pytest


def test_healthz_answers_ok(reader):
    response = reader.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


@pytest.mark.parametrize(("query", "lesson"), [("先查验后装运", "yiwu-consolidated-export"), ("拼箱", "yiwu-consolidated-export"),
                                               ("拼 箱", "yiwu-consolidated-export"), ("先查驗後裝運", "yiwu-consolidated-export")])
def test_search_finds_chinese_without_word_spaces(reader, query, lesson):
    found = reader.get("/search", query_string={"q": query}).json
    assert lesson in [x["id"] for x in found["lessons"]], found
    page = reader.get("/", query_string={"q": query}).get_data(as_text=True)
    assert "义乌如何为企业降成本？" in page


def test_search_without_match_lists_nothing(reader):
    assert reader.get("/search", query_string={"q": "量子计算机"}).json["count"] == 0


def test_filters_narrow_by_theme_place_and_article(reader):
    everything = reader.get("/search").json["count"]
    themed = reader.get("/search", query_string={"theme": "business-environment"}).json["lessons"]
    assert 0 < len(themed) < everything and all("business-environment" in x["themes"] for x in themed)
    placed = reader.get("/search", query_string={"place": "义乌"}).json["lessons"]
    assert [x["id"] for x in placed] == ["yiwu-consolidated-export"]
    by_article = reader.get("/search", query_string={"article": "zzrb-yangtze-trip"}).json["count"]
    assert 0 < by_article < everything


def test_lesson_page_shows_the_brief_and_links_every_passage(reader):
    page = reader.get("/lesson/yiwu-consolidated-export").get_data(as_text=True)
    assert 'src="/lesson/yiwu-consolidated-export/brief"' in page
    assert 'href="/download/handouts/yiwu-consolidated-export.pdf"' in page
    links = [unescape(x) for x in re.findall(r'href="(/source/[^"]+)"', page)]
    assert len(links) >= 2
    brief = reader.get("/lesson/yiwu-consolidated-export/brief").get_data(as_text=True)
    assert "义乌如何为企业降成本？" in brief and "原文摘录" in brief and "@page" in brief


def test_source_viewer_highlights_the_passage_where_check_found_it(reader):
    page = reader.get("/lesson/yiwu-consolidated-export").get_data(as_text=True)
    link = unescape(re.findall(r'href="(/source/[^"]+)"', page)[0])
    viewer = reader.get(link).get_data(as_text=True)
    first, last = map(int, re.search(r"引文见第(\d+)(?:—(\d+))?行", viewer).groups(default="0"))
    hits = [int(n) for n in re.findall(r'<tr[^>]*class="hit[^"]*"[^>]*>\s*<th>(\d+)</th>', viewer)]
    assert hits and hits[0] == first and hits == list(range(first, (last or first) + 1))
    assert "拼箱" in "".join(re.findall(r'class="hit[^"]*"[^>]*>\s*<th>\d+</th><td>([^<]*)', viewer))


def test_source_viewer_greys_noise_lines(reader):
    viewer = reader.get("/source/zzrb-yangtze-trip").get_data(as_text=True)
    assert re.search(r'class=" noise" title="非正文：', viewer)


@pytest.mark.parametrize("path", ["/lesson/no-such-lesson", "/source/no-such-article", "/lesson/..%2f..%2fetc%2fpasswd",
                                  "/source/../../seeds/articles.yaml"])
def test_unknown_names_are_404(reader, path):
    assert reader.get(path).status_code == 404


def test_serve_refuses_an_open_address_without_accounts(capsys):
    from studybrief.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 3
    assert "accounts" in capsys.readouterr().err
