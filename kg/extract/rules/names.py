"""Names recognised by their shape or by a cue word: models, benchmarks, organizations, techniques.

A model is a series with a version, size or variant (``Helios-2.5-14B``); a benchmark ends in
Bench/Eval/QA or extends a known benchmark (``HMMT 2025``, ``ImageNet-21K``); a cue word types the
Latin name before or after it (``StoryMem 模型``, ``基准 HELMET``) or in its clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from kg.extract.gazetteer import Gazetteer
from kg.extract.rules.base import (
    _ROLE_WORDS,
    HAN_RE,
    Candidate,
    Occupied,
    _clause_around,
    _name_like,
    _overlaps,
    _words,
    latin_phrases,
)
from kg.memo import Memo
from kg.resolve.modelname import is_variant_word, parse_model_name
from kg.resolve.normalize import identity_key

_NOT_SERIES = frozenset(
    identity_key(w)
    for w in "table figure fig step top section chapter part level phase stage round day week "
    "month year version page epoch layer model models top-k pass mode type class group case "
    "rank no item issue task tasks test ep episode batch block lesson point season vol "
    "covid iso ieee utf http https www tier system apache gpl license sub "
    # software with versions: "Lean 4", "Python 3.12", "CUDA 12", "ROS 2", "iOS 18"
    "lean python cuda ros ubuntu windows linux android ios macos pytorch tensorflow java "
    # a date: "Aug 14", "Sept 4"
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april june july august "
    "september october november december".split()
)
_OPENING_WORDS = frozenset(
    "the a an our its their this these that proposes introduces presents releases launches ships adds brings "
    "uses using adopts trains supports with via including featuring versus".split()
)
"""A sentence's first word before a name ("Proposes InfLLM v2", "Introduces Kimi K2"): not the name's."""
_BENCH_TAIL = re.compile(r"(?:[Bb]ench|BENCH|-[Ee]val|[a-z]Eval|EVAL|Arena|Leaderboard)$")
_NUMBERED = re.compile(r"[-_]\d+(?:\.\d+)?[A-Za-z]?$")
"""A count or edition after a benchmark's name: ``PartBench-300``, ``SciBench-2``."""


def has_benchmark_tail(name: str) -> bool:
    """Whether a name ends the way benchmarks' names do (…Bench, …-Eval, …Arena), maybe before a
    count or edition: ``OrbitBench``, ``PartBench-300``, ``Step-Video-T2V-Eval``."""
    return _BENCH_TAIL.search(_NUMBERED.sub("", name)) is not None


