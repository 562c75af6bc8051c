"""The command line and the faults around it: usage errors, closed pipes, full disks, Ctrl-C."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
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
    result = build(project, "--out", str(tmp_path), *BRIEFS, "--format", "docx")
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in tmp_path.rglob("*.docx")) == ["industrial-chains-2026.docx", "regional-2026.docx"]


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
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.rglob("*.pdf")) and time.monotonic() < deadline:  # interrupt in the middle of writing
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, error = process.communicate(timeout=120)
    assert process.returncode == 130
    assert error.decode().splitlines() == ["interrupted; outputs written so far are complete, the rest are as they were"]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
