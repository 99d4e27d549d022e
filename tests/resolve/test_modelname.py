"""Model-name parsing: fields, display form, family chain, identity keys, and properties."""

import dataclasses

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kg.resolve.modelname import ModelName, parse_model_name

# name -> (series, version, size, active, variants, quant, snapshot)
FIELDS = {
    "Qwen3.6-35B-A3B": ("Qwen", "3.6", "35B", "A3B", (), "", ""),
    "Qwen3.5": ("Qwen", "3.5", "", "", (), "", ""),
    "Qwen2.5-7B-Instruct": ("Qwen", "2.5", "7B", "", ("Instruct",), "", ""),
    "QwQ-32B": ("QwQ", "", "32B", "", (), "", ""),
    "GPT-4": ("GPT", "4", "", "", (), "", ""),
    "GPT-4o": ("GPT", "4o", "", "", (), "", ""),
    "GPT-4o-mini": ("GPT", "4o", "", "", ("mini",), "", ""),
    "GPT-5.1": ("GPT", "5.1", "", "", (), "", ""),
    "gpt-oss-120b": ("gpt-oss", "", "120B", "", (), "", ""),
    "o3-mini": ("o", "3", "", "", ("mini",), "", ""),
    "o4-mini": ("o", "4", "", "", ("mini",), "", ""),
    "Claude Opus 4.7": ("Claude Opus", "4.7", "", "", (), "", ""),
    "Claude 3.5 Sonnet": ("Claude Sonnet", "3.5", "", "", (), "", ""),
    "Claude Sonnet 4.5": ("Claude Sonnet", "4.5", "", "", (), "", ""),
    "Opus 4.6": ("Claude Opus", "4.6", "", "", (), "", ""),
    "Gemini 2.5 Pro": ("Gemini", "2.5", "", "", ("Pro",), "", ""),
    "Gemini 3 Flash": ("Gemini", "3", "", "", ("Flash",), "", ""),
    "Llama 3.1 8B": ("Llama", "3.1", "8B", "", (), "", ""),
    "Llama 3.1 70B Instruct": ("Llama", "3.1", "70B", "", ("Instruct",), "", ""),
    "Llama-3.1-8B-Instruct": ("Llama", "3.1", "8B", "", ("Instruct",), "", ""),
    "Llama 4 Maverick": ("Llama", "4", "", "", ("Maverick",), "", ""),
    "DeepSeek-V3": ("DeepSeek", "V3", "", "", (), "", ""),
    "DeepSeek-V3.1": ("DeepSeek", "V3.1", "", "", (), "", ""),
    "DeepSeek-R1": ("DeepSeek", "R1", "", "", (), "", ""),
    "DeepSeek-R1-Distill-Qwen-7B": ("DeepSeek", "R1", "7B", "", ("Distill", "Qwen"), "", ""),
    "DeepSeek-V4": ("DeepSeek", "V4", "", "", (), "", ""),
    "Kimi K2": ("Kimi", "K2", "", "", (), "", ""),
    "GLM-4.5": ("GLM", "4.5", "", "", (), "", ""),
    "GLM-4.5-Air": ("GLM", "4.5", "", "", ("Air",), "", ""),
    "MiniMax-M2": ("MiniMax", "M2", "", "", (), "", ""),
    "Wan 2.2 TI2V 5B": ("Wan", "2.2", "5B", "", ("TI2V",), "", ""),
    "Wan2.1-T2V-14B": ("Wan", "2.1", "14B", "", ("T2V",), "", ""),
    "Genie 3": ("Genie", "3", "", "", (), "", ""),
    "AlphaFold3": ("AlphaFold", "3", "", "", (), "", ""),
    "AlphaFold 3": ("AlphaFold", "3", "", "", (), "", ""),
    "Seedream 4.0": ("Seedream", "4.0", "", "", (), "", ""),
    "Codex 5.3": ("Codex", "5.3", "", "", (), "", ""),
    "Mistral 7B": ("Mistral", "", "7B", "", (), "", ""),
    "Mixtral 8x7B": ("Mixtral", "", "8x7B", "", (), "", ""),
    "Phi-4": ("Phi", "4", "", "", (), "", ""),
    "Gemma 3 27B": ("Gemma", "3", "27B", "", (), "", ""),
    "InternVL3-78B": ("InternVL", "3", "78B", "", (), "", ""),
    "MiniCPM-V 2.6": ("MiniCPM-V", "2.6", "", "", (), "", ""),
    "Step-3": ("Step", "3", "", "", (), "", ""),
    "Grok 4": ("Grok", "4", "", "", (), "", ""),
    "Grok-4 Heavy": ("Grok", "4", "", "", ("Heavy",), "", ""),
    "Veo 3": ("Veo", "3", "", "", (), "", ""),
    "Sora 2": ("Sora", "2", "", "", (), "", ""),
    "Kling 2.1": ("Kling", "2.1", "", "", (), "", ""),
    "FLUX.1 [dev]": ("FLUX", "1", "", "", ("dev",), "", ""),
    "SDXL 1.0": ("SDXL", "1.0", "", "", (), "", ""),
    "Stable Diffusion 3.5 Large": ("Stable Diffusion", "3.5", "", "", ("Large",), "", ""),
    # API ids, snapshots, quantisations, repositories
    "claude-3-5-sonnet-20241022": ("Claude Sonnet", "3.5", "", "", (), "", "20241022"),
    "claude-opus-4-1-20250805": ("Claude Opus", "4.1", "", "", (), "", "20250805"),
    "gpt-4o-2024-08-06": ("GPT", "4o", "", "", (), "", "2024-08-06"),
    "gemini-2.5-pro-preview-05-06": ("Gemini", "2.5", "", "", ("Pro", "Preview"), "", "05-06"),
    "DeepSeek-R1-0528": ("DeepSeek", "R1", "", "", (), "", "0528"),
    "Qwen3-235B-A22B-Thinking-2507-FP8": ("Qwen", "3", "235B", "A22B", ("Thinking",), "FP8", "2507"),
    "Qwen3-Coder-480B-A35B-Instruct": ("Qwen", "3", "480B", "A35B", ("Coder", "Instruct"), "", ""),
    "Llama-3.1-8B-Instruct-Q4_K_M.gguf": ("Llama", "3.1", "8B", "", ("Instruct",), "Q4_K_M-GGUF", ""),
    "Qwen2.5-7B-Instruct-AWQ": ("Qwen", "2.5", "7B", "", ("Instruct",), "AWQ", ""),
    "Mistral-7B-Instruct-v0.3": ("Mistral", "v0.3", "7B", "", ("Instruct",), "", ""),
    "Kimi-VL-A3B-Thinking-2506": ("Kimi", "", "", "A3B", ("VL", "Thinking"), "", "2506"),
    "Qwen/Qwen3-8B": ("Qwen", "3", "8B", "", (), "", ""),
    "qwen3:8b": ("Qwen", "3", "8B", "", (), "", ""),
    "DeepSeekV3": ("DeepSeek", "V3", "", "", (), "", ""),
    "Qwen1.5B": ("Qwen", "", "1.5B", "", (), "", ""),
    "DeepSeek-Coder-V2-Lite-Instruct": ("DeepSeek-Coder", "V2", "", "", ("Lite", "Instruct"), "", ""),
    "DeepSeek-Prover-V2-671B": ("DeepSeek-Prover", "V2", "671B", "", (), "", ""),
    "Light-R1-14B-DS": ("Light", "R1", "14B", "", ("DS",), "", ""),  # a tag after the size of an unknown series
    # words before the number extend the series; unknown series stand on their own
    "Llama Guard 3 8B": ("Llama Guard", "3", "8B", "", (), "", ""),
    "Doubao-Seed-1.6": ("Doubao-Seed", "1.6", "", "", (), "", ""),
    "Mistral Small 3.1": ("Mistral Small", "3.1", "", "", (), "", ""),
    "Helios-2.5-14B-Instruct": ("Helios", "2.5", "14B", "", ("Instruct",), "", ""),
    "HunyuanVideo 1.5": ("HunyuanVideo", "1.5", "", "", (), "", ""),
    # known series alone
    "Qwen": ("Qwen", "", "", "", (), "", ""),
    "Claude Opus": ("Claude Opus", "", "", "", (), "", ""),
}


