"""Organizations from item structure and Chinese institution names.

``[UPenn/COPSS]`` item headers, ``发文单位:``/``Affiliations:`` lines, ``来自…的团队``, names ending
in 大学/学院/研究院/研究所/实验室/科学院, and short brand names (天目智能, 云岫科技) where the text
treats them as an organization.
"""

from __future__ import annotations

import re

from kg.extract.gazetteer import Gazetteer
from kg.extract.rules.base import HAN_RE, Candidate
from kg.extract.text import HAN
from kg.resolve.normalize import identity_key


_HEADER_ORGS = re.compile(r"^\s*(?:\d+[.、)]\s*)?[\[【]([^\]】]{1,80})[\]】]")
_ORG_SPLIT = re.compile(r"\s*(?:/|&|＆|,|，|、|;|；|\+| \| | and | x | × |与|和|及)\s*")
_AFFILIATION = re.compile(
    r"(?:(?:发文单位|作者单位|研究单位|研究机构|所属机构|机构|单位|Affiliations?|Institutions?|🏛|🏫)"
    r"(?:(?<=[🏛🏫])\ufe0f?\s*[:：]?|\**\s*[:：])"  # the emoji among the labels: one scan, not two
    r"|arXiv\s*[:：]?\s*\d{4}\.\d{4,5}(?:v\d+)?\s*[·•|]"
    r"|作者\s*[/／、&]\s*(?:机构|单位)\**\s*[:：][^\n｜|]*[｜|])"
    r"\s*\**\s*([^\n*｜]+)",
    re.I,
)
"""An affiliation line's names: after a label (``机构：``, ``**Affiliations**:``), an institution
emoji (``🏛 A；B``), the paper's arXiv id (``arXiv 2502.09992 · A, B``) or the authors of an
authors-and-affiliations line (``作者 / 机构：X, Y ｜ A、B``), to the end of the line or a field
separator (``｜``)."""

_AFTER_ARXIV_ID = re.compile(
    r"arXiv\s*[:：]?\s*\d{4}\.\d{4,5}(?:v\d+)?\s*(?:[（(]([^\n()（）；;，,:：]{2,60})[；;，,)）]|[;；]\s*([^\n()（）；;:：]{2,160})[)）]"
    r"|[)）]?[ \t]*(?:[,，][ \t]*|[ \t][—–-]{1,2}[ \t]+)((?:[^\n()（）:：。.【]|[（(][^()（）\n]{1,20}[)）]){2,160}?)(?=[。【]|\.(?:\s|$)|\s*$))",
    re.I | re.M,
)
"""The names in a bracket right after a paper's arXiv id, up to the first stop ("… — arXiv
2508.06471（智谱与清华大学；介绍 …）"), after the id inside one ("(arXiv 2512.23675; Stanford
University, NVIDIA)"), or after a comma or dash that follows the id, to the sentence's end ("*Title*（arXiv
2505.22618），NVIDIA、香港大学和 MIT。", "\"Title\", arXiv 2506.07900 — OpenBMB; ModelBest."): a
reference's note of who wrote it. The last kind is prose as often, so every name there must be an
organization's."""
_NOTE_TAIL = re.compile(r"\s*(?:等(?:机构|单位|团队|高校)?|(?:共同)?(?:合作|联合)(?:完成|发布|出品)?|合写|出品|团队)\s*$")
"""What may close a note of authors: "清华大学和上海交通大学合作", "华盛顿大学和微软等机构"."""
_FROM_TEAM = re.compile(rf"来自([{HAN}A-Za-z0-9（）()、，,&/ ]{{2,80}}?)(?:等)?(?:的)?(?:研究|联合)?团队")
_TEAM = re.compile(r"(?<![A-Za-z0-9.\-_])([A-Z][A-Za-z0-9\-]*[A-Za-z0-9]) ?$")
"""The Latin name a 团队 follows, read back from it. It names a team when it is written like one (ReLER团队, KEG 团队) or is
a known name (Qwen 团队). A surname (Bengio团队) or a name of several words (Yoshua Bengio 团队)
is a professor's group, which is no named organization."""
_LATIN_BEFORE = re.compile(r"[A-Za-z0-9&] $")
_ZH_ORG_SUFFIX = re.compile("大学|学院|研究院|研究所|实验室|科学院")
_ZH_ORG_STEM = re.compile(rf"[{HAN}]{{1,12}}$")
_ZH_ORG_TAIL = re.compile(rf"(?:[{HAN}]{{1,6}}分校)?(?:[（(][{HAN}]{{2,4}}[)）])?")
"""A Chinese institution: up to twelve Han characters, an institutional ending (the first after
them), then a campus or a bracketed place (香港科技大学（广州）). The ending is found first and the
name read back from it: four items in five have none, and most Han text is far from one."""
_ZH_ORG_TRIM = re.compile(
    r".*(?:来自|出自|署名|论文|联合|携手|通过|基于|包括|以及|其中|加入|创建|构建|建立|成立|打造|进入|看看|我们|他们|旗下|如|和|与|及|的|了|是|在|由|被|将|对|从|为|向|于|等|到|、|年|月|日)"
)
_COMPANY_END = re.compile(r"股份有限公司|有限责任公司|有限公司|集团|资本(?!主义|市场|开支|运作|化)")
_COMPANY_STEM = re.compile(rf"[{HAN}]{{2,16}}(?:[（(][{HAN}]{{2,4}}[)）][{HAN}]{{0,8}})?$")
_GROUP_STEM = re.compile(rf"[{HAN}]{{2,6}}$")
"""Registered company names (深圳慧智物联技术服务有限公司, 智平方(深圳)科技有限公司) and groups and
investors (银泰集团, 星航资本): their legal ending marks the name's end, the left trim its start."""
_COMPANY_TRIM = re.compile(r".*(?:某|该|这|那|此|其|家|系|给|旗下|投资方|包括|机构|企业|巨头|厂商|母公司|子公司)")
_GENERIC_COMPANY = re.compile(
    r"(?:国际|国内|海外|全球|跨国|国有|民营|外资|大型|中型|小型|头部|知名|传统|新兴|互联网|科技|金融|投资|产业|"
    r"地产|私募|风投|创投|商业|社会|人力|风险|外部|控股|企业|多家|各大|几家)+(?:集团|资本)"
)
"""A group or investor named by what it is (大型互联网集团, 国际资本), not by a name."""
_SUB_UNIT = ("学院", "研究院", "研究所", "实验室")
"""A unit named right after its university or academy is one name with it (北京大学人工智能研究院)."""


