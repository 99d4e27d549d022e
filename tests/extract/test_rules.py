"""Rules that find names no list knows, on text written for these tests."""

import pytest

from kg.extract import Extractor
from kg.extract.gazetteer import load_gazetteer, load_stopwords
from kg.extract.rules.definitions import find_definitions
from kg.extract.rules.names import find_cued_names, find_shaped_names
from kg.extract.rules.organizations import find_org_mentions
from kg.extract.rules.papers import find_papers, looks_like_title, paper_short_name
from kg.models import Item

GAZ = load_gazetteer()
STOP = load_stopwords()


def spans(text, candidates):
    return sorted((text[c.start : c.end], c.type) for c in candidates)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("新发布的 Helios-2.5-14B-Instruct 表现亮眼", ("Helios-2.5-14B-Instruct", "Model")),
        ("Wan 2.2 TI2V 5B 已开源", ("Wan 2.2 TI2V 5B", "Model")),
        ("Claude Opus 4.7 与其他模型", ("Claude Opus 4.7", "Model")),
        ("在 OrbitBench v2 上评测", ("OrbitBench v2", "Benchmark")),
        ("在 PartBench-300 上，模型得分 0.71", ("PartBench-300", "Benchmark")),  # a count after the name
        ("**DepthProbe-500**：模型得分 58.2", ("DepthProbe-500", "Benchmark")),  # a count, with no cue at all
        ("新数据集 ChartChain-2K 已开源", ("ChartChain-2K", "Benchmark")),
        ("Zorblax-Instruct-2507 已上线", ("Zorblax-Instruct-2507", "Model")),  # four digits: a date
        ("中期训练用 Zorblax-Mix-1124", ("Zorblax-Mix-1124", "Benchmark")),  # data, whatever its number
        ("• Zorb-Extreme:准确率55.0%", ("Zorb-Extreme", "Benchmark")),  # how hard a test is
        ("团队来自 Resemble AI 公司", ("Resemble AI", "Organization")),
        ("V-Retrver-7B 取得了 69.7% 的平均召回率", ("V-Retrver-7B", "Model")),
        ("Zorblax-7B-RL 在数学上更强", ("Zorblax-7B-RL", "Model")),
        ("用 64 张卡训练出 zStar3-Agent-14B", ("zStar3-Agent-14B", "Model")),  # lower case before a capital, with a size
    ],
)
def test_names_recognised_by_shape(text, expected):
    assert expected in spans(text, find_shaped_names(text, GAZ, STOP))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("在 Orbit Analysis 的 Video Arena 图生视频榜单上排名第一", ["Video Arena"]),
        ("Zorblax-9B 登顶 Copilot Arena", ["Copilot Arena"]),
        ("在 Kaggle Game Arena 上对战", ["Kaggle Game Arena"]),
        ("it tops the Orbit Analysis Video Arena rankings", []),  # four words: where the name starts is unclear
        ("在 The Arena 上", []),
    ],
)
def test_a_leaderboard_named_in_capitalized_words_ending_in_arena_is_a_benchmark(text, expected):
    found = [s for s, t in spans(text, find_shaped_names(text, GAZ, STOP)) if t == "Benchmark"]
    assert found == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lumen Research, a Singapore lab, released it", ["Lumen Research"]),
        ("谷歌的 Kaggle AI Chess 比赛", []),
        ("The European Commission's AI Office published a FAQ", []),
        ("Puzzles from the ARC Prize Foundation", ["ARC Prize Foundation"]),
        ("上海 Shanghai AI Laboratory 发布", ["Shanghai AI Laboratory"]),
    ],
)
def test_organizations_by_shape_end_at_a_capitalised_tail(text, expected):
    found = [s for s, t in spans(text, find_shaped_names(text, GAZ, STOP)) if t == "Organization"]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    ["ICML 2026 将在首尔举行", "见 Table 3 与 Figure 2", "使用 H100 GPU 训练", "Top 10 榜单", "用 Lean 4 写出形式化证明", "需要 CUDA 12 与 Python 3.12"],
)
def test_numbers_next_to_words_are_not_models(text):
    assert [t for _, t in spans(text, find_shaped_names(text, GAZ, STOP)) if t == "Model"] == []


def test_a_bold_number_with_its_unit_is_no_name():
    assert [c for c in _chosen("模型实现了 **19.7 FPS** 的生成速度，显存占用 **24 GB**。")] == []


def test_acronym_definitions_in_three_shapes_link_short_and_long_forms():
    text = (
        "提出了高斯差分隐私 (Gaussian Differential Privacy, GDP)。"
        "SAC (Soft Actor-Critic) 是一种算法。"
        "我们使用 Group Relative Policy Optimization (GRPO) 训练。"
    )
    candidates, definitions = find_definitions(text, STOP)
    pairs = {(text[d.short[0] : d.short[1]], text[d.long[0] : d.long[1]]) for d in definitions}
    assert pairs == {
        ("GDP", "Gaussian Differential Privacy"),
        ("SAC", "Soft Actor-Critic"),
        ("GRPO", "Group Relative Policy Optimization"),
    }
    zh = [text[d.long_zh[0] : d.long_zh[1]] for d in definitions if d.long_zh]
    assert zh == ["高斯差分隐私"]
    assert {t for _, t in spans(text, candidates)} == {"Technique"}


def test_an_english_name_with_its_acronym_and_chinese_name_in_one_bracket_links_all_three():
    text = "团队提出 Token Pruning Schedule（TPS，令牌剪枝调度），训练时逐步减少上下文。"
    candidates, definitions = find_definitions(text, STOP, GAZ)
    assert {(text[c.start : c.end], c.type) for c in candidates} == {
        ("Token Pruning Schedule", "Technique"),
        ("TPS", "Technique"),
        ("令牌剪枝调度", "Technique"),
    }
    assert [(text[slice(*d.short)], text[slice(*d.long)], text[slice(*d.long_zh)]) for d in definitions] == [
        ("TPS", "Token Pruning Schedule", "令牌剪枝调度")
    ]


def test_definitions_take_their_type_from_the_head_word():
    text = "我们构建了长程推理基准 (Long Horizon Reasoning Benchmark, LHRB)。"
    _, definitions = find_definitions(text, STOP)
    assert [d.type for d in definitions] == ["Benchmark"]


