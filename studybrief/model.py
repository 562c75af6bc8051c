"""The things studybrief knows about: articles, lessons, glossary terms, themes, and their YAML shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_
from .schema import INT, TEXT, TEXTS, Field, Spec

NOISE = Spec(N_("noise"), {
    "lines": Field(TEXT, N_("line or first-last lines in the file, e.g. '1' or '178-188'")),
    "kind": Field(TEXT, N_("spam, banner, caption, metadata, editor, footer or layout")),
    "note": Field(TEXT, N_("why this is excluded"), required=False),
    "continues": Field(TEXT, N_("for a layout line displaced from its sentence: the line it continues, so a quote "
                                "reads the sentence whole across the join"), required=False),
})
SEED_FILE = Spec(N_("seed file"), {
    "file": Field(TEXT, N_("file name under seeds/")),
    "sha256": Field(TEXT, N_("checksum of the file as received; an edited seed no longer matches")),
    "original": Field(TEXT, N_("the file as received (web page, Word, GB18030 text) when the text was derived from it"),
                      required=False),
    "original_sha256": Field(TEXT, N_("checksum of the original; an edited original no longer matches"), required=False),
    "noise": Field([NOISE], N_("lines outside every article that are noise, recorded for the reader"), required=False),
})
ARTICLE = Spec(N_("article"), {
    "id": Field(TEXT, N_("short unique name that lessons cite, e.g. zzrb-yangtze-trip")),
    "file": Field(TEXT, N_("seed file that holds the article")),
    "lines": Field(TEXT, N_("first-last line of the article in its file, e.g. '3-53'")),
    "title": Field(TEXT, N_("headline as printed; null when none is printed"), nullable=True),
    "supplied_title": Field(TEXT, N_("title taken verbatim from the text when no headline is printed"), required=False),
    "subtitle": Field(TEXT, N_("subtitle as printed"), required=False),
    "kicker": Field(TEXT, N_("line printed above the headline (引题)"), required=False),
    "column": Field(TEXT, N_("column or page heading the article runs under"), required=False),
    "outlet": Field(TEXT, N_("newspaper or publisher as the text names it; null when it does not"), nullable=True),
    "authors": Field(TEXTS, N_("authors as printed, reporters first; null when none is printed"), nullable=True),
    "date": Field(TEXT, N_("publication date YYYY-MM-DD; null when the text does not give it"), nullable=True),
    "page": Field(TEXT, N_("page (版次) when the text gives it"), required=False),
    "kind": Field(TEXT, N_("GB/T 7714 document type: N (newspaper) or R (report)")),
    "script": Field(TEXT, N_("script of the publication: simplified or traditional")),
    "seed_script": Field(TEXT, N_("script of the seed text where it differs from the publication's (a converted copy)"),
                         required=False),
    "obtained": Field(TEXT, N_("how the seed text was obtained, where it is not the publication as printed"),
                      required=False),
    "city": Field(TEXT, N_("the city whose 我市/我们 the article speaks for, e.g. 杭州"), required=False),
    "notes": Field(TEXT, N_("what is known of the metadata the text leaves out"), required=False),
    "noise": Field([NOISE], N_("lines inside the article that are not part of it"), required=False),
})
REGISTRY = Spec(N_("registry"), {
    "files": Field([SEED_FILE], N_("every seed file with its checksum")),
    "articles": Field([ARTICLE], N_("every article the seed files hold")),
})
THEME = Spec(N_("theme"), {
    "id": Field(TEXT, N_("short name lessons use, e.g. business-environment")),
    "name": Field(TEXT, N_("Chinese name shown in briefs")),
    "description": Field(TEXT, N_("what belongs under this theme")),
})
THEMES = Spec(N_("themes file"), {"themes": Field([THEME], N_("the controlled vocabulary"))})
SOURCE = Spec(N_("source"), {
    "article": Field(TEXT, N_("id of an article in seeds/articles.yaml")),
    "passages": Field(TEXTS, N_("verbatim passages of that article the lesson rests on")),
})
RESULT = Spec(N_("result"), {
    "figure": Field(TEXT, N_("the key figure as the article gives it, e.g. 6000余万元")),
    "meaning": Field(TEXT, N_("what the figure measures")),
    "quote": Field(TEXT, N_("verbatim passage of a source article that states the figure")),
})
TO_DO = "【待填写】"  # marks what a draft leaves for a person; a lesson that is not a draft may not keep it
DRAFT = "draft"
LESSON = Spec(N_("lesson"), {
    "id": Field(TEXT, N_("unique name, also the file name")),
    "title": Field(TEXT, N_("the question the lesson answers, e.g. 义乌如何为企业降成本？")),
    "places": Field(TEXTS, N_("places the lesson is about")),
    "themes": Field(TEXTS, N_("one to three theme ids from content/themes.yaml")),
    "kind": Field(TEXT, N_("经验 (what worked, the default) or 教训 (what went wrong)"), required=False),
    "background": Field(TEXT, N_("the situation that called for action (driving event)")),
    "actions": Field(TEXTS, N_("经验 only: what was done (主要做法)"), required=False),
    "problem": Field(TEXT, N_("教训 only: what went wrong (问题)"), required=False),
    "causes": Field(TEXTS, N_("教训 only: why it went wrong (原因)"), required=False),
    "results": Field([RESULT], N_("key figures, each with its quote"), required=False),
    "takeaways": Field(TEXTS, N_("the lesson itself: 启示 of an 经验, 警示 of a 教训")),
    "for_our_city": Field(TEXT, N_("what the article proposes for a city, where it compares"), required=False),
    "for_city": Field(TEXT, N_("whose city for_our_city speaks to, as the article names it (株洲, 杭州 …); a brief "
                               "prints 对我们的借鉴 only in its own city's briefs"), required=False),
    "questions": Field(TEXTS, N_("discussion questions (研讨题)")),
    "terms": Field(TEXTS, N_("glossary terms the lesson uses"), required=False),
    "see": Field(TEXTS, N_("ids of related lessons, printed as 见本期一（一） where the brief holds them"), required=False),
    "sources": Field([SOURCE], N_("articles the lesson rests on, with verbatim passages")),
    "status": Field(TEXT, N_("'draft' while a person completes it: left out of every brief; delete the key to publish"),
                    required=False),
})
GLOSSARY_ENTRY = Spec(N_("glossary entry"), {
    "term": Field(TEXT, N_("the term as the article writes it")),
    "definition": Field(TEXT, N_("the definition, as in the article")),
    "sources": Field([SOURCE], N_("articles defining the term, with verbatim passages")),
})
GLOSSARY = Spec(N_("glossary file"), {"entries": Field([GLOSSARY_ENTRY], N_("名词解释"))})
SESSION = Spec(N_("session"), {
    "id": Field(TEXT, N_("short name, used in output file names")),
    "title": Field(TEXT, N_("session title on the cover")),
    "issue": Field(TEXT, N_("issue number, e.g. 第1期")),
    "date": Field(TEXT, N_("issue date YYYY-MM-DD")),
    "audience": Field(TEXT, N_("who attends")),
    "themes": Field(TEXTS, N_("include lessons tagged with any of these themes"), required=False),
    "lessons": Field(TEXTS, N_("include these lessons; listed first, in this order"), required=False),
    "exclude": Field(TEXTS, N_("leave these lessons out"), required=False),
})
DEPARTMENT = Spec(N_("department"), {
    "name": Field(TEXT, N_("department name shown in listings")),
    "brief_name": Field(TEXT, N_("masthead title, e.g. 干部教育培训简报")),
    "issuing_body": Field(TEXT, N_("full name of the issuing body (编印单位)")),
    "marking": Field(TEXT, N_("marking at the top left, e.g. 内部资料 注意保存")),
    "distribution": Field(TEXT, N_("to whom the brief goes (报/送/发)")),
    "copies": Field(INT, N_("number of copies printed (共印×份)")),
    "footer": Field(TEXT, N_("text under the distribution block"), required=False),
    "accent": Field(TEXT, N_("masthead colour as #rrggbb"), required=False),
    "body_font": Field(TEXT, N_("body typeface: fangsong or song"), required=False),
    "city": Field(TEXT, N_("the readers' city: a lesson addressed to it prints 对我们的借鉴, another city's 我市/我们 "
                           "in a shown passage is flagged"), required=False),
    "excerpts": Field(TEXT, N_("key (passages backing results and takeaways, the default) or all"), required=False),
    "page_budget": Field(INT, N_("pages a session brief may take; check warns beyond it"), required=False),
    "emblem": Field(TEXT, N_("emblem at the left of the masthead: a PNG, JPEG or SVG file in this folder"),
                    required=False),
    "emblem_height": Field(INT, N_("emblem height in millimetres (default 15)"), required=False),
    "sessions": Field([SESSION], N_("one or more sessions, each a brief")),
})


@dataclass(frozen=True)
class Located:
    """A piece of text and the line of the YAML file it came from."""

    text: str
    line: int


@dataclass
class Article:
    """One article inside a seed file, with its bibliographic metadata."""

    id: str
    file: str
    first: int
    last: int
    title: str | None
    outlet: str | None
    authors: list[str]
    date: str | None
    kind: str
    script: str
    noise: list[tuple[int, int, str]]
    line: int
    supplied_title: str | None = None
    subtitle: str | None = None
    kicker: str | None = None
    column: str | None = None
    page: str | None = None
    notes: str | None = None
    seed_script: str | None = None
    obtained: str | None = None
    city: str | None = None
    body: tuple[tuple[int, str], ...] = ()

    @property
    def text_script(self) -> str:
        """Return the script of the seed text: the publication's, unless the seed is a converted copy."""
        return self.seed_script or self.script


