"""The things studybrief knows about: articles, lessons, glossary terms, themes, and their YAML shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_
from .schema import INT, TEXT, TEXTS, Field, Spec

NOISE = Spec("noise", {
    "lines": Field(TEXT, "line or first-last lines in the file, e.g. '1' or '178-188'"),
    "kind": Field(TEXT, "spam, banner, caption, metadata, editor, footer or layout"),
    "note": Field(TEXT, "why this is excluded", required=False),
})
SEED_FILE = Spec("seed file", {
    "file": Field(TEXT, "file name under seeds/"),
    "sha256": Field(TEXT, "checksum of the file as received; an edited seed no longer matches"),
    "original": Field(TEXT, "the file as received (web page, Word, GB18030 text) when the text was derived from it",
                      required=False),
    "original_sha256": Field(TEXT, "checksum of the original; an edited original no longer matches", required=False),
    "noise": Field([NOISE], "lines outside every article that are noise, recorded for the reader", required=False),
})
ARTICLE = Spec("article", {
    "id": Field(TEXT, "short unique name that lessons cite, e.g. zzrb-yangtze-trip"),
    "file": Field(TEXT, "seed file that holds the article"),
    "lines": Field(TEXT, "first-last line of the article in its file, e.g. '3-53'"),
    "title": Field(TEXT, "headline as printed; null when none is printed", nullable=True),
    "supplied_title": Field(TEXT, "title taken verbatim from the text when no headline is printed", required=False),
    "subtitle": Field(TEXT, "subtitle as printed", required=False),
    "kicker": Field(TEXT, "line printed above the headline (引题)", required=False),
    "column": Field(TEXT, "column or page heading the article runs under", required=False),
    "outlet": Field(TEXT, "newspaper or publisher as the text names it; null when it does not", nullable=True),
    "authors": Field(TEXTS, "authors as printed, reporters first; null when none is printed", nullable=True),
    "date": Field(TEXT, "publication date YYYY-MM-DD; null when the text does not give it", nullable=True),
    "page": Field(TEXT, "page (版次) when the text gives it", required=False),
    "kind": Field(TEXT, "GB/T 7714 document type: N (newspaper) or R (report)"),
    "script": Field(TEXT, "script of the publication: simplified or traditional"),
    "seed_script": Field(TEXT, "script of the seed text where it differs from the publication's (a converted copy)",
                         required=False),
    "obtained": Field(TEXT, "how the seed text was obtained, where it is not the publication as printed",
                      required=False),
    "city": Field(TEXT, "the city whose 我市/我们 the article speaks for, e.g. 杭州", required=False),
    "notes": Field(TEXT, "what is known of the metadata the text leaves out", required=False),
    "noise": Field([NOISE], "lines inside the article that are not part of it", required=False),
})
REGISTRY = Spec("registry", {
    "files": Field([SEED_FILE], "every seed file with its checksum"),
    "articles": Field([ARTICLE], "every article the seed files hold"),
})
THEME = Spec("theme", {
    "id": Field(TEXT, "short name lessons use, e.g. business-environment"),
    "name": Field(TEXT, "Chinese name shown in briefs"),
    "description": Field(TEXT, "what belongs under this theme"),
})
THEMES = Spec("themes file", {"themes": Field([THEME], "the controlled vocabulary")})
SOURCE = Spec("source", {
    "article": Field(TEXT, "id of an article in seeds/articles.yaml"),
    "passages": Field(TEXTS, "verbatim passages of that article the lesson rests on"),
})
RESULT = Spec("result", {
    "figure": Field(TEXT, "the key figure as the article gives it, e.g. 6000余万元"),
    "meaning": Field(TEXT, "what the figure measures"),
    "quote": Field(TEXT, "verbatim passage of a source article that states the figure"),
})
TO_DO = "【待填写】"  # marks what a draft leaves for a person; a lesson that is not a draft may not keep it
DRAFT = "draft"
LESSON = Spec("lesson", {
    "id": Field(TEXT, "unique name, also the file name"),
    "title": Field(TEXT, "the question the lesson answers, e.g. 义乌如何为企业降成本？"),
    "places": Field(TEXTS, "places the lesson is about"),
    "themes": Field(TEXTS, "one to three theme ids from content/themes.yaml"),
    "kind": Field(TEXT, "经验 (what worked, the default) or 教训 (what went wrong)", required=False),
    "background": Field(TEXT, "the situation that called for action (driving event)"),
    "actions": Field(TEXTS, "经验 only: what was done (主要做法)", required=False),
    "problem": Field(TEXT, "教训 only: what went wrong (问题)", required=False),
    "causes": Field(TEXTS, "教训 only: why it went wrong (原因)", required=False),
    "results": Field([RESULT], "key figures, each with its quote", required=False),
    "takeaways": Field(TEXTS, "the lesson itself: 启示 of an 经验, 警示 of a 教训"),
    "for_our_city": Field(TEXT, "what it means for the reader's city, where the article compares", required=False),
    "questions": Field(TEXTS, "discussion questions (研讨题)"),
    "terms": Field(TEXTS, "glossary terms the lesson uses", required=False),
    "see": Field(TEXTS, "ids of related lessons, printed as 见本期一（一） where the brief holds them", required=False),
    "sources": Field([SOURCE], "articles the lesson rests on, with verbatim passages"),
    "status": Field(TEXT, "'draft' while a person completes it: left out of every brief; delete the key to publish",
                    required=False),
})
GLOSSARY_ENTRY = Spec("glossary entry", {
    "term": Field(TEXT, "the term as the article writes it"),
    "definition": Field(TEXT, "the definition, as in the article"),
    "sources": Field([SOURCE], "articles defining the term, with verbatim passages"),
})
GLOSSARY = Spec("glossary file", {"entries": Field([GLOSSARY_ENTRY], "名词解释")})
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
    "city": Field(TEXT, N_("the readers' city: another city's 我市/我们 in a shown passage is flagged"), required=False),
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
    terms: list[str] = field(default_factory=list)
    kind: str = "经验"
    problem: str | None = None
    causes: list[str] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    status: str | None = None


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
