"""build.py draft: draft lessons whose passages are the article's own, listed by check, in no brief until published."""

from __future__ import annotations

from pathlib import Path

from studybrief.cli import main
from studybrief.intake.draft import sections
from studybrief.load import load_corpus
from studybrief.matching import Folded
from studybrief.pipeline import load_checked
from studybrief.registry import load_articles
from studybrief.yamlfile import load

PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "intake" / "port-page.txt"


def test_one_draft_per_numbered_section_and_启示_part_every_passage_verbatim(project: Path, capsys) -> None:
    assert main(["--root", str(project), "add-article", str(PAGE)]) == 0
    assert main(["--root", str(project), "draft", "article-000-1"]) == 3  # no such article: the page became article-005
    capsys.readouterr()
    assert main(["--root", str(project), "draft", "article-005-1"]) == 0
    drafts = sorted((project / "content" / "lessons").glob("article-005-1-*.yaml"))
    titles = [load(p)["title"] for p in drafts]
    assert titles == ["以数字化打通堵点", "以服务换市场", "以人才强支撑", "启示"]
    article = load_articles(project)[0]["article-005-1"]
    text = Folded.of(article.body)
    second = load(drafts[1])
    assert second["status"] == "draft" and second["background"] == "【待填写】"
    assert [r["figure"] for r in second["results"]] == ["120名"]
    for path in drafts:
        lesson = load(path)
        quotes = [*lesson["sources"][0]["passages"], *(r["quote"] for r in lesson.get("results") or [])]
        assert quotes and all(text.find(q) >= 0 for q in quotes), path
        assert all(q in PAGE.read_text(encoding="utf-8") for q in quotes), "verbatim, not folded"
    corpus, problems = load_corpus(project)
    assert problems == [] and "article-005-1-01" in corpus.drafts and "article-005-1-01" not in corpus.lessons
    assert main(["--root", str(project), "check"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning: draft lesson") == 4 and "article-005-1-01.yaml:4:" in err


def test_a_draft_never_replaces_a_file_and_a_published_lesson_may_not_keep_a_to_do(project: Path, capsys) -> None:
    assert main(["--root", str(project), "draft", "zj-lishui-latam"]) == 0
    (path,) = (project / "content" / "lessons").glob("zj-lishui-latam-*.yaml")
    assert main(["--root", str(project), "draft", "zj-lishui-latam"]) == 1
    assert "already exists" in capsys.readouterr().err
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft\n", ""), encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert f"{path.name}:" in err and "background is still marked 【待填写】" in err and "unknown theme '【待填写】'" in err


def test_a_draft_whose_passage_was_edited_is_an_error_not_a_warning(project: Path, capsys) -> None:
    assert main(["--root", str(project), "draft", "zj-lishui-latam"]) == 0
    (path,) = (project / "content" / "lessons").glob("zj-lishui-latam-*.yaml")
    text = path.read_text(encoding="utf-8")
    passage = load(path)["sources"][0]["passages"][0]
    path.write_text(text.replace(passage, "据说" + passage), encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 1
    assert "quote not found in article zj-lishui-latam" in capsys.readouterr().err


def test_the_numbered_sections_of_a_seed_are_its_drafts(corpus) -> None:
    article = corpus[0].articles["zzrb-yangtze-trip"]
    assert [s.title for s in sections(article)][:2] == ["义乌如何为企业降成本?", "“枫桥经验”如何与时俱进?"]
    assert len(sections(article)) == 7


def test_drafts_are_in_no_brief(project: Path) -> None:
    assert main(["--root", str(project), "draft", "zj-lishui-latam"]) == 0
    corpus, _ = load_checked(project)
    assert not any(i.startswith("zj-lishui-latam-") for i in corpus.lessons)


def test_noise_never_becomes_a_drafted_passage(project: Path) -> None:
    assert main(["--root", str(project), "draft", "zzrb-cadres-dagan"]) == 0
    drafted = "".join(p.read_text(encoding="utf-8") for p in (project / "content" / "lessons").glob("zzrb-cadres-dagan-*.yaml"))
    article = load_articles(project)[0]["zzrb-cadres-dagan"]
    seed = (project / "seeds" / article.file).read_text(encoding="utf-8").split("\n")
    noise = [seed[n - 1].strip() for first, last, _ in article.noise for n in range(first, last + 1) if seed[n - 1].strip()]
    assert "谢慧 摄" in noise and "苏州高新区CBD俯瞰图。" in noise
    assert drafted and not [line for line in noise if len(line) > 4 and line in drafted]