def test_a_bracket_that_does_not_spell_the_acronym_is_no_definition():
    text = "模型 XYZ (Large Context Window) 已上线"
    _, definitions = find_definitions(text, STOP)
    assert definitions == []


def test_organizations_from_header_affiliation_line_and_chinese_suffix():
    title = "[UPenn/COPSS] 某教授获奖"
    text = title + "\n\n发文单位:香港科技大学(广州),吉林大学,加州大学默塞德分校\n来自北京通用人工智能研究院的研究人员指出"
    found = spans(text, find_org_mentions(text, len(title), GAZ, STOP))
    names = {n for n, _ in found}
    assert {"UPenn", "COPSS", "香港科技大学(广州)", "吉林大学", "加州大学默塞德分校", "北京通用人工智能研究院"} <= names


def test_a_bold_affiliation_field_names_each_organization_and_its_english_gloss():
    text = "Kimi Linear: An Expressive Attention\n\n- **机构**：月之暗面（Moonshot AI）；FAIR at Meta\n- **arXiv**：2510.26692"
    found = find_org_mentions(text, 36, GAZ, STOP)
    assert {(text[c.start : c.end], c.source) for c in found} >= {
        ("月之暗面", "affiliation"), ("Moonshot AI", "affiliation"), ("FAIR at Meta", "affiliation")
    }


def test_a_named_team_right_after_its_company_is_an_organization_a_professors_group_is_not():
    assert [c.source for c in find_org_mentions("快手 Kwaipilot 团队开源了代码模型", 0, GAZ, STOP)] == ["team"]
    assert find_org_mentions("Yoshua Bengio 团队提出了新方法", 0, GAZ, STOP) == []


def test_category_tags_in_brackets_are_not_organizations():
    title = "[模型与技术] 本周要闻"
    assert find_org_mentions(title, len(title), GAZ, STOP) == []


def test_paper_titles_from_label_lines_and_item_titles():
    text = "论文标题: Discrete Tokenization for Multimodal LLMs: A Comprehensive Survey\n论文链接: https://arxiv.org/abs/2507.22920"
    papers = find_papers(text, 0, ("2507.22920",), ())
    assert [(text[p.start : p.end], p.arxiv_id) for p in papers] == [
        ("Discrete Tokenization for Multimodal LLMs: A Comprehensive Survey", "2507.22920")
    ]
    title = "📄 CoPE: Clipped RoPE as A Scalable Free Lunch for Long Context LLMs"
    text = title + "\n\n提出了一种名为 CoPE 的方法"
    papers = find_papers(text, len(title), (), ("2602.05258",))
    assert [text[p.start : p.end] for p in papers] == ["CoPE: Clipped RoPE as A Scalable Free Lunch for Long Context LLMs"]
    short = paper_short_name(text, papers[0])
    assert (text[short.start : short.end], short.type) == ("CoPE", "Technique")


@pytest.mark.parametrize(
    "line, title",
    [
        ("- **技术报告**: Zorb-Prover-V2: Advancing Formal Proofs via Subgoal Decomposition", "Zorb-Prover-V2: Advancing Formal Proofs via Subgoal Decomposition"),
        ("- **技术报告**: Zorb-Audio Technical Report", "Zorb-Audio Technical Report"),
        ("Tech report: Scaling Zorb Models with Mixture of Grouped Experts", "Scaling Zorb Models with Mixture of Grouped Experts"),
        # the link after the title, on the same line
        ("- 论文：Zorb Guard: LLM-based Safeguards for Human-AI Chats → https://arxiv.org/pdf/2504.21801.pdf", "Zorb Guard: LLM-based Safeguards for Human-AI Chats"),
        ("- 论文：Zorb Guard: LLM-based Safeguards for Human-AI Chats https://arxiv.org/abs/2504.21801", "Zorb Guard: LLM-based Safeguards for Human-AI Chats"),
    ],
)
def test_a_technical_report_line_names_the_report(line, title):
    text = line + "\n"
    assert [text[p.start : p.end] for p in find_papers(text, 0, ("2504.21801",), ())] == [title]


def test_a_news_line_labelled_report_is_no_paper():
    text = "Report: GPU shortage continues into the third quarter\n"
    assert find_papers(text, 0, (), ()) == []


def test_what_looks_like_a_title():
    assert looks_like_title("Steering LLMs via Scalable Interactive Oversight")
    assert not looks_like_title("大模型的统计基础 LLM")
    assert not looks_like_title("GPT-5.1 发布")


def test_cue_words_type_unknown_names():
    text = "字节推出 StoryMem 模型，并在 HorizonQA-Lite 基准上测试了 Stirrup 框架"
    found = spans(text, find_cued_names(text, [], GAZ, STOP))
    assert ("StoryMem", "Model") in found
    assert ("Stirrup", "Technique") in found


@pytest.mark.parametrize("cue", ["测试集", "任务集", "检索集", "评测集"])
def test_a_test_or_task_set_named_after_its_cue_is_a_benchmark(cue):
    text = f"团队放出了自建的{cue} Quokka-Eval-50，模型在上面得分 63.2"
    assert ("Quokka-Eval-50", "Benchmark") in spans(text, find_cued_names(text, [], GAZ, STOP))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("微软发布的 QUARTZ 提出了结构化潜变量表示。", ("QUARTZ", "Model")),
        ("月之暗面与 Numina 合作推出 Quill-Prover Preview，用于定理证明。", ("Quill-Prover Preview", "Model")),
        ("阶跃星辰开源 Step7X-3D[6]，几何部分是一个整流流 DiT。", ("Step7X-3D", "Model")),
        ("团队同时发布了 MeshJudge-Bench，用于评估部件一致性。", ("MeshJudge-Bench", "Benchmark")),
    ],
)
def test_what_an_organization_releases_is_a_model_unless_its_name_says_otherwise(text, expected):
    assert expected in spans(text, find_cued_names(text, [], GAZ, STOP))


