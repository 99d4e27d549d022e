"""Typed relations are read only where a sentence (or the item's structure) states them."""

import pytest

from kg.extract import Extractor
from kg.models import Item

EXTRACTOR = Extractor()


def relations(text, title=""):
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title=title, text=text, line=1))
    return {(r.type, found.mentions[r.source].surface, found.mentions[r.target].surface, r.score) for r in found.relations}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("字节跳动发布了 Seedream 4.0 模型。", ("developedBy", "Seedream 4.0", "字节跳动", None)),
        ("DeepSeek-V4 由深度求索推出。", ("developedBy", "DeepSeek-V4", "深度求索", None)),
        ("Moonshot AI 宣布其旗下的 Kimi K2.5 模型开源。", ("developedBy", "Kimi K2.5", "Moonshot AI", None)),
        ("Kimi K3 from Moonshot AI tops HLE with 51.2%.", ("developedBy", "Kimi K3", "Moonshot AI", None)),
        ("This week **Devstral 3**, from Mistral AI, led the coding boards.", ("developedBy", "Devstral 3", "Mistral AI", None)),
        ("Mistral AI has published two checkpoints: Zorblax-2-Base and Zorblax-2-Instruct.", ("developedBy", "Zorblax-2-Instruct", "Mistral AI", None)),
        ("OpenAI released two safety models, gpt-oss-guard-120b and gpt-oss-guard-20b.", ("developedBy", "gpt-oss-guard-120b", "OpenAI", None)),
        ("Nimbus Labs 这次放出两个模型：Orbit-3B 与 Orbit-9B。", ("developedBy", "Orbit-9B", "Nimbus Labs", None)),
        ("Nimbus Labs 的团队公布了 Orbit-3B 的技术报告。", ("developedBy", "Orbit-3B", "Nimbus Labs", None)),
        ("Nimbus Labs 与南京大学提出 CAA，并基于 Qwen2.5-7B-Instruct 训练了表格推理模型 Zorblax-Tab-7B。", ("developedBy", "Zorblax-Tab-7B", "Nimbus Labs", None)),
        ("Nimbus Labs 提出出口门控循环（EGR），并发布基于该方法的 Zorblax-Loop-1.7B。", ("developedBy", "Zorblax-Loop-1.7B", "Nimbus Labs", None)),
        # released as a base model, not named as another's base
        ("Nimbus Labs以Apache 2.0协议开源了基座模型Zorblax-v0.1,没有做指令微调。", ("developedBy", "Zorblax-v0.1", "Nimbus Labs", None)),
    ],
)
def test_developed_by(text, expected):
    assert expected in relations(text)


@pytest.mark.parametrize(
    "text, model, maker",
    [
        ("OpenAI 上周发布了 GPT-5。该公司随后开源了 gpt-oss-120b。", "gpt-oss-120b", "OpenAI"),
        ("Mistral AI had a busy week. The lab shipped Devstral 3 on Tuesday.", "Devstral 3", "Mistral AI"),
        ("清华大学的团队公布了新成果。他们还发布了 GLM-4.5 模型。", "GLM-4.5", "清华大学"),
        ("Google DeepMind released Gemini 3 Pro. Days later the lab shipped Gemini 3 Pro Image.", "Gemini 3 Pro Image", "Google DeepMind"),
        ("月之暗面上月发布了 Kimi K2。三天后他们又开源了 Kimi K2 Thinking。", "Kimi K2 Thinking", "月之暗面"),
    ],
)
def test_a_sentence_opening_on_a_word_for_the_organization_before_it_names_the_maker(text, model, maker):
    assert ("developedBy", model, maker, None) in relations(text)


@pytest.mark.parametrize(
    "text, model",
    [
        ("谷歌发布了 Gemini 3。该公司称新模型优于 GPT-5。", "GPT-5"),  # no release cue before the model
        ("Meta 开源了一批数据。他们基于 Llama 3 训练了新模型。", "Llama 3"),  # a base, released by no one here
        ("Anthropic is hiring. The company's relationship with GPT-5 users is not discussed.", "GPT-5"),
    ],
)
def test_an_organization_word_without_a_release_names_no_maker(text, model):
    assert not {r for r in relations(text) if r[0] == "developedBy" and r[1] == model}


def test_from_names_the_maker_only_right_after_the_model():
    found = {r for r in relations("Kimi K3 beat a model distilled from Moonshot AI's older line.") if r[0] == "developedBy"}
    assert ("developedBy", "Kimi K3", "Moonshot AI", None) not in found


def test_a_model_an_organization_merely_uses_is_not_developed_by_it():
    assert not {r for r in relations("清华大学的研究者基于 Llama 3.1 8B 训练了新方法。") if r[0] == "developedBy"}


def test_evaluated_on_with_score_and_compared_models():
    found = relations("Qwen3.6-35B-A3B 在 SWE-bench Verified 上取得 73.4% 的成绩，超过 GPT-4o。")
    assert ("evaluatedOn", "Qwen3.6-35B-A3B", "SWE-bench Verified", "73.4%") in found
    assert ("evaluatedOn", "GPT-4o", "SWE-bench Verified", None) in found


def test_a_number_inside_a_model_name_is_not_its_score():
    found = relations("ShadowLoRA 在 GSM8K 上把 Llama 3.1 8B 的准确率从 84.5% 提到 88.9%。")
    assert ("evaluatedOn", "Llama 3.1 8B", "GSM8K", "84.5%") in found


def test_a_sentence_without_a_model_speaks_of_the_last_one_named():
    found = relations("小米发布 MiMo-V2-Flash 模型。该模型采用 MoE 架构，在 AIME 2025 上得分 94.1。")
    assert ("uses", "MiMo-V2-Flash", "MoE", None) in found
    assert ("evaluatedOn", "MiMo-V2-Flash", "AIME 2025", "94.1") in found


def scored(text, title):
    return {(r[1], r[2]) for r in relations(text, title=title) if r[0] == "evaluatedOn"}


def test_a_sentence_without_a_model_after_models_compared_is_about_the_item_s_model():
    text = (
        "松涛科技正式开源 Zorblax-7B。\n"
        "- 智能体：HLE 50.2%。同一张对比表里，GPT-5.2 与 Claude Opus 4.5 在 HLE 上分别为 45.5% 和 43.2%。\n"
        "- 编码：SWE-bench Verified 76.8%，SWE-bench Multilingual 73.0%。\n"
    )
    found = scored(text, "松涛科技开源 Zorblax-7B")
    assert {("Zorblax-7B", "SWE-bench Verified"), ("Zorblax-7B", "SWE-bench Multilingual")} <= found
    assert not {pair for pair in found if pair[0] == "Claude Opus 4.5" and pair[1] != "HLE"}


def test_the_model_a_new_one_is_a_version_of_is_not_what_later_scores_are_about():
    text = "松涛科技发布 Zorblax-7B-Thinking。它是 Zorblax-7B 的思考版本，参数规模 7B。\n- 成绩：GPQA Diamond 87.4%；LiveCodeBench v6 85.9%。"
    assert scored(text, "松涛科技上线 Zorblax-7B-Thinking") == {
        ("Zorblax-7B-Thinking", "GPQA Diamond"), ("Zorblax-7B-Thinking", "LiveCodeBench v6"),
    }


def test_a_family_and_its_member_named_together_leave_the_member_the_subject():
    text = "英伟达公开 Zorblax 3 系列，首个可下载的是 Zorblax 3 Nano。它在 RULER 上得分 86.3。"
    assert scored(text, "英伟达推出 Zorblax 3") == {("Zorblax 3 Nano", "RULER")}


def test_paper_affiliations_and_proposals_from_structure():
    text = "论文标题: ShadowLoRA: Rethinking Low-Rank Adaptation with Orthogonal Experts\n发文单位: 清华大学, 上海人工智能实验室\n论文提出 ShadowLoRA 方法。"
    found = relations(text)
    paper = "ShadowLoRA: Rethinking Low-Rank Adaptation with Orthogonal Experts"
    assert ("affiliatedWith", paper, "清华大学", None) in found
    assert ("proposes", paper, "ShadowLoRA", None) in found


def test_a_use_word_describing_what_is_proposed_does_not_make_it_used():
    title = "RouteVid: Sparse Routers for Long Video Agents"
    proposed = relations("论文还提出**基于惊奇度的整合策略（Surprisal Routing）**，只保留新信息。", title=title)
    assert ("proposes", title, "Surprisal Routing", None) in proposed
    assert ("uses", title, "Surprisal Routing", None) not in proposed
    # the phrase goes on: the name is what the proposed framework uses
    used = relations("论文提出了一种利用块扩散模型（Block Drafting）进行并行草稿生成的框架。", title=title)
    assert ("proposes", title, "Block Drafting", None) not in used


def test_co_occurrence_alone_is_no_typed_relation():
    assert relations("本周新闻：OpenAI、GPT-5.1、MMLU 和 LoRA 都上了热搜。") == set()


CONTRIBUTION_ITEM = """论文标题: Walnut: Retrospective Value Distillation for Long-Horizon Planning
1. **一句话核心贡献**：一种让小模型学会长程规划的训练方法。
2. **主要创新点**：
    *   **回溯价值蒸馏 (Retrospective Value Distillation, RVD)**：把搜索树的价值估计压进策略网络。
    *   **稳定回放**：第二阶段沿用 Tandem Rollout (TR) 做采样，并加入熵约束。
3. **实验效果**：
    *   在 PlanBench 上，Walnut-7B 明显优于 Beam Lookahead (BL) 基线。
"""


def test_a_paper_proposes_what_its_contribution_section_names():
    found = relations(CONTRIBUTION_ITEM)
    paper = "Walnut: Retrospective Value Distillation for Long-Horizon Planning"
    proposed = {r[2] for r in found if r[0] == "proposes" and r[1] == paper}
    assert "RVD" in proposed or "Retrospective Value Distillation" in proposed
    # what the contribution builds on ("沿用 X") and what other sections name are not proposed
    assert not proposed & {"Tandem Rollout", "TR", "BL", "Beam Lookahead"}
    # and a paper never "uses" what it proposes
    assert not {r for r in found if r[0] == "uses" and r[2] in proposed}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("• Lumen-VL-7B：智谱研发的多模态模型，擅长读图表。", {("Lumen-VL-7B", "智谱")}),
        ("• Orca-Audio 2（阿里巴巴）", {("Orca-Audio 2", "阿里巴巴")}),
        ("Tern-3B 是百度 2025 年出品的小模型。", {("Tern-3B", "百度")}),
        ("清华大学联合智谱推出 Lumen-VL 模型。", {("Lumen-VL", "清华大学"), ("Lumen-VL", "智谱")}),
    ],
)
def test_developed_by_after_the_model_and_by_organizations_named_together(text, expected):
    found = {(r[1], r[2]) for r in relations(text) if r[0] == "developedBy"}
    assert expected <= found


@pytest.mark.parametrize(
    "text",
    [
        "• Lumen-VL-7B：基于百度的底座训练，擅长读图表。",  # built on, not by
        "• Orca-Audio 2（对标阿里巴巴的竞品）表现不错。",
    ],
)
def test_no_developed_by_when_the_organization_after_the_model_did_not_make_it(text):
    assert not {r for r in relations(text) if r[0] == "developedBy"}


