"""The mixed Chinese/English tokenizer keeps the text intact and English words whole."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.spacy_pipeline import build_nlp

NLP = build_nlp()


def test_english_words_stay_whole_and_han_characters_split():
    doc = NLP.make_doc("Qwen3.6-35B-A3B在SWE-bench上 得分73.4%")
    assert [t.text for t in doc][:7] == ["Qwen3", ".", "6", "-", "35B", "-", "A3B"]
    assert "在" in [t.text for t in doc] and "SWE" in [t.text for t in doc]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_tokenizer_round_trips_any_text(text):
    assert NLP.make_doc(text).text == text


def test_pipeline_is_described_by_registered_components():
    assert NLP.pipe_names == ["kg_gazetteer", "kg_patterns", "kg_mentions", "kg_relations"]
    assert NLP.config["nlp"]["tokenizer"]["@tokenizers"] == "kg.mixed_tokenizer.v1"
