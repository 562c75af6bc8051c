"""`build.py check`: every kind of content error is reported with its file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studybrief.checks import check
from studybrief.load import load_corpus

from .conftest import ROOT


def problems(root: Path) -> list[str]:
    corpus, found = load_corpus(root)
    return [str(p) for p in found + check(corpus)]


def only(root: Path, path: Path) -> list[str]:
    """Return the problems reported against ``path``."""
    return [p for p in problems(root) if p.startswith(str(path))]


def test_real_content_passes():
    result = subprocess.run([sys.executable, "build.py", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 11 articles")


def test_fabricated_quote_names_file_line_and_closest_passage(project, write_lesson):
    path = write_lesson(quote="义乌一年就可以为企业节约成本9000余万元。")
    [message] = only(project, path)
    assert message.startswith(f"{path}:12: quote not found in article zzrb-yangtze-trip: «义乌一年就可以为企业节约成本9000余万元。»")
    assert "closest passage (seeds/000_cb28012656704f36.txt:39): «根据测算,这项改革,一年就可以为企业节约成本6000余万元。" in message


def test_quote_across_layout_line_break_matches(project, write_lesson):
    # In the seed, 查 ends line 27 and 验 starts line 29, with an empty line between.
    path = write_lesson(quote="一旦箱中某批货物需要查验,同箱的其他货物需要等该批货物全部查验完毕后")
    assert only(project, path) == []


def test_full_width_punctuation_matches_half_width_seed(project, write_lesson):
    path = write_lesson(quote="“先查验后装运”监管模式改革试点。新模式下，出口小商品以散货方式进入“集拼仓”")
    assert only(project, path) == []


def test_simplified_quote_of_traditional_article_matches(project, write_lesson):
    path = write_lesson(article="tianyuan-high-tech", quote="以自己落后的无知,质疑人家的合法性和先进性。", place="天元区")
    assert only(project, path) == []


def test_number_missing_from_quotes(project, write_lesson):
    path = write_lesson(text=(ROOT / "tests/fixtures/probe.yaml").read_text(encoding="utf-8")
                        .replace("meaning: 据测算，这项改革一年为企业节约的成本", "meaning: 据测算，这项改革两年为企业节约的成本，即12000万元"))
    assert only(project, path) == [f"{path}:14: meaning 两 (= 2) in result '6000余万元' does not occur in its quote",
                                   f"{path}:14: meaning 12000万 (= 120000000) in result '6000余万元' does not occur in its quote"]


def test_number_in_background_must_be_quoted(project, write_lesson):
    path = write_lesson(text=(ROOT / "tests/fixtures/probe.yaml").read_text(encoding="utf-8")
                        .replace("外贸企业为省运费", "1000多家外贸企业为省运费"))
    assert only(project, path) == [f"{path}:5: number 1000多 in background does not occur in any quoted passage"]


@pytest.mark.parametrize("quote", ["哪些昆山有,哪些昆山缺,按照“缺", "什么补什么”的原则,一个环节一个环节开展招商"])
def test_quote_cut_inside_a_quotation_is_reported_at_its_line(project, write_lesson, quote):
    path = write_lesson(article="zzrb-cadres-dagan", quote=quote, place="昆山")
    [message] = only(project, path)
    assert message.startswith(f"{path}:12: quote «{quote[:30]}» opens or closes a quotation mark it does not close")


def test_quote_from_spam_line_is_rejected(project, write_lesson):
    path = write_lesson(article="tianyuan-high-tech", quote="白嫩少妇激情无码", place="天元区")
    [message] = only(project, path)
    assert message.startswith(f"{path}:12: quote not found in article tianyuan-high-tech: «白嫩少妇激情无码»")


def test_quote_from_noise_inside_the_article_is_rejected(project, write_lesson):
    path = write_lesson(article="tianyuan-high-tech", quote="版權作品,未經授權嚴禁轉載。", place="天元区")
    assert len(only(project, path)) == 1


def test_lesson_id_other_than_its_file_name_so_no_two_lessons_share_one(project, write_lesson):
    path = write_lesson("zz-copy", id="yiwu-consolidated-export")
    assert only(project, path) == [
        f"{path}:1: lesson id 'yiwu-consolidated-export' differs from its file name: rename the file "
        "yiwu-consolidated-export.yaml or the id"
    ]


def test_unknown_key_lists_the_allowed_ones(project, write_lesson):
    path = write_lesson(text=(ROOT / "tests/fixtures/probe.yaml").read_text(encoding="utf-8")
                        .replace("id: probe", "id: probe\nsummary: 多余的键"))
    [message] = only(project, path)
    assert message.startswith(f"{path}:2: lesson: unknown key 'summary' (allowed: id, title, places")


def test_missing_and_empty_and_wrongly_typed_fields_all_reported_at_once(project, write_lesson):
    path = write_lesson(text="id: probe\ntitle: ''\nplaces: 义乌\nthemes: [reform-innovation]\nbackground: x\n"
                             "actions: [x]\ntakeaways: [x]\nquestions: [x]\n")
    assert only(project, path) == [
        f"{path}:2: lesson: required key 'title' is empty (the question the lesson answers, e.g. 义乌如何为企业降成本？)",
        f"{path}:3: lesson.places: expected a list of texts, got str '义乌'",
        f"{path}:1: lesson: required key 'sources' is missing (articles the lesson rests on, with verbatim passages)",
    ]


def test_unknown_theme_and_unknown_article(project, write_lesson):
    path = write_lesson(theme="no-such-theme", article="no-such-article")
    found = only(project, path)
    assert found[0].startswith(f"{path}:4: unknown theme 'no-such-theme' (known: reform-innovation,")
    assert found[1] == f"{path}:10: lesson probe cites unknown article 'no-such-article'"


def test_edited_seed_is_detected(project):
    seed = project / "seeds/000_cb28012656704f36.txt"
    seed.write_bytes(seed.read_bytes().replace("6000余万元".encode(), "9000余万元".encode()))
    assert f"{project / 'seeds/articles.yaml'}:6: seeds/000_cb28012656704f36.txt was edited: its checksum no longer " \
           "matches; restore the original" in problems(project)


def test_overlapping_and_out_of_range_spans(project):
    registry = project / "seeds/articles.yaml"
    text = registry.read_text(encoding="utf-8")
    text = text.replace("lines: 57-65", "lines: 50-65").replace("lines: 1-20", "lines: 1-999")
    registry.write_text(text, encoding="utf-8")
    found = problems(project)
    assert any("article zj-deqing-apps: lines 50-65 overlap article hz-south-study" in p for p in found)
    assert any("article yanan-yangtze-report: lines '1-999' out of range 1-20 of 003_0de3db3cb04d7390.txt" in p
               for p in found)


def test_check_command_prints_every_problem_and_fails(project, write_lesson):
    write_lesson("a", quote="完全编造的一句话。")
    write_lesson("b", theme="nope")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 problems found"
    assert "Traceback" not in result.stderr
