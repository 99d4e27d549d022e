"""The extraction rules, one module per kind of evidence a digest gives for a name.

    base         Candidate spans, overlap tests, Latin phrases
    names        models, benchmarks, organizations, techniques by shape and by cue words
    retype       item-level: a name found once is found wherever the item writes it; a sized model's family is a model
    definitions  acronym definitions and method glosses (short form = long form)
    organizations  [Org] headers, affiliation lines, Chinese institution names
    papers       paper titles, arXiv ids, the short name a paper proposes

Each finder is a pure function of the text (and the gazetteer, for typing); the spaCy
components in ``kg.extract.spacy_pipeline`` call them and settle overlaps.
"""