@pytest.mark.parametrize(
    "text",
    [
        "同时开源的 QuartzKit 训练工具和部署工具也一并上线。",  # software
        "阿里巴巴开源 Web 智能体模型。",  # a short word
        "深度求索开源 V3.2 正式版。",  # a bare version
        "同时发布 4-bit 的量化权重。",  # a setting
        "平台发布 API 与 SDK。",
        "微软开源1-bit模型，权重只取三个值。",  # a setting before the model cue
    ],
)
def test_released_tools_words_versions_and_settings_are_not_models(text):
    assert not [s for s in spans(text, find_cued_names(text, [], GAZ, STOP)) if s[1] == "Model"]


def test_a_name_listed_among_institutions_is_an_organization():
    text = "香港大学与 Quokkaverse 等机构的研究者提出了新的深度估计模型。"
    assert ("Quokkaverse", "Organization") in spans(text, find_cued_names(text, [], GAZ, STOP))


def test_a_score_after_a_sized_name_is_not_its_version():
    text = "LawBench平均分:Zorblax-Law-14B 58.6,高于 GPT-4 的 52.4。"
    found = spans(text, find_shaped_names(text, GAZ, STOP))
    assert ("Zorblax-Law-14B", "Model") in found and not [s for s in found if "58.6" in s[0]]


def test_generic_words_before_cues_are_not_entities():
    text = "这个 AI 模型和 LLM 框架"
    assert find_cued_names(text, [], GAZ, STOP) == []


@pytest.mark.parametrize(
    "text",
    [
        "实现了最低的拒答错误率 (RER)。",  # a metric
        "通过片上的共享内存 (SHMX) 传递状态。",  # hardware
        "覆盖语音识别 (SPR) 与图像任务。",  # a task or field
        "在长文能力 (RULER) 评测中表现稳定。",  # a known benchmark, referred to
        "第一阶段使用上述数据进行监督微调（GLAD），再做强化学习。",  # a clause, not a name
    ],
)
def test_a_bracketed_acronym_after_a_metric_resource_or_known_name_is_no_definition(text):
    candidates, definitions = find_definitions(text, STOP, GAZ)
    assert definitions == [] and [c for c in candidates if c.type == "Technique"] == []


def test_a_bracketed_acronym_after_a_method_name_still_defines_it():
    text = "提出了分层记忆蒸馏 (HMD)，显著提升效率。"
    candidates, definitions = find_definitions(text, STOP, GAZ)
    assert ("HMD", "Technique") in spans(text, candidates) and len(definitions) == 1


def test_research_area_lines_define_nothing():
    text = "1. **应用领域**：语音处理 - 语音大模型 (Speech Agents)、时序压缩 (TSQZ)。\n\n2. **方法**：提出稀疏门控缓存 (SGC)。"
    candidates, _ = find_definitions(text, STOP, GAZ)
    assert spans(text, candidates) == [("SGC", "Technique"), ("稀疏门控缓存", "Technique")]


def test_the_cue_nearest_a_camel_case_name_types_it():
    from kg.extract.rules.names import find_camel_names

    text = "在 MMLU 基准上评测 QuillNet 与 VeloMind 模型"
    assert ("VeloMind", "Model") in spans(text, find_camel_names(text, [], GAZ, STOP))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("提出了一种名为 Quillon 的混合自回归 MLLM，", ("Quillon", "Model")),
        ("提出了一种名为 VeilTest 的交互式评测框架。", ("VeilTest", "Benchmark")),
        ("提出了一种名为 ProStep 的两阶段训练框架，", ("ProStep", "Technique")),
    ],
)
def test_an_appositive_types_the_name_it_introduces(text, expected):
    from kg.extract.rules.names import find_named_as

    assert spans(text, find_named_as(text, STOP)) == [expected]


def test_an_appositive_without_a_type_noun_types_nothing():
    from kg.extract.rules.names import find_named_as

    assert find_named_as("一位名为 Alice 的研究员说", STOP) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("在 miniF2F-test 上，Zorblax Preview 的 pass@8192 达到 80.7%。", [("Zorblax Preview", "Model")]),
        ("得分 0.71，高于 Quillon 的 0.52。", [("Quillon", "Model")]),
        ("超过此前最好的 Quill-Prover（72.95%）。", [("Quill-Prover", "Model")]),
        ("成绩优于 ZRPO 的 45.2，也高于 QuillFormer 的 44.0。", [("QuillFormer", "Technique"), ("ZRPO", "Technique")]),  # a method's shape keeps it a method
        ("在R2R-CE的未见环境划分上成功率为48.9%。", []),  # where it was scored, not what scored
        ("Quillon 的参数量为 7B。", []),  # a size, not a score
        ("发布了 Quillon 的 2.0 版本。", []),  # no comparison: a version, not a rival's score
    ],
)
def test_a_name_no_rule_typed_that_scores_a_number_is_a_model(text, expected):
    from kg.extract.rules.names import find_scored_names

    assert spans(text, find_scored_names(text, [], set(), STOP)) == expected


def test_a_name_typed_elsewhere_in_the_item_is_not_retyped_by_its_score():
    from kg.extract.rules.names import find_scored_names

    assert find_scored_names("高于 CatRAG 的 0.52。", [], {"catrag"}, STOP) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("- **ToolMaze-Zh**：团队新建的中文多轮工具调用评测，含 1,200 个任务。", [("ToolMaze-Zh", "Benchmark")]),
        ("2. **Quillon**: 面向长文档的 8B 多模态模型。", [("Quillon", "Model")]),
        ("* **ProStep**：一种两阶段训练框架，先做 SFT。", [("ProStep", "Technique")]),
        ("- **SVR**：每次工具调用后由校验器检查返回值，失败的步骤被截断。", []),  # the first clause names no kind
        ("**Quillon**：一个新模型", []),  # not a list entry
    ],
)
def test_a_list_entry_types_the_bold_name_it_defines_by_the_head_of_its_first_clause(text, expected):
    from kg.extract.rules.names import find_defined_terms

    assert spans(text, find_defined_terms(text, [], STOP)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "论文在 NVIDIA H200 上测试",
        "最新款 Strider S3 机器人已交付",
        "采用宽松的 Apache 2.0 许可证",
        "Tier 4 得分 21%",
        "从 System 2 到 System 1",
        "用 vLLM 0.6 部署在 iPhone15 上",  # lower case opens a model's name only with a size
    ],
)
def test_devices_licences_and_tiers_are_not_models(text):
    assert [s for s, t in spans(text, find_shaped_names(text, GAZ, STOP)) if t == "Model"] == []


