"""The command line and the faults around it: usage errors, closed pipes, full disks, Ctrl-C."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

BRIEFS = ("--department", "hitech-zone", "--lesson", "shenzhen-industrial-system-upgrade", "--format", "docx")


def build(project: Path, *args: str, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), *args],
                            capture_output=True, env={**os.environ, **(env or {})}, **options)
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


@pytest.mark.parametrize("args", [["--bogus"], ["--format", "PDF"], ["--jobs", "0"], ["--jobs", "-1"],
                                  ["--jobs", "two"], ["no-such-command"]])
def test_usage_error_exits_3(project, tmp_path, args):
    result = build(project, "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 3 and b"error:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_format_given_twice_builds_it_once(project, tmp_path):
    result = build(project, "--out", str(tmp_path / "out"), *BRIEFS, "--format", "docx")
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.docx")) == ["industrial-chains-2026.docx", "regional-2026.docx"]


def test_selection_of_nothing_is_a_usage_error(project, tmp_path):
    result = build(project, "--out", str(tmp_path), "--department", "organization", "--lesson", "deqing-app-slimming")
    assert result.returncode == 3
    assert result.stderr.decode().splitlines()[0] == (
        "no brief of department 'organization' contains lesson 'deqing-app-slimming'; nothing to build")


def test_ascii_only_stdout_still_gets_the_summary(project, tmp_path):
    result = build(project, "--out", str(tmp_path), "list", env={"PYTHONIOENCODING": "ascii", "LANG": "C"})
    assert result.returncode == 0 and b"\\u" in result.stdout


def test_closed_pipe_ends_quietly(project):
    reader = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "list"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.readline()
    reader.stdout.close()
    assert reader.wait(timeout=60) == 0 and reader.stderr.read() == b""


def test_full_stdout_is_reported(project):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "list"], stdout=full,
                                stderr=subprocess.PIPE)
    assert (result.returncode, result.stderr) == (2, b"cannot write to standard output: No space left on device\n")


@pytest.mark.parametrize("value", ["abc", "-1", "１７６７２２５６００", "99999999999999999999", "1.5"])
def test_bad_source_date_epoch(project, tmp_path, value):
    result = build(project, "--out", str(tmp_path), *BRIEFS, env={"SOURCE_DATE_EPOCH": value})
    assert result.returncode == 3
    assert result.stderr.decode().startswith("SOURCE_DATE_EPOCH must be whole seconds since 1970")


def test_output_folder_that_is_a_file(project, tmp_path):
    (tmp_path / "out").write_text("mine")
    result = build(project, "--out", str(tmp_path / "out"), *BRIEFS)
    assert result.returncode == 2 and (tmp_path / "out").read_text() == "mine"
    assert result.stderr.decode().startswith(f"{tmp_path / 'out'}: the output folder is an existing file")


def test_file_size_limit_fails_with_status_2_and_keeps_previous_outputs(project, tmp_path):
    out = tmp_path / "out"
    assert build(project, "--out", str(out), *BRIEFS).returncode == 0
    target = out / "hitech-zone/regional-2026.docx"
    before = target.read_bytes()
    lesson = project / "content/lessons/shenzhen-industrial-system-upgrade.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("questions:", "questions:\n  - 新增的问题？", 1),
                      encoding="utf-8")
    result = build(project, "--out", str(out), *BRIEFS,
                   preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)))
    assert result.returncode == 2
    assert "cannot write: File too large; the previous file is kept" in result.stderr.decode()
    assert target.read_bytes() == before and not [p for p in out.rglob("*.tmp")]


def test_ctrl_c_prints_one_line_removes_temporary_files_and_exits_130(project, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "--out", str(out),
               "--department", "default", "--jobs", "2"]
    # A terminal's process gets Ctrl-C; one started in the background (as a CI runner may start us) ignores it.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not out.exists() and time.monotonic() < deadline:  # the workers are starting
        time.sleep(0.05)
    time.sleep(3)
    start = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, error = process.communicate(timeout=120)
    assert process.returncode == 130 and time.monotonic() - start < 30  # the compendium is not awaited
    assert error.decode().splitlines() == ["interrupted; outputs written so far are complete, the rest are as they were"]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def _docx_build(project: Path, out: Path) -> subprocess.CompletedProcess:
    result = build(project, "--out", str(out), *BRIEFS)
    assert result.returncode == 0, result.stderr.decode()
    return result


@pytest.mark.parametrize("manifest", ['[]', '{"x": 1}', '{"/etc/passwd": {"key": 1}}', '"text"', 'not json {'])
def test_manifest_of_the_wrong_shape_is_ignored_with_a_warning(project, tmp_path, manifest):
    out = tmp_path / "out"
    _docx_build(project, out)
    (out / ".studybrief.json").write_text(manifest, encoding="utf-8")
    result = _docx_build(project, out)
    assert result.stderr.decode().splitlines()[0] == (
        f"{out / '.studybrief.json'}: not a manifest this version of studybrief wrote; every output is rebuilt")
    assert b"2 documents, 2 rebuilt" in result.stderr and Path("/etc/passwd").exists()


def test_output_corrupted_in_place_is_rebuilt(project, tmp_path):
    out = tmp_path / "out"
    _docx_build(project, out)
    target = out / "hitech-zone/regional-2026.docx"
    good, stat = target.read_bytes(), target.stat()
    target.write_bytes(good[:100] + b"\0" * 50 + good[150:])  # same size, same time: only the bytes tell
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = _docx_build(project, out)
    assert b"2 documents, 1 rebuilt" in result.stderr and target.read_bytes() == good


def test_lesson_handout_is_written_before_the_briefs_holding_it(project, tmp_path):
    out = tmp_path / "out"
    result = build(project, "--out", str(out), "--lesson", "deqing-app-slimming", "--format", "docx", "--jobs", "2")
    assert result.returncode == 0, result.stderr.decode()
    handout = out / "default/handouts/deqing-app-slimming.docx"
    briefs = [p for p in out.rglob("*.docx") if p != handout]
    assert len(briefs) >= 2 and handout.stat().st_mtime_ns < min(p.stat().st_mtime_ns for p in briefs)
    assert result.stdout.decode().splitlines()[0].startswith(f"built  {handout}")


def test_build_removes_its_own_stale_outputs_and_nothing_else(project, tmp_path):
    out = tmp_path / "out"
    assert build(project, "--out", str(out), "--department", "default", "--lesson", "deqing-app-slimming",
                 "--format", "docx").returncode == 0
    handout = out / "default/handouts/deqing-app-slimming.docx"
    mine = out / "default/handouts/my-notes.docx"
    mine.write_bytes(b"notes")
    assert handout.is_file()
    (project / "content/lessons/deqing-app-slimming.yaml").unlink()
    result = build(project, "--out", str(out), "--department", "default", "--lesson", "hefei-fund-building",
                   "--format", "docx")
    assert result.returncode == 0, result.stderr.decode()
    assert not handout.exists() and mine.read_bytes() == b"notes"
    assert f"removed  {handout}  (no brief produces it now)" in result.stdout.decode()


def test_accent_change_rebuilds_the_word_file(project, tmp_path):
    out = tmp_path / "out"
    _docx_build(project, out)
    config = project / "templates/hitech-zone/department.yaml"
    text = config.read_text(encoding="utf-8")
    assert "accent:" in text
    config.write_text(re.sub(r"accent: .*", 'accent: "#123456"', text), encoding="utf-8")
    result = _docx_build(project, out)
    assert b"2 documents, 2 rebuilt" in result.stderr
    with zipfile.ZipFile(out / "hitech-zone/regional-2026.docx") as word:
        assert "123456" in "".join(word.read(n).decode("utf-8", "replace") for n in word.namelist() if n.endswith(".xml"))


@pytest.fixture
def glyph_cache(tmp_path, monkeypatch):
    """Return the private cache folder the glyph coverage goes to, empty, for this test only."""
    from studybrief import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fonts._covered.cache_clear()
    yield tmp_path / "cache" / "studybrief"
    fonts._covered.cache_clear()


def test_glyph_cache_is_private_keyed_by_checksums_and_validated(glyph_cache):
    import json

    from studybrief.fonts import _covered, missing_glyphs

    assert missing_glyphs("义乌😀") == ["😀"]
    assert glyph_cache.stat().st_mode & 0o777 == 0o700
    cached = json.loads((glyph_cache / "glyphs.json").read_text())
    assert all(len(font[-1]) == 64 for font in cached["fonts"])  # each font's sha256
    for forged in ([], list(range(0x20, 0x80))):  # empty, or plausible-looking but truncated
        (glyph_cache / "glyphs.json").write_text(json.dumps({**cached, "covered": forged}))
        _covered.cache_clear()
        assert missing_glyphs("义乌😀") == ["😀"]


def test_glyph_cache_in_a_folder_others_can_write_is_not_trusted(glyph_cache):
    import json

    from studybrief.fonts import _covered, missing_glyphs

    missing_glyphs("义")
    cached = json.loads((glyph_cache / "glyphs.json").read_text())
    (glyph_cache / "glyphs.json").write_text(json.dumps({**cached, "covered": cached["covered"] + [ord("😀")]}))
    glyph_cache.chmod(0o777)
    _covered.cache_clear()
    assert missing_glyphs("义乌😀") == ["😀"]
