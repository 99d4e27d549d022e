"""Rules that find entities no list knows: name shapes, cue words, definitions, headers.

Every finder is a pure function of the text (and the gazetteer, for typing) that returns
``Candidate`` spans; the spaCy components in ``kg.extract.pipeline`` call them and settle
overlaps. The rules speak of how digests are written in general (a name followed by 模型, an
acronym defined in brackets, an affiliation line), never of one digest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.gazetteer import Gazetteer
from kg.extract.text import HAN
from kg.resolve.modelname import is_variant_word, parse_model_name
from kg.resolve.normalize import identity_key


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span the rules believe names an entity of ``type``."""

    start: int
    end: int
    type: str
    source: str
    gazetteer_id: str | None = None
    arxiv_id: str | None = None
    priority: int = 1
    """Higher wins an overlap of equal length (gazetteer 3, strong shapes 2, cues 1)."""


@dataclass(frozen=True, slots=True)
class Definition:
    """``short`` and ``long`` name the same thing, as the text states (acronym definitions)."""

    type: str
    short: tuple[int, int]
    long: tuple[int, int]
    long_zh: tuple[int, int] | None = None


# --- Latin name phrases ---------------------------------------------------------------

_WORD = r"[A-Za-z0-9][A-Za-z0-9+'’]*(?:[.\-_][A-Za-z0-9+]+)*"
_PHRASE = re.compile(rf"(?<![A-Za-z0-9.\-_]){_WORD}(?:[ \u00a0](?:{_WORD}))*")
_WORD_RE = re.compile(_WORD)

_FUNCTION_WORDS = frozenset(
    "a an the and or of for in on at to by with via from into vs versus as is are was be "
    "its it this that these than then our we your their not no can will using based over "
    "under through without within per about after before between".split()
)
_NOT_SERIES = frozenset(
    identity_key(w)
    for w in "table figure fig step top section chapter part level phase stage round day week "
    "month year version page epoch layer model models top-k pass mode type class group case "
    "rank no item issue task tasks test ep episode batch block lesson point season vol "
    "covid iso ieee utf http https www".split()
)
_BENCH_TAIL = re.compile(r"(?:[Bb]ench|BENCH|-[Ee]val|[a-z]Eval|EVAL|Arena|Leaderboard)$")
_BENCH_QUALIFIERS = frozenset(
    "verified lite pro hard plus live multilingual full mini extended diamond mm v2 v3 hle".split()
)
_ORG_TAILS = frozenset("ai labs lab research institute university college academy inc inc. robotics".split())
_ORG_HEADS_GENERIC = frozenset(
    "generative embodied physical agentic conversational responsible explainable trustworthy "
    "general artificial open applied the our this edge enterprise consumer spatial".split()
)
_TECH_TAIL = re.compile(r"(?:former|net|nets|gan|attention|lora|norm)$", re.I)
_TECH_ACRONYM = re.compile(r"^[A-Z]{1,5}PO$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_UNKNOWN_VERSION = re.compile(r"[vV]?\d+(?:\.\d+)*[a-z]?|[A-Z]\d+(?:\.\d+)*")
"""Versions an unknown series may carry: 2.5, v3, 4o, V4, R1, K2 (not 4K, 2V)."""
_CODE_LIKE = re.compile(r"[A-Z][A-Z0-9]{1,5}")
"""An unlisted variant written like a code (``SFT``, ``T2I``, ``VLA``) still belongs to the name."""


def latin_phrases(text: str) -> list[tuple[int, int]]:
    """Maximal runs of Latin words joined by single spaces, cut at function words."""
    spans = []
    for m in _PHRASE.finditer(text):
        start = m.start()
        cursor = start
        for w in _WORD_RE.finditer(m.group()):
            if w.group().lower() in _FUNCTION_WORDS:
                if cursor < m.start() + w.start():
                    spans.append((cursor, m.start() + w.start()))
                cursor = m.start() + w.end()
        if cursor < m.end():
            spans.append((cursor, m.end()))
    return [(s, e) for s, e in ((s, _rstrip(text, s, e)) for s, e in spans) if e > s]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " .-_'’":
        end -= 1
    return end


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + w.start(), start + w.end()) for w in _WORD_RE.finditer(text[start:end])]


