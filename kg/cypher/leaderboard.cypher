// The leaderboard of a benchmark: models with a stated score, highest first.
// param: benchmark = SWE-bench Verified  (the benchmark's name or any alias)
MATCH (b:Benchmark) WHERE b.name = $benchmark OR $benchmark IN b.aliases
MATCH (m:Model)-[r:EVALUATED_ON]->(b) WHERE r.score IS NOT NULL
RETURN m.name AS model, r.score AS score, r.metric AS metric
ORDER BY toFloat(replace(r.score, '%', '')) DESC, model
