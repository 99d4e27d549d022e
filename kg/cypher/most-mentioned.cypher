// Entities most mentioned by items dated within a range.
// param: from = 2026-01-01  (YYYY-MM-DD, inclusive)
// param: to = 2026-12-31  (YYYY-MM-DD, inclusive)
MATCH (i:Item)-[m:MENTIONS]->(e:Entity)
WHERE i.date >= date($from) AND i.date <= date($to)
RETURN e.name AS entity, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, sum(m.count) AS mentions
ORDER BY mentions DESC, entity
LIMIT 25
