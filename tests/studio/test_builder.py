"""The session builder: save through check's validation, version check, CSRF, preview, downloads."""

from __future__ import annotations

import re
import shutil

import pytest

from studybrief.identifiers import RESERVED
from studybrief.pipeline import load_checked, plan
from studybrief.selection import select

from ..conftest import pdf_text
from .conftest import THREE, three_lessons

CONFIG = "templates/organization/department.yaml"


def test_saving_a_session_writes_it_keeping_comments_and_layout(studio, project):
    before = (project / CONFIG).read_text(encoding="utf-8")
    client = studio.test_client()
    response = client.post("/department/organization/save", data=three_lessons(client))
    assert response.status_code == 302 and response.headers["Location"].endswith("/department/organization/session/three")
    after = (project / CONFIG).read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # comment, keys, quoting and flow lists of the rest untouched
    assert "    lessons: [yiwu-consolidated-export, hefei-fund-building, deqing-app-slimming]" in after
    corpus, departments = load_checked(project)
    session = next(s for s in departments["organization"].sessions if s.id == "three")
    assert [lesson.id for lesson in select(session, corpus, {i: (0, 0) for i in corpus.lessons})] == list(THREE)
    assert "已保存" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_invalid_session_writes_nothing_and_says_why_beside_the_field(studio, project):
    before = (project / CONFIG).read_bytes()
    client = studio.test_client()
    response = client.post("/department/organization/save", data=three_lessons(client, title=""))
    assert response.status_code == 422 and (project / CONFIG).read_bytes() == before
    page = response.get_data(as_text=True)
    assert re.search(r'name="title" value=""[^>]*>\s*<span class="error">期次：必填项“title”为空（封面上的本期标题）', page)
    response = client.post("/department/organization/save", data=three_lessons(client, date="2026-13-45", id="第十三期"))
    assert response.status_code == 422 and (project / CONFIG).read_bytes() == before
    page = response.get_data(as_text=True)
    assert re.search(r'name="date" value="2026-13-45"[^>]*>\s*<span class="error">印发日期应为真实存在的日期', page)
    assert re.search(r'name="id" value="第十三期"[^>]*>\s*<span class="error">', page)


def test_schema_and_department_rules_are_reported_together(studio, project):
    """An empty title (the schema's) and an impossible date and a bad id (the department's rules) show at once."""
    client = studio.test_client()
    response = client.post("/department/organization/save",
                           data=three_lessons(client, title="", date="2026-02-30", id="第十三期"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'name="title" value=""[^>]*>\s*<span class="error">期次：必填项“title”为空', page)
    assert re.search(r'name="date" value="2026-02-30"[^>]*>\s*<span class="error">印发日期应为真实存在的日期', page)
    assert re.search(r'name="id" value="第十三期"[^>]*>\s*<span class="error">', page)


def test_an_edit_made_while_another_saved_is_refused_not_overwritten(studio, project):
    first, second = studio.test_client(), studio.test_client()
    mine, theirs = three_lessons(first, title="甲的标题"), three_lessons(second, title="乙的标题")
    assert first.post("/department/organization/save", data=mine).status_code == 302
    response = second.post("/department/organization/save", data=theirs)
    assert response.status_code == 409 and "他人已修改" in response.get_data(as_text=True)
    text = (project / CONFIG).read_text(encoding="utf-8")
    assert "甲的标题" in text and "乙的标题" not in text


def test_a_form_without_its_csrf_token_is_refused(studio, project):
    before = (project / CONFIG).read_bytes()
    client = studio.test_client()
    form = three_lessons(client)
    del form["csrf_token"]
    assert client.post("/department/organization/save", data=form).status_code == 400
    assert client.post("/department/organization/save", data={**form, "csrf_token": "forged"}).status_code == 400
    assert (project / CONFIG).read_bytes() == before


def test_preview_is_the_html_the_pdf_is_made_from(studio, project, tmp_path):
    client = studio.test_client()
    preview = client.post("/department/organization/preview", data=three_lessons(client)).get_data(as_text=True)
    titles = [preview.index(title) for title in THREE.values()]
    assert titles == sorted(titles) and "@page" in preview
    client.post("/department/organization/save", data=three_lessons(client))
    saved = client.get("/department/organization/session/three/preview").get_data(as_text=True)
    corpus, departments = load_checked(project)
    job = next(j for j in plan(project, tmp_path, corpus, departments, "organization", None, ("pdf",))
               if j.target.name == "three.pdf")
    assert saved == job.html == preview


def test_download_builds_once_then_serves_the_unchanged_brief(studio, project):
    client = studio.test_client()
    client.post("/department/organization/save", data=three_lessons(client))
    page = client.get("/download/organization/three.pdf", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 202 and "正在生成" in page.get_data(as_text=True)  # a browser is not kept waiting
    response = client.get("/download/organization/three.pdf")  # a script waits for the document
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    target = studio.config["OUT"] / "organization" / "three.pdf"
    text, built = pdf_text(target), target.stat().st_mtime_ns
    for title in THREE.values():
        assert title in text
    assert "[N]." in text and "参考文献" in text
    again = client.get("/download/organization/three.pdf")
    assert again.data == response.data and target.stat().st_mtime_ns == built
    builds = studio.extensions["studybrief-builds"]
    corpus, departments = load_checked(project)
    job = next(j for j in plan(project, studio.config["OUT"], corpus, departments, "organization", None, ("docx",))
               if j.target.name == "three.docx")
    assert builds.request(job) is builds.request(job)  # two people asking for one brief cause one build


def test_handout_downloads(studio):
    response = studio.test_client().get("/download/handouts/yiwu-consolidated-export.docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"


def test_anything_else_under_download_is_a_404_that_reveals_nothing(reader):
    expected = reader.get("/download/nothing").data
    for path in ("/download/organization/no-such-session.pdf", "/download/organization/cadre-competence-2026.html",
                 "/download/no-such-department/x.pdf", "/download/handouts/no-such-lesson.pdf", "/download/../pyproject.toml",
                 "/download/organization/..%2F..%2Fpyproject.toml", "/download/%2e%2e/%2e%2e/etc/passwd",
                 "/download/default/.studybrief.json", "/download/handouts/../../seeds/articles.yaml"):
        response = reader.get(path)
        assert response.status_code == 404 and response.data == expected, path


@pytest.mark.parametrize("name", sorted(RESERVED))
def test_a_department_named_like_a_route_or_output_folder_is_refused(studio, project, name):
    """A department folder named handouts would meet /download/handouts/: the package refuses the name, in Chinese."""
    (project / "templates" / name).mkdir(exist_ok=True)
    shutil.copyfile(project / CONFIG, project / "templates" / name / "department.yaml")
    page = studio.test_client().get("/departments")
    assert page.status_code == 500 and "是保留名称" in page.get_data(as_text=True)
    assert f"templates/{name}/department.yaml" in page.get_data(as_text=True)


def test_the_handouts_route_is_never_a_department_session(studio):
    urls = studio.url_map.bind("localhost")
    assert urls.match("/download/handouts/organization.pdf")[0] == "builder.download_handout"
    assert urls.match("/download/organization/handouts.pdf")[0] == "builder.download"
