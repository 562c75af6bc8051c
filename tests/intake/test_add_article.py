"""build.py add-article: each kind of file received becomes a seed and registry entries the loader accepts."""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

import docx
import pytest

from studybrief.cli import main
from studybrief.registry import load_articles
from studybrief.yamlfile import load

PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "intake" / "port-page.txt"


def _state(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "seeds").iterdir())}


def _added(project: Path) -> list:
    return [a for a in load(project / "seeds" / "articles.yaml")["articles"] if a["id"].startswith("article-")]


def test_a_page_of_two_news_items_becomes_two_entries_with_spans_noise_and_metadata(project: Path, capsys) -> None:
    before = (project / "seeds" / "articles.yaml").read_text(encoding="utf-8")
    assert main(["--root", str(project), "add-article", str(PAGE)]) == 0
    printed = capsys.readouterr().out
    after = (project / "seeds" / "articles.yaml").read_text(encoding="utf-8")
    kept = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False).get_opcodes()
    assert {op for op, *_ in kept} == {"equal", "insert"}, "the registry as it was, comments included, is kept"
    first, second = _added(project)
    assert (first["lines"], second["lines"]) == ("3-19", "21-29")
    assert first["title"] == "宁波港口物流提速的启示" and first["subtitle"] == "宁波市推进港航服务改革调查"
    assert first["authors"] == ["李明", "王芳"] and first["date"] is None and first["outlet"] is None
    assert {n["lines"]: n["kind"] for n in first["noise"]} == {"7": "metadata", "15": "caption"}
    assert second["authors"] == ["赵强", "孙丽"]
    assert {n["lines"]: n["kind"] for n in second["noise"]} == {"27": "editor", "29": "footer"}
    files = load(project / "seeds" / "articles.yaml")["files"]
    assert files[-1]["noise"][0]["lines"] == "1" and files[-1]["noise"][0]["kind"] == "banner"
    seed = project / "seeds" / first["file"]
    assert seed.read_bytes() == PAGE.read_bytes()
    assert files[-1]["sha256"] == hashlib.sha256(PAGE.read_bytes()).hexdigest()
    articles, problems = load_articles(project)
    assert problems == [] and "下载APP" not in "".join(t for _, t in articles[first["id"]].body)
    assert "line 7: noise (metadata): byline" in printed and "date: null" in printed


def test_dry_run_prints_the_decisions_and_writes_nothing(project: Path, capsys) -> None:
    before = _state(project)
    assert main(["--root", str(project), "add-article", "--dry-run", str(PAGE)]) == 0
    assert "lines 21-29" in capsys.readouterr().out
    assert _state(project) == before


def test_gb18030_text_is_kept_byte_for_byte_beside_the_text_it_is_matched_against(project: Path, tmp_path: Path) -> None:
    legacy = tmp_path / "gbk.txt"
    legacy.write_bytes(PAGE.read_text(encoding="utf-8").encode("gb18030"))
    assert main(["--root", str(project), "add-article", str(legacy)]) == 0
    entry = load(project / "seeds" / "articles.yaml")["files"][-1]
    assert (project / "seeds" / entry["original"]).read_bytes() == legacy.read_bytes()
    assert (project / "seeds" / entry["file"]).read_text(encoding="utf-8").startswith("下载APP")
    assert load_articles(project)[1] == []
    (project / "seeds" / entry["original"]).write_bytes(b"edited")
    assert any("was edited" in p.message for p in load_articles(project)[1])


def test_a_saved_web_page_loses_scripts_styles_and_navigation(project: Path, tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in PAGE.read_text(encoding="utf-8").split("\n") if line)
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>x</title><style>p{{color:red}}</style></head><body><nav>首页 | 新闻</nav>"
                    f"<script>var tracker = 1;</script><div class='content'>{paragraphs}</div>"
                    f"<footer>网站地图</footer></body></html>", encoding="utf-8")
    assert main(["--root", str(project), "add-article", str(page)]) == 0
    entry = load(project / "seeds" / "articles.yaml")["files"][-1]
    text = (project / "seeds" / entry["file"]).read_text(encoding="utf-8")
    assert "tracker" not in text and "首页" not in text and "网站地图" not in text and "color" not in text
    assert [a["title"] for a in _added(project)] == ["宁波港口物流提速的启示", "舟山开通首条国际邮轮航线"]
    assert (project / "seeds" / entry["original"]).read_bytes() == page.read_bytes()


def test_a_word_document_gives_its_paragraphs_in_order(project: Path, tmp_path: Path) -> None:
    document = docx.Document()
    for line in PAGE.read_text(encoding="utf-8").split("\n"):
        if line:
            document.add_paragraph(line)
    path = tmp_path / "page.docx"
    document.save(path)
    assert main(["--root", str(project), "add-article", str(path)]) == 0
    assert [a["authors"] for a in _added(project)] == [["李明", "王芳"], ["赵强", "孙丽"]]


def _binary(tmp: Path) -> Path:
    path = tmp / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return path


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.txt"
    path.write_bytes(b"")
    return path


def _no_text(tmp: Path) -> Path:
    path = tmp / "blank.html"
    path.write_text("<html><head><script>var a = 'text';</script></head><body><nav>首页</nav><div>  </div></body></html>")
    return path


def _not_a_zip(tmp: Path) -> Path:
    path = tmp / "report.docx"
    path.write_text("这不是一个Word文件", encoding="utf-8")
    return path


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    return path


@pytest.mark.parametrize("make", [_binary, _empty, _no_text, _not_a_zip, _huge])
def test_bad_input_is_refused_naming_the_file_and_nothing_is_written(make, project: Path, tmp_path: Path, capsys) -> None:
    bad = make(tmp_path)
    before = _state(project)
    assert main(["--root", str(project), "add-article", str(PAGE), str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}" in err and "nothing written" in err and "Traceback" not in err
    assert _state(project) == before


def test_a_file_given_twice_or_already_registered_is_refused(project: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "elsewhere" / "copy.txt"
    copy.parent.mkdir()
    copy.write_bytes(PAGE.read_bytes())
    before = _state(project)
    assert main(["--root", str(project), "add-article", str(PAGE), str(copy)]) == 1
    assert "given twice" in capsys.readouterr().err and _state(project) == before
    seed = project / "seeds" / "000_cb28012656704f36.txt"
    assert main(["--root", str(project), "add-article", str(seed)]) == 1
    assert "already registered" in capsys.readouterr().err and _state(project) == before


def test_a_pdf_gives_the_same_articles_as_its_text_wrapped_lines_joined(project: Path, tmp_path: Path) -> None:
    from weasyprint import HTML

    body = "<br>".join(line for line in PAGE.read_text(encoding="utf-8").split("\n") if line)
    path = tmp_path / "page.pdf"
    HTML(string=f"<html><body style='font: 10pt \"Noto Serif CJK SC\"'>{body}</body></html>").write_pdf(path)
    assert main(["--root", str(project), "add-article", str(path)]) == 0
    first, second = _added(project)
    assert (first["lines"], second["lines"]) == ("3-19", "21-29")
    assert {n["lines"] for n in first["noise"]} == {"7", "15"}