def test_organizations_listed_with_a_slash_are_not_joint_makers():
    found = {(r[1], r[2]) for r in relations("[百度/智谱] 智谱发布 Lumen-VL 模型。") if r[0] == "developedBy"}
    assert ("Lumen-VL", "智谱") in found and ("Lumen-VL", "百度") not in found


EXPERIMENT_ITEM = """3. **实验效果**：
    *   **核心数据集**：在 PlanBench 与 MazeEval 上进行了测试。
    *   **主要结果**：以 Walnut-7B 为主干时，成功率提升约 9 个百分点。
    *   **对比**：Heron-13B 在 GridWorldBench 上得分 41.2。
4. **局限**：Kestrel-2B 尚未测试。
"""


def test_an_experiment_section_pairs_bullets_naming_only_models_with_bullets_naming_only_benchmarks():
    found = {(r[1], r[2]) for r in relations(EXPERIMENT_ITEM) if r[0] == "evaluatedOn"}
    assert {("Walnut-7B", "PlanBench"), ("Walnut-7B", "MazeEval"), ("Heron-13B", "GridWorldBench")} <= found
    # a bullet with its own model and benchmark stays as it is; a later section is not the experiment
    assert not found & {("Heron-13B", "PlanBench"), ("Walnut-7B", "GridWorldBench"), ("Kestrel-2B", "PlanBench")}


@pytest.mark.parametrize(
    "text, uses",
    [
        ("松涛科技推出 Zorblax-7B：30B 总参数、约 3B 激活的 MoE 模型，API 免费。", {("Zorblax-7B", "MoE")}),
        ("同期还有 Zorblax-7B，196B 总参、每 token 激活约 11B 的 MoE。", {("Zorblax-7B", "MoE")}),
        ("例子是 Zorblax-7B：MoE 加 GQA，再配合其他设计。", {("Zorblax-7B", "MoE"), ("Zorblax-7B", "GQA")}),
        # a method that opens a new clause after the colon is that clause's subject
        ("微调 Zorblax-7B：ShadowLoRA 将 GSM8K 上的准确率提到 88.9%。", set()),
        # "均为 X 架构": each model named is built as X
        ("包括 Zorblax-7B 和 Zorblax-7B-Lite，两者均为 MoE 架构。", {("Zorblax-7B", "MoE"), ("Zorblax-7B-Lite", "MoE")}),
        ("Zorblax-7B 为松涛科技的 GQA 研究所推出的新模型。", set()),
        # the method the sentence opened on, taken up after the model: "M 全系都用上了", "M 靠它…"
        ("3. 分组查询注意力（GQA），每组 2 个 KV 头，Zorblax-7B 全系都用上了。", {("Zorblax-7B", "分组查询注意力"), ("Zorblax-7B", "GQA")}),
        ("GRPO 比 PPO 省显存，Zorblax-7B 用了。", {("Zorblax-7B", "GRPO")}),
        ("Zorblax-7B 能操作网页，关键在于一种标注方法 Set-of-Mark（SoM）。", {("Zorblax-7B", "Set-of-Mark"), ("Zorblax-7B", "SoM")}),
    ],
)
def test_a_description_after_a_model_names_what_it_is_built_with(text, uses):
    assert {(r[1], r[2]) for r in relations(text) if r[0] == "uses"} == uses


def test_a_method_the_model_was_compared_with_is_not_one_it_uses():
    found = {(r[1], r[2]) for r in relations("Walnut-7B 使用 DPO 训练，比 GRPO 准确率高 3 个百分点。") if r[0] == "uses"}
    assert ("Walnut-7B", "DPO") in found and ("Walnut-7B", "GRPO") not in found
    found = {(r[1], r[2]) for r in relations("Heron-13B 采用 LoRA 替代全量微调，并使用 GRPO 做后训练。") if r[0] == "uses"}
    assert {("Heron-13B", "LoRA"), ("Heron-13B", "GRPO")} <= found  # a later use cue restores it


def test_each_paper_proposes_the_short_name_its_own_title_opens_with():
    text = (
        '清华团队发布 "Walnut: Retrospective Value Distillation for Long-Horizon Planning"（arXiv 2603.01111）。\n'
        '另一篇来自北大的论文 "Heron: Sparse Routing for Long-Context Retrieval"（arXiv 2603.02222）。'
    )
    found = {(r[1].split(":")[0], r[2]) for r in relations(text, title="本周论文") if r[0] == "proposes"}
    assert {("Walnut", "Walnut"), ("Heron", "Heron")} <= found
    assert not found & {("Walnut", "Heron"), ("Heron", "Walnut")}


HASHLESS_SECTIONS_ITEM = """论文标题: GridMix: Rethinking Token Mixing for Vision Transformers

1. 应用领域
计算机视觉。

2. 主要创新点
1.  **块状混合 (Block-wise Token Mixing, BTM)**：
    *   在每个窗口内混合 token。
2.  **跨窗口门控 (Cross-Window Gating, CWG)**：
    *   利用 CWG 在窗口之间传递信息。

3. 使用指南
    1.  **预处理**：
    利用 BTM 处理输入。
"""


def test_a_numbered_heading_that_lost_its_hashes_still_opens_the_contribution_section():
    # "### 2. 主要创新点" reaches extraction as "2. 主要创新点"; the numbered bold entries under it
    # and the indented steps of a later section are no headings of their own
    found = relations(HASHLESS_SECTIONS_ITEM)
    paper = "GridMix: Rethinking Token Mixing for Vision Transformers"
    proposed = {r[2] for r in found if r[0] == "proposes" and r[1] == paper}
    assert {"BTM", "CWG"} <= proposed
    # "利用 BTM" in the usage guide names the paper's own method: it does not "use" it
    assert not {r for r in found if r[0] == "uses" and r[2] in {"BTM", "CWG"}}


@pytest.mark.parametrize(
    "text, made, not_made",
    [
        ("谷歌发布 Gemini 3.1 Flash，价格与 Gemini 2.5 Flash 保持一致。", {"Gemini 3.1 Flash"}, {"Gemini 2.5 Flash"}),
        ("Anthropic 发布 Claude Opus 4.7，距离上一代 Claude Opus 4.6 只隔了一个多月。", {"Claude Opus 4.7"}, {"Claude Opus 4.6"}),
        ("OpenAI 称新模型的幻觉率比 GPT-5.1 降低约 30%。", set(), {"GPT-5.1"}),
        ("不仅和谷歌撞期，Qwen3-8B 也让开发者们失望。", set(), {"Qwen3-8B"}),  # 开发者 is no release
    ],
)
def test_a_model_named_as_a_rival_or_predecessor_is_not_made_by_the_organization(text, made, not_made):
    found = {r[1] for r in relations(text) if r[0] == "developedBy"}
    assert made <= found and not found & not_made


@pytest.mark.parametrize(
    "text, user, not_user",
    [
        (
            "DeepSeek-V3.2 在 DeepSeek-V3.1-Terminus 的基础上继续训练，引入 DeepSeek 稀疏注意力 (DeepSeek Sparse Attention, DSA)。",
            "DeepSeek-V3.2",
            "DeepSeek-V3.1-Terminus",
        ),
        ("小米发布 MiMo-V2-Flash 模型。该模型基于 Qwen3-8B 继续预训练，后训练阶段使用了 GRPO。", "MiMo-V2-Flash", "Qwen3-8B"),
        ("小米发布 MiMo-V2-Flash 模型。与上一代 MiMo-7B 相比，新模型改用 MoE 架构。", "MiMo-V2-Flash", "MiMo-7B"),
        ("• 模型 Zhuoyu-Coder-14B 以 Qwen2.5-Coder-14B-Instruct 为底座,用 GRPO 训练;", "Zhuoyu-Coder-14B", "Qwen2.5-Coder-14B-Instruct"),
        ("Zhuoyu-VL-3B 以 SigLIP 作为骨干，采用 MoE 架构。", "Zhuoyu-VL-3B", "SigLIP"),
        ("- **Zhuoyu-VLA-1**：VLM 骨干为 PaliGemma（3B），外接动作专家，用 Flow Matching 输出连续动作。", "Zhuoyu-VLA-1", "PaliGemma"),
    ],
)
def test_a_base_or_a_predecessor_is_not_what_uses_the_method(text, user, not_user):
    users = {r[1] for r in relations(text) if r[0] == "uses"}
    assert user in users and not_user not in users


@pytest.mark.parametrize(
    "text",
    [
        "社区开发者发布教程，在一张 24GB 显卡上用 LoRA 微调 Qwen3-8B。",  # the model is what was tuned
        "两款模型在工具使用、CoT 推理以及 HealthBench 测试中表现出色，甚至超越了 o1 和 GPT-4o。",  # a noun, a rival
        "论文标题: Walnut: Retrospective Planning for Small Agents\n问题：用 GRPO 训练推理模型时，熵迅速下降。",  # the status quo
        "论文标题: Walnut: Retrospective Planning for Small Agents\n论文提出了一个基于贝叶斯网络的公式，证明了现有的提示方法（如 ReAct、CoT）都是它的特例。",
        "论文标题: Walnut: Retrospective Planning for Small Agents\n该方法被 Kimi K1.5 等模型采用。",  # Kimi uses the paper's method
    ],
)
def test_no_use_where_the_use_cue_does_not_reach_a_user_and_a_method(text):
    assert not {r for r in relations(text) if r[0] == "uses"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("旗舰 Qwen3.7-122B-A10B 采用混合专家 (Mixture of Experts, MoE) 架构，总参数 122B。", ("Qwen3.7-122B-A10B", "MoE")),
        ("常见连接器包括基于 Query 的连接器（如 BLIP-2 用 Q-Former 抽取特征）。", ("BLIP-2", "Q-Former")),
        (
            "Microsoft 发布 Phi-4-mini-flash-reasoning，基于新的 SambaY 解码器混合架构，其核心组件是门控记忆单元 (Gated Memory Unit, GMU)。",
            ("Phi-4-mini-flash-reasoning", "GMU"),
        ),
    ],
)
def test_uses_read_through_asides_and_short_cues(text, expected):
    assert expected in {(r[1], r[2]) for r in relations(text) if r[0] == "uses"}


PAPER_MODEL_ITEM = """论文标题: Walnut: Unified Pretraining for Vision and Language

Hazel-7B 是一个统一的多模态模型。Hazel-7B 在理解任务上表现很好，Hazel-7B 也能生成图像。
采用 RMSNorm 进行归一化。
作者用 GRPO 训练了最终模型。
2. 主要创新点
* **回溯价值蒸馏 (Retrospective Value Distillation, RVD)**：核心方法。
训练中采用 RVD 稳定优化。
"""


def test_in_a_paper_write_up_the_paper_and_its_model_use_what_no_named_model_does_and_its_model_uses_what_it_proposes():
    found = relations(PAPER_MODEL_ITEM)
    paper = "Walnut: Unified Pretraining for Vision and Language"
    uses = {(r[1], r[2]) for r in found if r[0] == "uses"}
    # the model the write-up keeps naming is the paper's own: both use the method
    assert {(paper, "RMSNorm"), ("Hazel-7B", "RMSNorm")} <= uses
    # "作者用 X": the authors, so the paper only
    assert (paper, "GRPO") in uses and ("Hazel-7B", "GRPO") not in uses
    # the paper proposes its method, it does not use it; its model is trained with it
    assert not {u for u in uses if u[0] == paper and u[1] in {"RVD", "Retrospective Value Distillation"}}
    assert ("Hazel-7B", "RVD") in uses


