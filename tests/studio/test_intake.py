"""Intake from the studio: upload, review with nothing written, accept with corrections, draft; refusals write nothing."""

from __future__ import annotations

import io
import re

import pytest

from studybrief.registry import load_articles

from ..conftest import ROOT
from .conftest import form_of, login

PAGE = ROOT / "tests" / "fixtures" / "intake" / "port-page.txt"


def _files(project) -> dict[str, bytes]:
    """Return what intake may write: the seeds and the lessons, by path."""
    return {p.relative_to(project).as_posix(): p.read_bytes() for folder in ("seeds", "content")
            for p in sorted((project / folder).rglob("*")) if p.is_file()}


def _upload(client, data: bytes, name: str):
    form = {**form_of(client, "/articles/new"), "article": (io.BytesIO(data), name)}
    return client.post("/articles/review", data=form, content_type="multipart/form-data")


def _review_form(page: str) -> dict:
    """Return the review form as the browser would post it, unchanged."""
    form: dict = dict(re.findall(r'<input type="hidden" name="(csrf_token|staged|filename|registry)" value="([^"]*)"', page))
    form["planned"] = re.findall(r'name="planned" value="([^"]*)"', page)
    for planned in form["planned"]:
        form.update({key: value for key, value in re.findall(rf'name="({re.escape(planned)}\.\w+)" value="([^"]*)"', page)})
        form[f"{planned}.notes"] = re.search(rf'name="{re.escape(planned)}\.notes"[^>]*>([^<]*)</textarea>', page)[1]
    return form


def test_review_shows_the_decisions_and_writes_nothing(studio, project):
    before = _files(project)
    response = _upload(studio.test_client(), PAGE.read_bytes(), "宁波港口物流.txt")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "尚未写入任何文件" in page
    assert "article-005-1 第3—19行" in page and "article-005-2 第21—29行" in page
    assert re.search(r"<th>7</th><td>本报记者 李明 王芳 <span class=\"why\">〔署名与出处：署名〕", page), "the byline, greyed with its reason"
    assert "sha256 7b1b7e335a075e40" in page and "seeds/005_7b1b7e335a075e40.txt" in page
    assert 'value="宁波港口物流提速的启示"' in page and 'value="李明、王芳"' in page
    assert "id: article-005-1" in page, "the registry entry that would be written"
    assert _files(project) == before