@pytest.mark.parametrize("text, fields", FIELDS.items())
def test_fields(text, fields):
    m = parse_model_name(text)
    assert m is not None
    assert (m.series, m.version, m.size, m.active, m.variants, m.quant, m.snapshot) == fields


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "hello world",
        "Resemble AI",
        "2025",
        "3.6",
        "35B",
        "字节跳动",
        "通义千问3",
        "Qwen3 模型",
        "GPT-4 and GPT-4o",
        "Zorb 7B DS",  # a tag after an unknown series only in a hyphenated slug
        "GPT-4 vs Claude 3",
        "Qwen3 8",
        "Llama 3 1",
        "step 3",
        "genie 3",
        "Opus",
        "O3",
        "o 3",
        "o3Claude 0",
        "H100",
        "Qwen3.6!x",
        "Qwen3@8B",
        "Qwen3-8B-8B",
        "a/b/c",
        "x" * 100,
    ],
)
def test_not_model_names(text):
    assert parse_model_name(text) is None


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("Qwen3.6-35B-A3B", "Qwen3.6-35B-A3B"),
        ("qwen3.6-35b-a3b", "Qwen3.6-35B-A3B"),
        ("Qwen 3.6 35B A3B", "Qwen 3.6 35B A3B"),
        ("GPT-5.1", "GPT-5.1"),
        ("gpt 4o mini", "GPT 4o mini"),
        ("GPT-4o-Mini", "GPT-4o-mini"),
        ("gpt-oss-120b", "gpt-oss-120B"),
        ("DeepSeek-V4", "DeepSeek-V4"),
        ("Claude Opus 4.7", "Claude Opus 4.7"),
        ("claude-opus-4.7", "Claude-Opus-4.7"),
        ("Claude 3.5 Sonnet", "Claude Sonnet 3.5"),
        ("Opus 4.6", "Claude Opus 4.6"),
        ("Llama 3.1 8B", "Llama 3.1 8B"),
        ("llama-3.1-8b-instruct", "Llama-3.1-8B-Instruct"),
        ("Wan 2.2 TI2V 5B", "Wan 2.2 TI2V 5B"),
        ("Wan2.1-T2V-14B", "Wan2.1-T2V-14B"),
        ("DeepSeek-R1-Distill-Qwen-7B", "DeepSeek-R1-Distill-Qwen-7B"),
        ("Qwen3-Coder-480B-A35B-Instruct", "Qwen3-Coder-480B-A35B-Instruct"),
        ("Qwen3-480B-A35B-Coder-Instruct", "Qwen3-Coder-480B-A35B-Instruct"),
        ("Grok-4 Heavy", "Grok-4 Heavy"),
        ("AlphaFold3", "AlphaFold3"),
        ("AlphaFold 3", "AlphaFold 3"),
        ("FLUX.1 [dev]", "FLUX.1 dev"),
        ("Mixtral 8x7b", "Mixtral 8x7B"),
        ("QwQ-32B", "QwQ-32B"),
        ("Claude Opus", "Claude Opus"),
    ],
)
def test_canonical(text, canonical):
    assert parse_model_name(text).canonical == canonical
    assert str(parse_model_name(text)) == canonical