@pytest.mark.parametrize(
    "text, expected, unexpected",
    [
        ("Orca-7B 依托 U-Net 的差异化学习能力，捕捉细微变化。", {("Orca-7B", "U-Net")}, set()),
        ("Orca-7B 通过知识蒸馏将 Grok 的能力注入自身。", {("Orca-7B", "知识蒸馏")}, {("Grok", "知识蒸馏")}),
    ],
)
def test_by_means_of_is_a_use_and_the_model_handed_over_is_no_user(text, expected, unexpected):
    uses = {(r[1], r[2]) for r in relations(text) if r[0] == "uses"}
    assert expected <= uses and not uses & unexpected


def test_an_item_that_introduces_a_benchmark_scores_models_on_it_without_naming_it_again():
    text = (
        "清华大学发布 GridQuest-Bench，包含 1,200 个网页操作任务。"
        "Qwen3-8B 以 63.5% 的成功率居首，Llama 3.1 8B 为 41.8%。"
        "数据由人工标注。"
    )
    found = {(r[1], r[2]) for r in relations(text, title="新基准 GridQuest-Bench 评测网页 Agent") if r[0] == "evaluatedOn"}
    assert {("Qwen3-8B", "GridQuest-Bench"), ("Llama 3.1 8B", "GridQuest-Bench")} <= found


def test_models_are_not_scored_on_a_benchmark_when_the_item_introduces_two():
    text = "本文发布 GridQuest-Bench 与 MazeEval 两个基准。Qwen3-8B 以 63.5% 的成功率居首。"
    found = {(r[1], r[2]) for r in relations(text, title="新基准 GridQuest-Bench 与 MazeEval") if r[0] == "evaluatedOn"}
    assert not {f for f in found if f[0] == "Qwen3-8B"}


@pytest.mark.parametrize(
    "body, org",
    [
        ("本文由北京大学和阿里巴巴的多位研究者共同完成。", "北京大学"),
        ("Who: researchers at Carnegie Mellon University and Apple.", "Apple"),
    ],
)
def test_a_write_up_names_its_paper_s_authors_without_naming_the_paper_again(body, org):
    text = f"论文标题: GridMix: Rethinking Token Mixing for Vision Transformers\n{body}"
    found = {(r[1], r[2]) for r in relations(text) if r[0] == "affiliatedWith"}
    assert ("GridMix: Rethinking Token Mixing for Vision Transformers", org) in found


def test_a_name_typed_by_its_cue_word_is_proposed_right_after_the_propose_cue():
    text = "论文标题: GridMix: Rethinking Token Mixing for Vision Transformers\n本文提出了 TokenWeave 框架，通过窗口内混合降低计算量。"
    found = {r[2] for r in relations(text) if r[0] == "proposes"}
    assert "TokenWeave" in found


@pytest.mark.parametrize(
    "text, made, not_made",
    [
        ("英伟达发布 Nemotron 3 Nano，这是 Nemotron 3 系列中最小的开源模型。", {"Nemotron 3 Nano"}, {"Nemotron 3"}),
        (
            "Lumen Research, a Singapore lab spun out of the National University of Singapore (NUS), open-sourced Helios-2.5.",
            {("Helios-2.5", "Lumen Research")},
            {("Helios-2.5", "NUS"), ("Helios-2.5", "National University of Singapore")},
        ),
        ("• Llama 4(2025):Meta迄今最先进的模型,首次采用MoE架构。", {("Llama 4", "Meta")}, set()),
    ],
)
def test_the_maker_is_the_organization_that_acts_and_the_model_is_the_one_it_made(text, made, not_made):
    found = {(r[1], r[2]) for r in relations(text) if r[0] == "developedBy"}
    names = found | {m for m, _ in found}
    assert made <= names and not names & not_made


def test_a_header_naming_two_organizations_pairs_them_with_the_title_s_two_models_in_order():
    text = "Anthropic 与 OpenAI 在编程领域再推新版，Claude Opus 4.6 登顶榜单，而 GPT-5.3-Codex 则在 Agent 实战中表现出色。"
    found = {(r[1], r[2]) for r in relations(text, title="[Anthropic/OpenAI] Claude Opus 4.6 与 GPT-5.3-Codex：新版发布") if r[0] == "developedBy"}
    assert {("Claude Opus 4.6", "Anthropic"), ("GPT-5.3-Codex", "OpenAI")} <= found
    assert not found & {("Claude Opus 4.6", "OpenAI"), ("GPT-5.3-Codex", "Anthropic")}
    # a survey's authors are not the makers of the models it spans
    survey = {(r[1], r[2]) for r in relations("综述回顾了机器人基础模型。", title="[港科大/上海人工智能实验室] VLA 综述：从 RT-2 到 π0") if r[0] == "developedBy"}
    assert not survey


@pytest.mark.parametrize(
    "text, expected",
    [
        # a rival's own number is its score, not the subject's
        (
            "小米发布 MiMo-V2-Flash 模型。在 HMMT 2025 上，它取得了 94.5 的高分，一举超越了 GPT-5 的 93.2 分。",
            {("MiMo-V2-Flash", "94.5"), ("GPT-5", "93.2")},
        ),
        # a score before its benchmark, in English; the next number belongs to the next benchmark
        ("Helios-2.5-14B scores 71.3 on MMLU-Pro and 58.0 on GPQA Diamond.[^2]", {("Helios-2.5-14B", "71.3"), ("Helios-2.5-14B", "58.0")}),
        # gains, ranges, counts and years are no scores
        ("Qwen3-8B 在 MMLU 上准确率提升 2.9%。", {("Qwen3-8B", None)}),
        ("Qwen3-8B 在 LiveCodeBench (2408-2505) 上进行了评估。", {("Qwen3-8B", None)}),
    ],
)
def test_each_model_gets_its_own_score_and_only_a_score(text, expected):
    found = {(r[1], r[3]) for r in relations(text) if r[0] == "evaluatedOn"}
    assert expected <= found


def test_the_metric_is_the_one_named_next_to_the_score():
    item = Item(id="d/1", index=1, title="", text="Qwen3-8B 在 HLE 上准确率为 41.2%，系统延迟也更低。", line=1)
    found = EXTRACTOR.extract_item(item)
    assert [(r.score, r.metric) for r in found.relations if r.type == "evaluatedOn"] == [("41.2%", "准确率")]


def test_a_known_method_a_paper_title_names_is_one_the_paper_uses_unless_it_surveys_it():
    found = relations("论文标题: A Unified Framework for Rethinking Policy Divergence Measures in GRPO\n本文研究策略散度。")
    assert ("uses", "A Unified Framework for Rethinking Policy Divergence Measures in GRPO", "GRPO", None) in found
    survey = relations("论文标题: A Survey on Mixture of Experts for Large Language Models\n本文梳理了相关工作。")
    assert not {r for r in survey if r[0] == "uses"}


def test_a_technical_report_proposes_the_model_its_title_opens_with():
    found = relations("本报告介绍新一代模型。", title="Qwen3.6 Technical Report")
    assert ("proposes", "Qwen3.6 Technical Report", "Qwen3.6", None) in found


def test_the_report_of_a_model_proposes_the_sizes_and_editions_the_item_names():
    text = "腾讯开源 Hunyuan-Audio-7B 与 Hunyuan-Audio-7B-Instruct，对比 Qwen2.5-Omni。\n- **技术报告**: Hunyuan-Audio Technical Report"
    proposed = {r[2] for r in relations(text, title="Hunyuan-Audio 开源") if r[0] == "proposes"}
    assert {"Hunyuan-Audio-7B", "Hunyuan-Audio-7B-Instruct"} <= proposed and "Qwen2.5-Omni" not in proposed


@pytest.mark.parametrize(
    "title, text, expected",
    [
        (  # a paper named for a model
            "Zorblax: A Foundation Model for Multimodal AI Agents",
            "Nimbus Labs 推出多模态智能体基础模型 Zorblax。\n*   **模型**：Zorblax-8B，以 LLaMA-3-8B 为底座。",
            {"Zorblax", "Zorblax-8B"},
        ),
        (  # a model the paper proposes, its editions named on other lines
            "Scaling Latent Reasoning via Looped Language Models",
            "Nimbus Labs 发布 Zorblax 系列循环语言模型，包括 Zorblax-1.4B 与 Zorblax-2.6B。\n*   **思考版**：另有 Zorblax-1.4B-Thinking。",
            {"Zorblax-1.4B", "Zorblax-1.4B-Thinking"},
        ),
    ],
)
def test_a_paper_proposes_the_sizes_and_editions_of_its_model_wherever_the_item_names_them(title, text, expected):
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title=title, text=text, line=1, hf_paper_ids=("2502.13130",)))
    proposed = {found.mentions[r.target].surface for r in found.relations if r.type == "proposes"}
    assert expected <= proposed and "LLaMA-3-8B" not in proposed


def test_a_left_out_subject_is_the_model_named_before_not_the_rivals_listed():
    found = relations(
        "小米发布 MiMo-V2-Flash 模型。在 AIME 2025 上得分 94.1，显著优于 GPT-4o 和同类模型（如 Kimi K2、GLM-4.5）。"
    )
    assert ("evaluatedOn", "MiMo-V2-Flash", "AIME 2025", "94.1") in found
    # the rivals were measured there too, but the score is not theirs
    assert {("evaluatedOn", m, "AIME 2025", None) for m in ("GPT-4o", "Kimi K2", "GLM-4.5")} <= found


def test_an_unknown_name_before_the_comparison_keeps_the_subject_from_being_guessed():
    found = relations("小米发布 MiMo-V2-Flash 模型。在 AIME 2025 上，TactileNet 达到 78 分，比 GPT-4o 高。")
    assert not {r for r in found if r[1] == "MiMo-V2-Flash" and r[0] == "evaluatedOn"}


def test_a_model_the_maker_builds_from_is_not_its_own():
    found = relations("字节跳动发布蛋白设计模型 SeedProteo，成功将 AlphaFold 3 的折叠架构转化为生成框架。")
    assert ("developedBy", "SeedProteo", "字节跳动", None) in found
    assert ("developedBy", "AlphaFold 3", "字节跳动", None) not in found


def test_every_model_a_release_lists_is_the_makers():
    found = relations("微软开源 Phi-4-multimodal 与 Phi-4-mini 两款小模型。")
    assert {("developedBy", m, "微软", None) for m in ("Phi-4-multimodal", "Phi-4-mini")} <= found


def test_a_paper_named_for_a_model_it_gives_with_a_size_speaks_of_that_model():
    found = relations(PAPER_MODEL_ITEM.replace("Hazel-7B", "Walnut-7B"))
    uses = {(r[1], r[2]) for r in found if r[0] == "uses"}
    # "Walnut" is the model (the item gives Walnut-7B), so the write-up's unnamed subject is Walnut
    assert ("Walnut", "RMSNorm") in uses


def test_a_score_written_right_after_a_benchmark_is_an_evaluation():
    found = relations("阿里开源 Tongyi-DeepResearch-30B-A3B，Humanity's Last Exam 32.9、BrowseComp 43.4。")
    assert ("evaluatedOn", "Tongyi-DeepResearch-30B-A3B", "Humanity's Last Exam", "32.9") in found
    assert ("evaluatedOn", "Tongyi-DeepResearch-30B-A3B", "BrowseComp", "43.4") in found


