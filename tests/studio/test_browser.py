"""The studio in a real browser: Debian's headless Chromium driven by Selenium through chromium-driver."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from studybrief.cli import main
from studybrief.studio import create_app

from ..conftest import ROOT, pdf_text
from .conftest import THREE

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PASSWORD = "browser test password"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Serve a studio with accounts over a copy of the project with waitress on a free port of 127.0.0.1."""
    import waitress

    root = tmp_path_factory.mktemp("browser-project")
    for name in ("seeds", "content", "templates"):
        shutil.copytree(ROOT / name, root / name)
    users = root / "users.yaml"
    os.environ["STUDYBRIEF_PASSWORD"] = PASSWORD
    try:
        assert main(["user", "wang", "--users", str(users), "--department", "organization"]) == 0
        assert main(["user", "admin", "--users", str(users), "--admin"]) == 0
    finally:
        del os.environ["STUDYBRIEF_PASSWORD"]
    app = create_app({"ROOT": root, "OUT": root / "build", "USERS": users})
    listening = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=listening.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listening.effective_port}", root
    listening.close()
    app.extensions["studybrief-builds"].close()
    thread.join(5)


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    """Return a headless Chromium signed in as wang, who may edit the organization department only."""
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.downloads = downloads
    sign_in(driver, server[0], "wang")
    yield driver
    driver.quit()


def sign_in(driver, base: str, name: str) -> None:
    """Sign ``name`` in, signing out whoever was signed in."""
    driver.get(base + "/")
    for button in driver.find_elements(By.CSS_SELECTOR, "form.user button"):
        button.click()
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()
    WebDriverWait(driver, 10).until(lambda d: "经验启示库" in d.title)


def shot(driver, name: str) -> None:
    """Keep a screenshot where STUDIO_SCREENSHOTS points, to be looked at."""
    folder = os.environ.get("STUDIO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def test_search_finds_the_yiwu_lesson(browser, server):
    browser.get(server[0] + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("先查验后装运")
    box.submit()
    WebDriverWait(browser, 10).until(lambda d: "先查验后装运" in d.find_element(By.CSS_SELECTOR, "p.count").text)
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ol.lessons a")]
    assert titles == ["义乌如何为企业降成本？"]
    browser.get(server[0] + "/")
    shot(browser, "library")


def test_source_viewer_highlights_a_passage(browser, server):
    browser.get(server[0] + "/lesson/yiwu-consolidated-export")
    shot(browser, "lesson")
    browser.find_element(By.CSS_SELECTOR, "aside.quotes li a").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr.hit"))
    hit = browser.find_elements(By.CSS_SELECTOR, "tr.hit")
    assert "拼箱" in "".join(row.text for row in hit)
    marked = hit[0].find_element(By.TAG_NAME, "td").value_of_css_property("background-color")
    assert marked != browser.find_element(By.CSS_SELECTOR, "tr:not(.hit) td").value_of_css_property("background-color")
    assert browser.execute_script("return arguments[0].getBoundingClientRect().top", hit[0]) < 1000  # scrolled to it
    shot(browser, "source")


def test_building_a_session_of_three_lessons_and_downloading_its_pdf(browser, server):
    base, root = server
    browser.get(base + "/department/organization/new")
    for key, value in (("title", "三地经验专题学习会"), ("issue", "第13期"), ("audience", "全体干部"), ("id", "three-browser")):
        browser.find_element(By.NAME, key).send_keys(value)
    browser.execute_script("arguments[0].value = '2026-12-01'", browser.find_element(By.NAME, "date"))
    for n, lesson in enumerate(THREE, 1):
        Select(browser.find_element(By.NAME, f"pick-{lesson}")).select_by_value("lesson")
        browser.find_element(By.NAME, f"order-{lesson}").send_keys(str(n))
    browser.find_element(By.ID, "preview-button").click()
    preview = "return document.querySelector('iframe[name=preview]').contentDocument.body.innerText"
    WebDriverWait(browser, 20).until(lambda d: all(t in d.execute_script(preview) for t in THREE.values()))
    shot(browser, "builder")
    browser.find_element(By.ID, "save-button").click()
    WebDriverWait(browser, 10).until(lambda d: "已保存" in d.find_element(By.TAG_NAME, "main").text)
    browser.find_element(By.LINK_TEXT, "下载 PDF").click()
    target = browser.downloads / "organization-three-browser.pdf"
    deadline = time.monotonic() + 120
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert target.exists(), list(browser.downloads.iterdir())
    text = pdf_text(target)
    for title in THREE.values():
        assert title in text
    assert "参考文献" in text and text.count("[N].") >= 2


def test_a_forbidden_edit_is_refused(browser, server):
    base, root = server
    before = (root / "templates/commerce/department.yaml").read_bytes()
    browser.get(base + "/department/commerce/session/investment-2026")
    assert not browser.find_elements(By.ID, "save-button") and "只能查看" in browser.page_source
    form = browser.find_element(By.ID, "session")
    browser.execute_script("arguments[0].action = arguments[1]; arguments[0].submit()", form,
                           base + "/department/commerce/save")
    WebDriverWait(browser, 10).until(lambda d: "无权操作" in d.title)
    assert (root / "templates/commerce/department.yaml").read_bytes() == before


def test_adding_an_article_reviewing_it_and_drafting_its_lessons(browser, server, tmp_path):
    """An administrator uploads a page not among the seeds, reviews, corrects the id, accepts, and sees the drafts."""
    base, root = server
    registry = (root / "seeds" / "articles.yaml").read_bytes()
    sign_in(browser, base, "admin")
    try:
        empty = tmp_path / "空白.txt"
        empty.write_bytes(b"")
        browser.find_element(By.LINK_TEXT, "添加文章").click()
        browser.find_element(By.NAME, "article").send_keys(str(empty))
        browser.find_element(By.ID, "review-button").click()
        refused = WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "problems"))[0].text
        assert "文件未能接收，未作任何写入" in refused and "空白.txt：文件为空" in refused
        shot(browser, "intake-refused")
        browser.find_element(By.NAME, "article").send_keys(str(ROOT / "tests" / "fixtures" / "intake" / "port-page.txt"))
        browser.find_element(By.ID, "review-button").click()
        WebDriverWait(browser, 10).until(lambda d: "审核 · port-page.txt" in d.title)
        page = browser.find_element(By.TAG_NAME, "main").text
        assert "article-005-1 第3—19行" in page and "尚未写入任何文件" in page
        assert (root / "seeds" / "articles.yaml").read_bytes() == registry, "a review writes nothing"
        grey = browser.find_element(By.XPATH, "//tr[th='7']/td").value_of_css_property("color")
        assert grey != browser.find_element(By.XPATH, "//tr[th='9']/td").value_of_css_property("color"), "the byline is greyed"
        shot(browser, "intake-review")
        field = browser.find_element(By.NAME, "article-005-1.id")
        field.clear()
        field.send_keys("nb-port-browser")
        browser.find_element(By.ID, "accept-button").click()
        WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "added"))
        browser.find_element(By.CSS_SELECTOR, "button.draft-button").click()
        drafted = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "drafted"))[0].text
        assert "已写入 4 篇草稿" in drafted and "以数字化打通堵点" in browser.find_element(By.TAG_NAME, "main").text
        assert "status: draft" in (root / "content" / "lessons" / "nb-port-browser-01.yaml").read_text(encoding="utf-8")
        shot(browser, "intake-drafts")
    finally:
        sign_in(browser, base, "wang")