@dataclass
class Source:
    """An article a lesson rests on, and the verbatim passages it quotes."""

    article: str
    passages: list[Located]
    line: int


@dataclass
class Result:
    """A key figure with the quote that states it."""

    figure: str
    meaning: str
    quote: Located
    line_of: dict[str, int] = field(default_factory=dict)


@dataclass
class Lesson:
    """One lesson learned: an 经验 (what was done, results) or a 教训 (problem, causes), takeaways and sources."""

    id: str
    title: str
    places: list[str]
    themes: list[str]
    background: str
    actions: list[str]
    takeaways: list[str]
    questions: list[str]
    sources: list[Source]
    path: Path
    line_of: dict[str, int]
    results: list[Result] = field(default_factory=list)
    for_our_city: str | None = None
    for_city: str | None = None
    terms: list[str] = field(default_factory=list)
    kind: str = "经验"
    problem: str | None = None
    causes: list[str] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    status: str | None = None
    item_lines: dict[str, list[int]] = field(default_factory=dict)

    def item_line(self, key: str, index: int) -> int:
        """Return the line of item ``index`` of the list under ``key``."""
        lines = self.item_lines.get(key, [])
        return lines[index] if index < len(lines) else self.line_of[key]


@dataclass
class Term:
    """A glossary entry (名词解释), cited like a lesson."""

    term: str
    definition: str
    sources: list[Source]
    line: int


@dataclass
class Theme:
    """A theme of the controlled vocabulary."""

    id: str
    name: str
    description: str


@dataclass
class Corpus:
    """Everything loaded from seeds/ and content/."""

    articles: dict[str, Article]
    lessons: dict[str, Lesson]
    themes: dict[str, Theme]
    glossary: dict[str, Term]
    root: Path
    drafts: dict[str, Lesson] = field(default_factory=dict)  # checked, listed, but in no brief
