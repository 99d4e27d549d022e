"""Papers: titles in labelled lines, quotes, bold lines, 《》 or the item title; bare arXiv ids;
and the short name before a title's colon (``CoPE: …``), which is what the paper proposes.
"""

from __future__ import annotations

import re

from kg.extract.rules.base import HAN_RE, Candidate, _overlaps, latin_phrases
from kg.extract.rules.names import _BENCH_TAIL, _is_qa_name
from kg.extract.tables import row_cells
from kg.resolve.modelname import parse_model_name


_PAPER_LABEL = re.compile(r"(?:论文标题|论文题目|论文名称|论文名|原文标题|Paper title|Title)\s*[:：]\s*([^\n]{8,300})", re.I)
_LINK_LABEL = re.compile(
    r"^[ \t>*+\-•]*(?:\d{1,2}[.、)][ \t]*)?\**(?:论文地址|论文链接|论文|原文|技术报告|Paper|(?:Technical|Tech) [Rr]eport)\**\s*[:：]\s*\**([A-Za-z][^\n（【]{7,300}?)\**\s*(?=[（【]|(?:[→⟶➜]|->|=>|[—–])?\s*<?https?://|\n|$)",
    re.M,
)
"""A paper's link line, its link text kept by reading: "- **论文地址**: Less is More: …（作者来自…）",
"- **技术报告**: Kimi-Audio Technical Report", "- 论文：Title → https://arxiv.org/pdf/…" (the link after it)."""
_LINK_LABEL_WORDS = ("论文", "原文", "技术报告", "Paper", " report", " Report")
"""A scan in C before the pattern: most items have no such line."""
_REFERENCE = re.compile(
    r"^[ \t>]*(?:\d{1,3}[.、)]|\[\d{1,3}\]|[-*+•·])?[ \t]*([A-Za-z0-9][^\n|\"“”「」《》\u3400-\u9fff]{10,250}?)[ \t]*"
    r"(?:[—–]{1,2}|--?|[,，.]|\|[^\n]*?\|)?[ \t]*[(（]?(?:arXiv\s*[:：]?\s*|<?https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)\d{4}\.\d{4,5}",
    re.M | re.I,
)
"""A reference line: an English title (no quote, no Chinese), then its arXiv id or link, maybe a few
table cells on ("2. MiniMax-M1: Scaling … — arXiv 2506.13585", "Title | 机构 | arXiv 2507.18071 |",
"[4] TripoSG: High-Fidelity … Models. https://arxiv.org/abs/2502.06608")."""
_TABLE_ROW_ID = re.compile(r"(?:^| \| )(?:arXiv\s*[:：]?\s*)?\d{4}\.\d{4,5}(?:v\d+)?(?= \| |$)", re.M | re.I)
"""A table row's cell that is an arXiv id: the row's title cell is that paper."""
_QUOTED_TITLE = re.compile(r"《([^》\n]{8,200})》")
_SHORT_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9.+\-_']*(?: [A-Za-z0-9][A-Za-z0-9.+\-_']*)?)\s*[:：]\s*\S")
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*")


_REPORT_TITLE = re.compile(r"(?:Technical Report|Tech Report|System Card|Model Card)$", re.I)
_QUOTED_LATIN = re.compile(r"[\"“「『]([^\"“”「」『』\n]*(?:\n[ \t]*(?=[A-Za-z])[^\"“”「」『』\n]*)?)[\"”」』]")
"""A quoted title (12 to 250 characters, checked where it is read); plain-text mail wraps long
lines, so it may go on on the next line."""
_BOLD_LINE = re.compile(r"\*\*([^*\n]{12,250})\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?![\s*])([^*\n]{12,250}?)(?<![\s*])\*(?![*\w])")
"""An italic title, ``*Absolute Zero: Reinforced Self-play Reasoning with Zero Data*（arXiv …）``: how
English prose and many Chinese write-ups set a paper's title."""
_PAPER_CUE = re.compile(r"论文|题为|标题|预印本|技术报告|综述|arXiv|paper|preprint|titled|posted|report|survey", re.I)
_ARXIV_NEAR = re.compile(r"(\d{4}\.\d{4,5})")
_HEADLINE = re.compile(
    r"^(?:\w+: )?\S+(?: \S+){0,3} (?:ships|releases|launches|unveils|announces|open-sources|updates|tops|beats|raises|"
    r"acquires|debuts|rolls out|introduces|expands|hires|wins|partners|teases|drops)\b"
)
"""A news headline (``Anthropic ships Claude Sonnet 4.6 …``): a subject and a verb in the present tense."""