def find_shaped_names(text: str, gazetteer: Gazetteer, stopwords: frozenset[str]) -> list[Candidate]:
    """Models, benchmarks, organizations and techniques recognisable from the name alone."""
    found: list[Candidate] = []
    for p_start, p_end in latin_phrases(text):
        words = _words(text, p_start, p_end)
        i = 0
        while i < len(words):
            hit = _shaped_at(text, words, i, gazetteer, stopwords)
            if hit is None:
                i += 1
                continue
            candidate, consumed = hit
            found.append(candidate)
            i += consumed
    return found


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
    # Benchmarks: a word ending in Bench/Eval/Arena, plus version or qualifier words.
    if _BENCH_TAIL.search(first) and len(first) > 5 or (_is_qa_name(first)):
        j = i + 1
        while j < len(words) and _is_bench_qualifier(text[words[j][0] : words[j][1]], first=j == i + 1):
            if text[words[j][1] : words[j][1] + 1] in ("%", "％", "分"):
                break  # a score, not a version
            j += 1
        return Candidate(words[i][0], words[j - 1][1], "Benchmark", "bench-shape", priority=2), j - i
    # Models: the longest window (up to 6 words) that parses as a model name.
    for j in range(min(len(words), i + 6), i, -1):
        surface = text[words[i][0] : words[j - 1][1]]
        if _accept_model(surface, gazetteer, stopwords):
            return Candidate(words[i][0], words[j - 1][1], "Model", "model-shape", priority=2), j - i
    # Organizations: "<Name> AI", "<Name> Labs", "University of <Name>".
    for j in range(min(len(words), i + 5), i + 1, -1):
        tail = text[words[j - 1][0] : words[j - 1][1]].lower()
        head = first.lower()
        inner = {text[a:b].lower() for a, b in words[i : j - 1]}
        if tail in _ORG_TAILS and head not in _ORG_HEADS_GENERIC and first[0].isupper() and not inner & _ROLE_WORDS:
            surface = text[words[i][0] : words[j - 1][1]]
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


def _is_qa_name(word: str) -> bool:
    return len(word) >= 4 and word.endswith("QA") and word[0].isupper()


def _is_bench_qualifier(word: str, first: bool) -> bool:
    w = word.lower()
    if w in _BENCH_QUALIFIERS or re.fullmatch(r"v\d+(?:\.\d+)*", w):
        return True
    return first and bool(re.fullmatch(r"\d{1,4}(?:\.\d)?", w))


def _accept_model(surface: str, gazetteer: Gazetteer, stopwords: frozenset[str]) -> bool:
    name = parse_model_name(surface)
    if name is None:
        return False
    for v in name.variants:
        if not is_variant_word(v) and not _CODE_LIKE.fullmatch(v) and re.search(rf"\s{re.escape(v)}\b", surface):
            return False  # "Claude Opus 4.6 Tier", "gpt-oss-20B Model Card": the name ends before the word
    series_key = identity_key(name.series)
    if series_key in stopwords or series_key in _NOT_SERIES:
        return False
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
    if letters < 2 or not has_number or not name.series[0].isupper() and not name.series[0].isdigit():
        return False
    if _YEAR.match(name.version):
        return False
    return True


_ZH_VERSION = re.compile(r"[ \u00a0]?(?:[Vv]?\d+(?:\.\d+)*|[A-Z]\d+(?:\.\d+)*)(?:[ \-]?(?:" + "|".join(
    ("Pro", "Max", "Plus", "Turbo", "Flash", "Lite", "Ultra", "mini")) + r"))?(?![\dA-Za-z.%％])")


def find_zh_model_versions(text: str, gazetteer_models: list[tuple[int, int]]) -> list[Candidate]:
    """A Chinese model-family name with a version (混元 2.0, 通义千问3): that version of the family."""
    found = []
    for start, end in gazetteer_models:
        if not HAN_RE.match(text[end - 1 : end]):
            continue
        m = _ZH_VERSION.match(text, end)
        if m:
            found.append(Candidate(start, m.end(), "Model", "zh-model-version", priority=3))
    return found


HAN_RE = re.compile(f"[{HAN}]")


# --- cue words ---------------------------------------------------------------------------