def test_a_model_name_before_a_non_device_word_is_still_a_model():
    text = "Strider-3 模型已开源"
    assert ("Strider-3", "Model") in spans(text, find_shaped_names(text, GAZ, STOP))


def test_a_conference_with_a_year_is_that_edition():
    from kg.extract.spacy_pipeline import build_nlp

    nlp = build_nlp()
    doc = nlp("标签: [ICLR 2026] [代码开源]；NeurIPS 是顶会")
    found = {(s.text, s.label_) for s in doc.spans["kg_mentions"]}
    assert ("ICLR 2026", "Organization") in found and ("NeurIPS", "Organization") in found


@pytest.mark.parametrize(
    "text, expected",
    [("Vantix 联合创始人兼 CEO 表示", ("Vantix", "Organization")), ("Hyperbolic创始人直言", ("Hyperbolic", "Organization"))],
)
def test_a_founder_cue_types_the_company_before_it(text, expected):
    assert expected in spans(text, find_cued_names(text, [], GAZ, STOP))


def test_a_group_is_an_organization_by_its_tail():
    text = "企业用户方面,Kestrel Group 发现"
    assert ("Kestrel Group", "Organization") in spans(text, find_shaped_names(text, GAZ, STOP))


def test_chinese_institutions_are_read_in_traditional_script_too():
    from kg.extract.text import fold

    text = "國立臺灣大學的研究團隊公開了新基準"
    found = find_org_mentions(text, 0, GAZ, STOP, fold(text))
    assert ("國立臺灣大學", "Organization") in spans(text, found)


def test_a_chinese_institution_starts_where_a_known_organization_does():
    text = "另有清华大学智能产业研究院团队发布了新模型"
    names = {name for name, _ in spans(text, find_org_mentions(text, 0, GAZ, STOP))}
    assert "清华大学智能产业研究院" in names and "另有清华大学智能产业研究院" not in names


def test_a_company_and_its_model_family_acting_is_the_team():
    text = "腾讯混元发布深度思考模型，腾讯混元大模型也有更新"
    found = {(text[m.start : m.end], m.entry.type) for m in GAZ.find(text)}
    assert ("腾讯混元", "Organization") in found and ("腾讯混元大模型", "Model") in found



def _chosen(text):
    from kg.extract.spacy_pipeline import build_nlp

    nlp = build_nlp()
    doc = nlp.make_doc(text)
    doc.user_data["kg_text"] = text
    doc._.kg_meta = {"title_end": 0, "arxiv_ids": (), "hf_paper_ids": ()}
    for _, component in nlp.pipeline:
        doc = component(doc)
    return {(text[c.start : c.end], c.type) for c in doc._.kg_mentions}


@pytest.mark.parametrize(
    "text, expected, absent",
    [
        ("在 **Lorvex** 和 **Quintara** 上，新方法分别比基线提升了 6.0% 和 5.1%。", ["Lorvex", "Quintara"], []),
        ("它在 Travelogix 上也超过了已有方案。在 Hopper GPU 上比纯注意力模型快 10%。", ["Travelogix"], ["Hopper GPU"]),
        ("在 GitHub 上开源，在 Vellum 上训练。", [], ["Vellum"]),
        ("It reaches 49.4% on\n  Orvalis 2025 and 84.0% on Pellucid and Marrow.", ["Orvalis 2025", "Pellucid", "Marrow"], []),
        ("发布中文法律推理基准“衡鉴-Bench”，并在 τ²-Bench 上评测。", ["衡鉴-Bench", "τ²-Bench"], []),
        ("Quorra-500 基准上取得 71.3 分", ["Quorra-500"], []),
    ],
)
def test_what_a_result_is_reported_on_is_a_benchmark(text, expected, absent):
    found = _chosen(text)
    assert {(name, "Benchmark") for name in expected} <= found
    assert not {name for name, _ in found} & set(absent)


def test_a_sentence_with_a_number_is_no_model_name():
    found = _chosen("Retrofitted into the model, SEA reaches 92.4 on RULER while spending 40% less.")
    assert not [name for name, t in found if t == "Model"]


@pytest.mark.parametrize(
    "text, ids, expected",
    [
        ("The Zephyr3 Technical Report (arXiv 2605.01234) is out.", (), ["Zephyr3 Technical Report"]),
        ("发布了 Orion-2.5 技术报告，介绍训练细节。", (), ["Orion-2.5 技术报告"]),
        ("OpenAI. quill-120b & quill-20b Model Card, 2025-08-05", (), ["quill-120b & quill-20b Model Card"]),
        ('斯坦福大学等机构的 "s9: Simple test-time scaling" 只用 1,000 条样本', ("2501.19393",), ["s9: Simple test-time scaling"]),
        ('* "Absent Data: Reinforced Self-play Reasoning",\n  arXiv 2505.03335, from Tsinghua', (), ["Absent Data: Reinforced Self-play Reasoning"]),
        # a link line whose link text reading kept: the title, up to the note in brackets
        ("- **论文地址**: Small Loops Think Deep: Recursion in Tiny Nets（作者来自某实验室）", (), ["Small Loops Think Deep: Recursion in Tiny Nets"]),
        ("- **论文链接**: https://arxiv.org/abs/2510.04871 and a note", (), []),
        ("📎 arXiv:2507.10524 ｜ 🏛 KAIST AI、Mila ｜ ❤️ 450", (), []),
        # a reference list's entry: the title, then its arXiv link
        ("[4] Shapes From Noise: Scalable Mesh Synthesis with Rectified Flows. https://arxiv.org/abs/2502.06608", (), ["Shapes From Noise: Scalable Mesh Synthesis with Rectified Flows"]),
        ("[5] https://github.com/example-lab/ShapesFromNoise", (), []),
        # a title read from a link to its paper, the id kept beside it (kg.ingest): the title alone
        ("- **技术报告**: Orion-Audio Technical Report (arXiv:2504.18425)", ("2504.18425",), ["Orion-Audio Technical Report"]),
        ("**Clause-Anchored Rewards for Legal Reasoning (arXiv:2504.20917)**", ("2504.20917",), ["Clause-Anchored Rewards for Legal Reasoning"]),
    ],
)
def test_paper_titles_named_by_report_link_or_next_line(text, ids, expected):
    assert [text[c.start : c.end] for c in find_papers(text, 0, ids, ())] == expected