def test_every_benchmark_of_a_list_an_evaluation_cue_opens_is_an_evaluation():
    found = {r[:3] for r in relations("Zorblax-2 在 ERQA、Point-Bench、RefSpatial、Where2Place、BLINK、CV-Bench 等 15 项学术基准的综合排名第一。")}
    assert {("evaluatedOn", "Zorblax-2", b) for b in ("ERQA", "Where2Place", "BLINK", "CV-Bench")} <= found


def test_a_benchmark_a_model_is_assessed_with_is_an_evaluation():
    found = {r[:3] for r in relations("Zorblax-7B 使用 GEdit-Bench 进一步评估了图像编辑能力。")}
    assert ("evaluatedOn", "Zorblax-7B", "GEdit-Bench") in found


def test_a_benchmark_said_to_be_a_score_is_an_evaluation():
    found = {r[:3] for r in relations("其中 Zorblax-3B 的 MMLU 为 58.3，Orbit-3B 为 65.6。")}
    assert {("evaluatedOn", "Zorblax-3B", "MMLU"), ("evaluatedOn", "Orbit-3B", "MMLU")} <= found
    found = {r[:3] for r in relations("Zorblax-2B 用 4 步采样，VBench 总分 81.2。")}
    assert ("evaluatedOn", "Zorblax-2B", "VBench") in found
    # a year after 是 is no score
    assert not {r for r in relations("Zorblax-2B 发布，MMLU 是 2020 年提出的基准。") if r[0] == "evaluatedOn"}


def test_a_count_after_a_benchmark_is_no_score():
    found = relations("团队发布 Zorblax-7B，并公开 BrowseComp 1200 条题目的标注。")
    assert not {r for r in found if r[0] == "evaluatedOn"}


def test_a_developer_field_names_the_maker_of_every_model_in_the_title():
    title = "[NEW] Zorblax-120b / Zorblax-20b 2025-08-05"
    found = relations("  developer : OpenAI\n  license   : Apache 2.0\n", title=title)
    assert {("developedBy", m, "OpenAI", None) for m in ("Zorblax-120b", "Zorblax-20b")} <= found
    assert not {r for r in found if r[2] == "NEW"}  # the tag is no organization


@pytest.mark.parametrize("count", ["500 道题", "1200 条", "89 tasks", "3 个子集"])
def test_a_count_of_a_benchmarks_items_is_no_score(count):
    found = relations(f"团队发布 Zorblax-7B。SWE-bench Verified {count}都已公开。")
    assert not {r for r in found if r[0] == "evaluatedOn"}


@pytest.mark.parametrize(
    "text, title, organizations",
    [
        # an institution emoji in a field line, known and unknown names, up to the next field
        ("🔗 arXiv 2603.01234 ｜ 👍 120 ｜ 🏛 清华大学；Quokka Labs\n\n本文提出 RouteVid 方法。", "Sparse Routers for Long Video Agents", {"清华大学", "Quokka Labs"}),
        # a labelled line whose names the gazetteer knows, apart by a bar
        ("arXiv：2603.04567\n单位：浙江大学 | 阿里巴巴\n\n提出 TinyPlan 方法。", "Tiny Planners for Household Robots", {"浙江大学", "阿里巴巴"}),
        # the names after the paper's arXiv id on its line, in English and with no label
        ("   arXiv 2603.07777 · Renmin University of China, Quokka Labs\n\nAbstract — TinyPlan plans chores.", "Tiny Planners for Household Robots", {"Renmin University of China", "Quokka Labs"}),
        # an authors-and-affiliations line: the institutions after the authors; a Latin name glossed in Chinese is two names
        ("- **arXiv**：2603.04567\n- **作者 / 机构**：Ada Lovelace, Alan Turing ｜ Brown University、Quokka Labs（夸克实验室）\n\n提出 TinyPlan 方法。", "Tiny Planners for Household Robots", {"Brown University", "Quokka Labs", "夸克实验室"}),
        # the names after the id inside the reference's bracket
        ("Tiny Planners for Household Robots (arXiv 2603.04567; Stanford University, NVIDIA). The authors plan chores.", "", {"Stanford University", "NVIDIA"}),
    ],
)
def test_the_organizations_of_an_affiliation_line_are_the_paper_s(text, title, organizations):
    paper = title or "Tiny Planners for Household Robots"
    found = {r[2] for r in relations(text, title=title) if r[0] == "affiliatedWith" and r[1] == paper}
    assert found == organizations


def test_a_reference_list_names_each_paper_with_its_arxiv_id_and_who_wrote_it():
    text = (
        "本期提到的资料\n\n"
        "  1. Sparse Routers for Long Video Agents — arXiv 2603.01234（清华大学与 Quokka Labs；提出 RouteVid）\n"
        "  2. Tiny Planners for Household Robots, arXiv:2603.04567 (浙江大学, 2026)\n"
        "  3. 一篇中文综述 — arXiv 2603.07777\n"
    )
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title="", text=text, line=1))
    papers = {m.surface: m.arxiv_id for m in found.mentions if m.type == "Paper"}
    assert papers == {"Sparse Routers for Long Video Agents": "2603.01234", "Tiny Planners for Household Robots": "2603.04567"}
    affiliations = {(found.mentions[r.source].surface, found.mentions[r.target].surface) for r in found.relations if r.type == "affiliatedWith"}
    assert affiliations == {
        ("Sparse Routers for Long Video Agents", "清华大学"),
        ("Sparse Routers for Long Video Agents", "Quokka Labs"),
        ("Tiny Planners for Household Robots", "浙江大学"),
    }


@pytest.mark.parametrize(
    "text, paper",
    [
        # a quoted title on the line is the paper, not the sentence that quotes it
        ('DeepSeek has published the report "Sparse Routers for Long Video Agents" (arXiv:2603.01234).', "Sparse Routers for Long Video Agents"),
        # a report named by its model is that report, article and all left out
        ("* The Zorblax-3 Technical Report (arXiv 2603.04567) is out.", "Zorblax-3 Technical Report"),
    ],
)
def test_a_line_ending_in_an_arxiv_id_keeps_the_title_it_quotes_or_reports(text, paper):
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title="", text=text, line=1))
    assert [m.surface for m in found.mentions if m.type == "Paper"] == [paper]


@pytest.mark.parametrize(
    "text, organizations",
    [
        ("这篇来自北京大学。论文提出 RouteVid 方法。", {"北京大学"}),
        ("论文出自上海人工智能实验室，提出 RouteVid 方法。", {"上海人工智能实验室"}),
        ("作者分别来自 Meta、清华大学和 Quokka Labs。论文提出 RouteVid 方法。", {"Meta", "清华大学", "Quokka Labs"}),
        ("这项工作由松涛科技与浙江大学合作完成。论文提出 RouteVid 方法。", {"松涛科技", "浙江大学"}),
        ("Google DeepMind 的工作。论文提出 RouteVid 方法。", {"Google DeepMind"}),
    ],
)
def test_a_sentence_saying_who_wrote_the_item_s_paper_gives_its_affiliations(text, organizations):
    title = "RouteVid: Sparse Routers for Long Video Agents"
    found = {r[2] for r in relations(text, title=title) if r[0] == "affiliatedWith" and r[1] == title}
    assert found == organizations


def test_an_organization_the_paper_compares_with_is_no_affiliation():
    title = "RouteVid: Sparse Routers for Long Video Agents"
    found = relations("论文提出 RouteVid 方法，优于 Google 的 Gemini 2.5 Pro。", title=title)
    assert not {r for r in found if r[0] == "affiliatedWith"}


@pytest.mark.parametrize(
    "text, model, technique",
    [
        ("DeepSeek-V4 是一个稀疏 MoE 模型，总参数 1T。", "DeepSeek-V4", "MoE"),
        ("Qwen3-Next 得益于 Gated DeltaNet，长上下文推理更快。", "Qwen3-Next", "Gated DeltaNet"),
        ("GLM-4.5 借鉴了 DeepSeek 的 MLA 设计。", "GLM-4.5", "MLA"),
        ("Nemotron-H 以混合层为主干，再叠加 MoE。", "Nemotron-H", "MoE"),
        ("Kimi K3 在后训练中改用 GRPO。", "Kimi K3", "GRPO"),
        ("Kimi K2 is a Mixture of Experts model with 32B active parameters.", "Kimi K2", "Mixture of Experts"),
        ("Zorblax-2 是一个 1.2T 总参数、48B 激活的 MoE 模型。", "Zorblax-2", "MoE"),
        ("Zorblax-2 是总参数 675B、激活 41B 的稀疏 MoE 模型。", "Zorblax-2", "MoE"),
        ("Zorblax-2 采用 RMSNorm 进行归一化, SwiGLU 激活, RoPE 进行位置编码。", "Zorblax-2", "RoPE"),
        ("- **Zorblax-2-Plus**：在 Zorblax-2 的基础上再做一小段强化学习，算法为 GRPO。", "Zorblax-2-Plus", "GRPO"),
    ],
)
def test_more_ways_of_saying_a_model_uses_a_method(text, model, technique):
    assert ("uses", model, technique, None) in relations(text)


def test_a_list_of_parts_after_a_use_cue_ends_where_a_clause_opens_on_no_method():
    users = {r[2] for r in relations("Zorblax-2 采用 RMSNorm 进行归一化, GQA 用于降低 KV cache, 训练时结合 FlashAttention。") if r[0] == "uses"}
    assert {"RMSNorm", "GQA", "FlashAttention"} <= users and "KV cache" not in users


@pytest.mark.parametrize(
    "text, models",
    [
        ("Zorblax-2-120B 和 Zorblax-2-20B 都是 MoE 架构。", {"Zorblax-2-120B", "Zorblax-2-20B"}),
        ("Zorblax-2 与其轻量版 Zorblax-2-Air 同样采用 MoE。", {"Zorblax-2", "Zorblax-2-Air"}),
        ("Zorblax-2 and Zorblax-2-Air both use MoE.", {"Zorblax-2", "Zorblax-2-Air"}),
        ("Zorblax-2 发布；Zorblax-2-Air 采用 MoE。", {"Zorblax-2-Air"}),  # not listed together
        ("Zorblax-2 和 Zorblax-2-Air 中，后者采用 MoE。", {"Zorblax-2-Air"}),  # no word says both
        # "两者" speaks of the two named before, however far apart they are listed
        ("松涛开源了 Zorblax-2，包括总参数 236B 的 Zorblax-2，以及激活 2.4B 的 Zorblax-2-Air，两者均为 MoE 架构。", {"Zorblax-2", "Zorblax-2-Air"}),
        ("松涛开源了总参数 236B 的 Zorblax-2，以及激活 2.4B 的 Zorblax-2-Air，均为 MoE 架构。", {"Zorblax-2-Air"}),
        # a number after 超过 is a quantity, not a rival: "预训练数据超过 20 万亿 token 的 MoE 模型"
        ("松涛发布 Zorblax-2，这是一个预训练数据超过 20 万亿 token 的超大规模 MoE 模型。", {"Zorblax-2"}),
        # the kind of a model named after it is that model's: "基于 MoE 模型 N" says N uses MoE
        ("Zorblax-2-Air 则基于松涛的混合专家（MoE）模型 Orbit-3B-A1B。", {"Orbit-3B-A1B"}),
        ("Zorblax-2-Air 基于 MoE 模型 Orbit-3B-A1B 微调。", {"Orbit-3B-A1B"}),
    ],
)
def test_models_listed_together_that_all_use_a_method_each_use_it(text, models):
    assert {r[1] for r in relations(text) if r[0] == "uses" and r[2] == "MoE"} == models