_CUES_AFTER: tuple[tuple[str, str], ...] = (
    (r"(?:大模型|大语言模型|语言模型|模型|model|LLM)", "Model"),
    (r"(?:基准测试|基准|评测集|测评集|评测基准|数据集|榜单|benchmark|dataset|leaderboard)", "Benchmark"),
    (r"(?:框架|算法|方法|架构|机制|范式|策略|技术|framework|method|algorithm|architecture|technique)", "Technique"),
    (r"(?:实验室|大学|研究院|研究所|公司|\blab\b|\buniversity\b|\binstitute\b)", "Organization"),
)
_CUE_AFTER_RE = [(re.compile(r"[ \u00a0]?" + cue, re.I), t) for cue, t in _CUES_AFTER]
_CUE_BEFORE_RE = [
    (re.compile(r"(?:模型|model)[ \u00a0]?$", re.I), "Model"),
    (re.compile(r"(?:基准|数据集|评测集|benchmark|dataset)[ \u00a0]?$", re.I), "Benchmark"),
    (re.compile(r"(?:算法|框架|方法|架构|机制)[ \u00a0]?$", re.I), "Technique"),
]
_NAMEISH = re.compile(r"[A-Z]|\d")
_GENERIC_SHAPE = re.compile(r"(?i)-only$|-based$|-level$|-wise$|-free$|^\d+(?:\.\d+)?[A-Z]{0,2}$|^[A-Z]\d*$")


def find_cued_names(
    text: str, taken: "list[tuple[int, int]] | Occupied", gazetteer: Gazetteer, stopwords: frozenset[str]
) -> list[Candidate]:
    """Latin names typed by a cue word right after them (``StoryMem模型``, ``HELMET 基准``)."""
    found = []
    for start, end in latin_phrases(text):
        if _overlaps(start, end, taken):
            continue
        surface = text[start:end]
        key = identity_key(surface)
        if key in stopwords or not _NAMEISH.search(surface) or len(surface) < 2:
            continue
        if len(surface.split()) > 5 or identity_key(surface.split()[0]) in _NOT_SERIES:
            continue
        if _GENERIC_SHAPE.search(surface) or not _name_like(surface):
            continue
        after = text[end : end + 8]
        before = text[max(0, start - 6) : start]
        cue_type = next((t for rx, t in _CUE_AFTER_RE if rx.match(after)), None)
        if cue_type is None:
            cue_type = next((t for rx, t in _CUE_BEFORE_RE if rx.search(before)), None)
        if cue_type is None:
            continue
        found.append(Candidate(start, end, cue_type, "cue", priority=1))
    return found


_ROLE_WORDS = frozenset(
    "teacher student critic actor policy reward value base reference target draft judge verifier "
    "world foundation language vision diffusion embedding kernel backbone encoder decoder baseline "
    "scaling dynamics state observation ensemble agent router planner executor generator "
    "discriminator retriever reranker tokenizer adapter expert experts proxy surrogate oracle "
    "memory attention transformer sequence reasoning thinking instruct chat assistant system "
    "model models framework method algorithm architecture benchmark dataset language large".split()
)


def _name_like(surface: str) -> bool:
    """A proper name, not an ML role noun: ``StoryMem``, ``Stirrup``, ``Self Forcing``, not ``Teacher``."""
    words = surface.split()
    if len(words) > 1:
        return all(w[0].isupper() or w[0].isdigit() for w in words) and words[-1].lower() not in _ROLE_WORDS
    return words[0].lower() not in _ROLE_WORDS


