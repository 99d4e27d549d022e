"""Acronym definitions and glosses: the text saying two forms name one thing.

``SAC (Soft Actor-Critic)``, ``Group Relative Policy Optimization (GRPO)``,
``高斯差分隐私 (Gaussian Differential Privacy, GDP)``, ``Token Budget Annealing（TBA，词元预算退火）``,
``中文名 (ACR)``; a Chinese gloss of an English phrase counts only when its head word names a method.
"""

from __future__ import annotations

import re

from kg.extract.gazetteer import Gazetteer
from kg.extract.rules.base import Candidate, Definition, _overlaps
from kg.extract.rules.organizations import brand_name, brand_start
from kg.extract.rules.parenthesized import Parenthesized, Starts, within, words_back
from kg.extract.text import HAN, fold
from kg.resolve.normalize import identity_key


_ACR = r"[A-Z][A-Za-z0-9\-]{0,9}[A-Z0-9](?:\+\+)?"
_LONG_EN = r"[A-Za-z][A-Za-z0-9]*(?:[ \-][A-Za-z0-9][A-Za-z0-9]*){1,8}(?:\+\+)?"
_OPEN, _CLOSE = r"[（(]\s*", r"\s*[)）]"
_LATIN_EDGE = r"(?<![A-Za-z0-9])"


def _definition(edge: str, name: str, parenthesis: str, starts: Starts) -> Parenthesized:
    """The pattern ``edge(name)\\s*parenthesis``, matched from its parentheses."""
    return Parenthesized(
        re.compile(rf"{edge}({name})\s*{parenthesis}"), re.compile(edge + name), re.compile(parenthesis), starts
    )


_ZH_NAME = rf"[{HAN}]{{2,20}}"
_ZH_STARTS = within(20, 2)
_ACR_STARTS = within(13, 2)  # eleven characters at most, then "++"
_LONG_STARTS = words_back("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -+", " -+", 10)  # "++" may end it
_DEF_ZH_EN_ACR = _definition("", _ZH_NAME, rf"{_OPEN}({_LONG_EN})\s*[,，]\s*({_ACR}){_CLOSE}", _ZH_STARTS)
_DEF_ACR_LONG = _definition(_LATIN_EDGE, _ACR, rf"{_OPEN}({_LONG_EN}){_CLOSE}", _ACR_STARTS)
_DEF_LONG_ACR = _definition(_LATIN_EDGE, _LONG_EN, rf"{_OPEN}({_ACR}){_CLOSE}", _LONG_STARTS)
_DEF_LONG_ACR_ZH = _definition(_LATIN_EDGE, _LONG_EN, rf"{_OPEN}({_ACR})\s*[,，]\s*({_ZH_NAME}){_CLOSE}", _LONG_STARTS)
_DEF_ZH_ACR = _definition("", _ZH_NAME, rf"{_OPEN}({_ACR}){_CLOSE}", _ZH_STARTS)
_DEF_ZH_LONG = _definition("", _ZH_NAME, rf"{_OPEN}({_LONG_EN}){_CLOSE}", _ZH_STARTS)
_ZH_LEFT_TRIM = re.compile(
    r".*(?:提出了|提出|采用|使用|基于|利用|引入|通过|借助|结合|称为|名为|一种|一个|以及|包括|例如|比如|即|的|了|是|在|和|与|及|或|将|把|被|用|对|从|为|以|于|等|中|上|新型|新的)"
)

_PROPOSED_BEFORE = re.compile(r"(?:提出|引入)(?:了|的)?(?:一种|一个|一套)?(?:新的|新型)?\s*$")
_CAPITALIZED = re.compile(r"[A-Z][A-Za-z]*(?:[ \-][A-Z][A-Za-z]*){0,3}")
_ORG_HEAD_ZH = re.compile(r"(?:大学|学院|研究院|研究所|实验室|科学院|公司|集团|中心|团队|基地|委员会|基金会|协会)$")
_TYPE_HEADS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:bench(?:mark)?|dataset|eval(?:uation)?|test|leaderboard|arena|corpus)s?$", re.I), "Benchmark"),
    (re.compile(r"(?:university|institute|laborator(?:y|ies)|labs?|academy|college|center|centre|inc|corporation|company|foundation|council)$", re.I), "Organization"),
    (re.compile(r"(?:基准|数据集|评测集|测评集|榜单)$"), "Benchmark"),
    (_ORG_HEAD_ZH, "Organization"),
)