def _reference_title(title: str) -> bool:
    """Whether the text before a paper's arXiv id (a reference line's, a table row's) is its title,
    not the id's label or a news headline."""
    return looks_like_title(title) and "arxiv" not in title.lower() and not _HEADLINE.match(title)


def looks_like_title(s: str) -> bool:
    """An English publication title: several Latin words, mostly Latin characters."""
    s = s.strip()
    words = _LATIN_WORDS.findall(s)
    if len(words) < 4 and not (len(words) >= 2 and _REPORT_TITLE.search(s)):
        return False
    latin = sum(len(w) for w in words)
    return latin >= 0.7 * len(re.sub(r"[\s\W]", "", s)) and s[0].isalnum()


def find_papers(
    text: str, title_end: int, arxiv_ids: tuple[str, ...], hf_ids: tuple[str, ...]
) -> list[Candidate]:
    """Paper titles: labelled lines, quoted or bold English titles near a paper cue, paper-like
    item titles and 《English titles》; else a linked arXiv id with no title."""
    ids = tuple(dict.fromkeys((*arxiv_ids, *(i for i in hf_ids if re.fullmatch(r"\d{4}\.\d{4,5}", i)))))
    found: list[Candidate] = []

    def add(start: int, end: int, source: str) -> None:
        id_after = _ID_AFTER.search(text, start, end)  # "Title (arXiv:2409.17146)": a link read (kg.ingest)
        end = id_after.start() if id_after else end
        if not _overlaps(start, end, [(c.start, c.end) for c in found]):
            found.append(Candidate(start, end, "Paper", source, arxiv_id=_id_near(text, end, ids)))

    for m in _PAPER_LABEL.finditer(text):
        start, end = m.start(1), m.start(1) + len(m.group(1).rstrip(" 。.*"))
        if looks_like_title(text[start:end]) or "论文" in text[m.start() : m.start(1)]:
            add(start, end, "paper-label")
    for m in _LINK_LABEL.finditer(text) if any(label in text for label in _LINK_LABEL_WORDS) else ():
        title = m.group(1).rstrip(" 。.*")
        if looks_like_title(title) and "://" not in title:
            add(m.start(1), m.start(1) + len(title), "paper-label")
    for rx, source in (
        (_QUOTED_LATIN, "paper-quoted"),
        (_BOLD_LINE, "paper-bold"),
        (_ITALIC, "paper-italic"),
        (_QUOTED_TITLE, "paper-quoted"),
    ):
        for m in rx.finditer(text) if rx is not _ITALIC or "*" in text else ():
            if rx is _QUOTED_LATIN and not 12 <= len(m.group(1)) <= 250:
                continue
            title = m.group(1).strip().rstrip(".。")
            if not looks_like_title(title) or _HEADLINE.match(title):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line_end = line_end if line_end >= 0 else len(text)
            line = text[line_start:line_end]
            if rx is _ITALIC:
                # emphasis is common: an italic line is a title only beside a cue of its own
                # (not "*a weekly letter on models, papers and …*"), and is written like one
                outside = line[: m.start() - line_start] + line[m.end() - line_start :]
                cued = (_PAPER_CUE.search(outside) or _ARXIV_LINE.match(text, line_end + 1)) and (
                    _title_cased(title) or _ARXIV_NEAR.search(text, m.end(), m.end() + 40)
                )
            else:
                cued = (
                    _PAPER_CUE.search(line)
                    or _ARXIV_LINE.match(text, line_end + 1)  # "arXiv 2505.03335, from …" on the next line
                    # a quoted English title in an item that links a paper is that paper (not a bold term:
                    # digests bold the methods they name, "**内在风险感知 (Intrinsic Risk Sensing)**")
                    or ids and rx is _QUOTED_LATIN and _title_cased(title)
                )
            if cued or _REPORT_TITLE.search(title) or rx is _QUOTED_TITLE:
                start = m.start(1) + m.group(1).index(title)
                add(start, start + len(title), source)
    for m in _REPORT_ANY.finditer(text) if "Report" in text or "Card" in text or "技术报告" in text else ():
        # the name before it: "the Qwen3 Technical Report", "DeepSeek-V3.2 技术报告"
        zh = m.group().endswith("技术报告")
        name_end = m.start() if zh else m.end()
        phrase = next((p for p in latin_phrases(text) if p[1] == name_end), None)
        if phrase is None:
            continue
        start = phrase[0] + len(text[phrase[0] : phrase[1]]) - len(text[phrase[0] : phrase[1]].lstrip())
        if not zh and text[start:name_end] == m.group().strip():
            continue  # the words "Technical Report" alone
        if text[start].isalpha() and re.search(r"\d", text[start : m.end()]):  # titled by a model version
            joined = _JOINED_BEFORE.search(text, max(0, start - 40), start)  # "gpt-oss-120b & gpt-oss-20b Model Card"
            add(joined.start() if joined else start, m.end(), "paper-report")
    # after every other way a title is written: a quoted or reported title on the line wins
    for m in _REFERENCE.finditer(text) if "rXiv" in text or "rxiv" in text else ():
        title = m.group(1).rstrip(" *")
        if _reference_title(title):
            add(m.start(1), m.start(1) + len(title), "paper-reference")
    for m in _TABLE_ROW_ID.finditer(text) if " | " in text else ():
        # "| 1 | Native Sparse Attention: … | 2502.11089 | DeepSeek、北京大学 |": the title cell
        row_start = text.rfind("\n", 0, m.start()) + 1
        row_end = text.find("\n", m.end())
        row_end = len(text) if row_end < 0 else row_end
        for a, b in row_cells(text[row_start:row_end], row_start):
            title = text[a:b].strip(" |*")
            if _reference_title(title):
                start = text.index(title, a)
                add(start, start + len(title), "paper-table")
                break
    title = text[:title_end]
    title_text = _strip_title_decor(title)
    if (
        looks_like_title(title_text)
        and not _HEADLINE.match(title_text)
        and (
            not found and (ids or _PAPER_CUE.search(text, title_end, title_end + 300))  # the title's own words are no cue
            # an item titled by its paper and linking it, whose body names other papers ("…高于
            # MiniMax-M1 技术报告中的配方"): the title is still the linked paper
            or ids and not any(c.arxiv_id in ids for c in found)
        )
    ):
        start = title.find(title_text)
        add(start, start + len(title_text), "paper-title")
    if not found and len(ids) == 1:
        # A paper is linked but never named: keep it, named by its arXiv id.
        at = text.find(ids[0])
        if at >= 0:
            found.append(Candidate(at, at + len(ids[0]), "Paper", "arxiv-id", arxiv_id=ids[0]))
    return found