def test_is_a_names_a_method_only_when_a_model_or_architecture_follows():
    assert not {r for r in relations("GPT-5 is a clear step up; PPO is no longer needed.") if r[0] == "uses"}


def test_a_method_switched_from_is_not_used():
    found = relations("Kimi K3 在后训练中改用 GRPO 替代 PPO。")
    assert ("uses", "Kimi K3", "GRPO", None) in found and ("uses", "Kimi K3", "PPO", None) not in found


def test_a_ranked_list_under_a_benchmark_label_scores_each_model_on_it():
    text = "**LiveCodeBench v6 前三名**：\n\n- Kimi K2 Thinking：83.1\n- DeepSeek-V3.2：80.4%\n\n下一段里 GPT-5 也被提到，得了 90 分。"
    found = {r for r in relations(text) if r[0] == "evaluatedOn"}
    assert found == {("evaluatedOn", "Kimi K2 Thinking", "LiveCodeBench v6", "83.1"), ("evaluatedOn", "DeepSeek-V3.2", "LiveCodeBench v6", "80.4%")}


@pytest.mark.parametrize(
    "text",
    [
        "**LiveCodeBench v6 简介**：\n\n- GPT-5 发布于 8 月\n- Qwen3-Max 发布于 9 月",  # dates, not scores
        "**LiveCodeBench v6 前三名**：\n\n- Kimi K2 Thinking：83.1",  # one line is no list
        "**LiveCodeBench v6 与 AIME 2025**：\n\n- Kimi K2 Thinking：83.1\n- DeepSeek-V3.2：80.4",  # which benchmark?
    ],
)
def test_no_ranked_list_without_scores_two_lines_and_one_benchmark(text):
    assert not {r for r in relations(text) if r[0] == "evaluatedOn"}


def test_a_word_for_an_organization_that_is_not_the_subject_names_no_maker():
    text = "Rakuten 在内部做了测试。还有企业用户称，在他们的评估基准中，性能飞跃大致相当于 Sonnet 3.7 升级至 Sonnet 4。"
    assert not {r for r in relations(text) if r[0] == "developedBy"}


@pytest.mark.parametrize(
    "text, title, members, maker",
    [
        ("本次包括 Nova 2 Lite、Nova 2 Pro 与 Nova 2 Omni 三款模型。", "[亚马逊] Nova 2 系列上线", {"Nova 2 Lite", "Nova 2 Pro", "Nova 2 Omni"}, "亚马逊"),
        ("The lineup: Nova 2 Lite, Nova 2 Pro and Nova 2 Omni.", "Amazon launches Nova 2", {"Nova 2 Lite", "Nova 2 Pro", "Nova 2 Omni"}, "Amazon"),
        ("阿里发布 Qwen3，包括 Qwen3-8B 和 Qwen3-Coder-480B-A35B。", "", {"Qwen3-8B", "Qwen3-Coder-480B-A35B"}, "阿里"),
        # the family written with a space, its members with hyphens
        ("月之暗面发布了 Zorb K3。开源的版本包括 Zorb-K3-Base 和 Zorb-K3-Instruct。", "", {"Zorb-K3-Base", "Zorb-K3-Instruct"}, "月之暗面"),
    ],
)
def test_the_members_a_family_s_release_lists_are_made_by_its_maker(text, title, members, maker):
    found = {r[1] for r in relations(text, title=title) if r[0] == "developedBy" and r[2] == maker}
    assert members <= found


def test_a_size_of_a_family_an_item_introduces_is_made_by_its_makers_wherever_it_is_named():
    found = relations("Nimbus Labs 提出 Zorblax 系列模型，用于长对话语音合成。Zorblax-1.5B 以 Qwen2.5-1.5B 为底座，适合单卡部署。")
    assert ("developedBy", "Zorblax-1.5B", "Nimbus Labs", None) in found
    # a line of a known series is no family the item introduces: its sizes named apart are not given the maker
    found = relations("Nimbus Labs 发布了 Qwen2.5-Prover 的复现。另一篇论文里，Qwen2.5-Prover-7B 在 miniF2F 上涨了 5 分。")
    assert ("developedBy", "Qwen2.5-Prover-7B", "Nimbus Labs", None) not in found


@pytest.mark.parametrize(
    "text",
    [
        "Meta 的 Llama 很强。新模型比 Llama 2 好。",  # another version, another release
        "阿里发布 Qwen3。评测中 Qwen3-8B 略逊一筹。",  # named, not listed as one of the release
        "OpenAI 发布 GPT-5，包括 GPT-5 mini。另有 GPT-5x 系列，来历不明。",  # "GPT-5x" is no member of GPT-5
    ],
)
def test_a_family_s_maker_is_not_given_to_other_releases_or_models_named_apart(text):
    found = {r[1] for r in relations(text) if r[0] == "developedBy"}
    assert not found & {"Llama 2", "Qwen3-8B", "GPT-5x"}


def test_a_model_a_later_clause_scores_is_the_subject_not_the_rival_named_last():
    found = relations(
        "Zorblax-9B 在 MMLU-Pro 上得分 71.2，高于 GPT-4.1 的 65.0，但低于 Claude Sonnet 4 的 73.5；在 GPQA Diamond 上得分 58.0。"
    )
    scored = {(r[1], r[2]) for r in found if r[0] == "evaluatedOn"}
    assert ("Zorblax-9B", "GPQA Diamond") in scored and ("Claude Sonnet 4", "GPQA Diamond") not in scored


@pytest.mark.parametrize(
    "text",
    [
        "Zorblax-9B 在 MMLU-Pro 上得分 71.2，高于 GPT-4.1 的 65.0 和 Claude Sonnet 4 的 68.3；GPQA Diamond 得分 58.0。",
        "Zorblax-9B 在 MMLU-Pro 上排名第一，超过了 GPT-4.1（闭源）、Qwen3-8B（8B）以及 Anthropic 的 Claude Sonnet 4。在 GPQA Diamond 上得分 58.0。",
    ],
)
def test_rivals_listed_with_their_scores_or_asides_are_all_rivals(text):
    scored = {(r[1], r[2]) for r in relations(text) if r[0] == "evaluatedOn"}
    assert ("Zorblax-9B", "GPQA Diamond") in scored
    assert ("Claude Sonnet 4", "GPQA Diamond") not in scored  # the last one named, but listed among the rivals


def test_the_model_a_method_was_tried_on_is_scored_in_the_next_clause_on_its_line():
    scored = {(r[1], r[2]) for r in relations(
        "在 Zorblax-9B 上，AIME 2024 的 pass@1 从 16.7 提升到 43.3；在 AMC 与 MATH-500 上也有大幅提升。"
    ) if r[0] == "evaluatedOn"}
    assert {("Zorblax-9B", "AMC"), ("Zorblax-9B", "MATH-500")} <= scored


def test_a_clause_with_a_subject_of_its_own_is_not_about_the_model_before():
    scored = {(r[1], r[2]) for r in relations(
        "作者在 Zorblax-9B 上实现了 SMR，在 NeedleMaze 上评测；实验中，SMR 在 RULER 上比全注意力基线只低 0.8 分。"
    ) if r[0] == "evaluatedOn"}
    assert ("Zorblax-9B", "RULER") not in scored


def test_bases_joined_in_a_list_are_not_what_uses_the_methods_after_them():
    found = relations(
        "Zorb-8B 与 Zorb-70B 分别以 Llama 3.1 8B 和 Llama 3.1 70B 基座为起点，依次经过监督微调（SFT）、DPO 偏好优化和 RLVR 三个阶段。"
    )
    users = {r[1] for r in found if r[0] == "uses"}
    assert "Zorb-70B" in users and not users & {"Llama 3.1 8B", "Llama 3.1 70B"}


def test_a_sentence_opening_on_this_is_about_the_model_named_before():
    found = relations("Nimbus Labs 正式开源 Zorblax K2。这是一个总参数1T、激活参数32B的MoE模型,同时放出了 Zorblax-K2-Base 和 Zorblax-K2-Instruct 两个版本。")
    users = {r[1] for r in found if r[0] == "uses" and r[2] == "MoE"}
    assert users == {"Zorblax K2"}


def test_a_line_opening_on_a_lab_and_a_colon_lists_what_the_lab_shipped():
    found = relations("2. Nimbus Labs：Zorblax-1 → Zorblax-1-FAST → Zorblax-1.5\n3. Orbit AI：新一代小模型追上 GPT-4o\n")
    made = {(r[1], r[2]) for r in found if r[0] == "developedBy"}
    assert {("Zorblax-1", "Nimbus Labs"), ("Zorblax-1-FAST", "Nimbus Labs"), ("Zorblax-1.5", "Nimbus Labs")} <= made
    assert ("GPT-4o", "Orbit AI") not in made  # a headline's rival, after other words


def test_a_full_stop_typed_in_ascii_ends_a_chinese_sentence():
    found = relations("Nimbus Labs 开源了 Zorblax-9B.在 HLE 上,Orbit-3B 得分 12.5%.")
    scored = {(r[1], r[2]) for r in found if r[0] == "evaluatedOn"}
    assert scored == {("Orbit-3B", "HLE")}  # one sentence would have scored Zorblax-9B too


@pytest.mark.parametrize(
    "text, models, maker",
    [
        ("Nimbus Labs 在博客中给出了自家 Zorblax-9B 与 Zorblax-3B 的成绩。", ["Zorblax-9B", "Zorblax-3B"], "Nimbus Labs"),
        ("Nimbus Labs 发布了 Orbit-3B。它的得分高于自家的 Zorblax-9B。", ["Zorblax-9B"], "Nimbus Labs"),
        ("Nimbus Labs 发布 Orbit-3B。SWE-bench 达到 66.0%，远高于自家此前的 Zorblax-9B（45.4%）和 Zorblax-3B（44.6%）。", ["Zorblax-9B", "Zorblax-3B"], "Nimbus Labs"),
        # a description of the model between the word and its name
        ("Nimbus Labs 对自家视频生成模型 Zorblax-9B 做了 62 项任务的系统测试。", ["Zorblax-9B"], "Nimbus Labs"),
        ("Orbit-3B 的成绩已经公布，而 Nimbus Labs 自家更强的原型模型 Zorblax-9B 暂无评测。", ["Zorblax-9B"], "Nimbus Labs"),
    ],
)
def test_a_model_called_an_organization_s_own_is_made_by_it(text, models, maker):
    found = relations(text)
    assert all(("developedBy", m, maker, None) in found for m in models)


def test_a_line_labelled_with_benchmarks_scores_every_model_it_names_on_them():
    found = relations(
        "模型卡里的成绩如下。\n- **MMLU-Pro**：只用一半的训练数据，Zorblax-9B 的成绩就优于 Orbit-3B；"
        "在更长的上下文里，它也超过了 Helix-7B。\n"
    )
    scored = {(r[1], r[2]) for r in found if r[0] == "evaluatedOn"}
    assert scored == {(m, "MMLU-Pro") for m in ("Zorblax-9B", "Orbit-3B", "Helix-7B")}  # the second sentence too