def definition_type(long_form: str, zh_form: str = "") -> str:
    """Type of a defined name, read from the head (last word) of its long forms; default Technique.

    The Chinese form is read folded (Traditional script: 研發中心, 委員會). A brand glossed with a
    capitalized name (栖霞智能（Qixia AI）, 明镜科技（Mingjing Tech）) is an organization."""
    if zh_form and _CAPITALIZED.fullmatch(long_form.strip()) and brand_name(fold(zh_form)):
        return "Organization"
    for form in (long_form, fold(zh_form) if zh_form else ""):
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


def find_definitions(
    text: str, stopwords: frozenset[str], gazetteer: Gazetteer | None = None
) -> tuple[list[Candidate], list[Definition]]:
    """Acronym definitions in the four common shapes, as candidates and alias links.

    Definitions inside a paper's field-of-research lines (``应用领域：语音合成 (TTS)、…``) name
    research areas, not methods, and are left out unless the gazetteer knows the acronym.
    """
    candidates: list[Candidate] = []
    definitions: list[Definition] = []
    claimed: list[tuple[int, int]] = []
    fields = _field_spans(text)

    def emit(short: tuple[int, int], long: tuple[int, int], zh: tuple[int, int] | None, source: str) -> None:
        long_text = text[long[0] : long[1]]
        zh_text = text[zh[0] : zh[1]] if zh else ""
        if identity_key(text[short[0] : short[1]]) in stopwords or identity_key(long_text) in stopwords:
            return
        if fields and _overlaps(short[0], short[1], fields) and not _known(gazetteer, text[short[0] : short[1]]):
            return
        t = definition_type(long_text, zh_text)
        for span in (short, long, zh):
            if span:
                candidates.append(Candidate(span[0], span[1], t, source, priority=2))
        definitions.append(Definition(t, short, long, zh))
        claimed.append((min(s[0] for s in (short, long, zh) if s), max(s[1] for s in (short, long, zh) if s)))

    for m in _DEF_ZH_EN_ACR.finditer(text):
        if _initials_fit(m.group(3), m.group(2)):
            emit(m.span(3), m.span(2), _with_shared_lead(text, _trim_zh(text, *m.span(1)), m.group(2)), "def-zh-en-acr")
    for m in _DEF_LONG_ACR_ZH.finditer(text):  # Token Budget Annealing（TBA，词元预算退火）
        long_start, long_end = _best_long(text, m.group(1), m.start(1), m.group(2))
        if long_start is not None and not _overlaps(m.start(2), m.end(2), claimed) and m.end(3) - m.start(3) <= 12:
            emit(m.span(2), (long_start, long_end), m.span(3), "def-long-acr-zh")
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
            longest = 16 if _ORG_HEAD_ZH.search(fold(text[zh[0] : zh[1]])) else 10  # 香港生成式人工智能研发中心
            if zh[1] - zh[0] <= longest and _may_define(text[zh[0] : zh[1]], m.group(2), gazetteer):
                emit(m.span(2), zh, None, "def-zh-acr")
    for m in _DEF_ZH_LONG.finditer(text):
        if fields and _overlaps(*m.span(), fields):
            continue  # a research area glossed, not a method named
        if _overlaps(*m.span(), claimed):
            continue
        zh = _with_shared_lead(text, _brand_tail(text, _trim_zh(text, *m.span(1)), m.group(2)), m.group(2))
        # "论文提出的流式记忆（streaming memory）": what a paper proposes is a method whatever its head word
        # ("提出了一种接受感知（Acceptance-Aware）的采样策略": a modifier, not the method)
        proposed = _PROPOSED_BEFORE.search(text, max(0, zh[0] - 8), zh[0]) is not None and text[m.end() : m.end() + 1] != "的"
        if proposed or re.search(r"[A-Z]", m.group(2)) or _METHOD_HEADS_EN_END.search(m.group(2)):
            t = definition_type(m.group(2), text[zh[0] : zh[1]])
            named = proposed or _named_method(m.group(2), text[zh[0] : zh[1]], stopwords) or t == "Organization"  # 慢工团队 (SLOW Team)
            if t == "Technique" and _known_as_other(gazetteer, m.group(2)):
                continue  # 代码 (LiveCodeBench 2408-2505): a benchmark named, not a method
            if zh[1] - zh[0] <= (16 if t == "Organization" else 10) and named:
                candidates.append(Candidate(m.start(2), m.end(2), t, "gloss", priority=2))
                candidates.append(Candidate(zh[0], zh[1], t, "gloss", priority=2))
                definitions.append(Definition(t, zh, m.span(2), None))
    return candidates, definitions