def on_affiliation_line(text: str, at: int) -> bool:
    """Whether ``at`` is among the names of an affiliation line: an organization there is an
    affiliation of the item's paper, whoever found it (the gazetteer or the line). Only the
    line is read."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return any(m.start(1) <= at < m.end(1) for m in _AFFILIATION.finditer(text, start, len(text) if end < 0 else end))


def find_org_mentions(
    text: str, title_end: int, gazetteer: Gazetteer, stopwords: frozenset[str], folded: str | None = None
) -> list[Candidate]:
    """Organizations from ``[Org/Org]`` item headers, affiliation lines, 来自…团队 and 大学/研究院 names.

    Chinese names are read on ``folded`` (``kg.extract.text.fold``: same offsets, Traditional
    characters and look-alike radicals made Simplified), so 國立臺灣大學 ends in 大学 as well.
    """
    folded = text if folded is None else folded
    found: list[Candidate] = []
    header = _HEADER_ORGS.match(text[:title_end])
    if header:
        found += _org_parts(text, header.start(1), header.end(1), gazetteer, stopwords, "header-org")
    for m in _AFFILIATION.finditer(text):
        found += _org_parts(text, m.start(1), m.end(1), gazetteer, stopwords, "affiliation")
    for m in _AFTER_ARXIV_ID.finditer(text) if "rXiv" in text or "rxiv" in text else ():
        if m.group(3) is not None:
            end = m.start(3) + len(_NOTE_TAIL.sub("", m.group(3)))
            found += _org_parts(text, m.start(3), end, gazetteer, stopwords, "affiliation", every=True)
            continue
        group = 1 if m.group(1) is not None else 2
        found += _org_parts(text, m.start(group), m.end(group), gazetteer, stopwords, "affiliation")
    for m in _FROM_TEAM.finditer(text):
        found += _org_parts(text, m.start(1), m.end(1), gazetteer, stopwords, "from-team")
    at = text.find("团队")
    while at >= 0:  # found from the literal, then read backwards: most 团队 follow Chinese text
        m = _TEAM.search(text, max(0, at - 40), at)
        at = text.find("团队", at + 2)
        if m is None:
            continue
        name = m.group(1)
        if identity_key(name) in stopwords or _LATIN_BEFORE.search(text, max(0, m.start() - 2), m.start()):
            continue  # "Yoshua Bengio 团队", "ROCK & ROLL 团队": the end of a longer name
        if sum(ch.isupper() or ch.isdigit() for ch in name) >= 2 or gazetteer.types_of(name) or _after_known_org(text, m.start(1), gazetteer):
            found.append(Candidate(m.start(1), m.end() + 2, "Organization", "team", priority=2))
    institutions: list[tuple[int, int]] = []
    for start, end in _zh_institutions(folded):
        trim = _ZH_ORG_TRIM.match(folded[start:end])
        if trim:
            start += trim.end()
        start += _known_start(folded[start:end], gazetteer)
        name = folded[start:end]
        if len(name) >= 4 and identity_key(name) not in stopwords and not (name.endswith("实验室") and len(name) < 6):
            if institutions and institutions[-1][1] == start and name.endswith(_SUB_UNIT) and not trim:
                parent = folded[institutions[-1][0] : start]
                if parent.endswith(("大学", "科学院")):
                    institutions[-1] = (institutions[-1][0], end)
                    continue
            institutions.append((start, end))
    found += [Candidate(s, e, "Organization", "zh-org", priority=1) for s, e in institutions]
    if _COMPANY_HINT.search(folded):  # a scan in C first: most items name none
        found += _companies(text, folded, gazetteer, stopwords)
    found += _brands(folded, stopwords)
    return found


_BRAND_END = re.compile("科技|智能|智算|机器人|实验室")
_BRAND_STEM = re.compile(rf"[{HAN}]{{2,4}}$")
_BRAND_TRIM = re.compile(
    r".*(?:[的和与及由在是了将对从为向于等到给把被让也还又]|公司|创业|初创|来自|联合|携手|包括|以及|其中|团队)"
)
_CONCEPT_STEMS = frozenset(
    "人工 具身 通用 空间 超级 群体 机器 边缘 情感 自主 认知 人形 工业 服务 四足 双足 扫地 家用 "
    "陪伴 医疗 手术 重点 联合 国家 开放 前沿 顶级 头部 知名 大型 各大 国内 海外 多家 一家 这家 "
    "那家 数字 金融 量子 生物 信息 创新 未来 高新 硬核 科学 环境 商业 企业 人类 计算 感知 决策 "
    "交互 对话 语音 视觉 生成 推理 多模 端侧 原生 全栈 云端 汽车 驾驶 物理 世界 城市 教育 安防 "
    "农业 工厂 制造 零售 家庭 个人 社交 游戏 内容 办公 编程 代码 搜索 推荐 客服 国产 本土 自家 "
    "全球 中国 美国 主流 传统 新兴 智慧 智能 协作 仿生 灵巧 轮式 移动 特种 消费 群智 类脑 混合 "
    "增强 虚拟 分布 协同 集体 文化 体育 清洁 配送 我们 他们 你们 咱们 多个 几个 各个 这个 那个 "
    "一个 两个 三个 不少 许多 很多 部分 所有 其他 其它 相关 这些 那些 哪些 顶尖".split()
)
"""Words that make a concept with 智能/科技/机器人 (具身智能, 人形机器人, 前沿科技) or a phrase
(我们实验室, 多个实验室) with them, not a brand."""
_BRAND_AFTER = re.compile(
    r"(?:也|还|又|已经?|刚刚?|正式|近日|今天|今日|昨天|昨晚|本周|上周|日前|首次|率先)*"
    r"(?:同时|联合|共同)?(?:开源|发布|推出|放出|上线|公布|开放|更新|宣布|提出)"
    r"|的\s?[A-Za-z]"  # 熙语智能的 Xiyu-Edge
    r"|\s*[(（][A-Z][A-Za-z]*(?:[ \-][A-Za-z]+){0,3}[)）]"  # 明镜科技（Mingjing Tech）
    r"|(?:与|和)[^，。；\n]{1,24}?(?:合作|联合|发布|开源|推出|提出)"  # 兰溪实验室与浙江大学合作的论文
)
"""What follows a brand name in a sentence about it: a release verb, its model, its English
name, another maker it works or releases with."""
_BRAND_LABEL = re.compile(r"\s*[:：]\s*[A-Za-z]")
"""After a brand that opens its line: a release note's label ("8. 赤霄科技：Chixiao-Coder-32B")."""
_BRAND_BEFORE = re.compile(r"(?:来自|出自|由|(?:大学|学院|研究院|研究所|科学院|实验室|公司)(?:和|与|及|、))$")
_BRAND_BEFORE_END = re.compile(r"[与和及、的等，。；,;:：\s]|合作|联合|共同|团队")
"""What precedes a brand among a work's makers (来自复旦大学和赤霄科技, 由天目智能与…), and what
follows it there (not 由最慢智能体)."""


