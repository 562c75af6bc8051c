"""Messages in Chinese: the catalog is current and complete, no English message escapes it, the locale is followed."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from studybrief.errors import ContentError
from studybrief.i18n import CHINESE, LOCALES, _, ngettext, use
from studybrief.yamlfile import parse

from .conftest import ROOT

PACKAGE = ROOT / "studybrief"
POT = LOCALES / "studybrief.pot"
PO = LOCALES / CHINESE / "LC_MESSAGES" / "studybrief.po"
# Being rewritten by the quote-fidelity work, which marks their messages: take each off once it is marked.
_PLACEHOLDER = re.compile(r"{[^{}]*}|%\(\w+\)[sdr]|%[sdr]")


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _read(path: Path):
    with path.open("rb") as file:
        return read_po(file, locale=CHINESE if path == PO else None)


def test_the_template_holds_exactly_what_babel_extracts_from_the_source():
    extracted = {message[0] if isinstance(message, tuple) else message
                 for _file, _line, message, _comments, _context in
                 extract_from_dir(ROOT, method_map=[("studybrief/**.py", "python")],
                                  keywords={"_": None, "N_": None, "ngettext": (1, 2)})}
    assert len(extracted) > 250
    template = _ids(_read(POT))
    assert not extracted - template, "run the README's pybabel extract: the .pot lacks these"
    assert not template - extracted, "run the README's pybabel extract: the .pot holds messages the source no longer has"


def test_every_message_has_a_chinese_translation_with_the_same_placeholders():
    chinese = {m.id if isinstance(m.id, str) else m.id[0]: m for m in _read(PO) if m.id}
    for msgid in _ids(_read(POT)):
        entry = chinese.get(msgid)
        assert entry is not None, f"no zh_CN entry for {msgid!r}: run pybabel update"
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        assert all(s.strip() for s in strings), f"no translation for {msgid!r}"
        assert "fuzzy" not in entry.flags, msgid
        for string in strings:
            assert sorted(_PLACEHOLDER.findall(string)) == sorted(_PLACEHOLDER.findall(ids[-1])), (msgid, string)
            # Chinese, not the English left in place: a translation with letters outside placeholders and
            # names (keys, commands, file names) holds Chinese characters.
            if re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", _PLACEHOLDER.sub("", ids[-1])):
                assert re.search(r"[\u4e00-\u9fff]", string), (msgid, string)


def test_translation_follows_the_language_in_use():
    try:
        use(CHINESE)
        assert _("session {id} selects no lesson").format(id="x") == "期次 x 一条经验启示也没有选中"
        assert ngettext("{count} problem found", "{count} problems found", 3).format(count=3) == "发现 3 个问题"
    finally:
        use(None)
    assert _("session {id} selects no lesson") == "session {id} selects no lesson"
    assert ngettext("{count} problem found", "{count} problems found", 3).format(count=3) == "3 problems found"


# The rule: a message reaches a reader only through _() (or N_() where it is declared and translated where shown).
# These calls carry messages in the positions listed (an index of positional arguments, or keyword names).
_MESSAGE_ARGUMENTS = {
    "Problem": (2, "message"), "print": ("*",), "flash": (0,), "getpass": (0,), "exit": ("*",),
    "warning": (0,), "error": (0,), "info": (0,), "critical": (0,), "exception": (0,),
    "render_template": ("title", "message"), "Spec": (0,), "Field": (1,), "add_argument": ("help",),
    "add_parser": ("help",), "ArgumentParser": ("description",), "_Parser": ("description",),
}
_MARKERS = {"_", "N_", "ngettext"}


def _name(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _english(node: ast.AST) -> list[ast.AST]:
    """Return the literals in the expression ``node`` that carry words and are not marked for translation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node] if re.search(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", node.value) else []
    if isinstance(node, ast.JoinedStr):
        return [node] if any(_english(part) for part in node.values) else []
    if isinstance(node, ast.BinOp):
        return _english(node.left) + _english(node.right)
    if isinstance(node, ast.IfExp):
        return _english(node.body) + _english(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [found for value in node.values for found in _english(value)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [found for element in node.elts for found in _english(element)]
    return []  # a name, a call (to _ or to a helper), an attribute: its text comes from elsewhere


def _arguments(call: ast.Call, positions: tuple) -> list[ast.AST]:
    chosen = []
    for position in positions:
        if position == "*":
            chosen += [a for a in call.args if not isinstance(a, ast.Starred)]
        elif isinstance(position, int) and position < len(call.args):
            chosen.append(call.args[position])
        chosen += [k.value for k in call.keywords if k.arg == position]
    return chosen


def _unmarked(tree: ast.AST) -> list[tuple[int, str]]:
    """Return the line and text of every message literal in ``tree`` that does not go through _()."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):  # raise SomeError("...")
            found += _english_of(node.exc.args + [k.value for k in node.exc.keywords])
        if isinstance(node, ast.Call) and _name(node.func) in _MESSAGE_ARGUMENTS:
            found += _english_of(_arguments(node, _MESSAGE_ARGUMENTS[_name(node.func)]))
    return found


def _english_of(nodes: list[ast.AST]) -> list[tuple[int, str]]:
    return [(literal.lineno, ast.unparse(literal)) for node in nodes for literal in _english(node)]


def _shadowed(tree: ast.AST) -> list[int]:
    """Return the lines of functions that call _() but also bind _ (a loop's throwaway), which breaks the call."""
    lines = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp,
                                     ast.DictComp, ast.GeneratorExp)):
            continue
        calls = binds = False
        stack = [(node, True) for node in ast.iter_child_nodes(function)]
        while stack:  # a comprehension inside has a scope of its own: what it binds is not the function's
            node, own = stack.pop()
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                calls = True
            if own and isinstance(node, (ast.Name, ast.arg)) and "_" in (getattr(node, "id", None), getattr(node, "arg", None)):
                binds = binds or isinstance(node, ast.arg) or isinstance(node.ctx, ast.Store)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                inner = own and not isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
                stack.extend((child, inner) for child in ast.iter_child_nodes(node))
        if calls and binds:
            lines.append(function.lineno)
    return lines


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_message_escapes_the_catalog(module: Path):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    assert _unmarked(tree) == [], f"{module.name}: wrap these messages in _() (N_() for declarations)"
    assert _shadowed(tree) == [], f"{module.name}: these functions bind _ and call _(): rename the throwaway"


def test_the_rule_finds_an_unmarked_message():
    source = '''
def f(path, e):
    problems.append(Problem(path, 1, f"cannot read {path}"))
    raise UsageError("no such department")
    print(_("fine {x}").format(x=1), "left in English")
    parser.add_argument("--out", help="output folder")
    return Problem(path, 2, _("fine"))
def g(items):
    for _, item in items:
        print(_("shadowed"))
'''
    tree = ast.parse(source)
    assert sorted(line for line, _text in _unmarked(tree)) == [3, 4, 5, 6]
    assert _shadowed(tree) == [8]


# End to end: the command line in each language, exact messages with file and line.
def _run(project: Path, *args: str, lang: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), *args],
                          capture_output=True, text=True, env={**environment, "LANG": lang}, cwd=project)


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_bad_department_is_reported_in_the_language_of_the_locale(project):
    config = project / "templates" / "organization" / "department.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("date: 2026-11-21", "date: 2026-02-30")
                      .replace('accent: "#c00000"', "accent: red"), encoding="utf-8")
    where = "templates/organization/department.yaml"
    date, accent = _line_of(config, "date: 2026-02-30"), _line_of(config, "accent: red")
    chinese, english = _run(project, "check", lang="zh_CN.UTF-8"), _run(project, "check", lang="C")
    assert chinese.returncode == english.returncode == 1
    assert f"{where}:{date}: 印发日期应为真实存在的日期，格式为 YYYY-MM-DD，而不是“2026-02-30”\n" in chinese.stderr
    assert f"{where}:{accent}: 主题色应写成 #c00000 这样的颜色值，而不是“red”\n" in chinese.stderr
    assert chinese.stderr.endswith("发现 2 个问题\n")
    assert f"{where}:{date}: session date must be a real date written YYYY-MM-DD, not '2026-02-30'\n" in english.stderr
    assert f"{where}:{accent}: accent must be a colour like #c00000, not 'red'\n" in english.stderr
    assert english.stderr.endswith("2 problems found\n")