class Occupied:
    """Character positions already claimed by a span: O(1) overlap tests on long texts."""

    def __init__(self, length: int, spans: list[tuple[int, int]] = ()) -> None:
        self._mask = bytearray(length + 1)
        for s, e in spans:
            self.add(s, e)

    def add(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return 1 in self._mask[start:end]


def _overlaps(start: int, end: int, taken: "list[tuple[int, int]] | Occupied") -> bool:
    if isinstance(taken, Occupied):
        return taken.overlaps(start, end)
    return any(s < end and start < e for s, e in taken)


_CLAUSE_CUES = (
    (re.compile(r"基准|数据集|评测集|benchmark|dataset", re.I), "Benchmark"),
    (re.compile(r"模型|model", re.I), "Model"),
    (re.compile(r"方法|框架|算法|机制|架构|method|framework|algorithm", re.I), "Technique"),
)
_BOLD = re.compile(r"\*\*([^*\n]{2,60}?)\*\*")


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
        clause = _clause_around(text, start, end)
        if len(clause) > 120:
            continue
        cue_type = next((t for rx, t in _CLAUSE_CUES if rx.search(clause)), None)
        if cue_type:
            found.append(Candidate(start, end, cue_type, "camel-cue", priority=1))
    return found


def find_bold_names(
    text: str, taken: "list[tuple[int, int]] | Occupied", gazetteer: Gazetteer, stopwords: frozenset[str]
) -> list[Candidate]:
    """Bold Latin names typed by a cue word in the same clause (``在 **RULER** 基准上``)."""
    found = []
    for m in _BOLD.finditer(text):
        inner = m.group(1).strip()
        start = m.start(1) + m.group(1).index(inner)
        end = start + len(inner)
        if _overlaps(start, end, taken) or not _is_proper_latin(inner) or identity_key(inner) in stopwords:
            continue
        if text[end + 2 : end + 4].lstrip()[:1] in (":", "："):
            continue  # "**标签**:" style labels
        clause = _clause_around(text, start, end)
        cue_type = next((t for rx, t in _CLAUSE_CUES if rx.search(clause)), None)
        if cue_type:
            found.append(Candidate(start, end, cue_type, "bold-cue", priority=1))
    return found


def _is_proper_latin(s: str) -> bool:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .+\-_']{0,40}", s) or len(s.split()) > 4:
        return False
    return bool(re.search(r"[A-Z]", s)) and not s.isdigit()


def _clause_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "，,；;。\n：:")
    rights = [text.find(ch, end) for ch in "，,；;。\n"]
    right = min([r for r in rights if r != -1], default=len(text))
    return text[left + 1 : right]


# --- definitions: acronyms and their long forms ---------------------------------------------

_ACR = r"[A-Z][A-Za-z0-9\-]{0,9}[A-Z0-9]"
_LONG_EN = r"[A-Za-z][A-Za-z0-9]*(?:[ \-][A-Za-z0-9][A-Za-z0-9]*){1,8}"
_OPEN, _CLOSE = r"[（(]\s*", r"\s*[)）]"
_DEF_ZH_EN_ACR = re.compile(rf"([{HAN}]{{2,20}})\s*{_OPEN}({_LONG_EN})\s*[,，]\s*({_ACR}){_CLOSE}")
_DEF_ACR_LONG = re.compile(rf"(?<![A-Za-z0-9])({_ACR})\s*{_OPEN}({_LONG_EN}){_CLOSE}")
_DEF_LONG_ACR = re.compile(rf"(?<![A-Za-z0-9])({_LONG_EN})\s*{_OPEN}({_ACR}){_CLOSE}")
_DEF_ZH_ACR = re.compile(rf"([{HAN}]{{2,20}})\s*{_OPEN}({_ACR}){_CLOSE}")
_DEF_ZH_LONG = re.compile(rf"([{HAN}]{{2,20}})\s*{_OPEN}({_LONG_EN}){_CLOSE}")
_ZH_LEFT_TRIM = re.compile(
    r".*(?:提出了|提出|采用|使用|基于|利用|引入|通过|借助|结合|称为|名为|一种|一个|以及|包括|例如|比如|即|的|了|是|在|和|与|及|或|将|把|被|用|对|从|为|以|于|等|中|上|新型|新的)"
)

_TYPE_HEADS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:bench(?:mark)?|dataset|eval(?:uation)?|test|leaderboard|arena|corpus)s?$", re.I), "Benchmark"),
    (re.compile(r"(?:university|institute|laborator(?:y|ies)|lab|academy|college|center|centre|inc|corporation|company)$", re.I), "Organization"),
    (re.compile(r"(?:基准|数据集|评测集|测评集|榜单)$"), "Benchmark"),
    (re.compile(r"(?:大学|学院|研究院|研究所|实验室|科学院|公司|集团)$"), "Organization"),
)


def definition_type(long_form: str, zh_form: str = "") -> str:
    """Type of a defined name, read from the head (last word) of its long forms; default Technique."""
    for form in (long_form, zh_form):
        for rx, t in _TYPE_HEADS:
            if form and rx.search(form.strip()):
                return t
    if re.search(r"(?:language|vision|foundation|diffusion)?\s*models?$", long_form, re.I) and re.search(
        r"(?:pre-?trained|language model$|GPT)", long_form, re.I
    ):
        return "Model"
    return "Technique"