_FIELD_LABEL = re.compile(
    r"(?:应用领域|研究领域|所属领域|技术领域|涉及方向|研究方向|Research (?:[Aa]reas?|[Ff]ields?|[Tt]opics?)|Fields?)"
    r"\**(?:\s*[:：]|[ \t]*\n)"
)
"""A field label with a colon, or as a heading line of its own (``### 1. 应用领域``)."""
_FIELD_WORDS = ("领域", "方向", "Research", "Field")
_PARAGRAPH_END = re.compile(r"\n\s*\n")


def _field_spans(text: str) -> list[tuple[int, int]]:
    """The field-of-research lines: from the label to the end of its paragraph."""
    spans: list[tuple[int, int]] = []
    if not any(word in text for word in _FIELD_WORDS):  # a scan in C first: few items have one
        return spans
    for m in _FIELD_LABEL.finditer(text):
        end = _PARAGRAPH_END.search(text, m.end() + 1)
        spans.append((m.start(), min(end.start() if end else len(text), m.end() + 400)))
    return spans


_NOT_NAMED_ZH = re.compile(
    r"(?:率|误差|分数|得分|指标|精度|准确度|一致性|相似度|(?<!梯)度|距离|损失|"  # metrics (散度, 自然度; not 策略梯度)
    r"内存|显存|芯片|硬件|设备|收入|成本|估值|数据|不足|"  # hardware, data and business
    r"识别|合成|交互|计算|现实|能力|保护|编程|方程|分布内|分布外)$"  # tasks, fields, maths
)
"""Heads of Chinese terms that a bracketed acronym abbreviates without naming a method:
a metric (攻击成功率 (ASR)), hardware or money (共享内存 (SMEM)), a task or field (语音识别 (ASR))."""


_CLAUSE_VERB = re.compile(r"进行|使用|通过|采用|利用")
"""Verbs that make the Chinese before a bracket a clause (使用上述数据进行监督微调（GLAD）), not a name."""


def _may_define(chinese: str, acronym: str, gazetteer: Gazetteer | None) -> bool:
    """Whether ``中文 (ACR)`` may define a method: not a metric, resource or task by its head,
    and not a reference to a known benchmark, model or organization (长文能力 (RULER))."""
    if _NOT_NAMED_ZH.search(chinese) or _CLAUSE_VERB.search(chinese):
        return False
    known = gazetteer.types_of(acronym) if gazetteer is not None else frozenset()
    return not known or "Technique" in known


def _known(gazetteer: Gazetteer | None, name: str) -> bool:
    return gazetteer is not None and bool(gazetteer.types_of(name))