@pytest.mark.parametrize(
    "text",
    [
        "- **MMLU-Pro**：Zorblax-9B 的训练语料里不含这个集合。\n",  # no result reported
        "- **MMLU-Pro 的污染问题**：Zorblax-9B 的作者认为，影响小于 Orbit-3B。\n",  # the label says more than a name
    ],
)
def test_a_benchmark_label_without_results_or_with_more_than_names_scores_nothing(text):
    assert not {r for r in relations(text) if r[0] == "evaluatedOn"}


@pytest.mark.parametrize(
    "text, model",
    [
        ("Nimbus Labs 发布总参数 300B 的 MoE 模型 Zorblax-300B，推理很快。", "Zorblax-300B"),
        ("九月发布的超稀疏 MoE 多模态模型 Zorblax-80B-A3B 也已开源。", "Zorblax-80B-A3B"),
        ("The lab released the sparse MoE model Zorblax-30B today.", "Zorblax-30B"),
    ],
)
def test_a_method_naming_the_kind_of_model_a_name_is_is_one_it_uses(text, model):
    assert ("uses", model, "MoE", None) in relations(text)


def test_a_method_beside_a_model_compared_with_it_is_not_used():
    assert not {r for r in relations("MoE 模型与 Zorblax-8B 相比更省显存。") if r[0] == "uses"}


def test_a_model_in_a_part_of_the_line_that_names_one_of_its_benchmarks_is_scored_on_that_one_only():
    found = relations("- **MMLU-Pro / GPQA**：Zorblax-9B 分别为 71.2% 与 50.3%；在 GPQA 上，Orbit-3B 只有 30.1%。\n")
    scored = {(r[1], r[2]) for r in found if r[0] == "evaluatedOn"}
    assert ("Orbit-3B", "GPQA") in scored and ("Orbit-3B", "MMLU-Pro") not in scored
    assert {("Zorblax-9B", "MMLU-Pro"), ("Zorblax-9B", "GPQA")} <= scored


def test_a_report_named_for_a_family_the_item_never_names_as_a_model_proposes_its_members():
    text = "团队开源了 Zorblax-MT-7B 与集成版本 Zorblax-MT-Fusion-7B，并与 Qwen3-8B 对比。"
    item = Item(id="d/1", index=1, title="Zorblax-MT Technical Report", text=text, line=1, arxiv_ids=("2509.01234",))
    found = EXTRACTOR.extract_item(item)
    surface = {i: m.surface for i, m in enumerate(found.mentions)}
    proposed = {surface[r.target] for r in found.relations if r.type == "proposes"}
    assert {"Zorblax-MT-7B", "Zorblax-MT-Fusion-7B"} <= proposed and "Qwen3-8B" not in proposed


def test_a_benchmark_line_scoring_before_any_name_scores_the_item_s_model():
    found = relations(
        "- **OSWorld**：电脑操作任务得分 50.7%，比 Zorblax-8B 的 42.2% 高。\n- **DROID**：共 7.6 万条轨迹，一半用于训练。\n",
        title="Nimbus Labs 发布 Orbit-3B",
    )
    scored = {(r[1], r[2]) for r in found if r[0] == "evaluatedOn"}
    assert scored == {("Orbit-3B", "OSWorld"), ("Zorblax-8B", "OSWorld")}  # a line counting data scores no one


TRADITIONAL_SAMPLE = (
    "字节跳动开源 Zorblax 3 系列，包含 Zorblax-3-8B 与 Zorblax-3-32B 两种规模。"
    "Zorblax-3-32B 基于混合专家架构，并引入多头潜在注意力 (MLA)。"
    "同时发布的还有语音模型 Zorblax-Voice-2。"
    "Zorblax-3-32B 在 AIME 2025 上达到 81.2 分，超过了 DeepSeek-V3。"
)


def test_a_digest_in_traditional_script_gives_what_its_simplified_transcription_gives():
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(TRADITIONAL_SAMPLE)
    assert len(traditional) == len(TRADITIONAL_SAMPLE) and "開源" in traditional and "基於" in traditional

    def found(text):
        item = EXTRACTOR.extract_item(Item(id="d/1", index=1, title="", text=text, line=1))
        return item, {(r.type, item.mentions[r.source].start, item.mentions[r.target].start) for r in item.relations}

    simplified_item, simplified_relations = found(TRADITIONAL_SAMPLE)
    traditional_item, traditional_relations = found(traditional)
    assert traditional_relations == simplified_relations
    # names and evidence keep the digest's own script
    assert {m.surface for m in traditional_item.mentions} >= {"字節跳動", "混合專家", "多頭潛在注意力"}
    assert all(r.sentence in traditional for r in traditional_item.relations)


@pytest.mark.parametrize(
    "text, model, maker",
    [
        ("阿里巴巴 Qwen 团队开源 Zorblax3 系列。旗舰为 Zorblax3-120B。同时开源的还有端侧小模型 Zorblax3-9B。", "Zorblax3-9B", "Qwen 团队"),
        ("Mistral AI 发布 Zorblax Large 3。同时推出面向边缘设备的 Ministral 3 系列。", "Ministral 3", "Mistral AI"),
        ("字节跳动发布了 Zorblax-2。此外还开源了 Zorblax-2-Lite。", "Zorblax-2-Lite", "字节跳动"),
    ],
)
def test_a_sentence_opening_on_another_release_names_the_maker_of_the_model_before(text, model, maker):
    assert ("developedBy", model, maker, None) in relations(text)


@pytest.mark.parametrize(
    "text, model",
    [
        ("同时开源的还有 Zorblax-9B。", "Zorblax-9B"),  # nobody made a model before it
        ("字节跳动发布了 Zorblax-2。同时发布的评测显示它超过了 GPT-5。", "GPT-5"),  # a rival, not a release
        ("字节跳动发布了 Zorblax-2。谷歌发布了 Gemini 3。同时开源的还有 Gemma 4。", None),  # the last maker only
    ],
)
def test_another_release_takes_no_maker_it_cannot_know(text, model):
    found = {r for r in relations(text) if r[0] == "developedBy"}
    if model is None:
        assert ("developedBy", "Gemma 4", "谷歌", None) in found and ("developedBy", "Gemma 4", "字节跳动", None) not in found
    else:
        assert not {r for r in found if r[1] == model}


@pytest.mark.parametrize(
    "text, model, methods",
    [
        ("文章还对比了 Zorblax-3 的滑动窗口注意力和 OLMo 2 的 Post-Norm 加 QK-Norm。", "OLMo 2", {"Post-Norm", "QK-Norm"}),
        ("文章还对比了 Zorblax-3 的滑动窗口注意力和 OLMo 2 的 Post-Norm 加 QK-Norm。", "Zorblax-3", {"滑动窗口注意力"}),
        ("他们在 Zorblax-M1 上用的 Lightning Attention 很省显存。", "Zorblax-M1", {"Lightning Attention"}),
        ("这种门控注意力（Gated Attention）已被 Zorblax-80B-A3B 采用。", "Zorblax-80B-A3B", {"Gated Attention"}),
        ("Gated DeltaNet is used in Zorblax-80B-A3B.", "Zorblax-80B-A3B", {"Gated DeltaNet"}),
        ("Zorblax-V3's MLA cuts the KV cache.", "Zorblax-V3", {"MLA"}),
    ],
)
def test_a_method_given_as_the_models_own_or_taken_up_by_it_is_one_it_uses(text, model, methods):
    assert {r[2] for r in relations(text) if r[0] == "uses" and r[1] == model} >= methods


@pytest.mark.parametrize(
    "text, model",
    [
        ("StoryMem 基于 Zorblax-I2V 的 LoRA 版本运行。", "Zorblax-I2V"),  # another build of the model
        ("社区放出了 Zorblax-8B 的 GPTQ 量化版。", "Zorblax-8B"),
        ("MoE 被 Zorblax-3 证明有效。", "Zorblax-3"),  # 被 without a word for taking it up
    ],
)
def test_a_build_of_a_model_made_with_a_method_is_no_use_of_it(text, model):
    assert not {r for r in relations(text) if r[0] == "uses" and r[1] == model}


@pytest.mark.parametrize(
    "text, model, methods",
    [
        ("新模型 Zorblax-3-Think-32B 从 Zorblax-3-Base 出发，依次经过 SFT、DPO 和 RLVR。", "Zorblax-3-Think-32B", {"DPO", "RLVR"}),
        ("Zorblax-H2-34B is a hybrid model that interleaves Mamba-2 blocks with attention blocks.", "Zorblax-H2-34B", {"Mamba-2"}),
        ("Zorblax-H2-34B was trained with a Warmup-Stable-Decay (WSD) schedule.", "Zorblax-H2-34B", {"Warmup-Stable-Decay"}),
        ("Zorblax-Text-01 combines Lightning Attention with softmax attention.", "Zorblax-Text-01", {"Lightning Attention"}),
        ("Zorblax-K2 borrows Multi-head Latent Attention (MLA) from DeepSeek-V3.", "Zorblax-K2", {"MLA"}),
    ],
)
def test_more_words_for_building_a_model_with_a_method(text, model, methods):
    assert {r[2] for r in relations(text) if r[0] == "uses" and r[1] == model} >= methods


def test_the_base_a_fine_tune_is_named_after_is_not_what_uses_its_method():
    found = relations(
        "The authors propose Cite-then-Compute (CtC), a training recipe, and release Corvid-Reason-14B, "
        "a Qwen3-14B fine-tune trained with CtC."
    )
    assert ("uses", "Corvid-Reason-14B", "CtC", None) in found
    assert not {r for r in found if r[0] == "uses" and r[1] == "Qwen3-14B"}


def test_each_footnote_of_a_reference_list_speaks_of_its_own_paper():
    text = (
        '[^1]: "Braided Decoders for Long Generation", arXiv 2605.00001 — Microsoft. Introduces Zorblax-4-flash.\n'
        '[^2]: "Orbit4: Small LLMs on Phones", arXiv 2605.00002 — OpenBMB; Tsinghua University. Proposes QuillSparse v2.'
    )
    found = {(t, s, o) for t, s, o, _ in relations(text)}
    first, second = "Braided Decoders for Long Generation", "Orbit4: Small LLMs on Phones"
    assert {
        ("affiliatedWith", first, "Microsoft"),
        ("proposes", first, "Zorblax-4-flash"),
        ("affiliatedWith", second, "OpenBMB"),
        ("affiliatedWith", second, "Tsinghua University"),
        ("proposes", second, "QuillSparse v2"),
    } <= found
    assert ("proposes", first, "QuillSparse v2") not in found and ("affiliatedWith", second, "Microsoft") not in found


def test_a_papers_model_built_on_another_does_not_make_the_base_the_papers():
    text = (
        '**LedgerBench** (arXiv 2605.04444). "LedgerBench: Auditing Numbers in Financial Answers" introduces a benchmark. '
        "The authors also propose Cite-First (CF), a prompting recipe, and release Corvo-14B, a Qwen3-14B fine-tune."
    )
    found = {(t, s, o) for t, s, o, _ in relations(text)}
    assert ("proposes", "LedgerBench: Auditing Numbers in Financial Answers", "Corvo-14B") in found
    assert ("proposes", "LedgerBench: Auditing Numbers in Financial Answers", "Qwen3-14B") not in found