def test_a_bad_lesson_stops_the_build_in_the_language_of_the_locale(project, write_lesson):
    lesson = write_lesson("probe")
    lesson.write_text(lesson.read_text(encoding="utf-8") + "remarks: 多余的键\n", encoding="utf-8")
    line = _line_of(lesson, "remarks:")
    chinese, english = _run(project, lang="zh_CN.UTF-8"), _run(project, lang="C.UTF-8")
    assert chinese.returncode == english.returncode == 1
    assert f"content/lessons/probe.yaml:{line}: 经验启示：未知的键“remarks”（允许的键：id, title," in chinese.stderr
    assert f"content/lessons/probe.yaml:{line}: lesson: unknown key 'remarks' (allowed: id, title," in english.stderr
    lesson.write_text("id: probe\ntitle: 重复\ntitle: 又一次\n", encoding="utf-8")
    chinese, english = _run(project, "check", lang="zh_CN.UTF-8"), _run(project, "check", lang="en_US.UTF-8")
    assert "content/lessons/probe.yaml:3: 键“title”重复\n" in chinese.stderr
    assert "content/lessons/probe.yaml:3: duplicate key 'title'\n" in english.stderr


def test_a_missing_seed_is_reported_in_the_language_of_the_locale(project):
    registry = project / "seeds" / "articles.yaml"
    (project / "seeds" / "000_cb28012656704f36.txt").unlink()
    line = _line_of(registry, "- file: 000_cb28012656704f36.txt")
    chinese, english = _run(project, "check", lang="zh_CN.UTF-8"), _run(project, "check", lang="C")
    assert chinese.returncode == english.returncode == 1
    assert f"seeds/articles.yaml:{line}: 源文件 seeds/000_cb28012656704f36.txt 缺失；请原样复制回来\n" in chinese.stderr
    assert f"seeds/articles.yaml:{line}: seed file seeds/000_cb28012656704f36.txt is missing; copy it back unchanged\n" \
        in english.stderr