_METHOD_HEADS_EN = frozenset(
    "mechanism strategy framework method algorithm attention encoding embedding distillation "
    "optimization optimizer caching cache gating sampling clipping anchoring correction diffusion fusion "
    "quantization finetuning fine-tuning tuning preconditioning allocation weighting reweighting "
    "aggregation extraction enhancement carving forcing connections scan decoding pruning routing "
    "prompting regularization normalization splatting transformer network networks policy "
    "search indicator paradigm architecture learning thinking balancing".split()
)
_METHOD_HEADS_ZH = re.compile(
    r"(?:机制|策略|框架|方法|算法|注意力|编码|蒸馏|优化|缓存|门控|采样|剪裁|裁剪|锚定|校正|扩散|融合|量化|微调|"
    r"预处理|分配|加权|聚合|提取|增强|雕刻|架构|范式|网络)$"
)
_METHOD_HEADS_EN_END = re.compile(rf"[a-z]+[ \-](?:{'|'.join(sorted(_METHOD_HEADS_EN))})$")
"""A lower-case gloss of two or more words ending on a method's head ("early fusion", "blocksparse
attention"): named as written, it names the method as surely as a capitalized one."""
_ACRONYM_TOKEN = re.compile(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b")


def _known_as_other(gazetteer: Gazetteer | None, english: str) -> bool:
    """Whether the gloss's first word is a known benchmark, model or organization, never a method."""
    if gazetteer is None:
        return False
    types = gazetteer.types_of(english.split()[0])
    return bool(types) and "Technique" not in types


def _named_method(english: str, chinese: str, stopwords: frozenset[str] = frozenset()) -> bool:
    """A Chinese gloss names a method (not a mere concept) when a head word or an acronym says so.

    Digests gloss every English term they translate (曝光偏差 (Exposure Bias)); only the
    glosses whose head is a method-like noun, or that carry an acronym, name a technique.
    """
    words = re.split(r"[\s]+", english.strip())
    if len(words) < 2 and "-" not in english:
        return False
    head = words[-1].lower().split("-")[-1]
    if head in _METHOD_HEADS_EN or _METHOD_HEADS_ZH.search(chinese):
        return True
    # an acronym in the gloss names a method, unless it is a generic one (RL, LLM, AI, OOD)
    return any(identity_key(a) not in stopwords for a in _ACRONYM_TOKEN.findall(english))


_LATIN_LEAD = re.compile(r"(?<![A-Za-z0-9\-])[A-Za-z][A-Za-z0-9\-]*$")


def _with_shared_lead(text: str, zh: tuple[int, int], english: str) -> tuple[int, int]:
    """The Chinese name with the Latin word glued before it when the English name opens on that
    word too: "Gram锚定 (Gram Anchoring)" is named "Gram锚定", not "锚定"."""
    lead = _LATIN_LEAD.search(text, max(0, zh[0] - 24), zh[0])
    if lead is not None and english.strip().lower().startswith(lead.group().lower() + " "):
        return lead.start(), zh[1]
    return zh


def _brand_tail(text: str, zh: tuple[int, int], english: str) -> tuple[int, int]:
    """The brand that ends a Chinese name glossed with a capitalized English name, when the name
    is longer than the brand (深圳创业公司云樵机器人（Yunqiao Robotics）: 云樵机器人); else ``zh``."""
    name = fold(text[zh[0] : zh[1]])
    if not _CAPITALIZED.fullmatch(english.strip()) or brand_name(name):
        return zh
    cut = brand_start(name)  # folding keeps every character where it was
    return (zh[0] + cut, zh[1]) if brand_name(name[cut:]) else zh


_FUNCTION_WORDS = frozenset("of with for and the in on to a an via by from".split())


def _best_long(text: str, long_form: str, start: int, acronym: str) -> tuple[int | None, int]:
    """The tail of ``long_form`` the acronym spells: the longest whose words' initials are its
    letters ("Alignment relied on Anchored Preference Optimization (APO)" -> the last three), else
    the longest whose initials fit it loosely (drops leading verbs)."""
    words = list(re.finditer(r"[A-Za-z0-9]+", long_form))
    letters = "".join(c for c in acronym if c.isalpha()).lower()
    for k in range(len(words) - 1):
        initials = "".join(w.group()[0] for w in words[k:] if w.group().lower() not in _FUNCTION_WORDS).lower()
        if initials == letters and words[k].group()[0].isupper():
            return start + words[k].start(), start + len(long_form)
    for k in range(len(words)):
        tail_start = start + words[k].start()
        tail = text[tail_start : start + len(long_form)]
        if _initials_fit(acronym, tail) and tail[0].isupper():
            return tail_start, start + len(long_form)
    return None, 0