def test_a_maker_in_brackets_with_a_date_after_it_made_the_model():
    found = {(t, s, o) for t, s, o, _ in relations("另有 Zorblax 4.0（字节跳动，09-09）、Orbit 2（OpenAI，09-30，仅 API）。")}
    assert {("developedBy", "Zorblax 4.0", "字节跳动"), ("developedBy", "Orbit 2", "OpenAI")} <= found


def test_the_entries_of_a_section_headed_by_a_labs_name_are_its_releases():
    title = "智谱（Zhipu AI）"
    text = "**Zorblax-4.5**（08-11 · 开源）\n: 视觉语言模型，在 MMMU 上超过 Orbit-3。\n\n**Zorblax-4.5-Air**\n: 文本模型。"
    found = {(t, s, o) for t, s, o, _ in relations(text, title)}
    assert {("developedBy", "Zorblax-4.5", "智谱"), ("developedBy", "Zorblax-4.5-Air", "Zhipu AI")} <= found
    assert not any(t == "developedBy" and s == "Orbit-3" for t, s, _ in found)  # named in an entry, not one
    headline = "智谱发布新模型"  # a headline about the lab is not its section
    found = {(t, s, o) for t, s, o, _ in relations("**Zorblax-4.5-Air**\n: 对比模型。", headline)}
    assert not any(t == "developedBy" for t, _, _ in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zorblax-7B-Instruct 经 braided-GRPO 训练后，EvalPlus 上涨 4.4 分。", ("uses", "Zorblax-7B-Instruct", "braided-GRPO")),
        ("**Orbit Labs — Orbit-3B (Jul 8).** Fully open. The recipe: grouped-query attention (GQA) instead of multi-head attention.", ("uses", "Orbit-3B", "grouped-query attention")),
        ("Orbit-Mini-1.2B ships today. The model is pruned from Qwen3-1.7B and then trained with Layer Skip Routing (LSR).", ("uses", "Orbit-Mini-1.2B", "Layer Skip Routing")),
    ],
)
def test_more_ways_to_say_a_model_was_built_with_a_method(text, expected):
    assert expected in {(t, s, o) for t, s, o, _ in relations(text)}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zorblax-7B-Instruct 自报 AIME 2025 约 75、BFCL-v3 约 70。", {("Zorblax-7B-Instruct", "AIME 2025"), ("Zorblax-7B-Instruct", "BFCL-v3")}),
        ("他们在 Orbit-7B、Orbit-32B 上测 AIME 2024 和 MATH500，趋势一样。", {("Orbit-7B", "AIME 2024"), ("Orbit-32B", "MATH500")}),
        ("作者还发布了 QuillPar-Bench，并在上面测了 Orbit-8B-Instruct 和 Zorblax 7B。", {("Orbit-8B-Instruct", "QuillPar-Bench"), ("Zorblax 7B", "QuillPar-Bench")}),
    ],
)
def test_scores_reported_or_measured_in_plain_words(text, expected):
    found = {(s, o) for t, s, o, _ in relations(text) if t == "evaluatedOn"}
    assert expected <= found


@pytest.mark.parametrize(
    "text, paper, expected, unexpected",
    [
        ('[^4]: "Orbit Nano 2: An Efficient Hybrid Reasoning Model", arXiv 2605.00004 — NVIDIA.', "Orbit Nano 2: An Efficient Hybrid Reasoning Model", {"Orbit Nano 2"}, set()),
        ("模型卡：*Zorb-120B & Zorb-20B Model Card*（arXiv:2605.00005）。", "Zorb-120B & Zorb-20B Model Card", {"Zorb-120B", "Zorb-20B"}, set()),
        ("那篇 *Understanding Orbit-3-Like Training: A Critical Perspective*（arXiv 2605.00006）。", "Understanding Orbit-3-Like Training: A Critical Perspective", set(), {"Orbit-3"}),
    ],
)
def test_a_title_that_opens_on_models_names_is_their_report(text, paper, expected, unexpected):
    proposed = {o for t, s, o, _ in relations(text) if t == "proposes" and s == paper}
    assert expected <= proposed and not unexpected & proposed


def test_an_item_titled_by_its_linked_paper_keeps_it_when_the_body_names_another_report():
    # the body cites "Kimi K2 技术报告" as a rival recipe: the item is still about the linked paper
    title = "Scaling Laws for Reward Models in Agentic Training"
    text = (
        "- **链接**: https://huggingface.co/papers/2511.04321\n\n"
        "1. **核心贡献**：来自 Mila 和 Cohere 的研究者系统比较了奖励模型的规模与智能体训练效果。其配方优于 Kimi K2 技术报告中的做法。"
    )
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title=title, text=text, line=1, hf_paper_ids=("2511.04321",)))
    papers = {m.surface: m.arxiv_id for m in found.mentions if m.type == "Paper"}
    assert papers.get(title) == "2511.04321"
    affiliated = {found.mentions[r.target].surface for r in found.relations if r.type == "affiliatedWith" and found.mentions[r.source].surface == title}
    assert affiliated == {"Mila", "Cohere"}


def paper_affiliations(text, title, paper_id):
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title=title, text=text, line=1, hf_paper_ids=(paper_id,)))
    return {found.mentions[r.target].surface for r in found.relations if r.type == "affiliatedWith" and found.mentions[r.source].surface == title}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("2. **核心贡献**：Mila 联合 Cohere、北京大学和浙江大学提出 RMScale，统一了奖励模型的扩展规律。", {"Mila", "Cohere", "北京大学", "浙江大学"}),
        ("   北京大学与浙江大学等机构提出 RMScale 框架。", {"北京大学", "浙江大学"}),
        ("墨子研究院（Mozi Institute）与北京大学提出 RMScale。", {"墨子研究院", "Mozi Institute", "北京大学"}),
        ("RMScale 在 Cohere 与北京大学的集群上完成了验证。", set()),  # where it ran, not who wrote it
        ("北京大学与浙江大学的同行此前做过类似分析。", set()),  # no proposal
    ],
)
def test_the_organizations_a_sentence_opens_on_propose_the_items_paper(sentence, expected):
    title = "RMScale: Predictable Scaling of Reward Models"
    assert paper_affiliations(f"- **链接**: https://huggingface.co/papers/2511.04321\n\n{sentence}", title, "2511.04321") == expected


def test_a_base_built_from_and_a_rival_behind_its_owners_name_are_not_the_subject():
    text = (
        "澄心科技发布了 Chengxin-Agent-9B。该模型在 Qwen3-8B 的基础上训练，在 OSWorld 上取得 41.5% 的成功率，"
        "超过智谱的 GLM-4.5V。"
    )
    evaluated = {(source, target) for kind, source, target, _ in relations(text) if kind == "evaluatedOn"}
    assert ("Chengxin-Agent-9B", "OSWorld") in evaluated
    assert ("Qwen3-8B", "OSWorld") not in evaluated  # what it was built from, not a model compared


def test_a_model_scored_on_the_benchmark_named_before_on_its_line_is_evaluated_on_it():
    text = "团队同时发布了新基准 CodeArena-ZH；Orion-Coder-7B 在该基准上得分 61.2，比 Qwen3-8B 高出 5 分。"
    assert {r for r in relations(text) if r[0] == "evaluatedOn"} == {
        ("evaluatedOn", "Orion-Coder-7B", "CodeArena-ZH", "61.2"),
        ("evaluatedOn", "Qwen3-8B", "CodeArena-ZH", None),
    }
    # on a line of its own, "同一基准" may mean a label kg did not read as a benchmark
    text = "- **SWE-bench Verified**：Orion-Coder-7B 得分 61.2。\n- **内部长程测试**：Qwen3-8B 在同一基准上落后 2 分。"
    assert not any(r[0] == "evaluatedOn" and r[1] == "Qwen3-8B" for r in relations(text))


def test_the_checkpoints_of_a_family_an_organization_released_are_its_too():
    text = "澄心科技开源了语音模型 Chengxin-Voice。对外放出的是基座 Chengxin-Voice-7B 与指令版 Chengxin-Voice-7B-Chat 两个检查点。"
    made = {(source, target) for kind, source, target, _ in relations(text) if kind == "developedBy"}
    assert made == {("Chengxin-Voice", "澄心科技"), ("Chengxin-Voice-7B", "澄心科技"), ("Chengxin-Voice-7B-Chat", "澄心科技")}


def test_organizations_joined_after_a_bracketed_gloss_release_the_model_together():
    text = "墨子研究院（Mozi Institute）与南开大学联合发布法律推理模型 Mozi-Law-7B。"
    made = {target for kind, source, target, _ in relations(text) if kind == "developedBy" and source == "Mozi-Law-7B"}
    assert made == {"墨子研究院", "Mozi Institute", "南开大学"}


@pytest.mark.parametrize(
    "text, model, technique",
    [
        ("后训练：先做监督微调，再只对 Zorb-Ultra-253B 进行大规模 GRPO 强化学习。", "Zorb-Ultra-253B", "GRPO"),
        ("规模放大后密集特征会变差。Zorbnet-3 给出的办法叫 Gram锚定（Gram Anchoring）：约束后期特征。", "Zorbnet-3", "Gram锚定"),
        ("Zorbnet-3 的做法是 Flow Matching 加蒸馏。", "Zorbnet-3", "Flow Matching"),
    ],
)
def test_a_method_a_model_is_treated_with_or_whose_way_it_is_is_one_it_uses(text, model, technique):
    assert ("uses", model, technique, None) in relations(text)


@pytest.mark.parametrize(
    "text",
    [
        "Zorblax-3 采用分组查询注意力；不使用蒙特卡洛树搜索（MCTS）。",
        "Zorblax-3 无需使用 MCTS，也能在推理时扩展。",
        "Zorblax-3 does not use MCTS at inference time.",
    ],
)
def test_a_method_the_model_does_without_is_not_one_it_uses(text):
    assert not {r for r in relations(text) if r[0] == "uses" and r[2] in ("MCTS", "蒙特卡洛树搜索")}


def test_not_only_using_a_method_is_still_using_it():
    assert ("uses", "Zorblax-3", "DPO", None) in relations("Zorblax-3 不仅使用 PPO，还使用 DPO 做偏好对齐。")


def test_a_score_bullet_without_a_subject_set_level_with_a_rival_is_the_items_model():
    text = "Zorblax-3 是一个推理模型。\n- **长思维链**：AIME 2024 得分 77.5，MathVista 74.9，与 o1 基本持平。"
    found = {r[:3] for r in relations(text, "Zorblax-3 发布")}
    assert {("evaluatedOn", "Zorblax-3", "AIME 2024"), ("evaluatedOn", "Zorblax-3", "MathVista")} <= found


def test_a_titles_rival_is_not_the_items_model():
    text = "- AndroidWorld 成功率 71.2%，高于 UI-TARS-1.5-7B 的 64.2%。\n- 北溟同时发布量化版 Zorblax-GUI-9B-Int4。"
    found = {r[:3] for r in relations(text, "Zorblax-GUI-9B：让 9B 模型在手机任务上超过 UI-TARS")}
    assert ("evaluatedOn", "Zorblax-GUI-9B", "AndroidWorld") in found
    assert ("evaluatedOn", "Zorblax-GUI-9B-Int4", "AndroidWorld") not in found