@pytest.mark.parametrize(
    "text, chain",
    [
        ("Qwen3.6-35B-A3B", ["Qwen3.6", "Qwen"]),
        ("Llama-3.1-8B-Instruct", ["Llama-3.1", "Llama"]),
        ("GPT-4o-mini", ["GPT-4o", "GPT"]),
        ("DeepSeek-R1-Distill-Qwen-7B", ["DeepSeek-R1", "DeepSeek"]),
        ("Claude Opus 4.7", ["Claude Opus"]),
        ("QwQ-32B", ["QwQ"]),
        ("Kimi-VL-A3B-Thinking-2506", ["Kimi"]),
        ("DeepSeek-Prover-V2-671B", ["DeepSeek-Prover-V2", "DeepSeek-Prover"]),  # a line written before the version
        ("Qwen2.5-Coder-7B", ["Qwen2.5", "Qwen"]),  # a line after it
        ("Qwen", []),
    ],
)
def test_family_chain(text, chain):
    found = []
    m = parse_model_name(text).family
    while m is not None:
        found.append(m.canonical)
        m = m.family
    assert found == chain


def test_family_key_matches_the_parsed_family_name():
    assert parse_model_name("Qwen3.6-35B-A3B").family.key == parse_model_name("Qwen3.6").key == "qwen|3.6"
    assert parse_model_name("Qwen 3.6 35B A3B").family.key == parse_model_name("qwen3.6").key