_LINE_END = re.compile(r"[*#\s]*?(?:\n|$)")
_LINE_LABEL = re.compile(r"\s*(?:[#>*]+\s*)*(?:\d{1,2}[.、)）]\s*)?\**")
"""What may stand before a brand at the start of its line: heading marks, bold, a number."""


def brand_name(name: str) -> bool:
    """Whether a Chinese name is a short brand (two to four characters and 科技/智能/智算/机器人/
    实验室) rather than a concept those endings also make (具身智能, 人形机器人)."""
    end = _BRAND_END.search(name)
    return end is not None and end.end() == len(name) and 2 <= end.start() <= 4 and name[end.start() - 2 : end.start()] not in _CONCEPT_STEMS


def brand_start(folded: str) -> int:
    """Where the brand a folded Chinese name may end with begins: after the words before it
    (深圳创业公司云樵机器人 -> 6, at 云樵机器人)."""
    trim = _BRAND_TRIM.match(folded)
    return trim.end() if trim else 0


def _brands(folded: str, stopwords: frozenset[str]) -> list[Candidate]:
    """Short brand names the text treats as organizations: one that releases something, owns a
    named model, carries its English name, labels a release note or stands among a work's makers.

    Alone, 天目智能 or 兰溪实验室 reads like a concept or a generic lab; the context decides.
    """
    found = []
    for m in _BRAND_END.finditer(folded):
        stem = _BRAND_STEM.search(folded, max(0, m.start() - 4), m.start())
        if stem is None:
            continue
        start = stem.start()
        trim = _BRAND_TRIM.match(folded, start, m.start())
        if trim:
            start = trim.end()
        name = folded[start : m.end()]
        if not brand_name(name) or identity_key(name) in stopwords:
            continue
        line_start = folded.rfind("\n", 0, start) + 1
        labelled = _LINE_LABEL.fullmatch(folded, line_start, start) is not None
        heads_line = labelled and (  # a heading of its own ("乐聚机器人") or a release note's label
            _LINE_END.match(folded, m.end()) is not None or _BRAND_LABEL.match(folded, m.end()) is not None
        )
        if heads_line or _BRAND_AFTER.match(folded, m.end()) or (
            _BRAND_BEFORE.search(folded, max(0, start - 8), start) and _BRAND_BEFORE_END.match(folded, m.end())
        ):
            found.append(Candidate(start, m.end(), "Organization", "zh-brand", priority=1))
    return found