def _initials_fit(acronym: str, long_form: str) -> bool:
    letters = [c for c in acronym if c.isalpha()]
    words = [w for w in re.split(r"[\s\-]+", long_form) if w]
    if not letters or not words:
        return False
    if words[0][0].lower() != letters[0].lower():
        return False
    initials = "".join(w[0] for w in words).lower()
    # every acronym letter appears, in order, among the long form's letters
    pool = iter(long_form.lower())
    return all(ch.lower() in pool for ch in letters) and len(words) <= 2 * len(letters) + 2 and bool(initials)


def _trim_zh(text: str, start: int, end: int) -> tuple[int, int]:
    m = _ZH_LEFT_TRIM.match(text[start:end])
    if m and end - (start + m.end()) >= 2:
        return start + m.end(), end
    return start, end


def find_definitions(text: str, stopwords: frozenset[str]) -> tuple[list[Candidate], list[Definition]]:
    """Acronym definitions in the four common shapes, as candidates and alias links."""
    candidates: list[Candidate] = []
    definitions: list[Definition] = []
    claimed: list[tuple[int, int]] = []

    def emit(short: tuple[int, int], long: tuple[int, int], zh: tuple[int, int] | None, source: str) -> None:
        long_text = text[long[0] : long[1]]
        zh_text = text[zh[0] : zh[1]] if zh else ""
        if identity_key(text[short[0] : short[1]]) in stopwords or identity_key(long_text) in stopwords:
            return
        t = definition_type(long_text, zh_text)
        for span in (short, long, zh):
            if span:
                candidates.append(Candidate(span[0], span[1], t, source, priority=2))
        definitions.append(Definition(t, short, long, zh))
        claimed.append((min(s[0] for s in (short, long, zh) if s), max(s[1] for s in (short, long, zh) if s)))

    for m in _DEF_ZH_EN_ACR.finditer(text):
        if _initials_fit(m.group(3), m.group(2)):
            emit(m.span(3), m.span(2), _trim_zh(text, *m.span(1)), "def-zh-en-acr")
    for m in _DEF_ACR_LONG.finditer(text):
        if not _overlaps(*m.span(), claimed) and _initials_fit(m.group(1), m.group(2)):
            emit(m.span(1), m.span(2), None, "def-acr-long")
    for m in _DEF_LONG_ACR.finditer(text):
        long_start, long_end = _best_long(text, m.group(1), m.start(1), m.group(2))
        if long_start is not None and not _overlaps(m.start(2), m.end(2), claimed):
            emit(m.span(2), (long_start, long_end), None, "def-long-acr")
    for m in _DEF_ZH_ACR.finditer(text):
        if not _overlaps(*m.span(), claimed) and len(re.findall(r"[A-Za-z]", m.group(2))) >= 2:
            zh = _trim_zh(text, *m.span(1))
            if zh[1] - zh[0] <= 10:
                emit(m.span(2), zh, None, "def-zh-acr")
    for m in _DEF_ZH_LONG.finditer(text):
        if not _overlaps(*m.span(), claimed) and re.search(r"[A-Z]", m.group(2)):
            zh = _trim_zh(text, *m.span(1))
            if zh[1] - zh[0] <= 10 and _named_method(m.group(2), text[zh[0] : zh[1]]):
                t = definition_type(m.group(2), text[zh[0] : zh[1]])
                candidates.append(Candidate(m.start(2), m.end(2), t, "gloss", priority=2))
                candidates.append(Candidate(zh[0], zh[1], t, "gloss", priority=2))
                definitions.append(Definition(t, zh, m.span(2), None))
    return candidates, definitions


