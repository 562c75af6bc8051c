"""The catalogue of mistakes people make editing YAML and templates by hand: each gets a clear message."""

from __future__ import annotations

import os
import shutil
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
    "malformed YAML": (YIWU.replace("places: [义乌]", "places: [义乌"),
                       "4: invalid YAML: expected ',' or ']', but got ':'"),
    "empty file": ("", "1: file is empty"),
    "only whitespace": ("  \n\n", "1: file is empty"),
    "wrong type": (YIWU.replace("places: [义乌]", "places: 义乌"),
                   "3: lesson.places: expected a list of texts, got str '义乌'"),
    "list item of wrong type": (YIWU.replace("places: [义乌]", "places: [义乌, {城市: 金华}]"),
                                "3: lesson.places[2]: expected non-empty text, got {'城市': '金华'}"),
    "full-width colon": (YIWU.replace("places: [义乌]", "places：[义乌]"),
                         "4: invalid YAML: could not find expected ':'; a full-width colon '：' does not separate a key "
                         "from its value, type ':'"),
    "tab indentation": (YIWU.replace("  - 义乌多次实地调研", "\t- 义乌多次实地调研"),
                        "9: invalid YAML: found character '\\t' that cannot start any token; indent with spaces, not tabs"),
    "control character typed": (YIWU.replace("title: 义乌如何为企业降成本？", "title: 义乌如何\x07为企业降成本？"),
                                "2: control character U+0007 is not allowed; delete it"),
    "control character escaped": (YIWU.replace("title: 义乌如何为企业降成本？", 'title: "义乌如何\\x0b为企业降成本？"'),
                                  "2: lesson.title: control character U+000B is not allowed; delete it"),
    "duplicate key": (YIWU.replace("places: [义乌]", "places: [义乌]\nplaces: [金华]"),
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


def refused(project, text: str, message: str) -> list[str]:
    """Write ``text`` as a lesson, run check, assert it fails with ``message`` at the lesson; return its lines."""
    path = write(project, text)
    status, lines = check(project)
    assert status == 1
    assert any(line.startswith(f"{path}:{message}") for line in lines), lines
    return lines


@pytest.mark.parametrize("case", CATALOGUE)
def test_catalogue(project, case):
    lines = refused(project, *CATALOGUE[case])
    assert lines[-1].endswith("found")


def test_gbk_file_is_refused_with_advice(project):
    path = write(project, YIWU.encode("gbk"))
    status, lines = check(project)
    assert (status, lines[0]) == (1, f"{path}:2: file is not UTF-8 (GBK or another legacy encoding?); save it as UTF-8")


def test_byte_order_mark_is_accepted(project):
    write(project, b"\xef\xbb\xbf" + YIWU.replace("id: probe", "id: with-bom").encode("utf-8"), "with-bom.yaml")
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
    write(project, YIWU.replace("id: probe", "id: crlf").replace("\n", "\r\n"), "crlf.yaml")
    status, lines = check(project)
    assert status == 0, lines


@pytest.mark.parametrize("name, text", [
    ("escape", "../../escaped"), ("absolute", "/tmp/escaped"), ("dotted", "yiwu.v2"), ("capitals", "Yiwu"),
    ("spaces", "yiwu export"), ("newline", '"probe\\n"'), ("chinese", "义乌"), ("trailing-hyphen", "probe-"),
])
def test_lesson_id_that_is_not_an_identifier(project, tmp_path, name, text):
    path = write(project, YIWU.replace("id: probe", f"id: {text}"), f"{name}.yaml")
    status, lines = check(project)
    assert status == 1
    assert lines[0].startswith(f"{path}:1: lesson id ") and "must be lowercase ASCII letters" in lines[0], lines
    result = run(project, "--out", str(tmp_path / "out"), "--lesson", "probe")
    assert result.returncode == 1 and not list(tmp_path.glob("escaped*")) and not Path("/tmp/escaped.pdf").exists()


def test_lesson_id_differs_from_its_file_name(project):
    path = write(project, YIWU.replace("id: probe", "id: yiwu-v3"), "yiwu-v2.yaml")
    status, lines = check(project)
    assert (status, lines[0]) == (1, f"{path}:1: lesson id 'yiwu-v3' differs from its file name: rename the file "
                                     "yiwu-v3.yaml or the id")


@pytest.mark.parametrize("session, message", [
    ('"one\\n"', "session id 'one\\n' must be lowercase ASCII letters"),
    ("../one", "session id '../one' must be lowercase ASCII letters"),
    ("compendium", "session id 'compendium' is reserved: the default department writes its compendium"),
])
def test_session_id_that_cannot_name_a_file(project, session, message):
    config = project / "templates/default/department.yaml"
    text = config.read_text(encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if x.strip().startswith("- id:"))
    config.write_text(text.replace(text.splitlines()[line - 1].split("id:")[1], f" {session}", 1), encoding="utf-8")
    status, lines = check(project)
    assert status == 1 and lines[0].startswith(f"{config}:{line}: {message}"), lines


@pytest.mark.parametrize("name", ["audit\n", "Audit", "../audit", "base", "a.b", ""])
def test_new_department_refuses_a_name_that_is_not_an_identifier(project, name):
    result = run(project, "new-department", name)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith("department name "), result.stderr
    assert sorted(p.name for p in (project / "templates").iterdir()) == [
        "base", "commerce", "default", "hitech-zone", "organization", "science"]


def test_department_folder_that_is_not_an_identifier(project):
    (project / "templates/Audit Office").mkdir()
    (project / "templates/Audit Office/department.yaml").write_text("name: x\n", encoding="utf-8")
    status, lines = check(project)
    assert (status, lines[0]) == (1, f"{project}/templates/Audit Office/department.yaml:1: department name "
                                     "'Audit Office' must be lowercase ASCII letters and digits joined by single "
                                     "hyphens (e.g. yiwu-export-2)")


def test_every_output_path_stays_inside_the_output_folder(tmp_path):
    from studybrief.errors import BriefError
    from studybrief.identifiers import inside

    assert inside(tmp_path, tmp_path / "a" / "b.pdf") == tmp_path / "a" / "b.pdf"
    for outside in (tmp_path / ".." / "b.pdf", Path("/etc/b.pdf")):
        with pytest.raises(BriefError, match="outside the output folder"):
            inside(tmp_path, outside)


def _bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [lol]"] + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels)]
    return "\n".join(lines)


YAML_ATTACKS = {
    "alias bomb": (YIWU.replace("places: [义乌]", "places: 义乌\n" + _bomb(9, 9)),
                   "8: more than 32 aliases (*name); write the values out"),
    "alias bomb under the limit, in a type error": (
        _bomb(5, 6) + "\n" + YIWU.replace("places: [义乌]", "places: {x: *a4}"),
        "8: lesson.places: expected a list of texts, got Mapping {'x': [[["),
    "list as a mapping key": (YIWU.replace("places: [义乌]", "places: [义乌]\n[金华, 义乌]: 1"),
                              "4: a key must be a plain word, not a list or a mapping"),
    "mapping as a mapping key": (YIWU.replace("places: [义乌]", "places: [义乌]\n? {城市: 金华}\n: 1"),
                                 "4: a key must be a plain word, not a list or a mapping"),
    "deep nesting": (YIWU.replace("places: [义乌]", "places: " + "[" * 1000 + "]" * 1000),
                     "3: nested more than 32 levels deep"),
    "deep block nesting": (YIWU.replace("places: [义乌]", "places:\n" + "".join(
        " " * n + "-\n" for n in range(200))), "35: nested more than 32 levels deep"),
    "merge key": (YIWU.replace("places: [义乌]", "base: &base {places: [义乌]}\n<<: *base"),
                  "4: merge keys (<<) are not supported; write the keys out"),
}


@pytest.mark.parametrize("case", YAML_ATTACKS)
def test_yaml_that_attacks_the_reader(project, case):
    refused(project, *YAML_ATTACKS[case])


def test_fifo_is_refused_without_blocking(project):
    fifo = project / "content/lessons/fifo.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{fifo}: not a regular file (a pipe, a device or a folder); not read" in result.stderr.splitlines()


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/shadow"])
def test_link_to_a_file_outside_the_project_is_not_read(project, target):
    link = project / "content/lessons/secret.yaml"
    link.symlink_to(target)
    status, lines = check(project)
    assert status == 1 and f"{link}: is a link to a file outside the project; not read" in lines
    assert not any("root:" in line for line in lines)


def test_link_inside_the_project_is_read(project):
    shutil.copy(ROOT / "tests/fixtures/probe.yaml", project / "content/probe-copy.yaml")
    (project / "content/lessons/probe.yaml").symlink_to(project / "content/probe-copy.yaml")
    status, lines = check(project)
    assert status == 0, lines


def _edit(config: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in a department's configuration; return the line it is on."""
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize("old, new, message", [
    ("date: 2026-11-28", "date: 2026-02-30", "session date must be a real date written YYYY-MM-DD, not '2026-02-30'"),
    ("date: 2026-11-28", "date: ２０２６-１１-２１", "session date must be a real date written YYYY-MM-DD, not '２０２６-１１-２１'"),
    ("date: 2026-11-28", "date: 2026-1-21", "session date must be a real date written YYYY-MM-DD, not '2026-1-21'"),
    ("copies: 150", "copies: -1", "copies must be a number from 1 to 100000, not -1"),
    ("copies: 150", "copies: 0", "copies must be a number from 1 to 100000, not 0"),
    ("copies: 150", "copies: 100001", "copies must be a number from 1 to 100000, not 100001"),
    ("distribution: 发：区直各部门，各街道（镇），各园区平台公司", "distribution: 发：" + "，".join(["区直各部门"] * 100),
     "distribution is 601 characters; the block at the foot of the last page holds 150"),
    ("accent: \"#8b0000\"", "accent: \"#8b0000\\n\"", "accent must be a colour like #c00000"),
])
def test_department_value_that_would_break_the_brief(project, old, new, message):
    config = project / "templates/hitech-zone/department.yaml"
    line = _edit(config, old, new)
    status, lines = check(project)
    assert status == 1 and lines[0].startswith(f"{config}:{line}: {message}"), lines


def test_lesson_listed_twice_in_a_session(project):
    config = project / "templates/organization/department.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("zhuzhou-chip-firm-left", "zhuzhou-chip-firm-left, zhuzhou-chip-firm-left", 1),
                      encoding="utf-8")
    status, lines = check(project)
    assert status == 1 and any(
        line.startswith(f"{config}:") and line.endswith("session cadre-competence-2026 lists lesson "
                                                        "'zhuzhou-chip-firm-left' more than once") for line in lines)


def test_largest_distribution_and_copies_check_accepts_are_printed_in_both_formats(project, tmp_path):
    from pypdf import PdfReader

    from .conftest import docx_text, squeeze

    config = project / "templates/hitech-zone/department.yaml"
    names = "发：" + "，".join(f"第{n}家单位" for n in range(1, 40))
    names = names[:150]
    _edit(config, "distribution: 发：区直各部门，各街道（镇），各园区平台公司", f"distribution: {names}")
    _edit(config, "copies: 150", "copies: 100000")
    assert check(project)[0] == 0
    result = run(project, "--out", str(tmp_path), "--department", "hitech-zone", "--lesson",
                 "shenzhen-industrial-system-upgrade")
    assert result.returncode == 0, result.stderr
    pdf = squeeze("".join(p.extract_text() for p in PdfReader(tmp_path / "hitech-zone/regional-2026.pdf").pages))
    word = docx_text(tmp_path / "hitech-zone/regional-2026.docx")  # the 报尾 stands in a text box
    for text in (pdf, word):
        assert "共印100000份" in text and squeeze(names) in text
