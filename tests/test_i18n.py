"""Messages in Chinese: the zh_CN catalog is complete, the command line follows the locale."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from studybrief.i18n import CHINESE, LOCALES, _, use

from .conftest import ROOT


def test_every_marked_message_has_a_chinese_translation():
    with (LOCALES / CHINESE / "LC_MESSAGES" / "studybrief.po").open("rb") as file:
        catalog = read_po(file)
    extracted = {message for _file, _line, message, _comments, _context in
                 extract_from_dir(ROOT / "studybrief", method_map=[("**.py", "python")],
                                  keywords={"_": None, "N_": None, "ngettext": (1, 2)})}
    assert len(extracted) > 40
    for message in extracted:
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        assert entry is not None and entry.string and all(entry.string if isinstance(entry.string, tuple) else [entry.string]), message
    for entry in catalog:  # placeholders survive translation
        if entry.id and isinstance(entry.id, str):
            assert set(re.findall(r"{[^}]*}", entry.id)) == set(re.findall(r"{[^}]*}", entry.string)), entry.id


def test_translation_follows_the_language_in_use():
    try:
        use(CHINESE)
        assert _("session {id} selects no lesson").format(id="x") == "期次 x 一条经验启示也没有选中"
    finally:
        use(None)
    assert _("session {id} selects no lesson") == "session {id} selects no lesson"


def test_command_line_follows_the_locale(project):
    config = project / "templates" / "organization" / "department.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("date: 2026-11-21", "date: 2026-02-30"), encoding="utf-8")
    run = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"]
    environment = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    chinese = subprocess.run(run, capture_output=True, text=True, env={**environment, "LANG": "zh_CN.UTF-8"})
    english = subprocess.run(run, capture_output=True, text=True, env={**environment, "LANG": "C.UTF-8"})
    assert chinese.returncode == english.returncode == 1
    assert "印发日期应为真实存在的日期，格式为 YYYY-MM-DD，而不是“2026-02-30”" in chinese.stderr and "发现 1 个问题" in chinese.stderr
    assert "session date must be a real date written YYYY-MM-DD, not '2026-02-30'" in english.stderr
    assert "1 problem found" in english.stderr