def test_accepting_writes_the_entry_with_the_reviewers_corrections_then_drafts(studio, project):
    client = studio.test_client()
    form = _review_form(_upload(client, PAGE.read_bytes(), "宁波港口物流.txt").get_data(as_text=True))
    form.update({"article-005-1.id": "nb-port-reform", "article-005-1.page": "3",
                 "article-005-1.notes": "版面日期 2024年5月2日，见纸质报纸"})
    added = client.post("/articles/accept", data=form)
    assert added.status_code == 200 and "登记了 2 篇文章" in added.get_data(as_text=True)
    articles, problems = load_articles(project)
    assert not problems
    entry = articles["nb-port-reform"]
    assert (entry.first, entry.last, entry.page, entry.date) == (3, 19, "3", None)
    assert entry.notes == "版面日期 2024年5月2日，见纸质报纸" and "article-005-2" in articles
    assert not list((project / "instance" / "uploads").iterdir()), "the staged upload is gone once registered"
    drafted = client.post("/articles/nb-port-reform/draft", data=form_of(client, "/articles/new"))
    page = drafted.get_data(as_text=True)
    assert drafted.status_code == 200 and "已写入 4 篇草稿" in page and "以数字化打通堵点" in page
    assert "content/lessons/nb-port-reform-01.yaml" in page and "删除 <code>status: draft</code>" in page
    assert "status: draft" in (project / "content/lessons/nb-port-reform-01.yaml").read_text(encoding="utf-8")
    again = client.post("/articles/nb-port-reform/draft", data=form_of(client, "/articles/new"))
    assert again.status_code == 422 and "未能起草，未作任何写入" in again.get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"article-005-1.date": "2024-02-30"}, "日期应为按 YYYY-MM-DD 书写的真实日期"),
    ({"article-005-1.id": "Ningbo Port"}, "文章编号 &#39;Ningbo Port&#39;"),
    ({"article-005-1.id": "zzrb-yangtze-trip"}, "zzrb-yangtze-trip"),
])
def test_a_refused_correction_writes_nothing_and_keeps_what_was_typed(studio, project, change, message):
    client = studio.test_client()
    form = _review_form(_upload(client, PAGE.read_bytes(), "宁波港口物流.txt").get_data(as_text=True))
    before = _files(project)
    response = client.post("/articles/accept", data={**form, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "未能登记，未作任何写入" in page and message in page
    assert f'value="{next(iter(change.values()))}"' in page
    assert _files(project) == before


def test_an_addition_by_someone_else_between_review_and_accept_is_refused(studio, project):
    client = studio.test_client()
    form = _review_form(_upload(client, PAGE.read_bytes(), "宁波港口物流.txt").get_data(as_text=True))
    registry = project / "seeds" / "articles.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = _files(project)
    response = client.post("/articles/accept", data=form)
    assert response.status_code == 409 and "他人已登记了别的文章" in response.get_data(as_text=True)
    assert _files(project) == before


@pytest.mark.parametrize("data, name, message", [
    (b"", "empty.txt", "empty.txt：文件为空"),
    (b"\x00\x01binary" * 10, "photo.txt", "photo.txt 第1行：这是二进制文件"),
    ("文章".encode("utf-16"), "utf16.txt", "utf16.txt 第1行：既不是 UTF-8 也不是 GB18030/GBK 文本"),
    (b"PK\x03\x04 not really", "report.docx", "report.docx：不是 Word 文档"),
    ("正文。".encode(), "setup.exe", "setup.exe：不认识的文件类型“.exe”"),
    ("正文。".encode(), "../../seeds/articles.yaml", "articles.yaml：不认识的文件类型“.yaml”"),
])
def test_a_bad_upload_gets_its_message_and_nothing_is_written(studio, project, data, name, message):
    before = _files(project)
    response = _upload(studio.test_client(), data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "文件未能接收，未作任何写入" in page and message in page
    assert _files(project) == before and not list((project / "instance" / "uploads").iterdir())


def test_no_file_and_a_too_large_file_are_refused_in_chinese(studio, project):
    client = studio.test_client()
    response = client.post("/articles/review", data=form_of(client, "/articles/new"))
    assert response.status_code == 422 and "请选择要上传的文章文件" in response.get_data(as_text=True)
    huge = _upload(client, b"a" * (21 * 1024 * 1024), "huge.txt")
    assert huge.status_code == 413 and "文件过大" in huge.get_data(as_text=True) and "未作任何写入" in huge.get_data(as_text=True)
    form = {**form_of(client, "/department/organization/new"), "title": "x" * (3 * 1024 * 1024)}
    assert client.post("/department/organization/save", data=form).status_code == 413, "other forms keep the small limit"


def test_no_path_from_the_form_reaches_a_file(studio, project):
    client = studio.test_client()
    for staged in ("../../seeds/articles.yaml", "../instance/secret_key", "x" * 64 + ".txt"):
        response = client.post("/articles/accept", data={**form_of(client, "/articles/new"), "staged": staged})
        assert response.status_code == 404, staged
    assert client.post("/articles/no-such-article/draft", data=form_of(client, "/articles/new")).status_code == 404


def test_a_form_without_its_csrf_token_is_refused(studio):
    response = studio.test_client().post("/articles/review", data={"article": (io.BytesIO(PAGE.read_bytes()), "a.txt")},
                                         content_type="multipart/form-data")
    assert response.status_code == 400 and "表单已失效" in response.get_data(as_text=True)


def test_only_administrators_add_articles(guarded, project):
    """seeds/ and content/ serve every department: a department's editor may not change them."""
    editor = guarded.test_client()
    login(editor, "wang")
    assert editor.get("/articles/new").status_code == 403
    assert "添加文章" not in editor.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    form = {**form_of(editor, "/login"), "article": (io.BytesIO(PAGE.read_bytes()), "a.txt")}
    assert editor.post("/articles/review", data=form, content_type="multipart/form-data").status_code == 403
    admin = guarded.test_client()
    login(admin, "admin")
    assert "添加文章" in admin.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert _upload(admin, PAGE.read_bytes(), "a.txt").status_code == 200


def test_a_file_without_a_suffix_is_read_as_text(studio, project):
    response = _upload(studio.test_client(), PAGE.read_bytes(), "port-page")
    assert response.status_code == 200 and "<h1>审核：port-page</h1>" in response.get_data(as_text=True)