def test_headlines_and_bold_method_names_are_not_papers():
    headline = "**Anthropic ships Claude Sonnet 4.6 with a 1M-token context window**\n\nThe paper says more."
    assert find_papers(headline, 0, (), ()) == []
    bold = "提出 **内在风险感知 (Intrinsic Risk Sensing, IRS)** 机制。"
    assert find_papers(bold, 0, ("2602.05386",), ()) == []


def test_research_area_headings_without_a_colon_name_no_methods():
    text = "### 1. 应用领域\n计算机视觉-视频生成、具身智能模拟 (Embodied AI Simulation)。\n\n### 2. 一句话核心贡献\n"
    candidates, _ = find_definitions(text, STOP, GAZ)
    assert candidates == []


@pytest.mark.parametrize(
    "text",
    [
        "结合策略RL效果更佳：当结合任务成功奖励（Policy RL）时，效果更好。",  # a generic acronym
        "代码 (LiveCodeBench 2408-2505): 模型达到了 78.2%",  # a known benchmark
        "将算法转化为连续时间的二阶常微分方程（ODE）。",  # an equation
        "在分布内（ID）测试中达到 98.0%",  # in-distribution
        "利用 Jensen-Shannon 散度（JSD）衡量差异",  # a divergence
        "如果遇到内存不足(OOM)问题,可以减少上下文长度",  # an error
        "这种转变通常被称为相变 (phase transition)，无法预测。",  # a concept named
        "设计了一种接受感知（Acceptance-Aware）的采样策略。",  # a modifier of what is proposed
    ],
)
def test_glosses_and_bracketed_acronyms_that_name_no_method(text):
    candidates, _ = find_definitions(text, STOP, GAZ)
    assert [text[c.start : c.end] for c in candidates if c.type == "Technique"] == []


@pytest.mark.parametrize(
    "text, names",
    [
        ("SAM 2 的核心设计是论文提出的流式记忆（streaming memory）：每处理完一帧就写入记忆库。", ["流式记忆", "streaming memory"]),
        ("论文提出了一种动态切片（Dynamic Tiling）策略。", ["动态切片", "Dynamic Tiling"]),
    ],
)
def test_what_a_paper_proposes_glossed_is_a_method_whatever_its_head_word(text, names):
    candidates, _ = find_definitions(text, STOP, GAZ)
    assert sorted(text[c.start : c.end] for c in candidates if c.type == "Technique") == sorted(names)


@pytest.mark.parametrize(
    "text, names",
    [
        ("部分层使用块稀疏注意力(blocksparse attention)来节省KV缓存。", ["块稀疏注意力", "blocksparse attention"]),
        ("Chameleon 采用早期融合（early fusion）架构。", ["早期融合", "early fusion"]),
        ("存在曝光偏差（exposure bias）。", []),  # a lower-case gloss of a concept, not a method
        ("这种转变通常被称为相变 (phase transition)。", []),
    ],
)
def test_a_lower_case_gloss_ending_on_a_method_head_names_the_method(text, names):
    candidates, _ = find_definitions(text, STOP, GAZ)
    assert sorted(text[c.start : c.end] for c in candidates if c.type == "Technique") == sorted(names)


def test_a_policy_gradient_acronym_still_defines_a_method():
    text = "我们采用策略梯度 (PG) 训练智能体。"
    candidates, _ = find_definitions(text, STOP, GAZ)
    assert ("PG", "Technique") in spans(text, candidates)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("今年，深圳星河物联技术服务有限公司与云帆(深圳)科技有限公司宣布合作", ["云帆(深圳)科技有限公司", "深圳星河物联技术服务有限公司"]),
        ("投资方包括京东(领投)、小鹏系远帆资本、宁德时代旗下清泉资本、金泰集团等。", ["清泉资本", "远帆资本", "金泰集团"]),
        ("华为技术有限公司发布新芯片", ["华为技术有限公司"]),
        ("大型互联网集团纷纷入局，吸引了国际资本，与某文旅控股集团签约", []),
        ("人们的劳动不再是为了资本主义", []),
    ],
)
def test_companies_by_their_legal_or_group_ending(text, expected):
    found = find_org_mentions(text, 0, GAZ, STOP, text)
    assert sorted(text[c.start : c.end] for c in found if c.source == "zh-company") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("深圳创业公司星垣智能开源了 Xingyuan-7B。", ["星垣智能"]),
        ("南京的松涛科技昨天发布新模型", ["松涛科技"]),
        ("作者来自浙江大学和鹿鸣科技。", ["鹿鸣科技"]),
        ("这项工作由青禾实验室与清华大学合作完成", ["青禾实验室"]),
        ("青禾实验室与清华大学发布 Qinghe-14B", ["青禾实验室"]),
        ("青禾实验室与复旦大学提出了一种退火策略", ["青禾实验室"]),
        ("松涛科技同时发布 4-bit 的量化版本", ["松涛科技"]),
        ("3. 白鹭机器人：Bailu-VLA-2B 开源", ["白鹭机器人"]),
        ("要中文任务的话，岚山智能的 Lanshan-Edge 可以试试", ["岚山智能"]),
        # concepts and phrases those endings also make
        ("人形机器人发布会上，具身智能开源成为焦点，推动人工智能开放生态", []),
        ("我们实验室开源了代码，多个实验室发布了结果", []),
        ("由最慢智能体决定延迟；这家科技公司发布财报", []),
        ("星垣智能体系很完善", []),  # no context says it is an organization
        ("上文讲完。\n\n松涛机器人\n\n年内交付近千台。", ["松涛机器人"]),  # a heading of its own
        ("### **星垣智能**\n正文", ["星垣智能"]),
        ("## 具身智能\n\n内容", []),
    ],
)
def test_short_brand_names_are_organizations_where_the_text_treats_them_as_one(text, expected):
    found = find_org_mentions(text, 0, GAZ, STOP, text)
    assert sorted(text[c.start : c.end] for c in found if c.source == "zh-brand") == expected


