// Everything the digests said about an entity: each relation with its evidence sentence, digest and date.
// param: name = DeepSeek-V4  (the entity's name or any alias)
MATCH (e:Entity) WHERE e.name = $name OR $name IN e.aliases
MATCH (e)-[r:DEVELOPED_BY|AFFILIATED_WITH|EVALUATED_ON|PROPOSES|USES|VARIANT_OF]-(x:Entity)
UNWIND range(0, size(r.evidence_sentences) - 1) AS i
MATCH (d:Digest {id: r.evidence_digests[i]})
RETURN r.evidence_dates[i] AS date, type(r) AS relation, x.name AS other, r.evidence_sentences[i] AS sentence, d.file_name AS file
ORDER BY date, file, relation, other, sentence
