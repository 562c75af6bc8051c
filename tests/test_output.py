"""Nothing lost: atomic writes under injected faults and concurrent builds; byte-identical rebuilds."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from studybrief import output, pipeline
from studybrief.pipeline import FORMATS, load_checked, plan, run

from .conftest import ROOT, squeeze


def commerce_jobs(project: Path, out: Path) -> list:
    corpus, departments = load_checked(project)
    return plan(project, out, corpus, departments, "commerce", None, FORMATS)


def edit_yiwu(project: Path) -> None:
    lesson = project / "content/lessons/yiwu-consolidated-export.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("由哪个部门牵头去破解？", "由哪个部门牵头去破解？请举例。"),
                      encoding="utf-8")


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def test_failure_mid_build_keeps_every_previous_output(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(commerce_jobs(project, out), out, workers=1)
    before = {p: p.read_bytes() for p in out.rglob("*.*") if p.suffix in (".pdf", ".docx")}
    edit_yiwu(project)
    produce, calls = pipeline.produce, []

    def fail_on_second(job):
        calls.append(job.target)
        if len(calls) == 2:
            raise RuntimeError("injected fault")
        return produce(job)

    monkeypatch.setattr(pipeline, "produce", fail_on_second)
    with pytest.raises(RuntimeError, match="injected fault"):
        run(commerce_jobs(project, out), out, workers=1)
    pdf, word = out / "commerce/investment-2026.pdf", out / "commerce/investment-2026.docx"
    assert word.read_bytes() == before[word]  # the failed output keeps its previous version
    assert pdf.read_bytes() != before[pdf] and "请举例" in squeeze("".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert leftovers(out) == []
    monkeypatch.setattr(pipeline, "produce", produce)
    written = run(commerce_jobs(project, out), out, workers=1)
    assert [w.path.name for w in written if w.rebuilt] == ["investment-2026.docx"]  # only what failed is redone


def test_failure_while_writing_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(output.OutputError, match="cannot write: No space left on device; the previous file is kept"):
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_two_builds_at_once_into_one_folder(project, tmp_path):
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "--out", str(tmp_path),
               "--department", "commerce", "--jobs", "1"]
    first, second = subprocess.Popen(command, stderr=subprocess.PIPE), subprocess.Popen(command, stderr=subprocess.PIPE)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    pdf, word = tmp_path / "commerce/investment-2026.pdf", tmp_path / "commerce/investment-2026.docx"
    assert len(PdfReader(pdf).pages) > 1 and docx.Document(str(word)).paragraphs
    assert leftovers(tmp_path) == []


def test_same_input_gives_byte_identical_outputs(project, tmp_path):
    for name in ("a", "b"):
        run(commerce_jobs(project, tmp_path / name), tmp_path / name, workers=2)
    for fmt in FORMATS:
        a, b = (tmp_path / name / f"commerce/investment-2026.{fmt}" for name in ("a", "b"))
        assert a.read_bytes() == b.read_bytes(), fmt


def test_source_date_epoch_sets_every_timestamp(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    run(commerce_jobs(project, tmp_path), tmp_path, workers=1)
    assert PdfReader(tmp_path / "commerce/investment-2026.pdf").metadata["/CreationDate"] == "D:20260101000000Z"
    word = tmp_path / "commerce/investment-2026.docx"
    assert docx.Document(str(word)).core_properties.created.isoformat() == "2026-01-01T00:00:00+00:00"
    assert {info.date_time for info in zipfile.ZipFile(word).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_one_lesson_edit_rebuilds_exactly_the_outputs_that_contain_it(project, tmp_path):
    corpus, departments = load_checked(project)
    out = tmp_path / "out"
    jobs = plan(project, out, corpus, departments, None, None, ("docx",))
    run(jobs, out, workers=2)
    edit_yiwu(project)
    corpus, departments = load_checked(project)
    containing = {str(j.target.relative_to(out)) for j in plan(project, out, corpus, departments, None,
                                                                "yiwu-consolidated-export", ("docx",))}
    written = run(plan(project, out, corpus, departments, None, None, ("docx",)), out, workers=2)
    assert {str(w.path.relative_to(out)) for w in written if w.rebuilt} == containing
    assert "default/handouts/yiwu-consolidated-export.docx" in containing and "default/compendium.docx" in containing
    assert "organization/cadre-competence-2026.docx" not in containing


def test_template_edit_rebuilds_the_outputs_that_use_it(project, tmp_path):
    corpus, departments = load_checked(project)
    out = tmp_path / "out"
    run(plan(project, out, corpus, departments, None, None, ("docx",)), out, workers=2)
    handout = project / "templates/base/handout.html.j2"
    handout.write_text(handout.read_text(encoding="utf-8").replace("学习笔记", "学习心得"), encoding="utf-8")
    written = run(plan(project, out, corpus, departments, None, None, ("docx",)), out, workers=2)
    rebuilt = {w.path.relative_to(out).parent.as_posix() for w in written if w.rebuilt}
    assert rebuilt == {"default/handouts"}
    assert sum(w.rebuilt for w in written) == len(corpus.lessons)


def test_noop_build_rebuilds_nothing_and_never_imports_weasyprint(project, tmp_path):
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "--out", str(tmp_path),
               "--department", "commerce"]
    assert subprocess.run(command, capture_output=True).returncode == 0
    probe = ("import sys, runpy; sys.argv = " + repr(command[1:]) + "\ntry:\n    runpy.run_path(sys.argv[0], "
             "run_name='__main__')\nexcept SystemExit:\n    pass\nprint('weasyprint' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stderr.splitlines()[-2:] == ["2 documents, 0 rebuilt, 2 unchanged", "False"]


def test_interrupt_while_writing_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_emblem_replaced_under_the_same_name_rebuilds_the_briefs_showing_it(project, tmp_path):
    out = tmp_path / "out"
    run(commerce_jobs(project, out), out, workers=1)
    pdf = out / "commerce/investment-2026.pdf"
    before = pdf.read_bytes()
    emblem = project / "templates/commerce/emblem.svg"
    emblem.write_text(emblem.read_text(encoding="utf-8").replace("#ffd700", "#00a0ff"), encoding="utf-8")  # a new arrow
    written = run(commerce_jobs(project, out), out, workers=1)
    assert sorted(w.path.name for w in written if w.rebuilt) == ["investment-2026.docx", "investment-2026.pdf"]
    assert pdf.read_bytes() != before
