"""The mixed Chinese/English tokenizer keeps the text intact and English words whole."""

from hypothesis import given, settings
from hypothesis import strategies as st

import spacy

from kg.extract.spacy_pipeline import MixedTokenizer, build_nlp
from kg.extract.text import on_word_edges

NLP = build_nlp()
PER_CHARACTER = MixedTokenizer(spacy.blank("zh").vocab)  # kg.mixed_tokenizer.v1


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
    assert NLP.config["nlp"]["tokenizer"]["@tokenizers"] == "kg.mixed_tokenizer.v2"


def test_a_han_run_is_one_token_but_every_character_is_an_edge():
    text = "字节跳动发布 Seed-2.0"
    assert [t.text for t in NLP.make_doc(text)] == ["字节跳动发布", "Seed", "-", "2", ".", "0"]
    assert len(PER_CHARACTER(text)) == 11
    assert on_word_edges(text, 0, 4) and on_word_edges(text, 7, 15)
    assert not on_word_edges(text, 8, 15) and not on_word_edges(text, 6, 11)  # inside a word, a space


_EDGE_TEXT = st.text(alphabet=st.sampled_from(list("ab Z09中文字 \n\t.-，。\u3000")), max_size=14)


@settings(max_examples=300, deadline=None)
@given(_EDGE_TEXT, st.lists(st.tuples(st.integers(-1, 15), st.integers(-1, 15)), min_size=1, max_size=20))
def test_word_edges_are_the_per_character_tokenizers_spans(text, pairs):
    doc = PER_CHARACTER(text)
    for start, end in pairs:
        if start <= end:  # spaCy raises on a reversed span
            assert on_word_edges(text, start, end) == (doc.char_span(start, end) is not None), (start, end)