def test_a_brand_glossed_with_its_english_name_is_one_organization():
    text = "北京大学与鹿鸣科技（Luming Tech）的研究者发布了论文"
    candidates, definitions = find_definitions(text, STOP, GAZ)
    assert {(text[c.start : c.end], c.type) for c in candidates} == {("鹿鸣科技", "Organization"), ("Luming Tech", "Organization")}
    assert [d.type for d in definitions] == ["Organization"]


@pytest.mark.parametrize("text, brand", [("深圳创业公司松岭机器人（Songling Robotics）联合发表论文", "松岭机器人"), ("杭州初创公司砚台智能（Yantai AI）发布模型", "砚台智能")])
def test_a_glossed_brand_after_words_that_describe_it_is_the_brand_alone(text, brand):
    candidates, definitions = find_definitions(text, STOP, GAZ)
    assert brand in {text[c.start : c.end] for c in candidates if c.type == "Organization"}
    assert [text[slice(*d.short)] for d in definitions] == [brand]


def test_a_unit_named_after_its_university_is_one_name():
    text = "北京大学人工智能研究院与中国人民大学高瓴人工智能学院合作"
    found = find_org_mentions(text, 0, GAZ, STOP, text)
    assert sorted(text[c.start : c.end] for c in found if c.source == "zh-org") == [
        "中国人民大学高瓴人工智能学院",
        "北京大学人工智能研究院",
    ]


def test_a_curated_name_inside_a_hyphenated_token_names_the_whole_token():
    found = _chosen("比 EAGLE-3 更快，Hunyuan-GameCraft 与 gte-Qwen2 模型，由 Meta-Agent 协调，Qwen-based 方案，DAPO-Math-17k 数据")
    assert {("EAGLE-3", "Technique"), ("Hunyuan-GameCraft", "Model"), ("gte-Qwen2", "Model"), ("Qwen", "Model")} <= found
    assert ("DAPO-Math-17k", "Benchmark") in found


def test_a_hyphenated_token_with_a_decimal_size_is_whole():
    found = _chosen("最小的 Skywork-Reward-V2-Qwen3-0.6B 接近 Skywork-Reward-Gemma-2-27B，Qwen3-1.7B 也在列。")
    assert {("Skywork-Reward-V2-Qwen3-0.6B", "Model"), ("Qwen3-1.7B", "Model")} <= found



def test_a_curated_name_ending_in_a_digit_joined_to_an_edition_names_the_edition():
    # "DeepSeek-VL2-Tiny" is DeepSeek-VL2's smallest edition, not DeepSeek-VL2; "1M" after a size is a context length
    found = _chosen("包含DeepSeek-VL2-Tiny、DeepSeek-VL2-Small和DeepSeek-VL2三个版本，另有 Qwen2.5-7B-Instruct-1M。")
    assert {("DeepSeek-VL2-Tiny", "Model"), ("DeepSeek-VL2-Small", "Model"), ("DeepSeek-VL2", "Model")} <= found
    assert ("Qwen2.5-7B-Instruct-1M", "Model") in found
    assert sum(name == "DeepSeek-VL2" for name, _ in found) == 1


def test_a_reasoning_effort_or_a_size_word_joined_to_a_curated_model_is_part_of_its_name():
    found = _chosen("ARC-AGI-1：o3-mini-high 为 34.5%，o4-mini-low 为 20.1%，o3-mini 为 30.0%。")
    assert {("o3-mini-high", "Model"), ("o4-mini-low", "Model"), ("o3-mini", "Model")} <= found
    assert ("OLMo-Mix-1124", "Benchmark") in _chosen("预训练数据为 OLMo-Mix-1124。")  # a data mix named for the model
    found = _chosen("编码器由 SAM-base 与 CLIP-large 串联，采用 Qwen-based 方案。")
    assert {("SAM-base", "Model"), ("CLIP-large", "Model")} <= found and not {n for n, _ in found} & {"SAM", "CLIP"}


def test_a_curated_architecture_at_a_depth_is_a_model_and_claude_tiers_are_models():
    found = _chosen("在 ImageNet 上，ResNet-50 的准确率为 76.1%，而 EAGLE-3 加速解码；Claude Sonnet 与 Claude Opus 均在列。")
    assert {("ResNet-50", "Model"), ("EAGLE-3", "Technique"), ("Claude Sonnet", "Model"), ("Claude Opus", "Model")} <= found
    assert not {name for name, _ in found} & {"EAGLE", "Hunyuan", "Meta"}


@pytest.mark.parametrize(
    "title, kind",
    [
        ("O'Neil-LM: A 3B Bilingual Model for Legal Reasoning", "Model"),
        ("ToolTrek: Benchmarking Long-Horizon Tool Use in Enterprise Environments", "Benchmark"),
        ("SegPO: Training Language Models to Reason in Segments", "Technique"),
        ("MotionBridge: Large Language Models are Zero-Shot Animators", "Technique"),
    ],
)
def test_a_short_name_takes_the_kind_its_title_says(title, kind):
    text = f'论文 "{title}" 已发布'
    paper = find_papers(text, 0, (), ())[0]
    assert paper_short_name(text, paper).type == kind


@pytest.mark.parametrize("body", ["作者提出 SegPO 模型，用于分段推理。", "作者提出统一的分段推理模型 SegPO，用于数学题。"])
def test_a_short_name_the_text_calls_a_model_is_one_whether_the_cue_comes_after_or_before(body):
    text = f'论文 "SegPO: Training Language Models to Reason in Segments" 已发布。{body}'
    paper = find_papers(text, 0, (), ())[0]
    assert paper_short_name(text, paper).type == "Model"


