"""Typed relations stated by the text, read sentence by sentence from one item's mentions.

A relation is emitted only when its sentence carries the cue that states it (发布 for
developedBy, 在…上 / a score for evaluatedOn, 采用 for uses, 提出 for proposes) or when the
item's structure states it (an affiliation line of a paper, the ``[Org]`` header of a story).
Mere co-occurrence is left to the co-mention links.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from kg.extract.rules.organizations import on_affiliation_line
from kg.extract.tables import table_relations
from kg.extract.text import HAN
from kg.resolve.modelname import of_known_series


class _Span(Protocol):
    start: int
    end: int
    type: str
    source: str
    gazetteer_id: str | None


MAX_MENTIONS_PER_SENTENCE = 40
"""A "sentence" naming more entities is a list or a table dump; no relation is read from it."""


@dataclass(frozen=True, slots=True)
class FoundRelation:
    type: str
    source: int
    target: int
    sentence: tuple[int, int]
    score: str | None = None
    metric: str | None = None


_DEV = re.compile(
    r"发布|推出|开源|研发|开发(?!者)|打造|上线|亮相|更新|升级|训练|提出|发表|宣布|旗下|出品|自研|家的|放出|释出|公布|"
    r"[Rr]eleas|[Ll]aunch|[Ii]ntroduc|[Uu]nveil|[Oo]pen-?[Ss]ourc|[Aa]nnounc|[Dd]evelop|[Bb]uilt by|[Ff]rom|[Pp]ublish|"
    r"[Ss]hip(?:s|ped|ping)?\b(?<![A-Za-z]{2}ships)(?<![A-Za-z]{2}ship)|[Rr]oll(?:s|ed)? out|[Dd]ebut",
)
"""Release cues. The cue patterns are case-sensitive, each branch opening on a character (an
English word capitalized or not), so that the scan skips ahead: they run on every sentence.
"ship" is a word of its own only (the look-behinds refuse "flagship", "relationships")."""
_BY = re.compile(r"由\s*$|\bby\s*$|来自\s*$", re.I)
_OPENS_ASIDE = re.compile(r"\s*[（(]")
_FROM = re.compile(r"[*_\s]*,?\s*from\s+(?:the\s+)?", re.I)
"""Between a model and an organization right after it: "Kimi K3 from Moonshot AI" (来自 is in ``_BY``)."""
_MODEL_THEN_ORG = re.compile(r"^\s*(?:[(（][^()（）\n]{0,12}[)）])?\s*(?:[:：(（]|是|为)\s*$")
_ORG_MADE_IT = re.compile(
    r"\s*(?:(?:[,，;；][^()（）\n]{0,24})?[)）]|(?:[与和、&/]\s*[^，。,;；:：]{1,12}?)?(?:共同|联合|最新|新)?(?:研发|推出|开源|发布|提出|开发|打造|出品|合作|自研)?的"
    r"|[^，。,;；:：]{0,10}?(?:研发|推出|开源|发布|提出|开发|打造|出品)的"
    r"|[^，。,;；:：的]{0,8}的[^，。,;；:：]{0,8}?模型)"
)
"""After "M：O", "M（O" or "M 是 O": O made M ("研发的", "的旗舰模型", "）", "，09-09）", "2025 年出品的",
"迄今最先进的模型"); "M（2025）：O …" too."""
_MEMBER_OF = re.compile(r"\s*(?:系列|家族)(?:中|里|之中|的第)|\s*(?:series|family)\b", re.I)
"""After a model: it is the series another model belongs to ("Qwen3.6 系列中的多模态版本")."""
_ORG_AS_OBJECT = re.compile(r"(?:of|from|at|with|来自|源自|出身于?|孵化自|隶属于?)\s*(?:the\s+)?$|[,，]\s*an?\s+$")
"""Before an organization: it is named inside an aside about another ("O1, a lab spun out of
O2"), not the one that acts."""
_OPEN_BRACKET = re.compile(r"\s*[(（]\s*")
_JOINED = re.compile(r"^\s*(?:与|和|及|、|联合|携手|以及|and)\s*$", re.I)
"""Organizations named together as makers; a slash or & (a header's "[A/B]") lists the story's
actors, not one model's makers."""
_POSSESSIVE = re.compile(r"^\s*(?:的|'s|’s|旗下|家)?[^，。,;；、与和及:：\]】]*$")
"""Between an organization and its model ("谷歌的 Genie 3", "字节Seedream"): no clause, list or
header ("[O] 综述：从 M …") boundary."""
_BUILT_ON = re.compile(r"基于|使用|采用|利用|借助|微调|在|对|用|[Bb]ased on|[Uu]sing|on top of|[Ff]ine-?tun")
"""Between an organization and a model: the model is used, not developed, by it."""
_EVAL = re.compile(
    r"得分|成绩|取得|达到|分数|准确率|正确率|通过率|成功率|胜率|超越|超过|领先|刷新|登顶|夺冠|居首|位列|位居|排名|评测|评估|测试|测了|上测|自报|报了|榜|%|％|"
    r"[Ss]core|[Aa]ccuracy|[Pp]ass@|[Aa]chiev|[Oo]utperform|[Ee]valuat|SOTA|[Ss]ota|[Bb]enchmark",
)
"""Words that make a sentence about evaluation wherever they stand."""
_EVAL_BEFORE = re.compile(r"(?:在|于|\bon\b|\bin\b)[^，。,;；]{0,20}$", re.I)
_EVAL_AFTER = re.compile(r"^\s*(?:基准|测试|榜单|数据集)?\s*(?:上|中)")
_SCORED = re.compile(
    r"\s*(?:[(（][^()（）\n]{0,12}[)）])?\s*(?:[:：]|为|是|达到?|总分|得分|均分|平均分)?\s*(?:约|≈|~)?\s*\d{1,4}(?:\.\d+)?"
    r"(?![\d.]*\s*(?:(?:[BMKk]|tokens?|samples?|tasks?|problems?|questions?)(?![A-Za-z])"
    r"|亿|万|千|年|月|日|天|周|小时|秒|个|条|张|次|道|题|篇|项|份|组|家|款|名|位|种|类|轮|步|层|倍))"
)
"""Right after a benchmark, a score: "BrowseComp 43.4", "AIME 2025（带工具）97.9", "MMLU 为 58.3",
"VBench总分81.2"; not a count of its items or a size ("500 道题", "89 tasks", "7B")."""
_SCORED_AFTER = re.compile(r"\s*(?:上|中)?\s*(?:的\s*)?(?:得分|分数|准确率|成功率|通过率|正确率|为|达到|取得)?" + _SCORED.pattern)
"""A benchmark's score after it, maybe after a word for it: "AIME 2024 得分 77.5", "MMMU得分77.9"."""
_MAKER_FIELD = re.compile(
    r"^[ \t>*•\-]*\**(developers?|developed by|makers?|vendors?|publishers?|开发者|开发方|研发方|发布方|发布者|出品方|厂商|开发商|机构)"
    r"\**[ \t]*[:：]",
    re.I | re.M,
)
"""A field line naming who made the models an item's title names."""


class _Cue:
    """A cue pattern in two parts: the Chinese words, searched in every sentence that needs it, and
    the English ones, searched only where one of their stems occurs (a substring test is far
    cheaper than a regex scan of an English sentence for words that open on common letters)."""

    def __init__(self, chinese: str, english: str, stems: tuple[str, ...]) -> None:
        self.chinese = re.compile(chinese)
        self.english = re.compile(english)
        self.stems = stems

    def _english_in(self, text: str, start: int, end: int) -> bool:
        for stem in self.stems:
            if text.find(stem, start, end) >= 0:
                return True
        return False

    def finditer(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        found = list(self.chinese.finditer(text, start, end))
        if self._english_in(text, start, end):
            more = list(self.english.finditer(text, start, end))
            if more:
                found = sorted([*found, *more], key=lambda m: m.start()) if found else more
        return found

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        end = len(text) if end is None else end
        first = self.chinese.search(text, start, end)
        if self._english_in(text, start, first.start() if first is not None else end):
            english = self.english.search(text, start, end)
            if english is not None and (first is None or english.start() < first.start()):
                return english
        return first

    def match(self, text: str, start: int) -> re.Match[str] | None:
        return self.chinese.match(text, start) or self.english.match(text, start)


_USE = _Cue(
    r"采用|使用(?![、，,）)指南方式场景门槛成本率量者户])|基于|利用|引入|结合|借助|沿用|集成|融合|应用了|用的是|用了|加入|"
    r"用(?<![使作应利采功费信享可适不套通常调试专]用)(?![于来途户法量处])|(?:核心|关键)(?:组件|模块|机制|技术)(?:是|为|包括)|(?:关键|核心|秘诀)在于|"
    r"通过|依托|依靠|凭借|遵循|得益于|借鉴|叠加|改用|换用|换成|(?:依次)?经过|经(?=[^，。；,;]{1,30}?(?:训练|微调|对齐|优化))|"
    r"配方(?:是|为|\s*[:：])|(?:算法|优化器|训练方法|训练算法)\s*(?:是|为|选用|用的是)|"
    r"是(?:一[个款种])?(?=[^，。,；;]{0,40}?(?:模型|架构))|为(?=[^，。,；;]{0,20}?架构)",
    r"[Uu]se[sd]?\b|[Uu]sing|[Bb]ased on|[Aa]dopt|[Bb]uilt on|[Ll]everag|[Ee]mploy|[Tt]rained with|[Cc]ombin(?:es|ing)\b|"
    r"[Ii]nterleav(?:es|ing)\b|[Rr]el(?:ies|y|ying) on|[Pp]owered by|[Ii]ncorporat|[Bb]orrow|"
    r"is an? (?=[^,.;:]{0,40}?\b(?:model|architecture)\b)|[Rr]ecipe\s*:",
    ("se", "dopt", "uilt on", "everag", "mploy", "is a", "rained with", "ombin", "nterleav", "ly on", "lies on", "lying on", "owered by", "ncorporat", "orrow", "ecipe"),
)
"""Words that say the subject uses a method ("使用" as a noun, "工具使用、…", "使用指南", is none)."""
_BREAK = re.compile(r"[，,；;：:。！？!?]")
"""Punctuation that ends the clause a use cue governs."""
_NEGATED = re.compile(r"(?:不|未|没有?|无需|无须|不必|不再|并不|并未|\bnot|\bno longer|\bwithout|n't)\s*$", re.I)
"""Right before a use cue: the subject does without the method ("不使用 MCTS", "does not use X")."""
_NOT_THE_USER = re.compile(
    r"(?:基于|在|从|由|被|将|把|来自|源自|如|例如|(?:骨干|主干|底座|基座)(?:网络|模型)?\s*(?:为|是|采用|用的是)?|[编解]码器\s*(?:为|是|采用|用的是)?|比肩|媲美|对标|追平|看齐|次于|比|超越了?|超过了?|远超|优于|高于|低于|不及|不如|逊于|落后于?|领先于?|胜过|压过|击败了?|相比|相较|接近|与|"
    r"上一代|前代|微调了?|训练了?|蒸馏了?|量化了?|基线\s*[（(：:]?|based on|from|such as|like|than|over|ahead of|behind|beat(?:s|ing)?|"
    r"outperform\w*|baselines?\s*[(:]?|fine-?tun\w*|train\w*|distill\w*|encoder|decoder|on par with|rival\w*)\s*$"
)
"""Before a model: the model is a base, a source, a part, an example, a rival or what is trained ("在 M
的基础上引入 X", "比底座 M 高", "视觉编码器 M", "使用来自 M 的预训练 VAE", "超越了 M", "比肩 M", "低于 M 的
72.7", "用 X 微调了 M"), not what uses
a method, nor the subject a later clause goes on about ("…，但低于 M 的 72.7；在 Y 上得分 66.1")."""
_BUILT_FROM = (
    r"的基础上|基础上|为(?:语言|视觉|文本)?(?:基座|底座|基底|骨干|主干|基础|backbone)|为(?:其)?(?:大?语言模型|LLM)(?![A-Za-z])"
    r"|作为(?:语言|视觉|文本)?(?:基座|底座|骨干|主干|backbone)|(?:作为|用作)?初始化"
    r"|之上\s*(?:加装|增加|添加|叠加|继续|训练|微调)|(?:基座|底座)?\s*为起点"
)
"""After a model: it is what another was built from ("在 M 的基础上训练", "以 M 为底座", "以 M 为语言模型")."""
_BASE_AFTER = re.compile(
    rf"\s*(?:{_BUILT_FROM}|的预训练|的检查点|检查点|相比|相较|对比|比较|系列中|系列里|家族中|家族里"
    rf"|的[{HAN}]{{0,4}}?版本?(?![{HAN}])|(?:系列|家族)的?(?:第|首|最)|[ -](?:fine-?tunes?|finetunes?|derivatives?)\b)"
)
_ALSO_RELEASED = re.compile(
    r"\s*(?:[-*+•>]\s*)?(?:同时|此外|另外|并且?|还|一并|一同|随后|稍后|与此同时)[^，。；;,]{0,8}?(?:发布|推出|开源|上线|放出|释出|公开)"
    r"|\s*(?:[-*+•>]\s*)?(?:Also|Alongside it|Alongside this|At the same time),?\s(?:\w+\s){0,2}?(?:released|launched|open-sourced|shipped)\b"
)
"""A sentence opening on another release without saying by whom ("同时开源的还有端侧小模型 M",
"此外还发布了 M", "Also released: M"): the organization that released the model before did."""
_ORG_ANAPHOR = re.compile(
    r"(?:该公司|这家公司|该团队|这支团队|该实验室|这家实验室|他们|公司|团队|"
    r"(?:[Tt]he|[Tt]hat|[Tt]his) (?:company|lab|startup|team|firm)\b|[Tt]hey\b)(?!的|'s)"
)
"""A sentence opening on a word for an organization named before it ("该公司随后开源了 M",
"The lab shipped M", after a time phrase too: "Days later the lab shipped M", "三天后他们发布了 M"):
a release cue after it makes that organization M's maker."""
ANAPHOR_WITHIN = 24
"""How far into a sentence that word may come, with nothing named before it."""
ANAPHOR_VERB_WITHIN = 12
"""How soon after it the release cue must come: the word is the subject of the release ("他们的
评测中 …" is no subject, and neither is a "他们" far from the verb)."""
_ANAPHOR = re.compile(r"该模型|新模型|此模型|本模型|这一模型|新版本?|它|其(?![他它中余实次])|\b(?:this|the new|the) model\b|\bit\b", re.I)
"""Words that point back at the model named before ("该模型", "新模型", "it")."""
_OPENING_ANAPHOR = re.compile(r"[\s*>•\-]*(?:这(?=是|款|个)|它|该模型|此模型|本模型|新模型)")
"""A sentence opening on a word pointing back at the model named before ("这是一个…的 MoE 模型")."""
_BENCH_ANAPHOR = re.compile(
    r"(?:该|此|这一?|这个|同一)(?:基准|榜单|评测集|测试集|数据集|benchmark)(?:测试)?\s*(?:上|中)|\b(?:on|in) (?:this|that|the same) (?:benchmark|leaderboard|test set)\b",
    re.I,
)
"""A sentence scoring models on the benchmark named before it ("在该基准上", "on this benchmark")."""
_AUTHORS = re.compile(r"作者|研究者|研究人员|研究团队|本文|论文|该研究|\bwe\b|\bthe authors\b|\bthe paper\b", re.I)
"""The subject of a paper's sentence when it is the authors or the paper itself."""
_BACKGROUND = re.compile(r"^\W*(?:问题|背景|动机|现状|挑战|局限|痛点|problem|background|motivation)\**\s*[:：]", re.I)
"""A sentence labelled as the problem or background: what it says is used is the status quo."""
_COMPARED = re.compile(r"替代|取代|代替|相比|相较|对比|优于|超过(?!\s*\d)|超越|不同于|区别于|(?<![缩占类无好])比(?![例率重])|baseline|基线|instead of|compared|\bthan\b|\bvs\b\.?", re.I)
"""Between a use cue and a method: the method is what the subject was compared with."""
_RIVAL = re.compile(
    _COMPARED.pattern + r"|接近|不输|媲美|持平|追平|看齐|上一代|前代|前作|[Bb]eat|[Rr]ival|[Pp]revious|[Pp]redecessor|[Cc]ompared|[Tt]han\b"
)
"""Between an organization and a model: the model is what the organization's own was measured
against or succeeds ("O 发布 A，超越 B", "O 称新模型比 B 降低…", "距离上一代 B"), not what it made."""
_PROPOSE = _Cue(
    r"提出|推出|发布|构建|设计|开发|打造|名为|称为|引入了?一种|出自(?:这|该|本|此)篇",
    r"[Pp]ropos|[Ii]ntroduc|[Pp]resent",
    ("ropos", "ntroduc", "resent"),
)
_SURVEY = re.compile(r"[Ss]urvey|[Rr]eview|[Oo]verview|综述")
"""A title that says the paper surveys what it names, rather than builds on it."""
_AUTHORED = re.compile(
    r"本文由|该论文由|论文由|(?:共同|合作|联合)完成|团队提出|课题组|研究者|研究人员|署名|作者(?:分别|均|都|主要)?(?:来自|团队|单位)"
    r"|(?:这篇|这项|该项?|本)(?:论文|工作|研究|文章)?\s*(?:来自|出自|由)|(?:论文|工作|研究)(?:来自|出自)"
    r"|的(?:工作|论文|新作)(?=\s*[。，,；;])|\bauthors?\b|\bresearchers\b",
    re.I,
)
"""Without the paper named: the sentence says who wrote the item's paper (这篇来自 X, 作者分别来自
A、B, 由 A 与 B 合作完成, X 的工作。)."""
_PROPOSABLE = frozenset({"Technique", "Model", "Benchmark"})
_SENTENCE_OPENING = re.compile(r"(?:[^\n]*[:：])?[\s*>#\-•\d.、)]*")
"""What may come before the subject on its line: a list marker, a field label ("2. **一句话核心贡献**：")."""
_ORGS_JOINED = re.compile(r"[\s（()）]*(?:(?:、|,|，|和|与|及|以及|联合|携手|\band\b|&)[\s（(]*)?", re.I)
"""Between two organizations of one subject ("A、B 和 C", "A 联合 B", "赤松研究院（Chisong Institute）与 B")."""
_THEN_PROPOSE = re.compile(
    r"\s*(?:等(?:机构|单位|团队|高校)?)?\s*(?:的(?:研究者|研究人员|团队))?\s*(?:共同|联合|合作)?\s*"
    r"(?:提出|推出|发布|开源|propose[sd]?\b|introduce[sd]?\b|present(?:s|ed)?\b)",
    re.I,
)
"""After a paper's organizations: they propose what the sentence goes on to name."""
_MODIFIER_GAP = re.compile(r"\s*(?:了|出)?\s*(?:一[种个套类项])?[\s*]*")
"""Between a proposal cue and a use cue that belongs to the phrase it opens (提出了一种基于…)."""
_PHRASE_END = re.compile(r"\s*[)）]?\**\s*(?:[(（][^()（）\n]{0,40}[)）])?\**\s*(?:[，。；,;：:！？!?]|$)")
"""After a name that ends its phrase (its bracketed gloss and bold marks aside)."""
_PROPOSED_HERE = re.compile(r"(?:提出|推出|构建|设计|发布|名为|称为|propos\w*|introduc\w*|present\w*)[^，。,;；:：]{0,8}$", re.I)
_AFFILIATION_CUE = re.compile(r"发布|提出|合作|联合|论文|研究者|研究人员|团队|来自|作者|authors?|researchers?|from", re.I)
_HEADING_LINE = re.compile(r"^[#*\d][^\n]*", re.M)
_HEADING = re.compile(
    r"(?:#{1,6}[ \t]*[^\n]{1,40}"
    r"|(?:\*\*)?(\d{1,2})[.、][ \t]*(?:\*\*[^\n*]{1,24}\*\*|[^\n*，。,;；:：!?！？]{1,24}?(?:\*\*)?[ \t]*[:：]?[ \t]*$)"
    r"|\*\*[^\n*]{1,24}\*\*[ \t]*[:：]?[ \t]*$)",
)
"""A heading inside an item: "### 4. 主要创新点", "4. **主要创新点**：", "**4. 主要创新点**", a
numbered label alone on its line ("4. 主要创新点": a Markdown heading whose hashes the reader
dropped), a bold line alone."""
_CONTRIBUTION_HEADING = re.compile(r"创新|贡献|核心技术|核心方法|技术亮点|contribution", re.I)
"""Headings of the section where a paper sets out what it introduces."""
_EXPERIMENT_HEADING = re.compile(r"实验|评测|评估|结果|result|experiment|evaluation", re.I)
"""Headings of the section that reports how models fared on benchmarks."""
MAX_SECTION_PAIRS = 40
"""An experiment section naming more model-benchmark pairs is a survey or a table dump."""
_SIDE_BY_SIDE = re.compile(r"[\s(（:：,，]*")
_PLURAL = re.compile(r"两款模型|两个模型|两款|两者|二者|这些模型|[Bb]oth\b")
"""Words that point back at the models named together before."""
_METHOD_SUBJECT = re.compile(
    r"该方法|本方法|此方法|该框架|本框架|该算法|本文方法|(?:[Oo]ur|[Tt]he proposed) (?:method|approach|framework)\b"
)
"""Words for the item's own method as the subject of a sentence."""
_TRAINED_ON = re.compile(r"\s*(?:数据集)?\s*(?:上|中)?\s*(?:进行)?(?:预训练|训练|微调)|\s*[(（][^()（）]{0,20}用于训练")
_BASED_ON = re.compile(r"基于\s*$")
"""Around a dataset: it is what a model was trained on, not evaluated on."""
_RESULT = re.compile(
    r"\d\s*(?:%|％|分|points?\b)|得分|成功率|准确率|通过率|正确率|胜率|居首|排名|领先|的评估中|的评测中|"
    r"[Ll]eads?\b|[Ss]cores?\b|[Ee]valuated\b"
)
"""A sentence that reports how a model scored."""
_SCORE = re.compile(r"(?<![\d.\-–~/^])(\d{1,3}(?:\.\d+)?)(?![\d]|,\d{3})\s*(%|％|分|points?\b|pts\b)?")
"""A score: a number of at most three digits before its point, never part of a longer one (a
year, "2408-2505", "1,200") nor a footnote ("[^2]")."""
_SCORE_ON = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(%|points?)?\s+(?:on|in)\s+(?:the\s+)?$")
"""A score before its benchmark, in English: "scores 71.3 on MMLU-Pro", "posts 45.8% on HLE"."""
_METRIC = re.compile(
    r"[Pp]ass@\d+|[Aa]ccuracy|准确率|正确率|通过率|成功率|胜率|召回率|F1\b|EM\b|Elo\b|ELO\b|BLEU\b|ROUGE-?L?\b|mAP\b|AUC\b|"
    r"[Rr]ecall@\d+|得分|分数"
)
"""Metrics, as written: case matters ("EM" is a metric, "em" is part of "system")."""


def find_relations(
    text: str, mentions: Sequence[_Span], sentences: list[tuple[int, int]], title_end: int
) -> list[FoundRelation]:
    """Every relation the item's sentences and structure state, as mention-index pairs."""
    found: dict[tuple[str, int, int], FoundRelation] = {}

    def add(rel: FoundRelation) -> None:
        key = (rel.type, rel.source, rel.target)
        if rel.source != rel.target and key not in found:
            found[key] = rel

    types: set[str] = set()
    papers: list[int] = []
    header: list[int] = []  # the organizations of the item's "[A/B]" header
    own: list[_Span] = []  # the item's own method: its paper's short name, a method in its title
    named_for: list[int] = []  # models a paper is named for ("SegPO: …")
    title_models: list[int] = []
    for i, m in enumerate(mentions):  # one pass: most items name dozens of things
        types.add(m.type)
        if m.type == "Paper":
            papers.append(i)
        elif m.source == "header-org":
            header.append(i)
        if m.source == "paper-short-name" or m.type == "Technique" and m.end <= title_end:
            own.append(m)
            if m.type == "Model" and m.source == "paper-short-name":
                named_for.append(i)
        if m.type == "Model" and m.end <= title_end:
            title_models.append(i)
    own_methods = {_name_key(text, m) for m in own}
    if " | " in text and ("Model" in types or "Paper" in types):  # first: a row's own cells say best what its model scored
        for relation, model, target, row, score in table_relations(text, mentions):
            add(FoundRelation(relation, model, target, row, score))
    paper = _item_paper(mentions, papers, title_end)
    # the model an item is about: the one its paper is named for, or the one model in its title
    if len(title_models) > 1:  # "A：…超过 B", "A 比肩 B": the title's model is A, B its rival
        title_models = [
            i for i in title_models if not _TITLE_RIVAL.search(text, max(0, mentions[i].start - 8), mentions[i].start)
        ]
    subject_model = named_for[0] if named_for else title_models[0] if len(title_models) == 1 else None
    paper_model = _paper_model(text, mentions, subject_model) if paper is not None else None
    item_model = paper_model if paper_model is not None else subject_model  # who a sentence naming no subject is about
    headings = _headings(text) if paper is not None or {"Benchmark", "Model"} <= types else []
    contribution = _sections(text, headings, _CONTRIBUTION_HEADING) if paper is not None else []
    # a sentence that names no model speaks of the model named last ("该模型采用…", "在 X 上得分…"):
    # the last one named that was neither a base nor a rival, else the item's subject
    named: list[tuple[int, list[int]]] = []  # (sentence start, its models), for each sentence naming one
    resolved: dict[int, int | None] = {}  # len(named) -> that model, worked out when first needed

    def last_models() -> list[int]:
        """The models named together last ("A 和 B 两款模型"), for "两款模型", "both"."""
        for start, models_there in reversed(named):
            free = _free_models(text, mentions, models_there, start)
            if len(free) >= 2:
                return free
        return []

    def last_model() -> int | None:
        if len(named) not in resolved:
            found = subject_model
            for start, models_there in reversed(named):
                free = _free_models(text, mentions, models_there, start)
                if free:
                    found = max(free, key=lambda i: mentions[i].end)
                    if item_model is not None and len(free) > 1 and not _member_named(text, mentions, free, found):
                        # several models in one sentence are compared ("A 与 B 分别为 …", "A …，
                        # B 为 …"): the next sentence naming none is about the item's own model
                        found = item_model
                    break
            resolved[len(named)] = found
        return resolved[len(named)]

    results: list[tuple[tuple[int, int], list[int]]] = []  # sentences scoring models on no named benchmark
    scored_last: tuple[int, int] | None = None  # (where the next clause on its line starts, the model it scored)
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    cursor = 0
    for s_start, s_end in sentences:
        while cursor < len(order) and mentions[order[cursor]].start < s_start:
            cursor += 1
        inside = []
        j = cursor
        while j < len(order) and mentions[order[j]].start < s_end:  # no copy of the tail per sentence
            if mentions[order[j]].end <= s_end:
                inside.append(order[j])
            j += 1
        if not inside or len(inside) > MAX_MENTIONS_PER_SENTENCE:
            continue
        sentence = text[s_start:s_end]
        # an item of several papers (a reference list, footnotes, a transcript): a sentence speaks of
        # the paper it names or that its line named last
        paper_here = paper if paper is not None or not papers else _line_paper(text, mentions, papers, s_start, s_end)
        span = (s_start, s_end)
        by_type: dict[str, list[int]] = {}
        for i in inside:
            by_type.setdefault(mentions[i].type, []).append(i)
        models, orgs = by_type.get("Model", []), by_type.get("Organization", [])
        benches, techs = by_type.get("Benchmark", []), by_type.get("Technique", [])
        if models and orgs:
            for rel in _developed_by(text, mentions, models, orgs, span, bool(_DEV.search(sentence))):
                add(rel)
        elif models and (anaphor := _ORG_ANAPHOR.search(text, s_start, min(s_end, s_start + ANAPHOR_WITHIN))) is not None:
            maker = _last_of_type(mentions, order, cursor, "Organization")
            if maker is not None and mentions[inside[0]].start >= anaphor.end():  # nothing named before it
                for m in _free_models(text, mentions, models, s_start):
                    verb = _DEV.search(text, anaphor.end(), min(mentions[m].start, anaphor.end() + ANAPHOR_VERB_WITHIN))
                    if verb is not None and not _measured_against(text, mentions[m], mentions, models):
                        add(FoundRelation("developedBy", m, maker, span))
        elif models and (also := _ALSO_RELEASED.match(text, s_start, s_end)) is not None:
            # "同时开源的还有 M", "此外还发布了 M": released by whoever released the model before
            for m in _free_models(text, mentions, models, s_start):
                if mentions[m].start >= also.end() and not _measured_against(text, mentions[m], mentions, models):
                    for maker in _last_makers(found, s_start):
                        add(FoundRelation("developedBy", m, maker, span))
        if models and "自家" in sentence:
            last_org = lambda: _last_of_type(mentions, order, cursor, "Organization")  # noqa: E731
            for m, maker in _own_models(text, mentions, models, orgs, span, last_org):
                add(FoundRelation("developedBy", m, maker, span))
        if models:
            for derived, base in _built_on(text, mentions, models, s_start, last_model, last_models):
                add(FoundRelation("variantOf", derived, base, span))
        if models and not benches:
            results.append((span, models))  # checked for a score only if the item introduces a benchmark
            pointed = _BENCH_ANAPHOR.search(sentence)
            bench = _last_of_type(mentions, order, cursor, "Benchmark") if pointed is not None else None
            if bench is not None and "\n" not in text[mentions[bench].end : s_start + pointed.start()]:
                # "发布新基准 X；M 在该基准上成功率为 54.2%，比 N 高出 9 个百分点": the benchmark named
                # before on its line (on an earlier line, the one meant may be a label kg did not read)
                at = s_start + pointed.end()
                named_here = [mentions[i] for i in inside]
                score, metric, _ = _score_after(text, at, s_end, span, named_here)
                for m in sorted(models, key=lambda c: mentions[c].start):
                    if not _DERIVED_FROM.match(text, mentions[m].end):
                        add(FoundRelation("evaluatedOn", m, bench, span, score, metric))
                        score = metric = None  # the number after the benchmark is the first model's
        if benches:
            lead = None  # who the sentence is about when it names no model but points back at one
            if models:
                subjects = models
                if all(_base_or_rival(text, mentions[c], s_start) for c in models) and _ANAPHOR.search(sentence):
                    lead = last_model()  # "该模型…性能接近 M": the model named before, and M beside it
                elif _subject_dropped(text, mentions, models, benches, s_start):
                    # "在 X 上达到 85.5 分，优于 M": the subject is left out, M is a rival
                    lead = last_model() if item_model is None else item_model
            elif _PLURAL.search(sentence):
                subjects = last_models()  # "两款模型在 X 中表现出色"
            elif _METHOD_SUBJECT.search(sentence) or own_methods and any(
                _name_key(text, mentions[t]) in own_methods for t in techs
            ):
                subjects = []  # "在 X 上，该方法 / Trokens 取得…": the item's method, no model
            elif (sized := _SIZE_SUBJECT.search(text, s_start, min(mentions[b].start for b in benches))) is not None:
                # "14B 模型在 X 上…", "7B 版本在 X 上…": the item's model of that size
                subjects = _listed(_sized_model(text, mentions, sized, item_model) or last_model())
            elif (
                scored_last is not None
                and scored_last[0] == s_start
                and not _NAME_LIKE.search(text, s_start, min(mentions[b].start for b in benches))
            ):
                # "在 M 上，X 从 16.7 提升到 43.3；在 Y 与 Z 上也有大幅提升": the clause before it on the
                # same line scored M, the model a method was tried on (no subject of its own before the
                # benchmark: not "SMR 在 RULER 上…", where the method is)
                subjects = [scored_last[1]]
            else:
                subjects = _listed(last_model())
            if lead is not None:
                subjects = [lead, *subjects]
            strong = bool(_EVAL.search(sentence))
            listed_after: _Span | None = None  # the last benchmark read as an evaluation
            for b in benches:
                bench = mentions[b]
                if not strong and not (
                    _EVAL_BEFORE.search(text, max(s_start, bench.start - 20), bench.start)
                    or _EVAL_AFTER.match(text[bench.end : bench.end + 8])
                    or _SCORED.match(text, bench.end, min(s_end, bench.end + 24))
                    # "在 A、B、C、D 等 15 项基准上": a list the cue before its first name opens
                    or listed_after is not None and _JOINED_NAMES.fullmatch(text, listed_after.end, max(listed_after.end, bench.start))
                ):
                    continue
                listed_after = bench
                if _TRAINED_ON.match(text, bench.end, min(s_end, bench.end + 24)) or _BASED_ON.search(
                    text, max(s_start, bench.start - 4), bench.start
                ):
                    continue  # training data: "在 C4 数据集上预训练", "The Pile（约 200B tokens 用于训练）"
                m = lead if lead is not None else _nearest(mentions, b, subjects)
                if m is None:
                    continue
                named_here = [mentions[i] for i in inside]
                score, metric, at = _score_after(text, mentions[b].end, s_end, span, named_here, mentions[b].start)
                # with one benchmark, a model's own number is its score ("超越了 GPT-5 的 93.2 分")
                own = {c: _own_score(text, mentions[c], s_end, named_here) for c in subjects} if len(benches) == 1 else {}
                if m in own and own[m][0] is not None:
                    score, at = own[m]
                    metric = _metric_near(text, span, at)
                elif any(at >= 0 and a == at for _, a in own.values()) or (
                    0 <= at < mentions[m].start and _base_or_rival(text, mentions[m], s_start)
                ):
                    score = metric = None  # the number is a rival's, or the unnamed subject's before a rival
                add(FoundRelation("evaluatedOn", m, b, span, score, metric))
                if _TESTBED_BEFORE.search(text, max(s_start, mentions[m].start - 3), mentions[m].start) and _TESTBED_AFTER.match(
                    text, mentions[m].end
                ):
                    scored_last = (_next_clause_start(text, s_end), m)
                # models compared on the same benchmark in the same sentence were evaluated on it too
                # (not the base another was built from: "该模型在 M 的基础上训练，在 X 上取得…")
                for other in subjects:
                    if other != m and _DERIVED_FROM.match(text, mentions[other].end):
                        continue
                    other_score, other_at = own.get(other, (None, -1))
                    other_metric = _metric_near(text, span, other_at) if other_score else None
                    add(FoundRelation("evaluatedOn", other, b, span, other_score, other_metric))
        use_cues = _cues(_USE, text, s_start, s_end) if techs else None  # the rest on demand
        kinds = _kind_of_model(text, mentions, models, techs) if techs and models else []
        if techs and use_cues and not _BACKGROUND.match(sentence):
            free_models = _free_models(text, mentions, models, s_start)
            kind_of = {t for _, t in kinds}  # "基于 MoE 模型 N": the method is N's, not the subject's
            # in a paper's write-up, what no named model uses the paper and its own model use
            owners = [o for o in (paper, paper_model) if o is not None]
            subjects = free_models
            # a sentence whose models are all bases or rivals speaks of the last model only when it
            # says so ("该模型基于 M 继续预训练，使用了 X", "与上一代 M 相比，新模型改用 X")
            if not subjects and not owners and (not models or _ANAPHOR.search(sentence)):
                subjects = _listed(last_model())
            if not subjects and not owners and paper_here is not None:
                owners = [paper_here]  # no model to speak of: the paper its line cites
            for t in techs:
                use_at = _cue_before(use_cues, mentions[t].start)
                if t in kind_of or use_at is None or not (
                    _governs(text, use_at.end(), mentions[t].start, mentions, inside)
                    or _enumerated(text, use_at.end(), mentions[t].start, mentions, techs)
                ):
                    continue
                if _NEGATED.search(text, max(s_start, use_at.start() - 4), use_at.start()):
                    continue  # "不使用 MCTS", "without using X": what the subject does without
                compared = _last(_COMPARED, text, use_at.end(), mentions[t].start)
                if compared is not None and _cue_before(use_cues, mentions[t].start, compared) is None:
                    continue  # "使用 A 替代标准的 B", "比 B 提升": B is what it was measured against
                if not subjects:
                    # "作者用 X 训练…": the authors, so the paper, not its model
                    by_authors = _AUTHORS.search(text, s_start, use_at.start())
                    for owner in owners[:1] if by_authors else owners:
                        add(FoundRelation("uses", owner, t, span))
                    continue
                before_cue = [c for c in subjects if mentions[c].end <= use_at.start()]
                if before_cue:
                    s = max(before_cue, key=lambda c: mentions[c].end)
                elif _OPENING_ANAPHOR.match(text, s_start) and (lead := last_model()) is not None:
                    s = lead  # "这是一个…的 MoE 模型，同时放出了 A 和 B": the model named before, not A or B
                else:
                    s = _nearest(mentions, t, subjects)
                if s is not None:
                    add(FoundRelation("uses", s, t, span))
                    if before_cue and (together := _TOGETHER.search(text, mentions[s].end, use_at.start())):
                        others = _joined_before(text, mentions, before_cue, s)  # "A 和 B 都是 MoE 架构"
                        if not others and _PLURAL.fullmatch(together.group()):
                            others = _other_of_pair(text, mentions, before_cue, s)  # "A，以及…的 B，两者均为 MoE 架构"
                        for other in others:
                            add(FoundRelation("uses", other, t, span))
        if techs and models:
            for m, t in (
                kinds
                + _described_by(text, mentions, models, techs)
                + _methods_of(text, mentions, models, techs, inside)
            ):
                add(FoundRelation("uses", m, t, span))
        papers_here = by_type.get("Paper", [])
        if papers_here and orgs and _AFFILIATION_CUE.search(sentence):
            for o in orgs:
                add(FoundRelation("affiliatedWith", papers_here[0], o, span))
        elif orgs and paper_here is not None and not papers_here and _AUTHORED.search(sentence):
            # "本文由北京大学和蚂蚁集团的研究者共同完成", "浙大团队提出…": the write-up's paper
            for o in orgs:
                add(FoundRelation("affiliatedWith", paper_here, o, span))
        elif orgs and paper_here is not None and not papers_here:
            # "NVIDIA 联合 MIT、香港大学和清华大学提出 X": the organizations the sentence opens on propose
            for o in _proposing_orgs(text, mentions, orgs, s_start):
                add(FoundRelation("affiliatedWith", paper_here, o, span))
        # what a paper's contribution section names, the paper introduces: no cue is needed there
        in_contribution = bool(contribution) and any(a <= s_start < b for a, b in contribution)
        proposable = paper_here is not None and any(
            mentions[i].gazetteer_id is None and mentions[i].type in _PROPOSABLE for i in inside
        )
        propose_cues = _cues(_PROPOSE, text, s_start, s_end) if proposable else []
        if proposable and (in_contribution or propose_cues):
            if use_cues is None:
                use_cues = _cues(_USE, text, s_start, s_end)
            for i in inside:
                m = mentions[i]
                if m.type not in _PROPOSABLE or m.gazetteer_id is not None:
                    continue
                if m.source == "cue" and not _PROPOSED_HERE.search(text, max(s_start, m.start - 12), m.start):
                    continue  # a name typed by its cue word is proposed only right after the cue: "提出了 X 框架"
                if m.type == "Model" and _base_or_rival(text, m, s_start):
                    continue  # "release C-14B, a Qwen3-14B fine-tune": the base, not the paper's
                used = _cue_before(use_cues, m.start)
                cue = _cue_before(propose_cues, m.start)
                builds_on = used is not None and (cue is None or used.start() > cue.start())
                if builds_on and not _describes_proposal(text, cue, used, m.end):
                    continue  # the nearer cue says the paper builds on it: "开发，基于 X", "沿用 X"
                if cue is not None or m.type != "Model":  # a model a contribution names is often its base
                    add(FoundRelation("proposes", paper_here, i, span))
        if models:
            named.append((s_start, models))
    if headings:
        for a, b in _sections(text, headings, _EXPERIMENT_HEADING):
            # an experiment section whose bullets name the benchmarks ("核心数据集：A、B") apart
            # from the models ("在 M 模型上，…"): those models were run on those benchmarks
            sentence_types: dict[tuple[int, int], set[str]] = {}
            inside = []
            for i in order:
                if a <= mentions[i].start < b and mentions[i].type in ("Model", "Benchmark"):
                    where = _sentence_of(sentences, mentions[i].start)
                    sentence_types.setdefault(where, set()).add(mentions[i].type)
                    inside.append((i, where))
            models = [i for i, w in inside if mentions[i].type == "Model" and len(sentence_types[w]) == 1]
            benches = [i for i, w in inside if mentions[i].type == "Benchmark" and len(sentence_types[w]) == 1]
            if len(models) * len(benches) <= MAX_SECTION_PAIRS:
                for bench in benches:
                    where = _sentence_of(sentences, mentions[bench].start)
                    for model in models:
                        add(FoundRelation("evaluatedOn", model, bench, where))
    reported: list[tuple[int, str]] = []  # (paper, the name of a model its title opens on)
    for i, m in enumerate(mentions) if papers else ():
        if m.source == "paper-short-name":
            # the short name a title opens with ("SegPO: …") is what that paper proposes
            name = text[m.start : m.end]
            titled = [p for p in papers if text[mentions[p].start : mentions[p].end].lstrip("\"'“《*").startswith(name)]
            owner = titled[0] if titled else (_paper_for(mentions, papers, m.start) or paper) if paper is not None else None
            if owner is not None:
                add(FoundRelation("proposes", owner, i, _sentence_of(sentences, m.start)))
                if m.type == "Model":
                    reported.append((owner, name))  # "Magma: A Foundation Model …" reports Magma-8B too
        if m.type == "Model" and m.source != "paper-short-name":
            # "Qwen3.6 Technical Report", "gpt-oss-120b & gpt-oss-20b Model Card", "NVIDIA Nemotron Nano 2:
            # An Accurate …": a title that opens on models' names is their report
            owner = next((p for p in papers if _title_names(text, mentions[p], m)), None)
            if owner is not None:
                add(FoundRelation("proposes", owner, i, _sentence_of(sentences, m.start)))
                reported.append((owner, text[m.start : m.end]))
        if m.type == "Technique" and m.gazetteer_id is not None and m.source != "paper-short-name":
            # a known method a paper's title names ("… Policy Divergence Measures in GRPO") is one it uses
            within = [p for p in papers if mentions[p].start <= m.start and m.end <= mentions[p].end]
            if within and not _SURVEY.search(text, mentions[within[0]].start, mentions[within[0]].end):
                add(FoundRelation("uses", within[0], i, _sentence_of(sentences, m.start)))
        if m.type == "Organization" and (
            m.source in ("affiliation", "header-org", "from-team") or on_affiliation_line(text, m.start)
        ):
            owner = paper if m.source == "header-org" and paper is not None else _paper_for(mentions, papers, m.start)
            if owner is not None:
                add(FoundRelation("affiliatedWith", owner, i, _sentence_of(sentences, m.start)))
    if papers and "Model" in types:
        for owner, model in _named_after_paper(text, mentions, papers):
            add(FoundRelation("proposes", owner, model, _sentence_of(sentences, mentions[model].start)))
    if papers and "Model" in types:
        # the report of a model is the report of its sizes and editions the item names ("Kimi-Audio
        # Technical Report": Kimi-Audio-7B-Instruct; a paper proposing Ouro: Ouro-1.4B-Thinking)
        proposed = {
            (r.source, text[mentions[r.target].start : mentions[r.target].end])
            for r in found.values()
            if r.type == "proposes" and mentions[r.target].type == "Model"
        }
        for owner, name in sorted({*reported, *proposed}):
            for i, m in enumerate(mentions):
                if m.type == "Model" and _is_edition(text[m.start : m.end], name):
                    add(FoundRelation("proposes", owner, i, _sentence_of(sentences, m.start)))
    if results and "Benchmark" in types:
        # an item that introduces one benchmark scores models on it without naming it again
        # ("WebCraft-Bench … GLM-5 以 63.5% 的成功率居首，Claude Opus 4.5 为 61.8%")
        introduced = [r.target for r in found.values() if r.type == "proposes" and mentions[r.target].type == "Benchmark"]
        introduced += [i for i, m in enumerate(mentions) if m.type == "Benchmark" and m.end <= title_end]
        first: dict[str, int] = {}  # each name's first mention
        for b in sorted(introduced, key=lambda b: mentions[b].start):
            first.setdefault(_name_key(text, mentions[b]), b)
        forms = sorted(first.values(), key=lambda b: mentions[b].start)
        # one benchmark: one name, or a name and its acronym side by side ("Biology Arena BEnchmark (BABE)")
        side_by_side = all(
            _SIDE_BY_SIDE.fullmatch(text, mentions[a].end, max(mentions[a].end, mentions[b].start))
            for a, b in zip(forms, forms[1:])
        )
        if forms and side_by_side:
            for span, scored in results:
                if not _RESULT.search(text, *span):
                    continue
                for bench in forms:
                    if span[0] > mentions[bench].start:
                        for model in scored:
                            add(FoundRelation("evaluatedOn", model, bench, span))
    if {"Benchmark", "Model"} <= types:
        for model, bench, score in _ranked_lists(text, mentions, order):
            add(FoundRelation("evaluatedOn", model, bench, _sentence_of(sentences, mentions[model].start), score))
        for model, bench, line in _labelled_results(text, mentions, order, item_model):
            add(FoundRelation("evaluatedOn", model, bench, line))
    if title_models and "Organization" in types:
        # a release note's field: "developer : OpenAI" under "[NEW] gpt-oss-120b / gpt-oss-20b"
        for field in _MAKER_FIELD.finditer(text, title_end):
            if field.group(1) == "机构" and paper is not None:
                continue  # a paper's 机构 are its authors' (affiliatedWith)
            line_end = text.find("\n", field.end())
            line_end = len(text) if line_end < 0 else line_end
            where = _sentence_of(sentences, field.start())
            for o in range(len(mentions)):
                if mentions[o].type == "Organization" and field.end() <= mentions[o].start < line_end:
                    for model in title_models:
                        add(FoundRelation("developedBy", model, o, where))
    if "Organization" in types and "Model" in types:
        # a section headed by a lab's name ("## 智谱（Zhipu AI）") whose entries are its releases
        for model, maker in _heading_org_entries(text, mentions, title_end):
            add(FoundRelation("developedBy", model, maker, _sentence_of(sentences, mentions[model].start)))
        for model, maker in _org_colon_lines(text, mentions, order):
            add(FoundRelation("developedBy", model, maker, _sentence_of(sentences, mentions[model].start)))
    if subject_model is not None:
        for i in header:
            if mentions[i].type == "Organization":
                add(FoundRelation("developedBy", subject_model, i, (0, title_end)))
    if len(header) >= 2:
        _pair_header_makers(text, mentions, header, title_end, found)
    if "Model" in types and "Organization" in types:
        for member, maker, where in _family_makers(text, mentions, found, sentences):
            add(FoundRelation("developedBy", member, maker, where))
    if paper is not None and subject_model is not None and mentions[paper].source == "arxiv-id":
        # a paper the item links but never names ("[相关论文](…)") is the report of the one model it
        # is about, and of that model's sizes and editions it names
        for i in _with_editions(text, mentions, subject_model):
            add(FoundRelation("proposes", paper, i, _sentence_of(sentences, mentions[i].start)))
    if papers and item_model is not None:
        # the paper that proposes the item's model (or one of its sizes, editions) is by the model's
        # makers ("英伟达发布 M … 论文: M: Advancing …"), wherever in the item each is said
        models = set(_with_editions(text, mentions, item_model))
        makers = [r for r in found.values() if r.type == "developedBy" and r.source in models]
        for r in [r for r in found.values() if r.type == "proposes" and r.target in models]:
            for made in makers:
                add(FoundRelation("affiliatedWith", r.source, made.target, made.sentence))
    # a paper does not "use" what it proposes, wherever in the item either is said (its model does)
    proposed = {(r.source, _name_key(text, mentions[r.target])) for r in found.values() if r.type == "proposes"}
    return sorted(
        (r for r in found.values() if r.type != "uses" or (r.source, _name_key(text, mentions[r.target])) not in proposed),
        key=lambda r: (r.sentence, r.type, r.source, r.target),
    )


_MEMBER_SUFFIX = re.compile(r"[ \-_]?(?:[A-Za-z][\w.]*|\d+(?:\.\d+)?[BbMmKk]\b)(?:[ \-_][A-Za-z0-9][\w.]*){0,3}$")
"""What a member's name adds to its family's: up to four words, opening on a word or a size, not on
a version ("Nova 2" → "Nova 2 Lite", "Qwen3" → "Qwen3-Coder-480B-A35B", "Qwen3" → "Qwen3-8B"; not
"Llama" → "Llama 2", another release)."""
_LINEUP = re.compile(
    r"系列|家族|包括|包含|分别是|分别为|[两三四五六多]款|[两三四五六多]个(?:版本|模型|检查点)|检查点|尺寸|规格|基座版|指令版"
    r"|lineup|family|versions|variants|sizes|comes in|including|checkpoints",
    re.I,
)
"""Words of a sentence that lists a family's members."""


def _family_makers(
    text: str, mentions: Sequence[_Span], found: dict[tuple[str, int, int], FoundRelation], sentences: list[tuple[int, int]]
) -> list[tuple[int, int, tuple[int, int]]]:
    """(member, maker, sentence) for each model the item names as a member of a family it says an
    organization made ("亚马逊发布 Nova 2 系列 … 本次包括 Nova 2 Lite、Nova 2 Pro"), when nothing
    in the item says who made the member itself. A family neither the gazetteer nor the model-name
    parser's series know is one the item introduces, so its members are its makers' wherever they
    are named, unless as a base or a rival ("微软研究院提出 VibeVoice 系列 … VibeVoice-1.5B 以 M 为底座");
    a known family's members count only where a sentence lists them, as a known name is often
    another release, and a known line's maker read wrongly would spread ("阿里发布 Qwen3。评测中
    Qwen3-8B 略逊一筹")."""
    makers: dict[str, list[int]] = {}  # a family's name as written -> its makers in this item
    stated: dict[str, set[tuple[int, int]]] = {}  # a family's name -> the sentences saying who made it
    made = set()
    new_names: set[str] = set()  # families kg did not know before this item: what it introduces
    for r in found.values():
        if r.type == "developedBy":
            made.add(r.source)
            family = text[mentions[r.source].start : mentions[r.source].end]
            makers.setdefault(family, []).append(r.target)
            stated.setdefault(family, set()).add(r.sentence)
            if mentions[r.source].gazetteer_id is None and not of_known_series(family):
                new_names.add(family)
    out = []
    for i, m in enumerate(mentions):
        if m.type != "Model" or i in made:
            continue
        name = text[m.start : m.end]
        for family, orgs in makers.items():
            prefix = _family_prefix(family).match(name)  # "Kimi K2" opens "Kimi-K2-Base" too
            if prefix is None or prefix.end() >= len(name) or not _MEMBER_SUFFIX.fullmatch(name, prefix.end()):
                continue
            where = _sentence_of(sentences, m.start)
            listed = (
                where in stated[family]
                or _LINEUP.search(text, *where) is not None
                or family in new_names and not _base_or_rival(text, m, where[0])
            )
            if listed and not (name[prefix.end()].isalnum() and family[-1].isalnum()):  # "Qwen3" is no family of "Qwen35"
                out += [(i, o, where) for o in orgs]
            break
    return out


@lru_cache(maxsize=4096)
def _family_prefix(family: str) -> re.Pattern[str]:
    """A family's name at the start of a member's, a space, hyphen or underscore written any of the three ways."""
    return re.compile("".join("[ \\-_]" if ch in " -_" else re.escape(ch) for ch in family))


def _name_key(text: str, mention: _Span) -> str:
    """A mention's name as the item writes it, folded: two mentions of one name share it."""
    return _NAME_NOISE.sub("", text[mention.start : mention.end].casefold())


_NAME_NOISE = re.compile(r"[\s\-_.]+")


def _listed(i: int | None) -> list[int]:
    return [] if i is None else [i]


def _cues(cue: _Cue, text: str, start: int, end: int) -> list[re.Match[str]]:
    """Every match of a cue in text[start:end], in order."""
    return cue.finditer(text, start, end)


def _cue_before(cues: list[re.Match[str]], end: int, start: int = 0) -> re.Match[str] | None:
    """The last of a sentence's cues that lies within text[start:end]."""
    for m in reversed(cues):
        if m.end() <= end:
            return m if m.start() >= start else None
    return None


def _governs(text: str, cue_end: int, at: int, mentions: Sequence[_Span], inside: list[int]) -> bool:
    """Whether a cue ending at ``cue_end`` reaches the name at ``at``: no clause ends between
    them, once names and bracketed asides are set apart ("采用 A、B (Long Name, LN) 与 C")."""
    if not _BREAK.search(text, cue_end, at):
        return True
    pieces = []
    start = cue_end
    for i in inside:
        m = mentions[i]
        if cue_end <= m.start and m.end <= at:
            pieces.append(text[start : m.start])
            start = m.end
    pieces.append(text[start:at])
    gap = _ASIDE.sub(" ", " ".join(pieces))
    gap = gap[: max(gap.rfind("("), gap.rfind("（"))] if "(" in gap or "（" in gap else gap  # ``at`` inside an aside
    return not _BREAK.search(gap) or not gap.strip(" ,，、和与及&/andor")


def _enumerated(text: str, cue_end: int, at: int, mentions: Sequence[_Span], techs: list[int]) -> bool:
    """Whether the method at ``at`` goes on a list of parts a cue opens, each clause opening on a
    method: "采用 RMSNorm 进行归一化, SwiGLU 激活, RoPE 进行位置编码"."""
    starts = {mentions[t].start for t in techs}
    clause = _last(_BREAK, text, cue_end, at)
    if clause is None or _CLAUSE_OPENING.match(text, clause + 1).end() != at:
        return False
    first = _CLAUSE_OPENING.match(text, cue_end).end()
    if first not in starts:
        return False  # the cue's own clause opens on its method too
    while clause is not None and clause >= cue_end:
        opening = _CLAUSE_OPENING.match(text, clause + 1).end()
        if opening not in starts:
            return False
        clause = _last(_BREAK, text, cue_end, clause)
    return True


_CLAUSE_OPENING = re.compile(r"\s*")
_ASIDE = re.compile(r"\([^()\n]*\)|（[^（）\n]*）")
_RIVAL_OWNER = re.compile(
    r"(?:(?<![缩占类无好])比|超越了?|超过了?|远超|优于|高于|低于|不及|不如|逊于|落后于?|领先于?|胜过|击败了?|相比|相较|接近)"
    r"\s*[^\s，。,;；、：:（）()]{1,10}?的\s*$"
)
"""Before a model, its owner's possessive after a rival cue ("超过字节Seed的 M", "优于阿里的 M")."""
_TITLE_RIVAL = re.compile(
    r"(?:超越|超过|优于|高于|比肩|媲美|对标|追平|看齐|击败|胜过|打败|逼近|接近|[Bb]eats?|[Oo]utperforms?|[Rr]ivals?|[Mm]atches|than|vs\.?)"
    r"了?\s*(?:[^\s，。,;；：:]{1,6}的)?\s*$"
)
"""Before a title's model: it is what the item's model is set against ("…让 9B 模型超过 UI-TARS")."""
_DERIVED_FROM = re.compile(rf"\s*(?:{_BUILT_FROM})")
"""After a model: it is what another was built from, not one compared."""


_RELEASED_BASE_MODEL = re.compile(r"(?:发布|推出|开源|放出|释出|上线)了?\s*(?:一个|一款|新的?)?\s*(?:基座|底座)模型\s*$")
"""Before a model: it is released as a base model ("开源了基座模型 M"), not named as another's base."""


def _base_or_rival(text: str, model: _Span, clause_start: int) -> bool:
    """Whether a model is named as a base, a source, an example or a rival in its sentence."""
    if _RELEASED_BASE_MODEL.search(text, max(clause_start, model.start - 14), model.start):
        return False
    if not (
        _NOT_THE_USER.search(text, max(clause_start, model.start - 6), model.start)
        or _RIVAL_OWNER.search(text, max(clause_start, model.start - 18), model.start)
        or _BASE_AFTER.match(text, model.end, model.end + 12)
    ):
        return False
    # unless it is the subject of its own clause: "（如 M 用 X 抽取…）"
    return not _USE.match(text, model.end + (text[model.end : model.end + 1] == " "))


def _describes_proposal(text: str, cue: re.Match[str] | None, used: re.Match[str], name_end: int) -> bool:
    """Whether a use cue right after a proposal cue describes what is proposed, the name ending
    the phrase ("提出基于惊奇度的整合策略（X）"): X is proposed, not what the paper builds on. When
    the phrase goes on ("提出一种利用 X 进行…的框架"), X is what the proposal uses."""
    return (
        cue is not None
        and _MODIFIER_GAP.fullmatch(text, cue.end(), used.start()) is not None
        and _PHRASE_END.match(text, name_end) is not None
    )


_TOGETHER = re.compile(r"都|均|同样|两者|二者|\bboth\b", re.I)
_JOINER = re.compile(r"与|和|及|、|,|，|\band\b")
_SENTENCE_PART_END = re.compile(r"[；;：:。！？!?]")


def _joined_before(text: str, mentions: Sequence[_Span], models: list[int], last: int) -> list[int]:
    """The models listed with ``last`` right before it ("A 和 B", "A 与其轻量版 B"), nearest first."""
    joined = []
    for c in sorted(models, key=lambda c: mentions[c].end, reverse=True):
        if c == last:
            continue
        gap = text[mentions[c].end : mentions[joined[-1] if joined else last].start]
        if len(gap) > 12 or not _JOINER.search(gap) or _SENTENCE_PART_END.search(gap):
            break
        joined.append(c)
    return joined


def _other_of_pair(text: str, mentions: Sequence[_Span], models: list[int], last: int) -> list[int]:
    """The model named before ``last`` under another name, when "两者" / "both" speak of the two."""
    name = _name_key(text, mentions[last])
    earlier = [c for c in models if mentions[c].end <= mentions[last].start and _name_key(text, mentions[c]) != name]
    return [max(earlier, key=lambda c: mentions[c].end)] if earlier else []


def _proposing_orgs(text: str, mentions: Sequence[_Span], orgs: list[int], s_start: int) -> list[int]:
    """The organizations a sentence (or its line) opens on when they propose something ("A 联合
    B、C 提出 X", "A 与 B 等提出 X"): the authors of the paper the item is about; none otherwise."""
    ordered = sorted(orgs, key=lambda o: mentions[o].start)
    first = mentions[ordered[0]].start
    line_start = max(s_start, text.rfind("\n", s_start, first) + 1)
    if not _SENTENCE_OPENING.fullmatch(text, line_start, first):
        return []
    run = [ordered[0]]
    for o in ordered[1:]:
        if not _ORGS_JOINED.fullmatch(text, mentions[run[-1]].end, mentions[o].start):
            break
        run.append(o)
    return run if _THEN_PROPOSE.match(text, mentions[run[-1]].end) else []


def _last_of_type(mentions: Sequence[_Span], order: list[int], cursor: int, type_: str) -> int | None:
    """The mention of ``type_`` named last before ``order[cursor]`` (mentions in text order), if any."""
    for j in range(cursor - 1, -1, -1):
        if mentions[order[j]].type == type_:
            return order[j]
    return None


def _member_named(text: str, mentions: Sequence[_Span], models: list[int], member: int) -> bool:
    """Whether ``member`` is named as one of another of ``models`` ("公开 Nemotron 3 系列，首个是
    Nemotron 3 Nano"): a family and its member, not models compared."""
    name = text[mentions[member].start : mentions[member].end]
    return any(_extends(name, text[mentions[m].start : mentions[m].end]) for m in models if m != member)


def _with_editions(text: str, mentions: Sequence[_Span], model: int) -> list[int]:
    """Every model mention named as ``model`` is, or as one of its sizes or editions ("Kimi-Audio",
    "Kimi-Audio-7B-Instruct")."""
    own = text[mentions[model].start : mentions[model].end]
    return [
        i
        for i, m in enumerate(mentions)
        if m.type == "Model" and (text[m.start : m.end] == own or _extends(text[m.start : m.end], own))
    ]


def _extends(name: str, family: str) -> bool:
    """Whether ``name`` is ``family``'s name and more after a space, hyphen or underscore
    ("Nemotron 3 Nano" of "Nemotron 3", "Kimi-Audio-7B" of "Kimi-Audio")."""
    return name.startswith(family) and name[len(family) : len(family) + 1] in (" ", "-", "_")


def _is_edition(name: str, family: str) -> bool:
    """``_extends`` with the family's spaces, hyphens and underscores written any of the three ways
    ("Kimi-K2-Base" of "Kimi K2")."""
    prefix = _family_prefix(family).match(name)
    return prefix is not None and name[prefix.end() : prefix.end() + 1] in (" ", "-", "_")


def _free_models(text: str, mentions: Sequence[_Span], models: list[int], clause_start: int) -> list[int]:
    """The models of a sentence that are neither bases nor rivals: a model listed right after one
    that is ("优于 Thyme、DeepEyes") is one too."""
    free = []
    previous: _Span | None = None
    previous_free = True
    for c in sorted(models, key=lambda c: mentions[c].start):
        model = mentions[c]
        gap = (previous.end, max(previous.end, model.start)) if previous is not None else None
        listed = gap is not None and (
            _JOINED_NAMES.fullmatch(text, *gap) or not previous_free and _NEXT_RIVAL.fullmatch(text, *gap)
        )
        is_free = previous_free if listed else not _base_or_rival(text, model, clause_start)
        if is_free and listed and _DERIVED_FROM.match(text, model.end):
            # "以 A 和 B 基座为起点": the last of the names is said to be a base, so are those joined to it
            is_free = False
            while free and _JOINED_NAMES.fullmatch(text, mentions[free[-1]].end, max(mentions[free[-1]].end, model.start)):
                model = mentions[free.pop()]
        if is_free:
            free.append(c)
        previous, previous_free = mentions[c], is_free
    return free


_SIZE_SUBJECT = re.compile(
    r"(?<![\w.\-])(\d+(?:\.\d+)?)\s*([BM])\s*(?:参数)?(?:的)?\s*(?:模型|版本|版|models?\b|versions?\b|variants?\b)"
)
"""A model named by its size alone: "14B模型", "7B 版本", "the 8B model"."""


def _sized_model(text: str, mentions: Sequence[_Span], sized: re.Match[str], item_model: int | None) -> int | None:
    """The model of the item whose name has the size ``sized`` gives: one of the item's own
    model's sizes first, else the first so named that is no base or rival on its line."""
    size = re.compile(rf"(?<![\d.]){re.escape(sized.group(1))}\s*{sized.group(2)}(?![A-Za-z0-9])", re.I)
    found = [i for i, m in enumerate(mentions) if m.type == "Model" and size.search(text, m.start, m.end)]
    if item_model is not None:
        family = text[mentions[item_model].start : mentions[item_model].end]
        own = [i for i in found if _extends(text[mentions[i].start : mentions[i].end], family)]
        if own:
            return own[0]
    for i in found:
        if not _base_or_rival(text, mentions[i], text.rfind("\n", 0, mentions[i].start) + 1):
            return i
    return None


_BASE_CUE_BEFORE = re.compile(r"(?:基于|从|由|用|以|在|[Bb]ased on|[Bb]uilt on|on top of|[Ff]ine-?tuned on|[Ii]nitiali[sz]ed with)\s*$")
"""Before a base that training words follow ("基于 M 训练"); ``_TUNED_FROM`` needs none."""
_TRAINED_AFTER = re.compile(
    r"\s*(?:的权重)?\s*(?:上)?\s*(?:继续|进一步|再)?(?:进行)?(?:训练|微调|预训练|后训练|蒸馏|打造|构建|初始化|改进而来|得到|出发)"
    r"|(?![^，。,；;\n]{0,12}?(?:教师|老师|[Tt]eacher))[^，。,；;\n]{0,12}?(?:剪枝|蒸馏|量化|压缩)(?:\s*[（(][^()（）\n]{0,30}[)）])?\s*(?:得到|而来|而成)"
)
"""After a base: the training that made a model of it ("基于 M 训练", "由 M 结构化剪枝（pruning）得到"; not
"以 M 为教师蒸馏而来": a teacher is not what the student varies)."""
_RESPECTIVELY = re.compile(r"分别|respectively")
_TUNED_FROM = re.compile(r"(?:[Ff]ine-?tuned|[Ii]nitiali[sz]ed|[Dd]istilled|[Tt]rained)\s+(?:from|on top of)\s+$")
"""Before a base, whatever follows it: "fine-tuned from M", "distilled from M"."""
_TOOL_USE = re.compile(r"(?:用|使用|利用|借助|调用|通过)\s*$")
_MADE = re.compile(r"\s*(?:上)?\s*(?:继续|进一步)?(?:训练|微调|蒸馏)(?:得到|出|而成|的)了?\s*")


def _built_on(
    text: str,
    mentions: Sequence[_Span],
    models: list[int],
    s_start: int,
    last_model: Callable[[], int | None],
    last_models: Callable[[], list[int]],
) -> list[tuple[int, int]]:
    """(model, its base) for each base a sentence says a model was built from: "X 基于 M 训练",
    "X 在 M 的基础上微调", "X 以 M 为底座", "X 由 M 初始化", "X, fine-tuned from M". A base is a
    model of its own that X varies, as a fine-tune is a variant of what it was tuned from. The
    model built is the free one named before the base, else the one the text spoke of last
    ("模型以 M 为基座", "两者均由 M 初始化"); "A 与 B 分别以 M1、M2 为底座" pairs them in order."""
    ordered = sorted(models, key=lambda c: mentions[c].start)
    bases: list[int] = []
    for k, c in enumerate(ordered):
        m = mentions[c]
        # "在 A 与 B 上微调": the run of names joined to the one the training words follow
        run_end = k
        while run_end + 1 < len(ordered) and _JOINED_NAMES.fullmatch(text, mentions[ordered[run_end]].end, mentions[ordered[run_end + 1]].start):
            run_end += 1
        after = mentions[ordered[run_end]].end
        if (
            _DERIVED_FROM.match(text, m.end)
            or _BASE_CUE_BEFORE.search(text, max(s_start, m.start - 16), m.start)
            and (_TRAINED_AFTER.match(text, m.end) or run_end > k and (_TRAINED_AFTER.match(text, after) or _DERIVED_FROM.match(text, after)))
            or _TUNED_FROM.search(text, max(s_start, m.start - 20), m.start)
        ):
            bases += [b for b in ordered[k : run_end + 1] if b not in bases]
    if not bases:
        return []
    first_base = mentions[bases[0]].start
    before = [
        c
        for c in ordered
        if mentions[c].start < first_base and c not in bases and not _TOOL_USE.search(text, max(s_start, mentions[c].start - 4), mentions[c].start)
    ]
    built = _free_models(text, mentions, before, s_start)
    made = _MADE.match(text, mentions[bases[-1]].end)
    if made is not None:  # "基于 M 微调得到 X": X is what was built
        built = [c for c in ordered if mentions[c].start == made.end()] or built
    if len(bases) > 1 and len(built) == len(bases) and _RESPECTIVELY.search(text, s_start, first_base + 200):
        return list(zip(built, bases))
    if len(bases) > 1 and (pairs := _each_with_its_base(text, mentions, ordered, bases, s_start)):
        return pairs
    together = _PLURAL.search(text, s_start, first_base) or _TOGETHER.search(text, s_start, first_base)
    if not built:
        if before:
            return []  # the models before it are themselves rivals or sources
        built = last_models() if together else _listed(last_model())
    elif not together:
        # the model nearest the base, with the names joined to it ("A 与 B 由 M 剪枝得到")
        run = built[-1:]
        for c in reversed(built[:-1]):
            if not _JOINED_NAMES.fullmatch(text, mentions[c].end, mentions[run[0]].start):
                break
            run.insert(0, c)
        built = run
    base_name = _name_key(text, mentions[bases[0]])
    return [(b, bases[0]) for b in built if _name_key(text, mentions[b]) != base_name]  # one name twice is one model


def _each_with_its_base(
    text: str, mentions: Sequence[_Span], ordered: list[int], bases: list[int], s_start: int
) -> list[tuple[int, int]]:
    """"A 以 M1 为底座，B 以 M2 为底座": each base with the free model named last before it and
    after the base before; [] unless every base has one."""
    pairs = []
    since = s_start
    for b in bases:
        between = [c for c in ordered if since <= mentions[c].start < mentions[b].start and c not in bases]
        free = _free_models(text, mentions, between, since)
        if not free:
            return []
        pairs.append((free[-1], b))
        since = mentions[b].end
    return pairs


_CLAUSE_GAP = re.compile(r"[ \t]*")
_TESTBED_BEFORE = re.compile(r"在\s*$")
_TESTBED_AFTER = re.compile(r"\s*(?:模型)?\s*上")
"""Around a model a method was tried on: "在 M 上"."""


def _next_clause_start(text: str, end: int) -> int:
    """Where the sentence after the one ending at ``end`` starts if it goes on on the same line."""
    return _CLAUSE_GAP.match(text, end).end()


def _subject_dropped(text: str, mentions: Sequence[_Span], models: list[int], benches: list[int], start: int) -> bool:
    """Whether a sentence scores an unnamed subject and names models only as what it beat:
    a benchmark first ("在 X 上达到 85.5 分"), then a comparison before the first model
    ("显著优于 M 和 N"). Chinese leaves out a subject the reader already knows; a Latin word
    before the comparison that is no benchmark may be a subject kg does not know ("在 X 上，
    TactileVLA 达到 78%，比 M 高"), so then the subject is not taken to be left out."""
    first = min((mentions[c] for c in models), key=lambda m: m.start)
    bench = min((mentions[b] for b in benches), key=lambda m: m.start)
    first_bench = bench.start
    if first_bench > first.start:
        return False
    if not (
        _EVAL_BEFORE.search(text, max(start, first_bench - 20), first_bench)
        or _SCORED_AFTER.match(text, bench.end, min(first.start, bench.end + 24))
    ):
        return False
    compared = _last(_COMPARED, text, first_bench, first.start)
    if compared is None:
        # no comparison word, but the first model is set beside the subject ("…，与 M 基本持平")
        if not _base_or_rival(text, first, start):
            return False
        compared = first.start
    cut = _last(_BREAK, text, start, first_bench)
    clause_start = start if cut is None else cut + 1
    gap = list(text[clause_start:compared])
    for b in benches:
        for at in range(max(mentions[b].start, clause_start), min(mentions[b].end, compared)):
            gap[at - clause_start] = " "
    return _NAME_LIKE.search("".join(gap)) is None


_NAME_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{2,}")


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """Where the last match of ``pattern`` in text[start:end] begins."""
    at = None
    for m in pattern.finditer(text, start, end):
        at = m.start()
    return at


def _headings(text: str) -> list[tuple[int, str]]:
    """Every section heading of the item with where it starts.

    An indented heading is a step inside a section ("    1.  **教师准备**"), and a numbered one
    that does not go on from the last number ("4. 主要创新点" then "1.  **块感知增长策略**") is an
    entry of that section's list: neither ends the section.
    """
    out = []
    last = 0
    for line in _HEADING_LINE.finditer(text):  # an indented line is a step, not a heading
        m = _HEADING.match(text, line.start(), line.end())
        if m is None:
            continue
        if m.group(1) is not None:
            number = int(m.group(1))
            if number <= last:
                continue
            last = number
        out.append((m.start(), m.group(0)))
    return out


def _sections(text: str, headings: list[tuple[int, str]], label: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the item's sections whose heading ``label`` finds ("主要创新点", "实验效果"),
    each up to the next heading."""
    spans = []
    for n, (start, heading) in enumerate(headings):
        if label.search(heading):
            spans.append((start, headings[n + 1][0] if n + 1 < len(headings) else len(text)))
    return spans


_TITLE_HEAD_END = re.compile(r"\s*(?:[:：]|(?:[Tt]echnical [Rr]eport|[Tt]ech [Rr]eport|[Mm]odel [Cc]ard|[Ss]ystem [Cc]ard|技术报告)\b)")
_NAMES_BEFORE = re.compile(r"(?:[A-Z][\w.\-]*\s+){0,2}(?:[\w.\-]+\s*(?:&|and|和|与|、|,|/)\s*)*")
_MORE_NAMES = re.compile(r"(?:\s*(?:&|and|和|与|、|,|/)\s*[\w.\-]+)*")


def _title_names(text: str, paper: _Span, model: _Span) -> bool:
    """Whether ``paper``'s title opens on ``model``'s name, maybe after a maker's and beside other
    names, up to its colon or report words ("NVIDIA Nemotron Nano 2: …", "A & B Model Card"); not
    "Understanding R1-Zero-Like Training: …"."""
    if not paper.start <= model.start < model.end <= paper.end:
        return False
    opening = text[paper.start : model.start].lstrip("\"'“《*")
    if _NAMES_BEFORE.fullmatch(opening) is None:
        return False
    more = _MORE_NAMES.match(text, model.end, paper.end)
    return _TITLE_HEAD_END.match(text, more.end() if more else model.end, paper.end) is not None


def _line_paper(text: str, mentions: Sequence[_Span], papers: list[int], start: int, end: int) -> int | None:
    """The paper the sentence ``text[start:end]`` names first, else the last one named before it on
    its line ("[^2]: "MiniCPM4: …", arXiv 2506.07900 — OpenBMB. Proposes InfLLM v2.")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = None
    for p in papers:
        at = mentions[p].start
        if start <= at < end:
            return p
        if line_start <= at < start and (before is None or at > mentions[before].start):
            before = p
    return before


def _paper_for(mentions: Sequence[_Span], papers: list[int], at: int) -> int | None:
    """The paper a line at ``at`` belongs to: the nearest named before it, else the first after."""
    before = [p for p in papers if mentions[p].start <= at]
    if before:
        return max(before, key=lambda p: mentions[p].start)
    return min(papers, key=lambda p: mentions[p].start) if papers else None


_TITLE_NAME = re.compile(r"([A-Za-z][\w.\-]*(?: [\w.\-]+)?)\s*(?::|：|[Tt]echnical [Rr]eport|[Tt]ech [Rr]eport|技术报告)")
"""The name a paper's title opens with: "rStar2-Agent: …", "Hunyuan-MT Technical Report"."""


def _named_after_paper(text: str, mentions: Sequence[_Span], papers: list[int]) -> list[tuple[int, int]]:
    """(paper, model) for each model of the item whose name extends the name its paper's title
    opens with, when that name is not itself one of the item's models: the report "Hunyuan-MT
    Technical Report" introduces Hunyuan-MT-7B and Hunyuan-MT-Chimera-7B, "rStar2-Agent: …"
    introduces rStar2-Agent-14B."""
    out: list[tuple[int, int]] = []
    models: list[tuple[int, str]] | None = None
    for p in papers:
        opening = _TITLE_NAME.match(text, mentions[p].start, mentions[p].end)
        if opening is None:
            continue
        key = _NAME_NOISE.sub("", opening.group(1)).casefold()
        if len(key) < 3:
            continue
        if models is None:
            models = [
                (i, _NAME_NOISE.sub("", text[m.start : m.end]).casefold())
                for i, m in enumerate(mentions)
                if m.type == "Model" and not any(mentions[q].start <= m.start < mentions[q].end for q in papers)
            ]
        if any(name == key for _, name in models):
            continue  # the family is named as a model outside the titles: the paper proposes it, its members are its variants
        out += [(p, i) for i, name in models if name.startswith(key) and len(name) > len(key)]
    return out


def _item_paper(mentions: Sequence[_Span], papers: list[int], title_end: int) -> int | None:
    """The paper an item is about: the one in its title, else its only paper."""
    in_title = [i for i in papers if mentions[i].start < title_end]
    if in_title:
        return in_title[0]
    return papers[0] if len(papers) == 1 else None


def _paper_model(text: str, mentions: Sequence[_Span], subject_model: int | None) -> int | None:
    """The model a paper's write-up is about: the one it is named for or the one in its title,
    else a model it names at least three times and twice as often as any other."""
    if subject_model is not None:
        return subject_model
    counts: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        if m.type == "Model":
            counts.setdefault(text[m.start : m.end], []).append(i)
    ranked = sorted(counts.values(), key=len, reverse=True)
    if ranked and len(ranked[0]) >= 3 and (len(ranked) == 1 or len(ranked[0]) >= 2 * len(ranked[1])):
        return ranked[0][0]
    return None


_ENTRY_TERM = re.compile(r"^[ \t]*(?:[-*+•][ \t]+|\d{1,2}[.)、][ \t]*)?\*\*([^*\n]{1,200})\*\*", re.M)
"""An entry's bold term at the start of its line: "**GLM-4.5V**（08-11 · 开源）", "- **Hunyuan-7B**：…"."""
_NAMES_GLUE = re.compile(r"[\s()（）·/&、,，|—–\-]*")


def _heading_org_entries(text: str, mentions: Sequence[_Span], title_end: int) -> list[tuple[int, int]]:
    """(model, organization) for each model in the bold terms of an item whose title names nothing
    but organizations ("阿里通义千问团队（Qwen Team）"): a lab's section lists what the lab shipped."""
    in_title = sorted((i for i, m in enumerate(mentions) if m.start < title_end), key=lambda i: mentions[i].start)
    if not in_title or any(mentions[i].type != "Organization" for i in in_title):
        return []
    cursor = 0
    for i in in_title:
        if not _NAMES_GLUE.fullmatch(text, cursor, mentions[i].start):
            return []  # a headline about the lab, not its name
        cursor = mentions[i].end
    if not _NAMES_GLUE.fullmatch(text, cursor, title_end):
        return []
    out = []
    for term in _ENTRY_TERM.finditer(text, title_end):
        for i, m in enumerate(mentions):
            if m.type == "Model" and term.start(1) <= m.start and m.end <= term.end(1):
                out += [(i, o) for o in in_title]
    return out


_LINE_LEAD = re.compile(r"[ \t#>*\-•]*(?:\d{1,2}[.、)][ \t]*)?\**")
_ORG_COLON = re.compile(r"\**[ \t]*[:：]")


def _org_colon_lines(text: str, mentions: Sequence[_Span], order: list[int]) -> list[tuple[int, int]]:
    """(model, organization) for each model on a line that opens on an organization and a colon
    ("2. Physical Intelligence：π0 → π0-FAST → π0.5", "## 3. NVIDIA：GR00T N1 与 N1.5"): a lab and
    what it shipped: the models right after the colon, one after another. Not on a line naming a second
    organization, nor after other words ("微软亚洲研究院：7B 小模型数学推理追上 o1-preview")."""
    out = []
    k = 0
    while k < len(order):
        org = mentions[order[k]]
        line_start = text.rfind("\n", 0, org.start) + 1
        if org.type != "Organization" or _LINE_LEAD.match(text, line_start).end() != org.start:
            k += 1
            continue
        colon = _ORG_COLON.match(text, org.end)
        line_end = text.find("\n", org.end)
        line_end = len(text) if line_end < 0 else line_end
        on_line = []
        j = k + 1
        while j < len(order) and mentions[order[j]].start < line_end:
            on_line.append(order[j])
            j += 1
        if colon is not None and not any(mentions[i].type == "Organization" for i in on_line):
            at = colon.end()
            for i in on_line:  # the names the colon opens on, one after another: not a headline's rival
                if mentions[i].type != "Model" or not _SHIPPED_GAP.fullmatch(text, at, max(at, mentions[i].start)):
                    break
                out.append((i, order[k]))
                at = mentions[i].end
        k = j
    return out


_SHIPPED_GAP = re.compile(r"[ \t*]*(?:(?:→|->|与|和|及|以及|、|/|,|，|&)[ \t*]*)?")


def _last_makers(found: dict[tuple[str, int, int], FoundRelation], before: int) -> list[int]:
    """The makers of the model the last sentence before ``before`` saying who made one is about."""
    stated = [r for r in found.values() if r.type == "developedBy" and r.sentence[1] <= before]
    if not stated:
        return []
    last = max(stated, key=lambda r: (r.sentence, r.source))
    return sorted(r.target for r in stated if r.sentence == last.sentence and r.source == last.source)


def _developed_by(
    text: str, mentions: Sequence[_Span], models: list[int], orgs: list[int], span: tuple[int, int], cued: bool
) -> list[FoundRelation]:
    """developedBy from "O 发布 M", "M 由 O 推出" (cued sentences) and "O 的 M" (possessive)."""
    out = []
    actors = []
    aside = False
    last_model = max(mentions[m].start for m in models)
    free = _free_models(text, mentions, models, span[0])  # "O 发布 A，将 B 转化为…": B is not O's
    for n, o in enumerate(orgs):  # orgs come in text order
        org = mentions[o]
        if org.start > last_model:
            actors.append(o)  # only an organization before a model can be its maker as the subject
            continue
        if not (n and _OPEN_BRACKET.fullmatch(text, mentions[orgs[n - 1]].end, org.start)):
            aside = bool(_ORG_AS_OBJECT.search(text, max(span[0], org.start - 12), org.start))
        if not aside:  # an acronym in brackets after an organization shares its role: "… of O (NUS)"
            actors.append(o)
    for m in models:
        model = mentions[m]
        if len(models) > 1 and _MEMBER_OF.match(text, model.end):
            continue  # "英伟达发布 A，这是 F 系列中最小的": F is what A belongs to
        before = [o for o in actors if mentions[o].end <= model.start]
        after = [o for o in orgs if mentions[o].start >= model.end]
        chosen = None
        if before and cued and m in free and not _measured_against(text, model, mentions, models):
            nearest = max(before, key=lambda o: mentions[o].end)
            if not _built_on_it(text, mentions, models, mentions[nearest].end, model) and not _RIVAL.search(
                text, mentions[nearest].end, model.start
            ):
                chosen = nearest
        for o in after if cued else ():
            gap = text[model.end : mentions[o].start]
            if chosen is not None and _OPENS_ASIDE.match(gap):
                break  # "O 推出 M（论文作者还来自 P 等机构）": the aside adds co-authors, O made M
            if _BY.search(gap) or len(gap) <= 6 and re.search(r"由|by", gap, re.I) or _FROM.fullmatch(gap):
                chosen = o
                break
        if chosen is None and before:
            # possessive: "谷歌DeepMind的世界模型Genie 3", "Google's Gemini", "字节Seedream"
            nearest = max(before, key=lambda o: mentions[o].end)
            gap = text[mentions[nearest].end : model.start]
            if len(gap) <= 15 and _POSSESSIVE.match(gap) and not _BUILT_ON.search(gap) and not _RIVAL.search(gap):
                chosen = nearest
        if chosen is None and after:
            # "M：O 研发的…", "M（O）", "M 是 O 出品的"
            first = min(after, key=lambda o: mentions[o].start)
            org = mentions[first]
            if _MODEL_THEN_ORG.match(text[model.end : org.start]) and _ORG_MADE_IT.match(text, org.end, min(span[1], org.end + 16)):
                chosen = first
        if chosen is not None:
            out.append(FoundRelation("developedBy", m, chosen, span))
            for o in _coordinated(text, mentions, orgs, chosen) if len(orgs) > 1 else ():
                out.append(FoundRelation("developedBy", m, o, span))
    return out


_DEV_BEFORE = re.compile(r"(?:发布|推出|开源|训练|打造|放出)了?\s*$")
"""Right before 基于…: the release the phrase describes ("发布基于该方法的 M")."""


def _built_on_it(text: str, mentions: Sequence[_Span], models: list[int], start: int, model: _Span) -> bool:
    """Whether between an organization (ending at ``start``) and ``model`` the model is what the
    organization builds on or uses ("O 基于 M 训练", "O 使用 M"), not what it made: not when a base
    trained on stands between ("O 基于 M' 训练了 M") or the phrase describes the model released
    ("O 发布基于该方法的 M")."""
    last = None
    for found in _BUILT_ON.finditer(text, start, model.start):
        last = found
    if last is None:
        return False
    if any(
        last.end() <= mentions[c].start and mentions[c].end <= model.start and _TRAINED_AFTER.match(text, mentions[c].end)
        for c in models
    ):
        return False
    described = text[max(start, model.start - 4) : model.start].rstrip().endswith("的")
    return not (described and _DEV_BEFORE.search(text, max(start, last.start() - 6), last.start()))


_RESULT_LABEL = re.compile(r"^[ \t>]*(?:[-*+•][ \t]+|\d{1,2}[.)、][ \t]*)?\*{0,2}([A-Za-z0-9τ][^\n:：*]{1,59}?)\*{0,2}[ \t]*[:：]", re.M)
"""A line's label and its colon: "- **OmniDocBench**：", "* AIME24 / AIME25: " (a benchmark's name opens
on a Latin letter or digit, which spares the scan of every Chinese line)."""
_LABEL_JOINERS = re.compile(r"(?:[\s/、,，&+]|\band\b|与|和|及)*")


def _labelled_results(
    text: str, mentions: Sequence[_Span], order: list[int], lead: int | None
) -> list[tuple[int, int, tuple[int, int]]]:
    """(model, benchmark, line) for a line labelled with nothing but benchmarks that reports
    results: every model the line names was run on each of them ("- **Sudoku-Extreme**：TRM
    准确率 87.4%，HRM 为 55.0%", "- **OmniDocBench**：…，DeepSeek-OCR … 就优于 … GOT-OCR2.0"); so
    was the item's own model ``lead`` when a score comes before any name ("- **OSWorld**：得分
    50.7%，比 M 的 42.2% 高": the subject is left out, M is a rival)."""
    out: list[tuple[int, int, tuple[int, int]]] = []
    starts = [mentions[i].start for i in order]  # mentions in text order: a line's are one slice
    for label in _RESULT_LABEL.finditer(text):
        a, b = label.span(1)
        lo = bisect_left(starts, a)
        named = [i for i in order[lo : bisect_left(starts, b, lo)] if mentions[i].end <= b]
        if not named or any(mentions[i].type != "Benchmark" for i in named):
            continue
        rest, at = [], a
        for i in named:
            rest.append(text[at : mentions[i].start])
            at = mentions[i].end
        rest.append(text[at:b])
        if not all(_LABEL_JOINERS.fullmatch(piece) for piece in rest):
            continue  # "**SWE-bench 之外**：", a label that says more than the benchmarks' names
        line_end = text.find("\n", label.end())
        line_end = len(text) if line_end < 0 else line_end
        lo = bisect_left(starts, label.end())
        on_line = order[lo : bisect_left(starts, line_end, lo)]
        if not (
            _RESULT.search(text, label.end(), line_end)
            or _COMPARED.search(text, label.end(), line_end)
            # "• LiveCodeBench：QwQ-32B为63.4，DeepSeek-R1为65.9"
            or any(mentions[i].type == "Model" and _OWN_SCORE.match(text, mentions[i].end) for i in on_line)
        ):
            continue
        named_again = [mentions[i].start for i in on_line if mentions[i].type == "Benchmark"]
        models = [
            i
            for i in on_line
            if mentions[i].type == "Model" and not _in_same_part(text, mentions[i].start, named_again)
        ]  # "；在 X 上，M 只有 4.9%": X's alone
        first_name = mentions[on_line[0]].start if on_line else line_end
        clause = _BREAK.search(text, label.end(), line_end)
        clause_end = clause.start() if clause is not None else line_end
        if lead is not None and _SCORE.search(text, label.end(), first_name) and not _COUNTS_DATA.search(text, label.end(), clause_end):
            models = [lead, *models]
        if len(models) * len(named) <= MAX_SECTION_PAIRS:
            out += [(m, bench, (label.start(), line_end)) for bench in named for m in models]
    return out


_COUNTS_DATA = re.compile(r"训练|微调|数据|样本|轨迹|[万亿千百]?条|小时|\b(?:samples|examples|trajectories|hours|tokens)\b")
"""In the first clause of a benchmark's line: it counts data, not a score ("- **DROID**：共 7.6 万条轨迹")."""


_MODEL_NOUN = re.compile(rf"\s*[)）]?\s*(?:[(（][^()（）\n]{{1,20}}[)）])?\s*[{HAN}]{{0,6}}?模型\s*\**\s*|\s*(?:[A-Za-z\-]+\s+){{0,2}}?models?\s+(?:called\s+|named\s+)?")
"""Between a method and the model it describes: "MoE 模型 M", "MoE 多模态推理模型 M", "混合专家（MoE）模型 M",
"MoE model M"."""


def _kind_of_model(text: str, mentions: Sequence[_Span], models: list[int], techs: list[int]) -> list[tuple[int, int]]:
    """(model, technique) where a method names the kind of model a name is ("美团发布 MoE 模型
    LongCat-Flash", "the sparse MoE model Foo-30B"): the model is built with it."""
    starts = {mentions[m].start: m for m in models}
    out = []
    for t in techs:
        noun = _MODEL_NOUN.match(text, mentions[t].end)
        if noun is not None and noun.end() in starts:
            out.append((starts[noun.end()], t))
    return out


_SIZED_AS = re.compile(r"\s*[：:，,]\s*(?:它是|是|为)?[^。；;！？!?\n]{0,40}?\d+(?:\.\d+)?\s*[BMT]\b[^。；;！？!?\n]{0,30}?的\s*")
"""After a model, up to a method: its size, then 的 ("M：30B 总参数、约 3B 激活的 MoE 模型", "M，196B 总参的 MoE")."""
_LISTED_AFTER_COLON = re.compile(r"\s*[：:]\s*")
_METHOD_JOINER = re.compile(r"\s*(?:加上?|\+|与|和|、|,|，|以及|及)\s*")
"""Between two methods listed as what a model is built of ("MoE 加 GQA", "MoE + MLA")."""
_LIST_END = re.compile(r"\s*(?:[，,。；;！!？?\n]|$|(?:的)?(?:架构|结构|组合|混合))")


def _described_by(text: str, mentions: Sequence[_Span], models: list[int], techs: list[int]) -> list[tuple[int, int]]:
    """(model, technique) where what follows a model describes how it is built: its size and the
    method ("GLM-4.7-Flash：30B 总参数、约 3B 激活的 MoE 模型"), or methods alone after a colon
    that end the clause ("gpt-oss-120b：MoE 加 GQA，…"; not "M：ShadowLoRA 将 …", a new clause)."""
    ordered = sorted(models, key=lambda c: mentions[c].start)
    out = []
    for t in techs:
        before = [m for m in ordered if mentions[m].end <= mentions[t].start]
        if not before:
            continue
        m = before[-1]
        sized = _SIZED_AS.match(text, mentions[m].end)
        if sized is not None and sized.end() == mentions[t].start:
            out.append((m, t))
            continue
        colon = _LISTED_AFTER_COLON.match(text, mentions[m].end)
        listed = _method_at(mentions, techs, colon.end()) if colon is not None else None
        while listed is not None and listed != t:  # over the methods listed before this one
            listed = _listed_after(text, mentions, techs, listed)
        if listed == t:
            last = t
            while (following := _listed_after(text, mentions, techs, last)) is not None:
                last = following
            if _LIST_END.match(text, mentions[last].end):
                out.append((m, t))
    return out


_METHOD_OF = re.compile(
    r"\s*(?:(?:所|里|中|上)?(?:用|采用|使用|引入|上线)的|(?:给出|找到|拿出)?的(?:办法|方法|做法|解法|方案|思路|秘诀)(?:是|叫做?|为|称为)|的|'s|’s)"
    r"\s*(?:原生|稀疏|标志性|经典)?\s*"
)
"""Between a model and a method it owns: "OLMo 2 的 Post-Norm", "M 上用的 Lightning Attention",
"M 里上线的 DSA", "DeepSeek-V3's MLA", "M 给出的办法叫 X"."""
_TREATED_WITH = re.compile(r"\s*(?:进行|做|施加|实施)了?\s*[^，。；;,\n]{0,10}?$")
"""Between a model after 对 and a method: "对 M 进行大规模 GRPO 强化学习"."""
_BUILD_OF = re.compile(r"\s*(?:量化|微调|蒸馏)?(?:版本?|权重|模型)|\s+(?:build|version|weights|checkpoint)s?\b", re.I)
_TAKEN_UP = re.compile(r"(?:被\s*|\b(?:adopted|used) (?:by|in)\s+)$")
_TAKES_UP = re.compile(r"\s*(?:所)?(?:采用|使用|引入|沿用|集成|用上)")
"""Around a model after a method: "X 已被 M 采用", "X is used in M"."""


_USED_BACK = re.compile(
    r"(?:的每个[^，。,；;]{0,8})?\s*(?:全系|全部|各尺寸)?\s*(?:都|均|也)?\s*"
    r"(?:(?:靠|用|采用|借助|依靠|依赖)(?:上了|了)?(?:它|这个|这一|此)|(?:用上了|用了|采用了)(?=\s*(?:[。，,；;!！]|$)))"
)
"""After a model: it uses what the sentence named before it ("M 靠它…", "M 全系都用上了", "M 的每个 block 都用了这个设计")."""


def _methods_of(
    text: str, mentions: Sequence[_Span], models: list[int], techs: list[int], inside: list[int]
) -> list[tuple[int, int]]:
    """(model, technique) where a sentence gives a method as the model's own ("Gemma 3 的滑动窗口注意力",
    "OLMo 2 的 Post-Norm 加 QK-Norm", with the methods listed after it) or says the model took it
    up ("门控注意力已被 M 采用", "X is used in M")."""
    out = []
    for m in models:
        own = _METHOD_OF.match(text, mentions[m].end)
        listed = _method_at(mentions, techs, own.end()) if own is not None else None
        if listed is not None and _BUILD_OF.match(text, mentions[listed].end):
            listed = None  # "M 的 LoRA 版本", "M 的 GPTQ 量化版": another build of M, made with the method
        while listed is not None:
            out.append((m, listed))
            listed = _listed_after(text, mentions, techs, listed)
        if text[max(0, mentions[m].start - 2) : mentions[m].start].rstrip().endswith("对"):
            after = [t for t in techs if mentions[m].end <= mentions[t].start <= mentions[m].end + 16]
            treated = min(after, key=lambda o: mentions[o].start) if after else None
            if treated is not None and _TREATED_WITH.match(text, mentions[m].end, mentions[treated].start):
                out.append((m, treated))  # "对 M 进行大规模 GRPO 强化学习"
        before = [t for t in techs if mentions[t].end <= mentions[m].start]
        if before and _USED_BACK.match(text, mentions[m].end):
            # "分组查询注意力（GQA），每组 2 个 KV 头，Gemma 2 全系都用上了", "logit soft-capping：…，Gemma 2 靠它…":
            # the methods the sentence named before it, since the model named before them
            since = max((mentions[o].end for o in models if mentions[o].end <= mentions[m].start), default=-1)
            out.extend(
                (m, t)
                for t in before
                if mentions[t].start > since and not _COMPARED.search(text, max(since, 0, mentions[t].start - 6), mentions[t].start)
            )  # not what it was set against ("GRPO 比 PPO 省显存，M 用了")
        taken = _TAKEN_UP.search(text, max(0, mentions[m].start - 12), mentions[m].start) if before else None
        if taken is not None and (not taken.group().startswith("被") or _TAKES_UP.match(text, mentions[m].end)):
            t = max(before, key=lambda o: mentions[o].end)
            if _governs(text, mentions[t].end, taken.start(), mentions, inside):
                out.append((m, t))
    return out


def _method_at(mentions: Sequence[_Span], techs: list[int], at: int) -> int | None:
    return next((o for o in techs if mentions[o].start == at), None)


def _listed_after(text: str, mentions: Sequence[_Span], techs: list[int], t: int) -> int | None:
    """The method listed right after ``t`` ("MoE 加 GQA"), if any."""
    joiner = _METHOD_JOINER.match(text, mentions[t].end)
    return _method_at(mentions, techs, joiner.end()) if joiner is not None else None


def _in_same_part(text: str, at: int, others: list[int]) -> bool:
    """Whether one of the positions ``others`` lies in the sentence part (between ；。 and the like) around ``at``."""
    for other in others:
        a, b = sorted((at, other))
        if not _SENTENCE_PART_END.search(text, a, b):
            return True
    return False


_OWN = re.compile(r"自家(?:的)?\s*(?:(?:此前|之前|早先|上一代|前代|最新)(?:的)?\s*)?(?:[^，。；,;\s]{0,10}?模型\s*)?")
"""Before a model: it is the speaker's own ("OpenAI 给出了自家 M 与 N 的结果", "高于自家的 M", "远高于自家此前的 M",
"对自家视频生成模型 M")."""


def _own_models(
    text: str, mentions: Sequence[_Span], models: list[int], orgs: list[int], span: tuple[int, int], last_org: Callable[[], int | None]
) -> list[tuple[int, int]]:
    """(model, maker) for each model a sentence calls some organization's own (自家), and the
    models listed right after it: the maker is the organization named last before the word, in
    the sentence or, when it names none, before it."""
    ordered = sorted(models, key=lambda c: mentions[c].start)
    out = []
    for own in _OWN.finditer(text, span[0], span[1]):
        first = next((c for c in ordered if mentions[c].start == own.end()), None)
        if first is None:
            continue
        before = [o for o in orgs if mentions[o].end <= own.start()]
        maker = max(before, key=lambda o: mentions[o].end) if before else last_org()
        if maker is None:
            continue
        listed = [first]
        for c in ordered[ordered.index(first) + 1 :]:
            gap = (mentions[listed[-1]].end, max(mentions[listed[-1]].end, mentions[c].start))
            if not (_JOINED_NAMES.fullmatch(text, *gap) or _NEXT_RIVAL.fullmatch(text, *gap)):
                break  # "自家此前的 A（45.4%）和 B（44.6%）": B is its own too
            listed.append(c)
        out += [(c, maker) for c in listed]
    return out


def _pair_header_makers(
    text: str, mentions: Sequence[_Span], header: list[int], title_end: int, found: dict[tuple[str, int, int], FoundRelation]
) -> None:
    """A header naming as many organizations as its title names models ("[Anthropic/OpenAI] Opus
    4.6 与 Codex 5.3") pairs them in order: each model is made by its own organization, in every
    sentence of the item ("Anthropic 与 OpenAI 再推新版，Opus 4.6 …，而 Codex 5.3 …")."""
    header = sorted(header, key=lambda i: mentions[i].start)
    titled: dict[str, int] = {}
    for i, m in sorted(enumerate(mentions), key=lambda e: e[1].start):
        if m.type == "Model" and m.end <= title_end:
            titled.setdefault(_name_key(text, m), i)
    ordered = sorted(titled.values(), key=lambda i: mentions[i].start)
    if len(titled) != len(header) or not all(
        _JOINED_NAMES.fullmatch(text, mentions[a].end, mentions[b].start) for a, b in zip(ordered, ordered[1:])
    ):
        return  # "[A/B] 综述：从 M1 到 M2" names no pairs
    maker = {model: _name_key(text, mentions[o]) for model, o in zip(titled, header)}
    orgs = set(maker.values())
    for key, rel in list(found.items()):
        if rel.type != "developedBy":
            continue
        model, org = _name_key(text, mentions[rel.source]), _name_key(text, mentions[rel.target])
        if model in maker and org in orgs and maker[model] != org:
            del found[key]
    for (model, i), o in zip(titled.items(), header):
        key = ("developedBy", i, o)
        found.setdefault(key, FoundRelation("developedBy", i, o, (0, title_end)))


_JOINED_NAMES = re.compile(r"\s*(?:与|和|及|、|&|/|,|，|\band\b|\bvs\.?)\s*", re.I)
_NEXT_RIVAL = re.compile(
    r"\s*(?:[（(][^（）()\n]{0,20}[)）]|的\s*\d+(?:\.\d+)?\s*(?:%|％|分)?)\s*(?:与|和|及|、|以及|&|\band\b)\s*"
    r"(?:[^\s，。,;；、（）()]{1,10}?\s*的\s*)?",
    re.I,
)
"""Between two rivals: the first one's score or aside, then a joiner, maybe the next one's owner
("高于 M 的 0.67 和 N 的 0.74", "超过了 M（14B）、N（13B）以及 OpenAI 的 O")."""


def _measured_against(text: str, model: _Span, mentions: Sequence[_Span], models: list[int]) -> bool:
    """Whether a model is named as what another is set beside ("价格与 M 保持一致", "和 M 相当"):
    after 与/和/跟/同 that do not join it to a model named just before."""
    joined = _WITH.search(text, max(0, model.start - 3), model.start)
    if joined is None:
        return False
    return not any(0 <= joined.start() - mentions[o].end <= 1 for o in models)


_WITH = re.compile(r"(?:与|和|跟|同)\s*$")


_GLOSS_GAP = re.compile(r"\s*[（(]\s*|\s*[)）]\s*(?:(?:与|和|及|、|联合|携手|以及|and)\s*)?")
"""Between an organization and its bracketed gloss, or after the gloss: "北溟智能（Beiming AI）与 B"."""


def _coordinated(text: str, mentions: Sequence[_Span], orgs: list[int], chosen: int) -> list[int]:
    """Organizations joined to ``chosen`` by 与/和/、/联合/&, with their glosses: "字节跳动联合南洋理工大学推出
    M", "北溟智能（Beiming AI）与南开大学联合发布 M"."""
    out = []
    ordered = sorted(orgs, key=lambda o: mentions[o].start)
    at = ordered.index(chosen)
    for step in (-1, 1):
        j = at
        while 0 <= j + step < len(ordered):
            a, b = sorted((ordered[j], ordered[j + step]), key=lambda o: mentions[o].start)
            gap = text[mentions[a].end : mentions[b].start]
            if not (_JOINED.match(gap) or _GLOSS_GAP.fullmatch(gap)):
                break
            j += step
            out.append(ordered[j])
    return out


def _nearest(mentions: Sequence[_Span], target: int, candidates: list[int]) -> int | None:
    if not candidates:
        return None
    t = mentions[target]
    before = [c for c in candidates if mentions[c].end <= t.start]
    if before:
        return max(before, key=lambda c: mentions[c].end)
    return min(candidates, key=lambda c: abs(mentions[c].start - t.end))


def _score_after(
    text: str, start: int, end: int, sentence: tuple[int, int], mentions: Sequence[_Span], before_name: int = -1
) -> tuple[str | None, str | None, int]:
    """The score named after a benchmark ("在 X 上得分 73.4%"), its metric, and where it stands."""
    before = None
    if before_name >= 0 and text[max(0, before_name - 6) : before_name].rstrip().endswith(("on", "in", "the")):
        before = _SCORE_ON.search(text, max(sentence[0], start - 40), before_name)
    if before is not None and not _DELTA.search(text, max(sentence[0], before.start() - 8), before.start()):
        return _score_text(before), _metric_near(text, sentence, before.start()), before.start()
    window_end = min(end, start + 40)
    while window_end < end and (text[window_end].isdigit() or text[window_end] in ".%％"):
        window_end += 1  # never cut a number: "93.2" is no "93."
    for m in _SCORE.finditer(text, start, window_end):
        at = m.start()
        if any(x.start <= at < x.end for x in mentions):
            continue  # a number inside a name ("Llama 3.1 8B"), not a score
        follows = text[m.end() : m.end() + 1]
        if not m.group(2) and (follows.isascii() and follows.isalpha() or _COUNTED.match(text, m.end())):
            continue  # a size, a setting or a count ("8B", "1-shot", "2-4 跳", "300个"), not a score
        if _GAIN.search(text, max(sentence[0], min(start, at - 8)), at):
            continue  # "准确率提升 2.9%", "分别提升 11.17%、11.71%", "+5.8%": a gain, not a score
        if _SCORE_ON.match(text, at, min(end, m.end() + 8)) is None and _NEXT_NAME.match(text, m.end()):
            break  # "… and 45.8% on HLE": the number of the benchmark named next
        return _score_text(m), _metric_near(text, sentence, at), at
    return None, None, -1


def _score_text(m: re.Match[str]) -> str:
    """A ``_SCORE`` or ``_SCORE_ON`` match as a relation keeps it: the number, with ``%`` when it is a percentage."""
    return m.group(1) + ("%" if m.group(2) in ("%", "％") else "")


def _own_score(text: str, model: _Span, end: int, mentions: Sequence[_Span]) -> tuple[str | None, int]:
    """The score a model is given right after its name ("GPT-5 的 93.2 分", "Claude Opus 4.5 为 61.8%")."""
    lead = _OWN_SCORE.match(text, model.end, min(end, model.end + 8))
    if lead is None:
        return None, -1
    score, _, at = _score_after(text, lead.end(), min(end, lead.end() + 8), (model.start, end), mentions)
    return score, at


_OWN_SCORE = re.compile(r"\s*(?:的|为|是|达到了?|得分|取得了?|[:：,，(（])?\s*(?=\d)")
_COUNTED = re.compile(r"\s*(?:[-–~/]\s*\d|[-–]?[A-Za-z]|跳|步|层|倍|个|次|天|张|条|种|项|万|亿|年|月|日|小时|秒|帧|卡|位|名|轮|篇|款|组)")
_DELTA = re.compile(
    r"(?:提升|提高|高出|增加|增长|降低|下降|减少|改进|改善|领先|[+＋]|\bby|\badds?|\badded|improv\w*|gain\w*|boost\w*)[^，。,;；\d]{0,4}$",
    re.I,
)
_NEXT_NAME = re.compile(r"\s*(?:%|points?)?\s+(?:on|in)\s")
_GAIN = re.compile(
    r"提升|提高|高出|增加|增长|降低|下降|减少|改进|改善|领先|升|降|涨|跌|(?<![缩占类无好])比(?![例率重])|[+＋]|"
    r"by\s|adds?\b|added|improv|gain|boost"
)
"""Before a number: it is a gain or a drop, not a score."""


def _metric_near(text: str, sentence: tuple[int, int], at: int) -> str | None:
    """The metric named next to a score ("Top-1 准确率约 74.5%", "50.00% 的 Pass@8"), if any."""
    best = None
    for m in _METRIC.finditer(text, max(sentence[0], at - 16), min(sentence[1], at + 24)):
        distance = at - m.end() if m.end() <= at else m.start() - at
        if distance <= 12 and (best is None or distance < best[0]):
            best = (distance, m.group(0))
    return best[1] if best is not None else None


_LIST_MARK = re.compile(r"[ \t]*(?:[-*•·]|\d{1,2}[.、)）])[ \t]+\**")


def _ranked_lists(text: str, mentions: Sequence[_Span], order: list[int]) -> list[tuple[int, int, str]]:
    """(model, benchmark, score) for each line of a ranked list under a line that
    names one benchmark and no model: "**LiveCodeBench v6 前三名**：" then "- Kimi K2 Thinking：83.1",
    one model opening each list line with a number after it. Two such lines make a list."""
    starts = [mentions[i].start for i in order]
    found: list[tuple[int, int, str]] = []
    for b in order:
        if mentions[b].type != "Benchmark":
            continue
        line_start = text.rfind("\n", 0, mentions[b].start) + 1
        line_end = _line_end(text, mentions[b].start)
        named = order[bisect_left(starts, line_start) : bisect_left(starts, line_end)]
        if any(mentions[i].type == "Model" or (mentions[i].type == "Benchmark" and i != b) for i in named):
            continue
        listed = []
        start = line_end + 1
        while start < len(text):
            end = _line_end(text, start)
            if start == end or text[start:end].isspace():  # blank lines inside the list
                start = end + 1
                continue
            mark = _LIST_MARK.match(text, start, end)
            k = bisect_left(starts, start)
            first = order[k] if k < len(order) and starts[k] < end else None
            if mark is None or first is None or mentions[first].type != "Model" or starts[k] != mark.end():
                break
            number = _SCORE.search(text, mentions[first].end, end)
            if number is None or not number.group(2) and _COUNTED.match(text, number.end()):
                break
            listed.append((first, b, _score_text(number)))
            start = end + 1
        if len(listed) >= 2:
            found += listed
    return found


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _sentence_of(sentences: list[tuple[int, int]], at: int) -> tuple[int, int]:
    n = bisect_right(sentences, (at, _NO_END)) - 1
    if n >= 0 and sentences[n][0] <= at < sentences[n][1]:
        return sentences[n]
    return (at, at)


_NO_END = 1 << 62
