// The shortest path between two entities, through relations, co-mentions and items.
// param: source = ByteDance  (an entity's name or alias)
// param: target = SWE-bench Verified  (another entity's name or alias)
MATCH (a:Entity) WHERE a.name = $source OR $source IN a.aliases
MATCH (b:Entity) WHERE (b.name = $target OR $target IN b.aliases) AND b <> a
MATCH p = shortestPath((a)-[*..6]-(b))
RETURN [n IN nodes(p) | coalesce(n.name, n.title, n.file_name)] AS path, [r IN relationships(p) | type(r)] AS via, length(p) AS hops
ORDER BY hops
LIMIT 1