def test_a_base_after_the_word_for_it_and_an_encoder_are_not_the_subject_of_what_follows():
    text = (
        "它在 LiveCodeBench v6 上得分 58.2，比底座 Qwen2.5-Coder-14B-Instruct 高 11 分；"
        "在 RepoPatch-ZH 上解决率为 34.5%，接近 GPT-4o 的 36.0%。"
    )
    found = {r[:3] for r in relations(text, "Zorblax-Coder-14B 发布")}
    assert ("evaluatedOn", "Zorblax-Coder-14B", "RepoPatch-ZH") in found
    assert ("evaluatedOn", "Qwen2.5-Coder-14B-Instruct", "RepoPatch-ZH") not in found
    text = "模型由视觉编码器 Zorb-ViT 和一个 MoE 语言模型组成。MMMU 得分 77.9，接近 Gemini 2.5 Pro。"
    found = {r[:3] for r in relations(text, "Zorblax-VL-2 发布")}
    assert ("evaluatedOn", "Zorblax-VL-2", "MMMU") in found
    assert ("evaluatedOn", "Zorb-ViT", "MMMU") not in found


def test_a_benchmark_labelled_line_of_models_and_their_numbers_scores_each():
    text = "• LiveCodeBench：Zorblax-32B为63.4，DeepSeek-R1为65.9；\n• IFEval：Zorblax-32B为83.9；"
    found = {r[:3] for r in relations(text)}
    assert {
        ("evaluatedOn", "Zorblax-32B", "LiveCodeBench"),
        ("evaluatedOn", "DeepSeek-R1", "LiveCodeBench"),
        ("evaluatedOn", "Zorblax-32B", "IFEval"),
    } <= found


def test_a_model_named_by_its_size_alone_is_the_items_model_of_that_size():
    text = (
        "团队发布 Zorblax-R-14B 与 Zorblax-R-7B。\n"
        "- Zorblax-R-14B 在 AIME 2024 上得分 78.6，比底座 DeepSeek-R1-Distill-Qwen-14B 高 8.9 分。\n"
        "- 代码方面，14B模型在 LiveCodeBench v5 上达到 61.1。\n"
        "- 7B 版本在 AIME 2025 上为 53.6。"
    )
    found = {r[:3] for r in relations(text, "Zorblax-R 开源")}
    assert ("evaluatedOn", "Zorblax-R-14B", "LiveCodeBench v5") in found
    assert ("evaluatedOn", "Zorblax-R-7B", "AIME 2025") in found
    assert ("evaluatedOn", "DeepSeek-R1-Distill-Qwen-14B", "LiveCodeBench v5") not in found


def test_the_paper_proposing_the_items_model_is_by_the_models_makers():
    text = (
        "> **概要**：英伟达（NVIDIA）发布推理模型 Zorblax-R-14B，先做数学 RL、再做代码 RL。\n"
        "- **论文**: Zorblax-R: Advancing Math and Code Reasoning through Reinforcement Learning"
    )
    found = {r[:3] for r in relations(text, "英伟达开源 Zorblax-R-14B")}
    paper = "Zorblax-R: Advancing Math and Code Reasoning through Reinforcement Learning"
    assert ("developedBy", "Zorblax-R-14B", "NVIDIA") in found
    assert {("affiliatedWith", paper, "英伟达"), ("affiliatedWith", paper, "NVIDIA")} <= found


def test_a_paper_is_not_by_the_makers_of_a_base_it_names():
    text = "砺石科技发布 Zorblax-Chem-14B，它在微软 Phi-4 的基础上微调而来。\n- **论文**: Reaction Graphs for Chemistry Language Models"
    found = {r[:3] for r in relations(text, "Zorblax-Chem-14B 发布")}
    assert not {r for r in found if r[0] == "affiliatedWith" and r[2] == "微软"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zorblax-32B基于Qwen2.5-32B训练，核心是两阶段强化学习。", {("Zorblax-32B", "Qwen2.5-32B")}),
        ("砺石科技开源了 Zorblax-M2-32B。模型以 Qwen2.5-32B 为基座，先做中期训练。", {("Zorblax-M2-32B", "Qwen2.5-32B")}),
        ("Zorb-8B, fine-tuned from Llama-3.1-8B, tops the board.", {("Zorb-8B", "Llama-3.1-8B")}),
        ("我们用 GPT-4o 标注数据，基于 Llama-3.1-8B 微调得到 Zorb-8B。", {("Zorb-8B", "Llama-3.1-8B")}),
        (
            "Zorb-PRM-14B 与 Zorb-PRM-1.5B 分别在 DeepSeek-R1-Distill-Qwen-14B 与 DeepSeek-R1-Distill-Qwen-1.5B 上微调得到。",
            {("Zorb-PRM-14B", "DeepSeek-R1-Distill-Qwen-14B"), ("Zorb-PRM-1.5B", "DeepSeek-R1-Distill-Qwen-1.5B")},
        ),
        ("Zorblax-7B 在 AIME 上超过 Qwen3-8B。", set()),  # a rival, not a base
        # pruned from a base, two names joined before it
        (
            "Zorb-1B 与 Zorb-3B 由 Zorb-8B 结构化剪枝（pruning）得到。",
            {("Zorb-1B", "Zorb-8B"), ("Zorb-3B", "Zorb-8B")},
        ),
        ("Zorb-2B 以 Wan2.2-TI2V-5B 为教师蒸馏而来。", set()),  # a teacher is not a base
        ("Zorb-72B 以 Qwen2-72B 为语言底座，外接视觉编码器。", {("Zorb-72B", "Qwen2-72B")}),
        (
            "Zorb-72B 以 Qwen2-72B 为底座，Zorb-7B 以 Qwen2-7B 为底座；Zorb-7B-O 基于 OLMo-7B 训练。",
            {("Zorb-72B", "Qwen2-72B"), ("Zorb-7B", "Qwen2-7B"), ("Zorb-7B-O", "OLMo-7B")},
        ),
        ("Zorb-VL-8B 以 Qwen2.5-VL-7B 为主干，加上扩散头。", {("Zorb-VL-8B", "Qwen2.5-VL-7B")}),
        ("Zorb-11B 在 Llama-3.1-8B 之上加装图像编码器。", {("Zorb-11B", "Llama-3.1-8B")}),
        ("Zorb-7B 从 Qwen2.5-7B 出发，继续预训练 2T token。", {("Zorb-7B", "Qwen2.5-7B")}),
        ("论文提出 Zorb-Sampler。实验使用 Wan2.1-T2V-1.3B 作为基础模型进行评估。", set()),  # where a method was tried
        ("Zorb-R1 同样以 Zorb-V3-Base 为起点，但采用了多阶段流程。", {("Zorb-R1", "Zorb-V3-Base")}),
        ("Nimbus Labs 发布 Zorb-7B。作者选择 Qwen2.5-7B 作为初始化。", {("Zorb-7B", "Qwen2.5-7B")}),
        ("他们把方法搬到了自家基于 Qwen3-8B-Base 训练的 Zorb-Math-8B 上。", {("Zorb-Math-8B", "Qwen3-8B-Base")}),
    ],
)
def test_a_model_built_from_a_base_is_a_variant_of_it(text, expected):
    assert {(r[1], r[2]) for r in relations(text) if r[0] == "variantOf"} == expected


def test_a_paper_linked_from_a_resources_line_is_found_with_its_id_and_its_makers(tmp_path):
    # a digest links its papers: the title as a link's text, or only "相关论文"
    from kg.ingest import read_digest

    (tmp_path / "brief.md").write_text(
        "# 每日情报 | 2025-01-10\n\n"
        "### 1. [Ai2] Molmo：开源多模态模型\n\n"
        "Ai2 发布开源多模态模型 Molmo-72B，在 AI2D 上得分 96.3。\n\n"
        "#### 相关资源\n"
        "- [Molmo and PixMo: Open Weights and Open Data for Multimodal Models](https://arxiv.org/abs/2409.17146)\n\n"
        "### 2. 深度求索发布 DeepSeek-VL2\n\n"
        "深度求索（DeepSeek）发布视觉语言模型 DeepSeek-VL2。\n\n"
        "[相关论文](https://arxiv.org/abs/2412.10302)\n",
        encoding="utf-8",
    )
    digest = read_digest(tmp_path / "brief.md", tmp_path)
    papers = []
    for item in digest.items:
        found = EXTRACTOR.extract_item(item)
        named = {i: m for i, m in enumerate(found.mentions) if m.type == "Paper"}
        makers = {found.mentions[r.target].surface for r in found.relations if r.type == "affiliatedWith" and r.source in named}
        papers += [(m.surface, m.arxiv_id, makers) for m in named.values()]
    assert papers == [
        ("Molmo and PixMo: Open Weights and Open Data for Multimodal Models", "2409.17146", {"Ai2"}),
        ("2412.10302", "2412.10302", {"深度求索", "DeepSeek"}),
    ]


def test_a_paper_linked_but_never_named_is_the_report_of_the_model_the_item_is_about():
    item = Item(
        id="d/1", index=1, line=1, title="DeepSeek-VL2：MoE 视觉语言模型开源", arxiv_ids=("2412.10302",),
        text="深度求索发布视觉语言模型 DeepSeek-VL2，含 DeepSeek-VL2-Tiny 与 DeepSeek-VL2-Small，视觉编码器为 SigLIP-SO400M。\n"
        "相关论文 (arXiv:2412.10302)",
    )
    found = EXTRACTOR.extract_item(item)
    proposed = {found.mentions[r.target].surface for r in found.relations if r.type == "proposes"}
    assert proposed == {"DeepSeek-VL2", "DeepSeek-VL2-Tiny", "DeepSeek-VL2-Small"}


def test_co_authors_in_an_aside_after_the_model_do_not_replace_its_maker():
    found = relations("松涛科技推出智能体模型 Orbit-9B（论文作者还来自复旦大学等机构），可以操作网页。")
    makers = {target for kind, source, target, _ in found if kind == "developedBy" and source == "Orbit-9B"}
    assert makers == {"松涛科技"}
    # an aside that names the only maker still does
    assert ("developedBy", "Orbit-9B", "松涛科技", None) in relations("新模型 Orbit-9B（由松涛科技推出）开源。")


def test_the_base_a_model_was_made_from_is_not_what_uses_the_methods_after_it():
    text = "Zorb-3B 由 Zorb-8B 结构化剪枝得到，之后再用 Zorb-8B 的 logits 做知识蒸馏。"
    users = {r[1] for r in relations(text) if r[0] == "uses"}
    assert users == {"Zorb-3B"}


def test_the_language_model_a_model_is_built_on_is_its_base():
    found = relations("论文发布的 Zorblax-VL-2B 以 Qwen-1.8B 为语言模型，每个 MoE 层 4 个专家。")
    assert ("variantOf", "Zorblax-VL-2B", "Qwen-1.8B", None) in found


@pytest.mark.parametrize(
    "text", ["Zorblax-9B 登顶 Copilot Arena。", "Zorblax-9B 在 Copilot Arena 夺冠。", "Zorblax-9B 的 Elo 分数在 Video Arena 排名靠前。"]
)
def test_topping_a_leaderboard_is_being_evaluated_on_it(text):
    assert {(r[1], r[0]) for r in relations(text)} >= {("Zorblax-9B", "evaluatedOn")}
