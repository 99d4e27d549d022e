// Entities that first appeared on or after a date: what is new.
// param: since = 2026-03-01  (YYYY-MM-DD)
MATCH (e:Entity) WHERE e.first_seen >= date($since)
RETURN e.first_seen AS first_seen, e.name AS entity, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.mention_count AS mentions
ORDER BY first_seen, type, entity
