"""Long briefs are laid out in parts: every lesson once, pages numbered on, contents filled in."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from pikepdf import Array, Dictionary, NameTree, NumberTree
from pypdf import PdfReader

from studybrief import pdf
from studybrief.context import chinese_number
from studybrief.errors import TemplateError
from studybrief.join import ELSEWHERE
from studybrief.pipeline import load_checked, plan

from .conftest import ROOT, squeeze


@pytest.fixture(scope="module")
def compendium() -> str:
    corpus, departments = load_checked(ROOT)
    jobs = plan(ROOT, ROOT / "build", corpus, departments, "default", None, ("pdf",))
    return next(j.html for j in jobs if j.target.name == "compendium.pdf")


def test_split_keeps_every_lesson_once_and_the_ends_in_their_parts(compendium):
    parts = pdf.split(compendium, 10)
    lessons = re.findall(r'<article class="lesson" id="([^"]+)"', compendium)
    assert len(parts) == -(-len(lessons) // 10)
    assert [i for p in parts for i in re.findall(r'<article class="lesson" id="([^"]+)"', p)] == lessons
    assert ['class="masthead"' in p for p in parts] == [True] + [False] * (len(parts) - 1)
    assert ['id="references"' in p for p in parts] == [False] * (len(parts) - 1) + [True]
    headings = [h for p in parts for h in re.findall(r'<h1 id="(article-[^"]+)"', p)]
    assert headings == list(dict.fromkeys(re.findall(r'<h1 id="(article-[^"]+)"', compendium)))  # each once
    assert pdf.split(compendium, 1000) == [compendium]


@pytest.fixture(scope="module")
def joined(compendium) -> tuple[bytes, int]:
    """Return the compendium laid out in parts of 10 lessons and joined, and its number of pages."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "PART_LESSONS", 10)
        return pdf.pdf_bytes(compendium, ROOT / "templates/default")


@pytest.fixture(scope="module")
def whole(compendium) -> pikepdf.Pdf:
    """Return the compendium laid out in one piece, as WeasyPrint tags and links it."""
    return pikepdf.open(io.BytesIO(pdf.pdf_bytes(compendium, ROOT / "templates/default")[0]))


def test_brief_laid_out_in_parts_reads_like_one(compendium, joined, monkeypatch, tmp_path):
    joined, pages = joined
    monkeypatch.setattr(pdf, "PART_LESSONS", 10)
    (tmp_path / "joined.pdf").write_bytes(joined)
    reader = PdfReader(tmp_path / "joined.pdf")
    assert pages == len(reader.pages) > 50  # several parts of 10 lessons
    footers = [page.extract_text().strip().splitlines()[-1] for page in reader.pages]
    assert footers == [f"— {n} —" for n in range(1, pages + 1)]  # numbered on, part after part
    contents = squeeze("".join(page.extract_text() for page in reader.pages[:3]))
    groups = [o for o in reader.outline if not isinstance(o, list)]
    assert len(groups) >= 12 and groups[-1].title == "参考文献"
    for group in groups[:-1]:  # every part's bookmarks survive, and the contents give their pages
        page = reader.get_destination_page_number(group) + 1
        assert re.search(re.escape(squeeze(group.title)) + r"·+" + str(page) + r"(?!\d)", contents), group.title
    assert reader.metadata.title == "经验启示汇编"
    assert joined == pdf.pdf_bytes(compendium, ROOT / "templates/default")[0]  # reproducible too


def structure(document: pikepdf.Pdf) -> tuple[list[tuple[str, int]], dict, dict]:
    """Walk the structure tree from its root: return its headings with their pages, in reading order, and which
    element holds each piece of marked content (by page and MCID) and each annotation (by its object id)."""
    pages = {page.obj.objgen: number for number, page in enumerate(document.pages)}
    headings, owners, annotations = [], {}, {}

    def walk(element: Dictionary, page: int | None) -> None:
        page = pages[element.Pg.objgen] if "/Pg" in element else page
        if re.fullmatch(r"/H\d", str(element.get("/S"))):
            headings.append((str(element.S)[1:], page))
        kids = element.get("/K", Array())
        for kid in kids if isinstance(kids, Array) else [kids]:
            if isinstance(kid, int):
                owners[page, kid] = element.objgen
            elif kid.get("/Type") == "/MCR":
                owners[pages[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID)] = element.objgen
            elif kid.get("/Type") == "/OBJR":
                annotations[kid.Obj.objgen] = element.objgen
            else:
                assert kid.P.objgen == element.objgen  # each element's parent is the one it hangs from
                walk(kid, page)

    for top in document.Root.StructTreeRoot.K:
        walk(top, None)
    return headings, owners, annotations


def marked(page: pikepdf.Page) -> list[int]:
    """Return the MCIDs marked in a page's content stream, in the order they are drawn."""
    return [int(operands[1].MCID) for operands, operator in pikepdf.parse_content_stream(page)
            if operator == pikepdf.Operator("BDC") and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]]