def test_the_command_line_itself_follows_the_locale(project):
    chinese = _run(project, "--department", "nope", lang="zh_CN.UTF-8")
    english = _run(project, "--department", "nope", lang="C")
    assert chinese.returncode == english.returncode == 3
    assert chinese.stderr.startswith("没有部门“nope”（已有：commerce, default,")
    assert english.stderr.startswith("unknown department 'nope' (known: commerce, default,")
    usage = _run(project, "--jobs", "0", lang="zh_CN.UTF-8")
    assert usage.returncode == 3 and "build.py：错误：参数 --jobs：并行进程数应为不小于 1 的整数，而不是 '0'\n" in usage.stderr
    chinese, english = _run(project, "--format", "odt", lang="zh_CN.UTF-8"), _run(project, "--format", "odt", lang="C")
    assert chinese.stderr.startswith("用法：build.py [-h]") and english.stderr.startswith("usage: build.py [-h]")
    assert "build.py：错误：参数 --format：无效的选项：'odt'（可选：'pdf', 'docx'）\n" in chinese.stderr
    assert "build.py: error: argument --format: invalid choice: 'odt' (choose from 'pdf', 'docx')\n" in english.stderr
    help_text = _run(project, "--help", lang="zh_CN.UTF-8").stdout
    assert "检查源文件、内容和部门配置；报告全部问题" in help_text and "输出文件夹（默认 build/）" in help_text
    listing = _run(project, "list", lang="zh_CN.UTF-8").stdout
    assert "部门 organization：市委组织部（期次：" in listing
    # LANGUAGE, first in gettext's order, wins over LANG
    environment = {**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "en_US"}
    overridden = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "list"],
                                capture_output=True, text=True, env=environment)
    assert "department organization: 市委组织部 (sessions: " in overridden.stdout


def test_the_studio_shows_a_check_error_in_chinese_whatever_the_locale(project, monkeypatch):
    from studybrief.studio import create_app

    monkeypatch.setenv("LANG", "C")
    registry = project / "seeds" / "articles.yaml"
    (project / "seeds" / "000_cb28012656704f36.txt").unlink()
    line = _line_of(registry, "- file: 000_cb28012656704f36.txt")
    app = create_app({"TESTING": True, "ROOT": project, "OUT": project / "build"})
    try:
        page = app.test_client().get("/").get_data(as_text=True)
    finally:
        app.extensions["studybrief-builds"].close()
    assert f"articles.yaml:{line}: 源文件 seeds/000_cb28012656704f36.txt 缺失；请原样复制回来" in page
    assert "is missing" not in page


def test_the_studio_shows_a_build_error_in_chinese(project, tmp_path):
    from studybrief.studio import create_app

    out = tmp_path / "build"
    out.write_text("a file where the output folder should be", encoding="utf-8")
    app = create_app({"TESTING": True, "ROOT": project, "OUT": out})
    try:
        response = app.test_client().get("/download/handouts/yiwu-consolidated-export.docx")
    finally:
        app.extensions["studybrief-builds"].close()
    assert response.status_code == 500
    assert "输出文件夹是一个已存在的文件；请用 --out 指定一个文件夹" in response.get_data(as_text=True)


def test_yaml_mistakes_are_explained_in_chinese(tmp_path):
    path = tmp_path / "lesson.yaml"
    cases = {"title: 义乌: 降成本\n": (1, "此处不能出现“键: 值”（值中含有“: ”时，请给整个值加引号）"),
             "title: x\nplaces:\n\t- 义乌\n": (3, "字符 '\\t' 不能出现在此处；请用空格缩进，不要用制表符"),
             "places: [义乌, 杭州\n": (2, "此处应为“,”或“]”，实际却是 '<stream end>'")}
    for text, (line, message) in cases.items():
        try:
            use(CHINESE)
            with pytest.raises(ContentError) as chinese:
                parse(text, path)
        finally:
            use(None)
        with pytest.raises(ContentError) as english:
            parse(text, path)
        assert [(p.line, p.message) for p in chinese.value.problems] == [(line, f"YAML 格式有误：{message}")]
        assert english.value.problems[0].message.startswith("invalid YAML: ")


def test_proofreading_marks_read_as_chinese_sentences():
    from studybrief.proofread import WordList, hits

    words = WordList.read(ROOT)
    try:
        use(CHINESE)
        chinese = hits("企业凭啥留下来？", words)
    finally:
        use(None)
    assert chinese == ["«凭啥»：改为“为什么”"]
    assert hits("企业凭啥留下来？", words) == ["«凭啥»: 改为“为什么”"]