def test_a_model_shaped_name_introduced_as_a_benchmark_is_one():
    text = "**5. ToolTrek-500: a benchmark for long-horizon tool use**"
    assert ("ToolTrek-500", "Benchmark") in spans(text, find_shaped_names(text, GAZ, STOP))
    assert find_papers("**8. Policy: the EU AI Office updates its GPAI guidance**\nThe paper", 0, (), ()) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DeepSeek-V3.2在HMMT Feb 2025上得分92.5", ("HMMT Feb 2025", "Benchmark")),
        ("Llama 3.2 3B 的 BFCL V2 工具调用得分 67.0", ("BFCL V2", "Benchmark")),
        ("Kimi K2.5 使用 Quillon 优化器训练", ("Quillon", "Technique")),
        ("GLM-4.7 引入交错式思考 (Interleaved Thinking)", ("Interleaved Thinking", "Technique")),
        ("快手表示，可灵 3.0 在内部盲测中领先", ("可灵 3.0", "Model")),
    ],
)
def test_editions_optimizers_thinking_modes_and_chinese_model_names(text, expected):
    assert expected in _chosen(text)


def test_a_name_the_item_also_gives_with_a_parameter_count_is_a_model():
    text = "Zorblax 框架面向科研问答。实验中 Zorblax-8B 在自建基准上超过了 GPT-4o。"
    found = Extractor().extract_item(Item(id="d/1", index=1, title="", text=text, line=1))
    types = {(m.surface, m.type) for m in found.mentions}
    assert ("Zorblax", "Model") in types and ("Zorblax-8B", "Model") in types
    assert ("Zorblax", "Technique") not in types


def test_the_bare_family_of_a_sized_model_is_found_wherever_the_item_writes_it():
    text = "Quibble-7B 的召回率为 69.7%，远超 Quibble 的上一版。代码见 github.com/lab/Quibble ，基线为 Baseline-3B。"
    found = Extractor().extract_item(Item(id="d/1", index=1, title="", text=text, line=1))
    models = [(m.surface, m.start) for m in found.mentions if m.type == "Model"]
    assert ("Quibble", text.index("Quibble 的")) in models
    # not inside a link, and not a stop-listed word made a family ("Baseline")
    assert ("Quibble", text.index("Quibble ，")) not in models
    assert not [m for m in found.mentions if m.surface == "Baseline"]


def test_a_name_found_once_in_an_item_is_found_wherever_the_item_writes_it():
    found = Extractor().extract_item(
        Item(id="d/1", index=1, title="字节发布Zorblax超越AF3", text="字节跳动Seed团队发布Zorblax模型，在蛋白结构预测上更强。", line=1)
    )
    assert len([m for m in found.mentions if m.surface == "Zorblax" and m.type == "Model"]) == 2
    developed = {(found.mentions[r.source].surface, found.mentions[r.target].surface) for r in found.relations if r.type == "developedBy"}
    assert ("Zorblax", "字节") in developed  # the title's release, which no cue word typed


def test_an_arxiv_id_written_beside_one_paper_is_not_the_next_papers():
    text = "- **Rethinking Reference Models for Preference Optimization**（arXiv 2603.05120）\n  - 机构：北京大学\n\n- **Helix-3: Pushing the Frontier of Open Language Models**（Helix 技术报告）\n"
    papers = {text[c.start : c.end]: c.arxiv_id for c in find_papers(text, 0, ("2603.05120",), ())}
    assert papers["Rethinking Reference Models for Preference Optimization"] == "2603.05120"
    assert papers["Helix-3: Pushing the Frontier of Open Language Models"] is None  # else the two merge


@pytest.mark.parametrize(
    "text, expected, unexpected",
    [
        ("[NEW] Zorblax-Nano-9B-v2 2025-08-18", "Zorblax-Nano-9B-v2", "Zorblax-Nano-9B-v2 2025-08-18"),
        ("eval : QuillBench 862，QuillBench 83.0", "QuillBench", "QuillBench 862"),
        ("新版 QuillBench 2.0 上线", "QuillBench 2.0", "QuillBench"),
        ("Maze：Zorblax-9B 85.3%，Orbit 3 为 74.5%", "Orbit 3", "Zorblax-9B 85.3"),  # a score is no version
    ],
)
def test_a_release_date_or_a_score_beside_a_name_is_not_part_of_it(text, expected, unexpected):
    found = {name for name, _ in spans(text, find_shaped_names(text, GAZ, STOP))}
    assert expected in found and unexpected not in found


def test_a_numbered_name_the_item_scores_models_on_is_a_benchmark_wherever_it_is_written():
    found = _chosen("Zorblax-9B 在 ShelfSort-30 上取得 71% 的成功率，在 Kitchen-Tidy-12 上得分 64。ShelfSort-30 由团队自建。")
    assert found == {("Zorblax-9B", "Model"), ("ShelfSort-30", "Benchmark"), ("Kitchen-Tidy-12", "Benchmark")}


def test_a_model_something_is_trained_on_stays_a_model():
    assert ("Orbit-2", "Model") in _chosen("Zorblax-7B 在 Orbit-2 上微调，用了 12 万条数据。")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zorblax-VL 全系采用 Braided-RoPE，把三个维度交错分配。", ("Braided-RoPE", "Technique")),
        ("同时借助 LayerWeave，把多个层级的特征注入语言模型。", ("LayerWeave", "Technique")),
        ("训练中引入了 QK-Fence 来稳定注意力。", ("QK-Fence", "Technique")),
        ("用上QuillClip之后,预训练全程没有出现尖刺。", ("QuillClip", "Technique")),
        ("蒸馏结合了论文提出的 Decoupled-Quill 与新奖励。", ("Decoupled-Quill", "Technique")),
    ],
)
def test_a_name_after_a_word_for_building_with_is_a_method(text, expected):
    assert expected in _chosen(text)


@pytest.mark.parametrize("text, name", [("模型沿用 Orbit-3 的注意力设计。", "Orbit-3"), ("团队借助 PyTorch 训练。", "PyTorch")])
def test_a_numbered_name_or_a_tool_after_it_is_no_method(text, name):
    assert (name, "Technique") not in _chosen(text)