@pytest.mark.parametrize(
    "names",
    [
        ["Qwen3.6-35B-A3B", "Qwen 3.6 35B A3B", "qwen3.6-35b-a3b", "QWEN3.6_35B_A3B", "Qwen/Qwen3.6-35B-A3B"],
        ["Llama-3.1-8B", "Llama 3.1 8B", "llama3.1-8b", "llama3.1:8b"],
        ["AlphaFold3", "AlphaFold 3", "AlphaFold-3"],
        ["Claude Opus 4.7", "claude-opus-4.7", "Claude-Opus 4.7", "Opus 4.7", "Claude 4.7 Opus"],
        ["Claude 3.5 Sonnet", "Claude Sonnet 3.5", "claude-3-5-sonnet", "claude-3.5-sonnet"],
        ["GPT-4o", "gpt 4o", "GPT4o", "gpt-4O"],
        ["GPT-4o-mini", "GPT-4o mini", "gpt-4o-Mini"],
        ["DeepSeek-V3", "DeepSeek V3", "deepseek-v3", "DeepSeekV3"],
        ["Mixtral 8x7B", "mixtral-8x7b", "Mixtral-8X7B"],
        ["gpt-oss-120b", "gpt-oss 120B", "GPT-OSS-120B", "gpt oss 120b"],
        ["FLUX.1 [dev]", "FLUX.1-dev", "flux 1 dev"],
        ["Qwen3-Coder-480B-A35B-Instruct", "Qwen3-480B-A35B-Coder-Instruct"],
        ["gpt-4o-2024-08-06", "GPT-4o 20240806"],
    ],
)
def test_spellings_of_one_model_share_a_key(names):
    parsed = [parse_model_name(n) for n in names]
    assert None not in parsed
    assert len({m.key for m in parsed}) == 1


def test_equality_ignores_separator_style():
    assert parse_model_name("Llama 3.1 8B") == parse_model_name("Llama-3.1-8B")
    assert parse_model_name("Llama 3.1 8B").canonical != parse_model_name("Llama-3.1-8B").canonical


@pytest.mark.parametrize(
    "a, b",
    [
        ("GPT-4", "GPT-4o"),
        ("GPT-4o", "GPT-4o-mini"),
        ("Qwen3.5", "Qwen3.6"),
        ("Qwen3.5", "Qwen35"),
        ("Qwen3.6-35B-A3B", "Qwen3.5-35B-A3B"),
        ("Qwen3.6-35B-A3B", "Qwen3.6-35B-A5B"),
        ("Llama 3.1 8B", "Llama 3.1 70B"),
        ("Llama 3.1 8B", "Llama 3.18B"),
        ("Llama 3.1 8B", "Llama 3.1 8B Instruct"),
        ("DeepSeek-V3", "DeepSeek-R1"),
        ("DeepSeek-V3", "DeepSeek-V3.1"),
        ("DeepSeek-R1", "DeepSeek-R1-0528"),
        ("Claude Opus 4.7", "Claude Sonnet 4.7"),
        ("Seedream 4.0", "Seedream 4"),
        ("Qwen2.5-7B-Instruct", "Qwen2.5-7B-Instruct-AWQ"),
        ("Wan2.1-T2V-14B", "Wan2.1-I2V-14B"),
        ("o3", "o3-mini"),
        ("Qwen3", "QwQ-3"),
    ],
)
def test_different_models_have_different_keys(a, b):
    assert parse_model_name(a).key != parse_model_name(b).key


def test_key_layout():
    assert parse_model_name("Qwen3.6-35B-A3B").key == "qwen|3.6|35b|a3b"
    assert parse_model_name("GPT-4o-mini").key == "gpt|4o|||mini"
    assert parse_model_name("Qwen").key == "qwen"


def test_fields_stay_replaceable():
    m = dataclasses.replace(parse_model_name("qwen3.6-35b-a3b"), series="Qwen")
    assert m.canonical == "Qwen3.6-35B-A3B"