def _after_known_org(text: str, at: int, gazetteer: Gazetteer) -> bool:
    """Whether a known organization ends right before ``at`` ("快手 Kwaipilot 团队": a company's
    team, not a professor's group)."""
    before = text[max(0, at - 12) : at].rstrip()
    return any(
        m.end == len(before) and m.entry.type == "Organization" for m in gazetteer.find(before)
    )


def _known_start(name: str, gazetteer: Gazetteer) -> int:
    """Where a known organization begins a few characters into a Chinese institution's name:
    what stands before it is the sentence, not the name ("另有清华大学智能产业研究院")."""
    for match in gazetteer.find(name[:16], name[:16]):
        if 0 < match.start <= 3 and match.entry.type == "Organization":
            return match.start
    return 0


def _zh_institutions(folded: str) -> list[tuple[int, int]]:
    """The spans ``[HAN]{1,12}?(?:大学|…|科学院)`` + tail matches, left to right and not overlapping,
    found from each ending backwards (the same spans as the forward pattern, at a fraction of the cost)."""
    spans = []
    done = 0
    ending = _ZH_ORG_SUFFIX.search(folded)
    while ending is not None:
        stem = _ZH_ORG_STEM.search(folded, max(done, ending.start() - 12), ending.start())
        if stem is None:  # no name before it; an ending inside it may have one (，科学院: 科 + 学院)
            ending = _ZH_ORG_SUFFIX.search(folded, ending.start() + 1)
            continue
        done = _ZH_ORG_TAIL.match(folded, ending.end()).end()
        spans.append((stem.start(), done))
        ending = _ZH_ORG_SUFFIX.search(folded, done)
    return spans


_COMPANY_HINT = re.compile("公司|集团|资本")