def outline(document: pikepdf.Pdf) -> list[tuple[int, str]]:
    """Return the bookmarks as (depth, title), in order."""
    with document.open_outline() as tree:
        def walk(items, depth):
            return [entry for item in items for entry in [(depth, item.title), *walk(item.children, depth + 1)]]
        return walk(tree.root, 0)


def test_joined_brief_has_one_structure_tree_over_every_page(joined, whole):
    document = pikepdf.open(io.BytesIO(joined[0]))
    root = document.Root
    assert str(root.Lang) == "zh-CN" and root.MarkInfo.Marked is True and root.ViewerPreferences.DisplayDocTitle is True
    assert [str(element.S) for element in root.StructTreeRoot.K] == ["/Document"]
    headings, owners, annotations = structure(document)
    assert [level for level, _ in headings] == [level for level, _ in structure(whole)[0]]  # H1, H2, H3 as in one piece
    assert [page for _, page in headings] == sorted(page for _, page in headings)  # in reading order, part after part
    parents = NumberTree(root.StructTreeRoot.ParentTree)
    for number, page in enumerate(document.pages):
        drawn = marked(page)
        # All marked content is reached from the root but the page number, drawn last: WeasyPrint marks the page
        # margins' boxes and leaves them out of the tree, joined or not (its issue 1836).
        assert [mcid for mcid in drawn if (number, mcid) not in owners] == drawn[-1:], number
        by_mcid = parents[page.obj.StructParents]  # the parent tree, renumbered part after part, agrees with the walk
        assert [by_mcid[mcid].objgen for mcid in drawn[:-1]] == [owners[number, mcid] for mcid in drawn[:-1]], number
        for annotation in page.obj.get("/Annots", ()):
            assert parents[annotation.StructParent].objgen == annotations[annotation.objgen]
    assert len(set(parents.keys())) == len(parents.keys())


def test_joined_brief_links_and_bookmarks_reach_every_part(compendium, joined, whole):
    document = pikepdf.open(io.BytesIO(joined[0]))
    dests = NameTree(document.Root.Names.Dests)
    pages = {page.obj.objgen for page in document.pages}

    def links(pdf: pikepdf.Pdf) -> list[str]:
        return [str(a.Dest) for page in pdf.pages for a in page.obj.get("/Annots", ()) if a.Subtype == "/Link" and "/Dest" in a]

    assert links(document) == links(whole)  # every link of the one-piece brief, none lost at a join
    assert all(dests[name][0].objgen in pages for name in links(document))
    uris = [str(a.A.URI) for page in document.pages for a in page.obj.get("/Annots", ()) if "/A" in a and "/URI" in a.A]
    assert not [uri for uri in uris if uri.startswith(ELSEWHERE)]
    assert outline(document) == outline(whole)  # a part continuing a section keeps its bookmarks under it
    assert bytes(document.trailer.ID[0]) == pdf._identifier(compendium)  # the same as the brief laid out in one piece


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 99, 100, 101, 110, 1000, 1010, 2345)] == [
        "一", "十", "十一", "二十", "九十九", "一百", "一百零一", "一百一十", "一千", "一千零一十", "二千三百四十五"]


def test_a_refused_file_in_a_brief_laid_out_in_parts_is_a_template_error(monkeypatch):
    monkeypatch.setattr(pdf, "PART_LESSONS", 1)  # the parts are laid out in a child interpreter: its error comes back
    html = '<html lang="zh-CN"><body><article>一</article><article><img src="file:///etc/passwd"></article></body></html>'
    with pytest.raises(TemplateError, match="may not load 'file:///etc/passwd'"):
        pdf.pdf_bytes(html, ROOT / "templates/default")


def test_table_headers_name_their_own_table_across_parts(monkeypatch):
    monkeypatch.setattr(pdf, "PART_LESSONS", 1)
    table = "<article><table><tr><th>数据</th><th>含义</th></tr><tr><td>3年</td><td></td></tr></table></article>"
    joined = pikepdf.open(io.BytesIO(pdf.pdf_bytes(f'<html lang="zh-CN"><body>{table * 3}</body></html>', ROOT / "templates/default")[0]))
    elements = [o for o in joined.objects if isinstance(o, Dictionary) and o.get("/Type") == "/StructElem"]

    def table_of(element: Dictionary) -> tuple[int, int]:
        while element.S != "/Table":
            element = element.P
        return element.objgen

    # WeasyPrint names a header after its table's object number, which each part reuses
    headers = {str(e.ID): table_of(e) for e in elements if e.S == "/TH"}
    assert len(headers) == len([e for e in elements if e.S == "/TH"]) == 6
    cells = [e for e in elements if e.S == "/TD"]
    assert len(cells) == 6 and all(headers[str(name)] == table_of(cell) for cell in cells for name in cell.A.Headers)