_BENCH_LAST_WORDS = frozenset({"Arena", "Bench"})
_CAPITALIZED = re.compile(r"[A-Z][A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")
"""A capitalized word, maybe part of a name of several words (Video, WebDev, Copilot)."""
_BENCH_QUALIFIERS = frozenset(
    "verified lite pro hard plus live multilingual full mini extended diamond mm v2 v3 hle".split()
)
_ORG_TAILS = frozenset(
    "ai labs lab laboratory research institute university college academy inc inc. robotics group foundation".split()
)
_ORG_HEADS_GENERIC = frozenset(
    "generative embodied physical agentic conversational responsible explainable trustworthy "
    "general artificial open applied the our this edge enterprise consumer spatial".split()
)
_TECH_TAIL = re.compile(r"(?:former|net|nets|gan|attention|lora|norm)$", re.I)
_TECH_ACRONYM = re.compile(r"^[A-Z]{1,5}PO$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_UNKNOWN_VERSION = re.compile(r"[vV]?\d+(?:\.\d+)*[a-z]?|[A-Z]\d+(?:\.\d+)*")
"""Versions an unknown series may carry: 2.5, v3, 4o, V4, R1, K2 (not 4K, 2V)."""
_ONE_LETTER_PREFIX = re.compile(r"^[A-Z]-(?=[A-Za-z]{2})")
_STAGE_SUFFIX = re.compile(r"(?<=\d[BbMm])-(?:RL|SFT|DPO|GRPO|PPO|RLHF|Zero)$")
_CODE_LIKE = re.compile(r"[A-Z][A-Z0-9]{1,5}")
"""An unlisted variant written like a code (``SFT``, ``T2I``, ``VLA``) still belongs to the name."""


def find_shaped_names(text: str, gazetteer: Gazetteer, stopwords: frozenset[str]) -> list[Candidate]:
    """Models, benchmarks, organizations and techniques recognisable from the name alone."""
    found: list[Candidate] = []
    shapes = _phrase_shapes(gazetteer, stopwords)
    for p_start, p_end in latin_phrases(text):
        # what a phrase holds depends on its characters and the one after it, nothing else
        for start, end, type_, source, priority in shapes[text[p_start:p_end], text[p_end : p_end + 1]]:
            if type_ == "Model" and _DEVICE_AFTER.match(text, p_start + end):
                continue  # "Walker S2 机器人", "A100 GPU": a machine, not a model
            cue_start = text[p_start + end : p_start + end + 1]
            if type_ == "Model" and (cue_start in _BENCH_CUE_STARTS or cue_start.isspace()) and _BENCH_CUE_AFTER.match(
                text, p_start + end
            ):
                type_ = "Benchmark"  # "SciReason-500 基准": the cue says what the name is
            found.append(Candidate(p_start + start, p_start + end, type_, source, priority=priority))
    return found


_DEVICE_AFTER = re.compile(r"\s?(?:人形机器人|机器人|机器狗|机械臂|芯片|显卡|GPU|TPU|NPU|robots?|chips?)", re.I)
_BENCH_CUE_AFTER = re.compile(
    r"\s?(?:基准|评测集|测评集|数据集|benchmark|dataset)|\**\s?[:：]\s?(?:a |an |the )?(?:new )?(?:benchmark|dataset)\b", re.I
)
"""A cue right after a model-shaped name that says it is a benchmark: ``SciReason-500 基准``,
``ToolTrek-500: a benchmark for …``."""
_BENCH_CUE_STARTS = frozenset("基评测数bBdD*:：")
"""The characters ``_BENCH_CUE_AFTER`` can start with besides whitespace: a set test first, as most
names have none."""
_HARDWARE_MAKERS = frozenset("nvidia amd intel qualcomm unitree".split())
"""Makers of chips and robots: their name before a code is a device (NVIDIA A100, Unitree G1)."""

MEMO_SIZE = 200_000
"""Distinct phrases remembered per gazetteer; a corpus repeats its names, so few are new."""


@lru_cache(maxsize=4)
def _phrase_shapes(gazetteer: Gazetteer, stopwords: frozenset[str]) -> Memo[tuple[str, str], tuple[_Shape, ...]]:
    """(phrase, the character after it) -> ``_shapes_in_phrase``, for one gazetteer and stop list."""
    return Memo(lambda key: _shapes_in_phrase(key[0] + key[1], len(key[0]), gazetteer, stopwords), MEMO_SIZE)


_Shape = tuple[int, int, str, str, int]
"""A shaped name inside a phrase: start, end (relative to the phrase), type, source, priority."""


def _shapes_in_phrase(
    text: str, length: int, gazetteer: Gazetteer, stopwords: frozenset[str]
) -> tuple[_Shape, ...]:
    """The shaped names of the phrase ``text[:length]`` (``text`` holds the character after it)."""
    words = _words(text, 0, length)
    found = []
    i = 0
    while i < len(words):
        hit = _shaped_at(text, words, i, gazetteer, stopwords)
        if hit is None:
            i += 1
            continue
        c, consumed = hit
        found.append((c.start, c.end, c.type, c.source, c.priority))
        i += consumed
    return tuple(found)


def _shaped_at(
    text: str, words: list[tuple[int, int]], i: int, gazetteer: Gazetteer, stopwords: frozenset[str]
) -> tuple[Candidate, int] | None:
    first = text[words[i][0] : words[i][1]]
    # a known benchmark with a subset or size joined by a hyphen: ImageNet-21K, Tiny-ImageNet, MathVista-Mini
    if "-" in first and gazetteer.lookup(first) is None:
        parts = first.split("-")
        for known in (parts[0], parts[-1], "-".join(parts[:-1]), "-".join(parts[1:])):
            if known and "Benchmark" in gazetteer.types_of(known) and len(known) >= 3:
                return Candidate(words[i][0], words[i][1], "Benchmark", "bench-variant", priority=2), 1
    # a name ending in a count, a level or a word for data is a benchmark or a data set:
    # DepthProbe-500, ChartChain-1K, Maze-Hard, OLMo-Mix-1124 (a model's number is a version, a
    # size with its unit, or a four-digit date: Instruct-2507)
    if (
        _COUNTED_NAME.fullmatch(first) or _DATA_NAME.search(first) or _HARDNESS_NAME.fullmatch(first)
    ) and not gazetteer.types_of(first.rsplit("-", 1)[0]) - {"Benchmark"}:
        return Candidate(words[i][0], words[i][1], "Benchmark", "bench-name", priority=2), 1
    # Benchmarks: a word ending in Bench/Eval/Arena, plus version or qualifier words.
    if has_benchmark_tail(first) and len(first) > 5 or (_is_qa_name(first)):
        j = i + 1
        while j < len(words) and _is_bench_qualifier(text[words[j][0] : words[j][1]], first=j == i + 1):
            if text[words[j][1] : words[j][1] + 1] in ("%", "％", "分"):
                break  # a score, not a version
            j += 1
        return Candidate(words[i][0], words[j - 1][1], "Benchmark", "bench-shape", priority=2), j - i
    # "<Name> Arena", "<Name> Bench": a leaderboard or benchmark named in two or three capitalized
    # words (Video Arena, Kaggle Game Arena; not the longer "Biology Arena BEnchmark")
    if any(text[a:b] in _BENCH_LAST_WORDS for a, b in words[i + 1 : i + 3]):  # cheap: most words are none
        run = _capitalized_run(text, words, i)
        if (
            2 <= run <= 3
            and text[words[i + run - 1][0] : words[i + run - 1][1]] in _BENCH_LAST_WORDS
            and first.lower() not in _OPENING_WORDS
            and not (i and _capitalized_run(text, words, i - 1) > run)  # inside a longer name
        ):
            return Candidate(words[i][0], words[i + run - 1][1], "Benchmark", "bench-shape", priority=2), run
    # Models: the longest window (up to 6 words) that parses as a model name.
    for j in range(min(len(words), i + 6), i, -1):
        surface = text[words[i][0] : words[j - 1][1]]
        if j - 1 > i and _NUMBER.fullmatch(text, *words[j - 1]) and (
            text[words[j - 1][1] : words[j - 1][1] + 1] in _PERCENT or _SIZED_END.search(text, words[j - 2][0], words[j - 2][1])
        ):
            continue  # "TRM 85.3%", "Qiwu-Law-14B 58.6": a score after the name, not its version
        if _accept_model(surface, gazetteer, stopwords):
            return Candidate(words[i][0], words[j - 1][1], "Model", "model-shape", priority=2), j - i
    # Organizations: "<Name> AI", "<Name> Labs", "University of <Name>".
    for j in range(min(len(words), i + 5), i + 1, -1):
        tail_word = text[words[j - 1][0] : words[j - 1][1]]
        tail = tail_word.lower()
        head = first.lower()
        inner = {text[a:b].lower() for a, b in words[i : j - 1]}
        if tail in _ORG_TAILS and head not in _ORG_HEADS_GENERIC and first[0].isupper() and not inner & _ROLE_WORDS:
            if not tail_word[0].isupper() or j < len(words) and text[words[j][0]].isupper():
                continue  # "a Singapore lab" describes; "Kaggle AI Chess", "AI Office": a longer name
            surface = text[words[i][0] : words[j - 1][1]]
            if "'s " in surface or "’s " in surface:
                continue  # "the Commission's AI Office": a possessive, not a name
            if identity_key(surface) not in stopwords:
                return Candidate(words[i][0], words[j - 1][1], "Organization", "org-shape", priority=2), j - i
    if first.lower() == "university" and i + 2 < len(words) and text[words[i + 1][0] : words[i + 1][1]] == "of":
        return None  # "of" is cut from phrases; handled by the Chinese/English affiliation rules
    # Techniques with a telling ending (…Former, …Net, …GAN, …PO acronyms).
    tail = _TECH_TAIL.search(first)
    if (tail and tail.start() > 0 or _TECH_ACRONYM.match(first)) and first[0].isupper() and len(first) > 3:
        if identity_key(first) not in stopwords:
            return Candidate(words[i][0], words[i][1], "Technique", "tech-shape", priority=1), 1
    return None


_HARDNESS_NAME = re.compile(r"[A-Z][A-Za-z0-9]+(?:-[A-Za-z0-9]+)*-(?:Hard|Extreme|Easy)")
"""A name ending in how hard it is: a test (Maze-Hard, Sudoku-Extreme, ARC-Easy)."""
DATA_WORDS = frozenset({"mix", "data", "dataset", "corpus"})
"""Parts of a hyphenated name that make it a data set (OLMo-Mix-1124, Nemotron-CC-Data)."""
_DATA_NAME = re.compile(
    r"^[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-(?:" + "|".join(sorted(w.capitalize() for w in DATA_WORDS)) + r")(?:-[A-Za-z0-9]+)*$"
)
"""A hyphenated name one of whose parts says it is data (Dolmino-Mix-1124, Nemotron-CC-Data)."""
_COUNTED_NAME = re.compile(r"[A-Z][A-Za-z]+(?:-[A-Za-z]+)*-(?:[1-9]\d{2}|[1-9]\d{0,2}[Kk])")
"""A name ending in a count of its items (DepthProbe-500, ChartChain-1K); four digits are a date."""
_PERCENT = ("%", "％")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SIZED_END = re.compile(r"\d[BbMmKkTt]$")
"""A word ending in a size ("-14B"): a number after it is not the name's version."""


def _capitalized_run(text: str, words: list[tuple[int, int]], i: int) -> int:
    """How many capitalized words, one space apart, open at ``words[i]`` (the parts of one name)."""
    n = 0
    while (
        i + n < len(words)
        and _CAPITALIZED.fullmatch(text, *words[i + n])
        and (n == 0 or words[i + n][0] - words[i + n - 1][1] == 1 and text[words[i + n - 1][1]] == " ")
    ):
        n += 1
    return n


def _is_qa_name(word: str) -> bool:
    return len(word) >= 4 and word.endswith("QA") and word[0].isupper()


def _is_bench_qualifier(word: str, first: bool) -> bool:
    w = word.lower()
    if w in _BENCH_QUALIFIERS or re.fullmatch(r"v\d+(?:\.\d+)*", w):
        return True
    # a year or an edition ("HMMT 2025", "Arena 2", "OrbitBench 2.0"); "OCRBench 862", "MMBench 83.0" are scores
    return first and bool(re.fullmatch(r"(?:19|20)\d\d|\d{1,2}|\d\.\d", w))


_SPACED_DATE = re.compile(r"\s(?:19|20)\d\d-\d\d-\d\d$")


def _accept_model(surface: str, gazetteer: Gazetteer, stopwords: frozenset[str]) -> bool:
    if _SPACED_DATE.search(surface):
        return False  # "Nemotron-Nano-9B-v2 2025-08-18": a release date beside the name, not a snapshot
    name = parse_model_name(surface)
    if name is None:
        # One token the parser leaves whole: a one-letter prefix (V-Retrver-7B, U-MARVEL-7B) or a
        # training-stage code (MiMo-7B-RL, Foo-7B-SFT) around a name that parses on its own.
        core = _ONE_LETTER_PREFIX.sub("", surface) if " " not in surface else surface
        core = _STAGE_SUFFIX.sub("", core) if " " not in core else core
        return core != surface and _accept_model(core, gazetteer, stopwords)
    for v in name.variants:
        if not is_variant_word(v) and not _CODE_LIKE.fullmatch(v) and re.search(rf"\s{re.escape(v)}\b", surface):
            return False  # "Claude Opus 4.6 Tier", "gpt-oss-20B Model Card": the name ends before the word
    series_key = identity_key(name.series)
    if series_key in stopwords or series_key in _NOT_SERIES:
        return False
    if " " in name.series and name.series.split(None, 1)[0].lower() in _OPENING_WORDS:
        return False
    if identity_key(name.series.split()[0]) in _HARDWARE_MAKERS:
        return False
    if any(w.islower() and w.isalpha() for w in name.series.split()[1:]) and "Model" not in gazetteer.types_of(name.series.split()[0]):
        return False  # "SEA reaches 92.4", "HellaSwag while spending 40": a sentence, not a name
    types = gazetteer.types_of(name.series)
    if "Model" in types:
        return True
    if types - {"Organization"} or gazetteer.types_of(surface) - {"Model"}:
        return False  # a benchmark or technique with a number (AIME 2025, ResNet 50)
    if types and _YEAR.match(name.version):
        return False  # an organization and a year (ICML 2026); DeepSeek-V4 or MiniMax-M2 pass
    letters = sum(ch.isalpha() for ch in name.series)
    has_number = any(ch.isdigit() for ch in name.version + name.size + name.active)
    if name.version and not _UNKNOWN_VERSION.fullmatch(name.version):
        return False  # Toys4K, StreamingT2V, TI2V: a count or a code, not a version of "Toys"
    if re.fullmatch(r"\d+(?:\.\d+)?[KkMm]", name.size) and not name.version:
        return False  # Koala36M: a dataset's size
    camel = name.series[0].islower() and name.series[1:2].isupper()
    if letters < 2 or not has_number or not (name.series[0].isupper() or name.series[0].isdigit() or camel and name.size):
        return False  # lower case opens a name only before a capital, with a size: rStar2-Agent-14B
    if _YEAR.match(name.version):
        return False
    return True


_EDITIONS = "|".join(("Pro", "Max", "Plus", "Turbo", "Flash", "Lite", "Ultra", "mini", "Mini", "Air", "Nano", "Embedded"))
_ZH_VERSION = re.compile(
    r"[ \u00a0]?(?:"
    rf"(?:[Vv]?\d+(?:\.\d+)*|[A-Z]\d+(?:\.\d+)*)(?:[ \-]?(?:{_EDITIONS}))?"
    # an edition without a version, with what may follow it: 盘古Pro MoE, 盘古Embedded 7B, 混元Turbo
    rf"|(?:{_EDITIONS})(?:[ \-]?(?:MoE|\d+(?:\.\d+)?[BbMm]))?"
    r")(?![\dA-Za-z.%％])"
)


_LATIN_EDITION = re.compile(
    rf"[ \u00a0](?:{_EDITIONS}|Small|Medium|Large)(?:[ \-](?:MoE|\d+(?:\.\d+)?[BbMm]))?(?![\w.\-])"
    r"(?![ \u00a0]+(?:[Ll]anguage|[Mm]odels?|[Vv]ision|[Mm]ultimodal)\b)"
    r"(?![^。.;；\n]{0,24}?(?:Team|Enterprise|会员|订阅|[Ss]ubscri|plans?\b))"
)
"""An edition word after a known family's Latin name: "Pangu Ultra MoE", "Voxtral Small"; not a
subscription plan ("Claude Pro、Max、Team 和 Enterprise 用户")."""


def find_family_versions(text: str, gazetteer_models: list[tuple[int, int]]) -> list[Candidate]:
    """A model family's name with a version or an edition (混元 2.0, 通义千问3, 盘古Pro MoE,
    Pangu Ultra MoE): that model of the family."""
    found = []
    for start, end in gazetteer_models:
        if HAN_RE.match(text[end - 1 : end]):
            m = _ZH_VERSION.match(text, end)
        elif text[end - 1 : end].isalpha():
            m = _LATIN_EDITION.match(text, end)
        else:
            continue
        if m:
            found.append(Candidate(start, m.end(), "Model", "family-version", priority=3))
    return found


_BRACKET_TIER = re.compile(r"[ \u00a0]?\[[a-z][a-z0-9]{1,11}\](?![(\[:])(?:[ \u00a0-]\d+(?:\.\d+)?[BM](?![\w.]))?")
"""A tier in square brackets after a model's name, and a size after it: "FLUX.2 [dev]", "FLUX.1 [schnell]",
"FLUX.2 [klein] 4B"; not a Markdown link ("[dev](url)") or a footnote label ("[dev]:")."""


def find_bracket_tiers(text: str, gazetteer_models: list[tuple[int, int]]) -> list[Candidate]:
    """A known model's name with a tier in square brackets (FLUX.2 [dev]): that tier of the model."""
    found = []
    for start, end in gazetteer_models:
        m = _BRACKET_TIER.match(text, end)
        if m:
            found.append(Candidate(start, m.end(), "Model", "bracket-tier", priority=3))
    return found


# --- cue words ---------------------------------------------------------------------------

_CUES_AFTER: tuple[tuple[str, str], ...] = (
    (r"(?:大模型|大语言模型|语言模型|模型|model|LLM)", "Model"),
    # a parameter count in brackets right after the name: "Voxtral Mini（3B，…）", "X (671B total)"
    (r"[（(]\s*\d+(?:\.\d+)?\s*[BT](?![A-Za-z])(?!\s*tok)", "Model"),
    (r"(?:基准测试|基准|评测集|测评集|评测基准|数据集|测试集|任务集|榜单|benchmark|dataset|leaderboard)", "Benchmark"),
    (r"(?:框架|算法|方法|架构|机制|范式|策略|技术|优化器|framework|method|algorithm|architecture|technique|optimizer)", "Technique"),
    (r"(?:实验室|大学|研究院|研究所|公司|创始人|联合创始人|首席执行官|等机构|等单位|\blab\b|\buniversity\b|\binstitute\b)", "Organization"),
)
_CUE_AFTER_RE = [(re.compile(r"[ \u00a0]?" + cue, re.I), t) for cue, t in _CUES_AFTER]
_USED_BEFORE = re.compile(r"(?:采用了?|借助|引入了?|沿用了?|用上了?|提出了|提出的)[ \u00a0]?$")
"""Before a name without digits: a method the subject is built with or a paper proposes ("全系采用
Interleaved-MRoPE", "借助 DeepStack", "用上MuonClip", "论文提出的 Decoupled-DMD"); a name with a number
after it is a model or a version ("沿用 Step-3 的…")."""
_RELEASED_BEFORE = re.compile(
    r"(?:发布|推出|开源|上线|亮相)(?:了|的)?(?:新一代|新版|最新的?|全新的?)?[ \u00a0]?$"
)
"""Before a name: what an organization releases ("微软发布的 TRELLIS", "开源 Kimina-Prover Preview"),
a model unless its name says otherwise."""
_CUE_BEFORE_RE = [
    (re.compile(r"(?:模型|model)[ \u00a0]?$", re.I), "Model"),
    (re.compile(r"(?:基准|数据集|评测集|测评集|测试集|任务集|检索集|题集|benchmark|dataset)[ \u00a0]?$", re.I), "Benchmark"),
    (re.compile(r"(?:算法|框架|方法|架构|机制)[ \u00a0]?$", re.I), "Technique"),
]
_NAMEISH = re.compile(r"[A-Z]|\d")
_GENERIC_SHAPE = re.compile(r"(?i)-only$|-based$|-level$|-wise$|-free$|-bits?$|^\d+(?:\.\d+)?[A-Z]{0,2}$|^[A-Z]\d*$|^\d+(?:\.\d+)?\s+\S+$")
"""Shapes that are no name: a suffix word ("1-bit"), a bare number or letter, a number and its unit (19.7 FPS)."""


def find_cued_names(
    text: str, taken: "list[tuple[int, int]] | Occupied", gazetteer: Gazetteer, stopwords: frozenset[str]
) -> list[Candidate]:
    """Latin names typed by a cue word right after them (``StoryMem模型``, ``HELMET 基准``)."""
    found = []
    for start, end, surface in _free_phrases(text, taken, stopwords):
        after = text[end : end + 8]
        before = text[max(0, start - 6) : start]
        cue_type = next((t for rx, t in _CUE_AFTER_RE if rx.match(after)), None)
        if cue_type is None:
            cue_type = next((t for rx, t in _CUE_BEFORE_RE if rx.search(before)), None)
        if cue_type is None and _USED_BEFORE.search(before) and not any(ch.isdigit() for ch in surface):
            cue_type = "Technique"
        if (
            cue_type is None
            and _RELEASED_BEFORE.search(text, max(0, start - 16), start)
            and _released_name(surface)
            and not _TOOL_AFTER.match(text, end)
        ):
            cue_type = "Benchmark" if has_benchmark_tail(surface) else "Technique" if _TECH_TAIL.search(surface) else "Model"
        if cue_type is None:
            continue
        found.append(Candidate(start, end, cue_type, "cue", priority=1))
    return found


_OWN_SCORE_AFTER = re.compile(
    r"[ \u00a0]?的[ \u00a0]?[^\s，。,;；：:（）()上中]{0,12}?[ \u00a0]?(?:达到了?|为|是|仅为?|只有)[ \u00a0]?\d{1,3}(?:\.\d+)?(?![\d.]*[ \u00a0]?[BMKk万亿个条款种篇张])"
)
"""After a name: its own score ("X 的 pass@8192 达到 80.7%", "X 的部件一致性得分为 0.71")."""
_RIVAL_SCORE_AFTER = re.compile(
    r"[ \u00a0]?(?:的[ \u00a0]?|[（(][ \u00a0]?)\d{1,3}(?:\.\d+)?[ \u00a0]?(?:%|％|分)?(?![\d.]*[ \u00a0]?[BMKk万亿个条款种篇张版代])"
)
_RIVAL_BEFORE = re.compile(
    r"(?:高于|低于|超过了?|超越了?|优于|不及|不如|落后于?|领先于?|击败了?|相比|接近|比)[^，。,;；\n]{0,8}?[ \u00a0]?$"
)
"""Around a name: a rival's score after a comparison ("高于 X 的 0.52", "超过此前最好的 X（72.95%）")."""


def find_scored_names(
    text: str, taken: "list[tuple[int, int]] | Occupied", typed: set[str], stopwords: frozenset[str]
) -> list[Candidate]:
    """Latin names no other rule typed that score a number: a model ("X 的 pass@8192 达到 80.7%",
    "高于 X 的 0.52", "超过 X（72.95%）"), or a method when the name says so (…Former, …PO).

    A fallback: a name another rule typed anywhere in the item (``typed``, identity keys) keeps
    that type, as methods are scored against each other too ("CatRAG 的召回率为 …")."""
    found = []
    for start, end, surface in _free_phrases(text, taken, stopwords):
        if identity_key(surface) in typed or not _scored_as_owner(text, start, end):
            continue
        if has_benchmark_tail(surface) or _is_qa_name(surface):
            continue
        kind = "Technique" if _TECH_TAIL.search(surface) or _TECH_ACRONYM.match(surface) else "Model"
        found.append(Candidate(start, end, kind, "scored", priority=1))
    return found


def _free_phrases(
    text: str, taken: "list[tuple[int, int]] | Occupied", stopwords: frozenset[str]
) -> Iterator[tuple[int, int, str]]:
    """(start, end, surface) of each Latin phrase no rule took yet that may be a name at all."""
    nameable = _nameable_phrases(stopwords)
    for start, end in latin_phrases(text):
        if not _overlaps(start, end, taken) and nameable[surface := text[start:end]]:
            yield start, end, surface


def _scored_as_owner(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is what scores a number: a model (or a method)."""
    if _OWN_SCORE_AFTER.match(text, end, end + 30):
        return True
    return bool(_RIVAL_SCORE_AFTER.match(text, end, end + 14)) and bool(_RIVAL_BEFORE.search(text, max(0, start - 16), start))


def _released_name(surface: str) -> bool:
    """A name released as a thing of its own: it opens on a capital and is no short word
    ("API", "Web"), bare version ("V3.2") or setting ("4-bit")."""
    if not surface[0].isupper() or _UNKNOWN_VERSION.fullmatch(surface):
        return False
    return not (len(surface) <= 4 and surface.isalpha())


_TOOL_AFTER = re.compile(r"[ \u00a0]?(?:训练|部署|推理|开发|编程)?(?:工具|库|平台|应用|插件|套件|浏览器|编辑器|客户端|SDK|App|CLI)", re.I)
"""After a released name: software, which is no model ("ERNIEKit训练工具")."""


@lru_cache(maxsize=4)
def _nameable_phrases(stopwords: frozenset[str]) -> Memo[str, bool]:
    """Phrase -> ``_could_be_cued``, for one stop list."""
    return Memo(lambda surface: _could_be_cued(surface, stopwords), MEMO_SIZE)


def _could_be_cued(surface: str, stopwords: frozenset[str]) -> bool:
    """Whether a phrase may be a name at all, whatever cue stands beside it."""
    if identity_key(surface) in stopwords or not _NAMEISH.search(surface) or len(surface) < 2:
        return False
    if len(surface.split()) > 5 or identity_key(surface.split()[0]) in _NOT_SERIES:
        return False
    return not _GENERIC_SHAPE.search(surface) and _name_like(surface)


_CLAUSE_CUES = (
    (re.compile(r"基准|数据集|评测集|benchmark|dataset", re.I), "Benchmark"),
    (re.compile(r"模型|model", re.I), "Model"),
    (re.compile(r"方法|框架|算法|机制|架构|method|framework|algorithm", re.I), "Technique"),
)
_BOLD = re.compile(r"\*\*([^*\n]{2,60}?)\*\*")


def _nearest_cue(text: str, start: int, end: int) -> str | None:
    """The type of the cue word nearest to ``text[start:end]`` in its clause.

    A clause often holds two cues (``在 X 基准上评测 Y 模型``); the nearer one speaks of the name.
    """
    left = max(text.rfind(ch, 0, start) for ch in "，,；;。\n：:") + 1
    rights = [r for r in (text.find(ch, end) for ch in "，,；;。\n") if r != -1]
    right = min(rights, default=len(text))
    best: tuple[int, str] | None = None
    for rx, t in _CLAUSE_CUES:
        for m in rx.finditer(text, left, right):
            if m.end() <= start:
                distance = start - m.end()
            elif m.start() >= end:
                distance = m.start() - end
            else:
                continue  # the cue is part of the name ("ModelSmith")
            if best is None or distance < best[0]:
                best = (distance, t)
    return best[1] if best else None


_CAMEL = re.compile(r"(?<![A-Za-z0-9\-])([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+|[A-Z]{2,}[a-z][A-Za-z0-9]*)(?![A-Za-z0-9\-])")


def find_camel_names(
    text: str, taken: "list[tuple[int, int]] | Occupied", gazetteer: Gazetteer, stopwords: frozenset[str]
) -> list[Candidate]:
    """CamelCase names (``GameNGen``, ``LlamaFusion``) typed by a cue word in the same clause."""
    found = []
    for m in _CAMEL.finditer(text):
        start, end = m.span(1)
        name = m.group(1)
        if _overlaps(start, end, taken) or identity_key(name) in stopwords or not _name_like(name):
            continue
        if len(_clause_around(text, start, end)) > 120:
            continue
        cue_type = _nearest_cue(text, start, end)
        if cue_type:
            found.append(Candidate(start, end, cue_type, "camel-cue", priority=1))
    return found


def find_bold_names(
    text: str, taken: "list[tuple[int, int]] | Occupied", gazetteer: Gazetteer, stopwords: frozenset[str]
) -> list[Candidate]:
    """Bold Latin names typed by a cue word in the same clause (``在 **RULER** 基准上``)."""
    found = []
    for m in _BOLD.finditer(text):
        span = _free_bold_name(m, taken, stopwords)
        if span is None:
            continue
        start, end = span
        if text[end + 2 : end + 4].lstrip()[:1] in (":", "："):
            continue  # "**标签**:" style labels
        cue_type = _nearest_cue(text, start, end)
        if cue_type:
            found.append(Candidate(start, end, cue_type, "bold-cue", priority=1))
    return found


_ENTRY_TERM = re.compile(
    r"^[ \t>]*(?:[-*+•][ \t]+|\d{1,2}[.)、][ \t]*)\*\*([^*\n]{2,60}?)\*\*[ \t]*[:：][ \t]*([^，,。；;\n]{2,40})", re.M
)


def find_defined_terms(
    text: str, taken: "list[tuple[int, int]] | Occupied", stopwords: frozenset[str]
) -> list[Candidate]:
    """Bold Latin names a list entry defines: ``- **ToolChain-ZH**：团队新建的中文多轮工具调用评测，…``.

    The entry's first clause is a noun phrase; Chinese is head-final, so its last word says what
    the name is (评测, 模型, 框架…). An entry whose first clause ends otherwise ("**SVR**：每次调用后…")
    types nothing.
    """
    found = []
    for m in _ENTRY_TERM.finditer(text):
        span = _free_bold_name(m, taken, stopwords)
        if span is None:
            continue
        heads = list(_HEAD_NOUNS.finditer(m.group(2)))
        if heads and heads[-1].end() == len(m.group(2).rstrip()):
            found.append(Candidate(span[0], span[1], heads[-1].lastgroup or "", "entry-term", priority=1))
    return found


def _free_bold_name(m: re.Match[str], taken: "list[tuple[int, int]] | Occupied", stopwords: frozenset[str]) -> tuple[int, int] | None:
    """The span of the Latin name in bold that group 1 of ``m`` holds, when no rule took it yet."""
    inner = m.group(1).strip()
    start = m.start(1) + m.group(1).index(inner)
    end = start + len(inner)
    if _overlaps(start, end, taken) or not _is_proper_latin(inner) or identity_key(inner) in stopwords:
        return None
    return start, end


def _is_proper_latin(s: str) -> bool:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .+\-_']{0,40}", s) or len(s.split()) > 4:
        return False
    return bool(re.search(r"[A-Z]", s)) and not s.isdigit() and not _GENERIC_SHAPE.search(s)


# --- appositives ---------------------------------------------------------------------------

_NAMED_AS = re.compile(
    r"(?:名为|称为|称作|叫做|命名为|dubbed|called|named)\s*[\"“「*]*"
    r"([A-Za-z][A-Za-z0-9.+\-_']*(?: [A-Za-z0-9][A-Za-z0-9.+\-_']*){0,3})[\"”」*]*\s*的([^，,。；;：:\n（(]{1,16})"
)
_HEAD_NOUNS = re.compile(
    r"(?P<Benchmark>基准测试|基准|数据集|评测集|测试集|评测框架|评估框架|测评框架|评测平台|评测|benchmark|dataset)"
    r"|(?P<Model>大模型|模型|MLLM|LLM|VLM|model)"
    r"|(?P<Technique>框架|方法|算法|机制|策略|架构|范式|技术|framework|method|algorithm)"
    r"|(?P<Organization>公司|团队|实验室|初创企业)",
    re.I,
)


def find_named_as(text: str, stopwords: frozenset[str]) -> list[Candidate]:
    """Names introduced by an appositive: ``一种名为 Quill 的混合推理模型`` (a Model).

    The noun phrase after 的 ends in its head (Chinese is head-final), and the last cue word
    in it types the name; the construction says outright what the name is, so it outweighs
    a cue merely nearby.
    """
    found = []
    for m in _NAMED_AS.finditer(text):
        name = m.group(1)
        if identity_key(name) in stopwords or not _name_like(name) and not re.search(r"[A-Z]", name[1:]):
            continue
        heads = list(_HEAD_NOUNS.finditer(m.group(2)))
        if heads:
            found.append(Candidate(m.start(1), m.end(1), heads[-1].lastgroup or "", "named-as", priority=2))
    return found
