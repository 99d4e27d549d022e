// Models an organization developed, with how many sentences say so.
// param: org = ByteDance  (the organization's name or any alias: 字节跳动, 字节)
MATCH (o:Organization) WHERE o.name = $org OR $org IN o.aliases
MATCH (m:Model)-[r:DEVELOPED_BY]->(o)
RETURN m.name AS model, size(r.evidence_sentences) AS evidence
ORDER BY model
