"""The catalogue of mistakes people make editing YAML and templates by hand: each gets a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

# A complete lesson, fixed here so the line numbers in the expected messages do not move with the corpus.
YIWU = (ROOT / "tests/fixtures/probe.yaml").read_text(encoding="utf-8")


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), *args],
                          capture_output=True, text=True)


def check(project: Path) -> tuple[int, list[str]]:
    result = run(project, "check")
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr.splitlines()


def write(project: Path, data: bytes | str, name: str = "probe.yaml") -> Path:
    path = project / "content/lessons" / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


CATALOGUE = {
    "malformed YAML": (YIWU.replace("places: [浙江义乌]", "places: [浙江义乌"),
                       "4: invalid YAML: expected ',' or ']', but got ':'"),
    "empty file": ("", "1: file is empty"),
    "only whitespace": ("  \n\n", "1: file is empty"),
    "wrong type": (YIWU.replace("places: [浙江义乌]", "places: 浙江义乌"),
                   "3: lesson.places: expected a list of texts, got str '浙江义乌'"),
    "list item of wrong type": (YIWU.replace("places: [浙江义乌]", "places: [浙江义乌, {城市: 金华}]"),
                                "3: lesson.places[2]: expected non-empty text, got {'城市': '金华'}"),
    "full-width colon": (YIWU.replace("places: [浙江义乌]", "places：[浙江义乌]"),
                         "4: invalid YAML: could not find expected ':'; a full-width colon '：' does not separate a key "
                         "from its value, type ':'"),
    "tab indentation": (YIWU.replace("  - 义乌多次实地调研", "\t- 义乌多次实地调研"),
                        "9: invalid YAML: found character '\\t' that cannot start any token; indent with spaces, not tabs"),
    "control character typed": (YIWU.replace("title: 义乌如何为企业降成本？", "title: 义乌如何\x07为企业降成本？"),
                                "2: control character U+0007 is not allowed; delete it"),
    "control character escaped": (YIWU.replace("title: 义乌如何为企业降成本？", 'title: "义乌如何\\x0b为企业降成本？"'),
                                  "2: lesson.title: control character U+000B is not allowed; delete it"),
    "duplicate key": (YIWU.replace("places: [浙江义乌]", "places: [浙江义乌]\nplaces: [金华]"),
                      "4: duplicate key 'places'"),
    "long title": (YIWU.replace("title: 义乌如何为企业降成本？", "title: " + "义乌如何" * 20 + "？"),
                   "2: title is 81 characters; shorten it to 60 or fewer"),
    "unknown theme": (YIWU.replace("themes: [reform-innovation, business-environment]", "themes: [reform]"),
                      "4: unknown theme 'reform' (known: reform-innovation, business-environment, investment-attraction,"),
    "unknown article": (YIWU.replace("article: zzrb-yangtze-trip", "article: zzrb-yangtse-trip"),
                        "30: lesson probe cites unknown article 'zzrb-yangtse-trip'"),
    "unknown glossary term": (YIWU.replace("sources:", "terms: [昆山之路]\nsources:"),
                              "29: unknown glossary term '昆山之路'"),
    "top level not a mapping": ("- 义乌\n- 昆山\n", "1: lesson: expected a mapping"),
}


@pytest.mark.parametrize("case", CATALOGUE)
def test_catalogue(project, case):
    text, message = CATALOGUE[case]
    path = write(project, text)
    status, lines = check(project)
    assert status == 1
    assert any(line.startswith(f"{path}:{message}") for line in lines), lines
    assert lines[-1].endswith("found")


def test_gbk_file_is_refused_with_advice(project):
    path = write(project, YIWU.encode("gbk"))
    status, lines = check(project)
    assert (status, lines[0]) == (1, f"{path}:2: file is not UTF-8 (GBK or another legacy encoding?); save it as UTF-8")


def test_byte_order_mark_is_accepted(project):
    write(project, b"\xef\xbb\xbf" + YIWU.replace("id: probe", "id: with-bom").encode("utf-8"))
    status, lines = check(project)
    assert status == 0, lines


def test_missing_seed_file(project):
    (project / "seeds/003_0de3db3cb04d7390.txt").unlink()
    status, lines = check(project)
    assert status == 1
    assert f"{project}/seeds/articles.yaml:22: seed file seeds/003_0de3db3cb04d7390.txt is missing; copy it back unchanged" in lines


def test_missing_themes_file(project):
    (project / "content/themes.yaml").unlink()
    status, lines = check(project)
    assert (status, lines[0]) == (1, f"{project}/content/themes.yaml: cannot read the file: No such file or directory")


def test_department_naming_a_missing_lesson(project):
    config = project / "templates/organization/department.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("zhuzhou-chip-firm-left", "zhuzhou-chip-firm"),
                      encoding="utf-8")
    status, lines = check(project)
    assert (status, lines[0]) == (1, f"{config}:14: session cadre-competence-2026 names unknown lesson 'zhuzhou-chip-firm'")


def test_department_with_wrong_copies_type(project):
    config = project / "templates/commerce/department.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("copies: 80", "copies: 八十"), encoding="utf-8")
    status, lines = check(project)
    assert (status, lines[0]) == (1, f"{config}:7: department.copies: expected an integer, got str '八十'")


@pytest.mark.parametrize("args, message", [
    (["--department", "finance"], "unknown department 'finance' (known: commerce, default, hitech-zone, organization, science)"),
    (["--lesson", "no-such-lesson"], "unknown lesson 'no-such-lesson'; run `build.py list` to see the lesson ids"),
])
def test_unknown_name_on_the_command_line(project, tmp_path, args, message):
    result = run(project, "--out", str(tmp_path), *args)
    assert (result.returncode, result.stderr.splitlines()[0]) == (3, message)


@pytest.mark.parametrize("char", ["😀", "\U00020000"])
def test_character_outside_the_embedded_fonts(project, tmp_path, char):
    path = write(project, YIWU.replace("对照本地外贸和物流企业", f"对照本地外贸和物流企业{char}"))
    result = run(project, "--out", str(tmp_path), "--lesson", "probe", "--department", "default")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:24: character {char!r} (U+{ord(char):04X}) has no glyph in the embedded fonts (Noto Serif CJK SC, "
        "Noto Sans CJK SC, FandolKai, FandolFang); replace or remove it")
    assert not list(tmp_path.rglob("*.pdf"))


def test_long_unbroken_string_wraps_inside_the_page(project, tmp_path):
    from pypdf import PdfReader

    write(project, YIWU.replace("对照本地外贸和物流企业", "对照本地外贸和物流企业" + "x" * 400))
    result = run(project, "--out", str(tmp_path), "--lesson", "probe", "--department", "default", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    page = PdfReader(tmp_path / "default/handouts/probe.pdf").pages[0]
    assert "x" * 40 in "".join(p.extract_text() for p in PdfReader(tmp_path / "default/handouts/probe.pdf").pages)
    assert float(page.mediabox.width) < 600


def test_windows_line_endings_are_accepted(project):
    write(project, YIWU.replace("id: probe", "id: crlf").replace("\n", "\r\n"))
    status, lines = check(project)
    assert status == 0, lines