_ARXIV_LINE = re.compile(r"[ \t]*(?:arXiv|arxiv\.org)", re.I)
_ID_AFTER = re.compile(r"\s*[(（]arXiv[:：]\s*\d{4}\.\d{4,5}[)）][\s*.。]*$")
"""The id a title's link gave it, at the end of what a rule took for the title."""
_REPORT_ANY = re.compile(r"(?<=\S) (?:Technical Report|Tech Report|System Card|Model Card)\b|\s?技术报告")
_TITLE_SAYS = re.compile(
    r"\s*[:：]\s*(?:(?P<bench>(?:A |An |The )?(?:[\w\-]+ ){0,3}(?:Benchmark|Dataset|Leaderboard)s?\b|Benchmarking\b)"
    r"|(?:A |An |The )?(?:(?![\w\-]+ing )[\w\-]+ ){0,3}(?:Model|LLM|VLM|MLLM)s?"
    r"(?= for\b| of\b| with\b| via\b| on\b| in\b| that\b|\s*[,:—–]|\s*$))",
    re.I,
)
"""What a title says its short name is, in its first words after the colon: ``ToolTrek: Benchmarking …``,
``O'Neil-LM: A 3B Bilingual Model for …``; not ``…: Training Language Models to …`` or ``…: Language
Models are …``, where the models are what the paper works on."""
_JOINED_BEFORE = re.compile(r"(?<![\w.\-])[A-Za-z][\w.\-]*\d[\w.\-]* ?& ?$")