_METHOD_HEADS_EN = frozenset(
    "mechanism strategy framework method algorithm attention encoding embedding distillation "
    "optimization optimizer caching cache gating sampling clipping anchoring correction diffusion fusion "
    "quantization finetuning fine-tuning tuning preconditioning allocation weighting reweighting "
    "aggregation extraction enhancement carving forcing connections scan decoding pruning routing "
    "prompting regularization normalization splatting transformer network networks policy "
    "search indicator paradigm architecture learning".split()
)
_METHOD_HEADS_ZH = re.compile(
    r"(?:机制|策略|框架|方法|算法|注意力|编码|蒸馏|优化|缓存|门控|采样|剪裁|裁剪|锚定|校正|扩散|融合|量化|微调|"
    r"预处理|分配|加权|聚合|提取|增强|雕刻|架构|范式|网络)$"
)
_ACRONYM_TOKEN = re.compile(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b")


def _named_method(english: str, chinese: str) -> bool:
    """A Chinese gloss names a method (not a mere concept) when a head word or an acronym says so.

    Digests gloss every English term they translate (曝光偏差 (Exposure Bias)); only the
    glosses whose head is a method-like noun, or that carry an acronym, name a technique.
    """
    words = re.split(r"[\s]+", english.strip())
    if len(words) < 2 and "-" not in english:
        return False
    head = words[-1].lower().split("-")[-1]
    return head in _METHOD_HEADS_EN or bool(_METHOD_HEADS_ZH.search(chinese)) or bool(
        _ACRONYM_TOKEN.search(english)
    )


def _best_long(text: str, long_form: str, start: int, acronym: str) -> tuple[int | None, int]:
    """The shortest tail of ``long_form`` whose initials fit ``acronym`` (drops leading verbs)."""
    words = list(re.finditer(r"[A-Za-z0-9]+", long_form))
    for k in range(len(words)):
        tail_start = start + words[k].start()
        tail = text[tail_start : start + len(long_form)]
        if _initials_fit(acronym, tail) and tail[0].isupper():
            return tail_start, start + len(long_form)
    return None, 0


# --- organizations in headers, affiliation lines and Chinese names -------------------------

_HEADER_ORGS = re.compile(r"^\s*(?:\d+[.、)]\s*)?[\[【]([^\]】]{1,80})[\]】]")
_ORG_SPLIT = re.compile(r"\s*(?:/|&|＆|,|，|、|;|；|\+| and | x | × |与|和|及)\s*")
_AFFILIATION = re.compile(
    r"(?:发文单位|作者单位|研究单位|研究机构|所属机构|机构|单位|Affiliations?|Institutions?)\s*[:：]\s*([^\n]+)", re.I
)
_FROM_TEAM = re.compile(rf"来自([{HAN}A-Za-z0-9（）()、，,&/ ]{{2,80}}?)(?:等)?(?:的)?(?:研究|联合)?团队")
_ZH_ORG = re.compile(
    rf"[{HAN}]{{1,12}}?(?:大学|学院|研究院|研究所|实验室|科学院)(?:[{HAN}]{{1,6}}分校)?(?:[（(][{HAN}]{{2,4}}[)）])?"
)
_ZH_ORG_TRIM = re.compile(
    r".*(?:来自|联合|携手|通过|基于|包括|以及|其中|加入|创建|构建|建立|成立|打造|进入|看看|我们|他们|如|和|与|及|的|了|是|在|由|被|将|对|从|为|向|于|等|到|、|年|月|日)"
)


def find_org_mentions(text: str, title_end: int, gazetteer: Gazetteer, stopwords: frozenset[str]) -> list[Candidate]:
    """Organizations from ``[Org/Org]`` item headers, affiliation lines, 来自…团队 and 大学/研究院 names."""
    found: list[Candidate] = []
    header = _HEADER_ORGS.match(text[:title_end])
    if header:
        found += _org_parts(text, header.start(1), header.end(1), gazetteer, stopwords, "header-org")
    for m in _AFFILIATION.finditer(text):
        found += _org_parts(text, m.start(1), m.end(1), gazetteer, stopwords, "affiliation")
    for m in _FROM_TEAM.finditer(text):
        found += _org_parts(text, m.start(1), m.end(1), gazetteer, stopwords, "from-team")
    for m in _ZH_ORG.finditer(text):
        start, end = m.span()
        trim = _ZH_ORG_TRIM.match(text[start:end])
        if trim:
            start += trim.end()
        name = text[start:end]
        if len(name) >= 4 and identity_key(name) not in stopwords and not (name.endswith("实验室") and len(name) < 6):
            found.append(Candidate(start, end, "Organization", "zh-org", priority=1))
    return found


def _org_parts(
    text: str, start: int, end: int, gazetteer: Gazetteer, stopwords: frozenset[str], source: str
) -> list[Candidate]:
    found = []
    cursor = start
    segment = text[start:end]
    pieces = _ORG_SPLIT.split(segment)
    for piece in pieces:
        offset = segment.find(piece, cursor - start) if piece else -1
        if offset < 0:
            continue
        p_start = start + offset
        cursor = p_start + len(piece)
        p_end = p_start + len(piece.rstrip(" .。:：*"))
        name = text[p_start:p_end].strip()
        if not name or identity_key(name) in stopwords:
            continue
        known = gazetteer.lookup(name)
        if known is not None and known.type != "Organization":
            continue
        if known is None and not _org_shaped(name):
            continue
        found.append(Candidate(p_start, p_end, "Organization", source, priority=2))
    return found


def _org_shaped(name: str) -> bool:
    if len(name) > 40:
        return False
    if re.search(r"[A-Za-z]", name):
        if len(re.findall(r"[A-Za-z]", name)) < 2 or re.fullmatch(r"\d+[A-Za-z]{1,2}", name):
            return False  # "3D", "4K": a tag, not an organization
        return bool(re.match(r"[A-Z0-9]", name)) and len(name.split()) <= 6
    return bool(re.search(r"(?:大学|学院|研究院|研究所|实验室|科学院|公司|集团|中心|分校|[)）])$", name))


# --- papers -------------------------------------------------------------------------------

_PAPER_LABEL = re.compile(r"(?:论文标题|论文题目|论文名称|论文名|原文标题|Paper title|Title)\s*[:：]\s*([^\n]{8,300})", re.I)
_QUOTED_TITLE = re.compile(r"《([^》\n]{8,200})》")
_SHORT_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9.+\-_']*(?: [A-Za-z0-9][A-Za-z0-9.+\-_']*)?)\s*[:：]\s*\S")
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*")


