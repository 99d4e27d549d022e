// Benchmarks a model was evaluated on, with the score and metric when stated.
// param: model = Qwen3.6-35B-A3B  (the model's name or any alias)
MATCH (m:Model) WHERE m.name = $model OR $model IN m.aliases
MATCH (m)-[r:EVALUATED_ON]->(b:Benchmark)
RETURN b.name AS benchmark, r.score AS score, r.metric AS metric, size(r.evidence_sentences) AS evidence
ORDER BY benchmark
