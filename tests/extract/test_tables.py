"""A table's columns say who made each row's model, what it uses and what it scored."""

from kg.extract import Extractor
from kg.models import Item

EXTRACTOR = Extractor()


def developed(title, text):
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title=title, text=text, line=1))
    return {(found.mentions[r.source].surface, found.mentions[r.target].surface) for r in found.relations if r.type == "developedBy"}


def test_each_row_of_a_model_and_maker_table_is_a_development():
    # as reading keeps a Markdown table: a row per line, cells joined by " | ", the header first
    text = "名次 | 模型 | 机构 | 得分\n1 | Zorblax-2 | Anthropic | 80.9%\n2 | Quill-7B | 月之暗面 | 71.3%"
    assert {("Zorblax-2", "Anthropic"), ("Quill-7B", "月之暗面")} <= developed("SWE-bench Verified", text)


def test_a_column_of_names_beside_a_maker_column_names_each_rows_model():
    # a Notion database exported as a table: 名称 holds a model in some rows, something else in others
    text = "名称 | 机构 | 类型 | 发布日期\nZorblax-2 | Anthropic | 模型发布 | 2025年11月12日\n周会纪要 | Anthropic | 笔记 | 2025年11月13日"
    assert developed("", text) == {("Zorblax-2", "Anthropic")}


def test_a_maker_cell_names_an_organization_even_one_kg_does_not_know():
    text = "模型 | 机构 | 类型\nZorblax-32B | 舟行智能 | 论文\nQuill-7B | 百度 Baidu | 模型\nOrbit-3B | 多家厂商 | 合集"
    assert developed("", text) == {("Zorblax-32B", "舟行智能"), ("Quill-7B", "百度"), ("Quill-7B", "Baidu")}


def test_a_row_of_data_is_no_header_even_when_it_says_model_and_team():
    # a news table with no model column: its first data row mentions 模型 and 团队 in long cells
    text = "2026-03-02 | 阿里巴巴 Qwen 团队 | Qwen3.7 系列开源 | 阿里巴巴 Qwen 团队开源 Qwen3.7 系列，同时开源的还有端侧小模型 Qwen3.7-9B。\n2026-03-03 | 百度 | 文心更新 | 百度更新了 Zorblax-2，并与 Qwen3.7-9B 做了对比。"
    assert ("Qwen3.7-9B", "百度") not in developed("| 日期 | 机构 | 标题 | 摘要 |", text)


def test_a_technique_column_says_what_each_rows_model_uses():
    text = "# | 模型 Model | 机构 Organization | 关键技术 Key techniques\n1 | Zorblax-2 | Anthropic | 闪电注意力 Lightning Attention；GRPO 强化学习算法"
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title="模型 / Models", text=text, line=1))
    uses = {(found.mentions[r.source].surface, found.mentions[r.target].surface) for r in found.relations if r.type == "uses"}
    assert ("Zorblax-2", "GRPO") in uses


def scores(text, title="本周榜单"):
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title=title, text=text, line=1))
    return {
        (found.mentions[r.source].surface, found.mentions[r.target].surface, r.score)
        for r in found.relations
        if r.type == "evaluatedOn"
    }


def test_a_score_under_a_benchmark_column_is_the_rows_models():
    text = (
        "模型 | 机构 | 总参数 | SWE-bench Verified | AIME 2025\n"
        "Zorblax-2 | Anthropic | 36B | 66.0 | **92.3**\n"
        "Quill-7B | 月之暗面 | 7B | — | 71.2*"
    )
    assert scores(text) == {
        ("Zorblax-2", "SWE-bench Verified", "66.0"), ("Zorblax-2", "AIME 2025", "92.3"), ("Quill-7B", "AIME 2025", "71.2"),
    }  # a dash is no score, and 36B under 总参数 is no benchmark's


def test_a_rank_before_the_model_does_not_hide_it():
    text = "名次 | 模型 | GPQA Diamond\n1 | Zorblax-2 | 81.1\n2 | Quill-7B | 60.3"
    assert scores(text) == {("Zorblax-2", "GPQA Diamond", "81.1"), ("Quill-7B", "GPQA Diamond", "60.3")}


def test_a_table_with_a_benchmark_a_row_scores_the_models_of_its_header():
    text = "基准 | Zorblax-2 | Quill-7B\nGPQA Diamond | 81.1% | 60.3%\nLiveCodeBench v6 | 74.1 | n/a"
    assert scores(text) == {
        ("Zorblax-2", "GPQA Diamond", "81.1%"), ("Quill-7B", "GPQA Diamond", "60.3%"), ("Zorblax-2", "LiveCodeBench v6", "74.1"),
    }


def test_a_table_of_release_dates_or_sizes_scores_nothing():
    text = "模型 | 发布日期 | 上下文\nZorblax-2 | 2026-03-02 | 128K\nQuill-7B | 2026-03-05 | 32K"
    assert scores(text) == set()


def test_a_paper_table_names_each_rows_paper_with_its_arxiv_id_and_institutions():
    text = (
        "场次 | 论文 | arXiv | 作者机构 | 一句话\n"
        "1 | Sparse Routers for Long Video Agents | 2603.01234 | 清华大学、Quokka Labs | 稀疏路由\n"
        "2 | Tiny Planners for Household Robots | 2603.04567 | 浙江大学 | 小规划器"
    )
    found = EXTRACTOR.extract_item(Item(id="d/1", index=1, title="论文速览", text=text, line=1))
    assert {m.surface: m.arxiv_id for m in found.mentions if m.type == "Paper"} == {
        "Sparse Routers for Long Video Agents": "2603.01234", "Tiny Planners for Household Robots": "2603.04567",
    }
    affiliations = {(found.mentions[r.source].surface, found.mentions[r.target].surface) for r in found.relations if r.type == "affiliatedWith"}
    assert affiliations == {
        ("Sparse Routers for Long Video Agents", "清华大学"),
        ("Sparse Routers for Long Video Agents", "Quokka Labs"),
        ("Tiny Planners for Household Robots", "浙江大学"),
    }