# -- properties ------------------------------------------------------------------------------


@settings(max_examples=500)
@given(st.text(max_size=60))
def test_never_crashes_on_any_text(text):
    m = parse_model_name(text)
    assert m is None or isinstance(m, ModelName)


# series whose case-insensitive spellings all name them
SERIES = [
    "Qwen", "GPT", "Llama", "DeepSeek", "Gemma", "Claude Opus", "gpt-oss", "InternVL", "Grok", "AlphaFold",
    "MiniCPM-V", "Stable Diffusion", "Kimi", "GLM", "Mistral Small",
]
versions = st.from_regex(r"[1-9][0-9]?(\.[0-9]{1,2})?", fullmatch=True)
sizes = st.from_regex(r"[1-9][0-9]{0,2}(\.[0-9])?B", fullmatch=True)


def render(series, version, size, sep, tail_sep, inner, case):
    text = series.replace(" ", inner).replace("-", inner) + sep + version + (tail_sep + size if size else "")
    return {"as is": text, "lower": text.lower(), "upper": text.upper()}[case]


styles = st.tuples(
    st.sampled_from(["", "-", " "]),
    st.sampled_from(["-", " ", "_"]),
    st.sampled_from(["-", " "]),
    st.sampled_from(["as is", "lower", "upper"]),
)


@settings(max_examples=300)
@given(st.sampled_from(SERIES), versions, st.one_of(st.just(""), sizes), styles, styles)
def test_rendering_variants_of_the_same_fields_share_a_key(series, version, size, style_a, style_b):
    a = parse_model_name(render(series, version, size, *style_a))
    b = parse_model_name(render(series, version, size, *style_b))
    assert a is not None and b is not None
    assert (a.version, a.size) == (version, size)
    assert a.key == b.key


@settings(max_examples=300)
@given(st.sampled_from(SERIES), versions, sizes, versions, sizes, styles, styles)
def test_names_that_differ_in_a_number_never_share_a_key(series, v1, s1, v2, s2, style_a, style_b):
    assume((v1, s1) != (v2, s2))
    a = parse_model_name(render(series, v1, s1, *style_a))
    b = parse_model_name(render(series, v2, s2, *style_b))
    assert a.key != b.key


_PIECES = [
    "Qwen", "GPT", "gpt-oss", "Claude", "Opus", "Sonnet", "Llama", "DeepSeek", "FLUX", "Kimi", "o", "Wan", "Foo",
    "Bar", "Helios", "3", "3.6", "4o", "V3", "R1", "K2", "v0.3", "5", "1", "35B", "8x7B", "1.5b", "A3B", "Instruct",
    "mini", "Distill", "Coder", "TI2V", "Maverick", "dev", "FP8", "Q4_K_M", "GGUF", "2507", "20250219", "2024-08-06",
    "05-06", "4k", "Seed", "Guard", "x", "and",
]
_GLUE = ["", "-", " ", "_", ".", ":", " [", "] "]
soups = st.lists(st.tuples(st.sampled_from(_GLUE), st.sampled_from(_PIECES)), min_size=1, max_size=7).map(
    lambda parts: "".join(g + p for g, p in parts)
)


@settings(max_examples=1500)
@given(soups)
@example("Qwen2507_05-06")  # once parsed as version 2507 and snapshot 05-06, written back as a date
def test_key_survives_a_reparse_of_the_canonical_form(text):
    m = parse_model_name(text)
    if m is None:
        return
    again = parse_model_name(m.canonical)
    assert again is not None, m
    assert again.key == m.key
    # the display form settles after one round (a base model written before "Distill" moves)
    assert parse_model_name(again.canonical).canonical == again.canonical
    family = m.family
    if family is not None:
        parsed_family = parse_model_name(family.canonical)
        assert parsed_family is None or parsed_family.key == family.key


@pytest.mark.parametrize(
    "name, known",
    [("Qwen2.5-Math", True), ("Claude Opus 4", True), ("DeepSeek-V3.2", True), ("VibeVoice", False), ("Zorblax-2", False), ("大模型", False)],
)
def test_a_name_is_of_a_known_series_when_the_series_table_holds_its_series(name, known):
    from kg.resolve.modelname import of_known_series

    assert of_known_series(name) is known