def _companies(text: str, folded: str, gazetteer: Gazetteer, stopwords: frozenset[str]) -> list[Candidate]:
    """Names with a company's legal ending or a group's or investor's, trimmed on the left to
    the name: the words before it (与, 旗下, 投资机构) go, a known name the trim would cut stays."""
    found: list[Candidate] = []
    spans: list[tuple[int, int]] = []
    company_end = group_end = 0
    for m in _COMPANY_END.finditer(folded):  # from the ending, read backwards: most Han text has none
        company = m.group().endswith("公司")
        floor = company_end if company else max(company_end, group_end)
        stem = (_COMPANY_STEM if company else _GROUP_STEM).search(
            folded, max(floor, m.start() - (30 if company else 6)), m.start()
        )
        if stem is None:
            continue
        start, end = stem.start(), m.end()
        if company:
            company_end = end
            spans = [(a, b) for a, b in spans if a < start]  # 阿里巴巴集团控股有限公司: one name
        else:
            group_end = end
        spans.append((start, end))
    for start, end in spans:
        if "某" in folded[max(0, start - 1) : end]:
            continue  # 某文旅控股集团: a company left unnamed
        known = [(k.start, k.end) for k in gazetteer.find(text[start:end], folded[start:end])]
        for rx in (_ZH_ORG_TRIM, _COMPANY_TRIM):
            cut = rx.match(folded[start:end])
            if cut:
                at = cut.end()
                at = next((a for a, b in known if a < at <= b), at)  # 华为技术有限公司: not 技术有限公司
                start += at
                known = [(a - at, b - at) for a, b in known]
        name = folded[start:end]
        if len(name) >= 4 and identity_key(name) not in stopwords and not _GENERIC_COMPANY.fullmatch(name):
            found.append(Candidate(start, end, "Organization", "zh-company", priority=1))
    return found


def _org_parts(
    text: str, start: int, end: int, gazetteer: Gazetteer, stopwords: frozenset[str], source: str, every: bool = False
) -> list[Candidate]:
    """The organizations named in ``text[start:end]``, a list of names; with ``every``, none unless
    every name of the list is one."""
    found = []
    cursor = start
    segment = text[start:end]
    pieces = [part for piece in _ORG_SPLIT.split(segment) for part in _name_and_gloss(piece)]
    for piece in pieces:
        offset = segment.find(piece, cursor - start) if piece else -1
        if offset < 0:
            continue
        p_start = start + offset
        cursor = p_start + len(piece)
        p_end = p_start + len(piece.rstrip(" .。:：*"))
        name = text[p_start:p_end].strip()
        known = gazetteer.lookup(name) if name else None
        if every and known is None and HAN_RE.search(name):
            # a note in prose: "作者主要来自上海人工智能实验室" names the lab; Latin and Han mixed is a clause
            trim = _ZH_ORG_TRIM.match(name)
            if trim is not None:
                p_start += len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip()) + trim.end()
                name = text[p_start:p_end].strip()
                known = gazetteer.lookup(name) if name else None
            if re.search(r"[A-Za-z]", name) and known is None:
                return []
        if (
            not name
            or identity_key(name) in stopwords
            or known is not None and known.type != "Organization"
            or known is None and not _org_shaped(name)
        ):
            if every:
                return []
            continue
        found.append(Candidate(p_start, p_end, "Organization", source, priority=2))
    return found


_GLOSSED = re.compile(r"(.+?)\s*[（(]([^()（）]*[A-Za-z][^()（）]*)[)）]\s*$")
_GLOSSED_IN_CHINESE = re.compile(rf"([A-Za-z][^()（）]*?)\s*[（(]([{HAN}]+)[)）]\s*$")


def _name_and_gloss(piece: str) -> list[str]:
    """"月之暗面（Moonshot AI）", "Mila（魁北克人工智能研究所）" -> both names; "香港科技大学（广州）",
    a campus, stays whole."""
    m = _GLOSSED.fullmatch(piece) or _GLOSSED_IN_CHINESE.fullmatch(piece)
    return [m.group(1), m.group(2)] if m else [piece]


def _org_shaped(name: str) -> bool:
    if len(name) > 40:
        return False
    if re.search(r"[A-Za-z]", name):
        if len(re.findall(r"[A-Za-z]", name)) < 2 or re.fullmatch(r"\d+[A-Za-z]{1,2}", name):
            return False  # "3D", "4K": a tag, not an organization
        return bool(re.match(r"[A-Z0-9]", name)) and len(name.split()) <= 6
    return bool(re.search(r"(?:大学|学院|研究院|研究所|实验室|科学院|公司|集团|中心|分校|[)）])$", name))