def test_a_tier_in_square_brackets_after_a_known_model_is_that_tier():
    text = "Black Forest Labs 发布 FLUX.2 [dev] 与 FLUX.2 [klein] 4B，FLUX.1 [schnell] 仍可用；详见 FLUX.2 [blog](https://bfl.ai)。"
    found = Extractor().extract_item(Item(id="d/1", index=1, title="", text=text, line=1))
    models = sorted(m.surface for m in found.mentions if m.type == "Model")
    assert models == ["FLUX.1 [schnell]", "FLUX.2", "FLUX.2 [dev]", "FLUX.2 [klein] 4B"]  # a link's label is no tier


@pytest.mark.parametrize(
    "text, expected",
    [
        ("南岭研究院的 *Quiet Tokens First: Ordered Unmasking for Diffusion LMs*（arXiv 2605.11111）值得一读", ["Quiet Tokens First: Ordered Unmasking for Diffusion LMs"]),
        ("He cited *Does Reward Shaping Really Teach New Skills to Small Models?* (arXiv 2605.22222).", ["Does Reward Shaping Really Teach New Skills to Small Models?"]),
        # emphasis is not a title: no cue of its own beside it, or not written like a title
        ("*Friday, May 8 · a weekly letter on models, papers and the people behind them*", []),
        ("The paper is *really quite surprising in how little it needs*, says the host.", []),
    ],
)
def test_an_italic_title_beside_a_paper_cue_is_a_paper(text, expected):
    assert [text[c.start : c.end] for c in find_papers(text, 0, (), ())] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("*Quiet Tokens First: Ordered Unmasking*（arXiv 2605.11111），NVIDIA、香港大学和 MIT。后文", {"NVIDIA", "香港大学", "MIT"}),
        ("*Quiet Tokens First: Ordered Unmasking*（arXiv 2605.11111），清华大学和上海交通大学合作。", {"清华大学", "上海交通大学"}),
        ('[^2]: "Orbit4: Small LLMs on Phones", arXiv 2605.33333 — OpenBMB; Westlake University (西湖大学). Proposes X.', {"OpenBMB", "Westlake University", "西湖大学"}),
        # prose after the id names nobody
        ("见 arXiv 2605.11111，这篇文章很好，值得一读。", set()),
        ("（arXiv 2605.11111），Zorblax-7B 的细节都在里面。", set()),
    ],
)
def test_the_organizations_noted_right_after_a_papers_arxiv_id_are_its_affiliations(text, expected):
    found = {(text[c.start : c.end]) for c in find_org_mentions(text, 0, GAZ, STOP) if c.source == "affiliation"}
    assert found == expected


@pytest.mark.parametrize(
    "text, expected, unexpected",
    [
        ("Google's Zorblax 3 270M (Aug 14) is small.", "Zorblax 3 270M", "Aug 14"),
        ("EmbedZorb ships (Sept 4) to everyone.", None, "Sept 4"),
        ("Proposes Orbitron v2, a sparse attention.", "Orbitron v2", "Proposes Orbitron v2"),
        ("It leads all sub-2B models and Sub-2B ones.", None, "Sub-2B"),
    ],
)
def test_a_date_or_a_sentences_first_word_is_no_model_name(text, expected, unexpected):
    found = {name for name, _ in spans(text, find_shaped_names(text, GAZ, STOP))}
    assert unexpected not in found and (expected is None or expected in found)


def test_a_known_method_with_pluses_after_it_is_another_method():
    found = _chosen("对比 PPO、REINFORCE++ 和 RLOO；他们设计了 Task-Relative REINFORCE++（TRR++）。")
    assert {("REINFORCE++", "Technique"), ("Task-Relative REINFORCE++", "Technique"), ("TRR++", "Technique")} <= found
    assert ("REINFORCE", "Technique") not in found


def test_a_chinese_family_name_with_an_edition_names_that_model():
    found = _chosen("华为开源盘古Pro MoE与盘古Embedded 7B两款模型，混元 Turbo 随后上线。")
    assert {("盘古Pro MoE", "Model"), ("盘古Embedded 7B", "Model"), ("混元 Turbo", "Model")} <= found
    assert not {name for name, _ in found} & {"盘古", "混元", "Embedded 7B"}


def test_a_known_family_with_an_edition_word_or_a_bracketed_size_is_a_model():
    found = _chosen("盘古 (Pangu) 系列中的 Pangu Ultra MoE（718B 参数）完成训练；Voxtral Mini（3B）与 Voxtral Small（24B）开源。")
    assert {("Pangu Ultra MoE", "Model"), ("Voxtral Mini", "Model"), ("Voxtral Small", "Model")} <= found
    found = _chosen("数据集 Zorblax-Corpus (2B tokens) 已开源，Qwen Large language models 也在讨论中。")
    assert ("Zorblax-Corpus", "Model") not in found and not {n for n, _ in found} & {"Qwen Large"}
    found = _chosen("新模型已面向 Claude Pro、Max、Team 和 Enterprise 用户开放。")
    assert ("Claude Pro", "Model") not in found


def test_a_latin_word_the_english_gloss_opens_on_belongs_to_the_chinese_name():
    text = "办法叫 Gram锚定（Gram Anchoring）；另有 Patch重排（Patch Reordering, PR）。"
    found = spans(text, find_definitions(text, STOP, GAZ)[0])
    assert ("Gram锚定", "Technique") in found and ("Patch重排", "Technique") in found
    assert ("锚定", "Technique") not in found


def test_a_test_set_named_after_a_known_model_is_a_benchmark():
    assert ("Step-Video-T2V-Eval", "Benchmark") in _chosen("团队还发布了评测集Step-Video-T2V-Eval，包含128条中文提示词。")


@pytest.mark.parametrize(
    "text",
    ["小米开源 MiMo-V2-Flash，权重以 MIT 协议开放。", "Weights ship under the MIT License.", "代码以MIT许可证发布。"],
)
def test_a_licence_named_after_an_institute_is_no_mention_of_it(text):
    found = Extractor().extract_item(Item(id="d/1", index=1, title="", text=text, line=1))
    assert "MIT" not in {m.surface for m in found.mentions}


def test_the_institute_itself_is_still_found():
    found = Extractor().extract_item(Item(id="d/1", index=1, title="", text="NVIDIA 与 MIT 合作提出新方法。\nlicense : Apache 2.0", line=1))
    assert ("MIT", "Organization") in {(m.surface, m.type) for m in found.mentions}
