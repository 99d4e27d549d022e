// Entities mentioned together with an entity, by how many items name both.
// param: name = DeepSeek-V4  (the entity's name or any alias)
MATCH (e:Entity) WHERE e.name = $name OR $name IN e.aliases
MATCH (e)-[c:CO_MENTIONED]-(x:Entity)
RETURN x.name AS other, [l IN labels(x) WHERE l <> 'Entity'][0] AS type, c.weight AS items
ORDER BY items DESC, other