_REPORT_TITLE = re.compile(r"(?:Technical Report|Tech Report|System Card|Model Card)$", re.I)
_QUOTED_LATIN = re.compile(r"[\"“「『]([^\"“”「」『』\n]{12,250})[\"”」』]")
_BOLD_LINE = re.compile(r"\*\*([^*\n]{12,250})\*\*")
_PAPER_CUE = re.compile(r"论文|题为|标题|预印本|技术报告|综述|arXiv|paper|preprint|titled|posted|report|survey", re.I)
_ARXIV_NEAR = re.compile(r"(\d{4}\.\d{4,5})")


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
        if not _overlaps(start, end, [(c.start, c.end) for c in found]):
            found.append(Candidate(start, end, "Paper", source, arxiv_id=_id_near(text, end, ids)))

    for m in _PAPER_LABEL.finditer(text):
        start, end = m.start(1), m.start(1) + len(m.group(1).rstrip(" 。.*"))
        if looks_like_title(text[start:end]) or "论文" in text[m.start() : m.start(1)]:
            add(start, end, "paper-label")
    for rx, source in ((_QUOTED_LATIN, "paper-quoted"), (_BOLD_LINE, "paper-bold"), (_QUOTED_TITLE, "paper-quoted")):
        for m in rx.finditer(text):
            title = m.group(1).strip().rstrip(".。")
            if not looks_like_title(title):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            if _PAPER_CUE.search(line) or _REPORT_TITLE.search(title) or rx is _QUOTED_TITLE:
                start = m.start(1) + m.group(1).index(title)
                add(start, start + len(title), source)
    title = text[:title_end]
    title_text = _strip_title_decor(title)
    if not found and looks_like_title(title_text) and (ids or _PAPER_CUE.search(text[: title_end + 300])):
        start = title.find(title_text)
        add(start, start + len(title_text), "paper-title")
    if not found and len(ids) == 1:
        # A paper is linked but never named: keep it, named by its arXiv id.
        at = text.find(ids[0])
        if at >= 0:
            found.append(Candidate(at, at + len(ids[0]), "Paper", "arxiv-id", arxiv_id=ids[0]))
    return found


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
        return ids[0] if len(ids) == 1 else None
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
    if _BENCH_TAIL.search(name) or _is_qa_name(name):
        kind = "Benchmark"
    elif parse_model_name(name) is not None and re.search(r"\d", name):
        kind = "Model"
    else:
        window = text[end : end + 4000]
        near = re.search(rf"{re.escape(name)}\s?(模型|基准|数据集|benchmark|model)", window, re.I)
        if near:
            kind = "Benchmark" if near.group(1) in ("基准", "数据集", "benchmark", "Benchmark") else "Model"
    return Candidate(start, end, kind, "paper-short-name", priority=3)