def _title_cased(title: str) -> bool:
    """``Absolute Zero: Reinforced Self-play …``, ``Emerging Properties in Unified …``: a title,
    not a quoted sentence."""
    words = [w for w in _LATIN_WORDS.findall(title) if len(w) > 3]
    if HAN_RE.search(title):
        return False
    return ": " in title or bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _id_near(text: str, after: int, ids: tuple[str, ...]) -> str | None:
    """The arXiv id written right after a title (same line, within 80 characters), else the item's."""
    window = text[after : after + 80].split("\n", 1)[0]
    m = _ARXIV_NEAR.search(window)
    if m:
        return m.group(1)
    return _nearest_id(text, after, ids)


def _nearest_id(text: str, after: int, ids: tuple[str, ...]) -> str | None:
    best = None
    for i in ids:
        at = text.find(i, after)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, i)
    if best is None:
        # the item's one id, when it is only linked; one written before this title is an earlier
        # paper's ("- **A**（arXiv 2603.05120）… - **B**（技术报告）"), and taking it would merge A and B
        return ids[0] if len(ids) == 1 and ids[0] not in text else None
    return best[1]


def _strip_title_decor(title: str) -> str:
    t = re.sub(r"^[\s#>*\-\d.、)]*", "", title)
    t = re.sub(r"^[^\w\[【(（]+", "", t)  # leading emoji and symbols
    t = re.sub(r"^(?:论文分析报告|论文解读|论文)\s*[:：]\s*", "", t)
    return t.strip(" *")


def paper_short_name(text: str, paper: Candidate) -> Candidate | None:
    """``CoPE`` in ``CoPE: Clipped RoPE as …``: the thing the paper proposes."""
    m = _SHORT_NAME.match(text[paper.start : paper.end])
    if not m:
        return None
    name = m.group(1)
    if not re.search(r"[A-Z]", name) or name.lower() in {"survey", "review", "position", "tutorial"}:
        return None
    start = paper.start + m.start(1)
    end = start + len(name)
    kind = "Technique"
    described = _TITLE_SAYS.match(text, paper.start + m.end(1), paper.end)  # "X: A 3B Bilingual Model for …"
    if _BENCH_TAIL.search(name) or _is_qa_name(name):
        kind = "Benchmark"
    elif described is not None:
        kind = "Benchmark" if described.group("bench") else "Model"
    elif parse_model_name(name) is not None and re.search(r"\d", name):
        kind = "Model"
    else:
        window = text[end : end + 4000]
        named = re.escape(name)
        # "SeaS 模型" or "生成模型 SeaS": the cue word beside the name, after or before it
        near = re.search(rf"{named}\s?(模型|基准|数据集|benchmark|model)", window, re.I) or re.search(
            rf"(模型|基准|数据集)\s?{named}(?![A-Za-z0-9\-])", window
        )
        if near:
            kind = "Benchmark" if near.group(1) in ("基准", "数据集", "benchmark", "Benchmark") else "Model"
    return Candidate(start, end, kind, "paper-short-name", priority=3)
