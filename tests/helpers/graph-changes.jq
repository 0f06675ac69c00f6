# graph-changes.jq: the leaf-by-leaf difference of two schema graphs
# ($a and $b, slurped), one line per change, for tests to assert on.
def id: "\(.kind) \(if .schema then .schema + "." else "" end)\(if .table then .table + "." else "" end)\(.name)\(if .arguments != null then "(" + .arguments + ")" else "" end)";
def recs($s): reduce ($s[] | select(.kind != "graph" and .kind != "end")) as $r ({}; .[$r | id] = $r);
def fmtpath: map(if type == "number" then "[\(.)]" else ".\(.)" end) | join("");
def leafmap: reduce (tostream | select(length == 2)) as $e ({}; .[$e[0] | fmtpath] = $e[1]);
recs($a) as $A | recs($b) as $B
| (($A | keys) + ($B | keys) | unique)[] as $k
| if ($A | has($k) | not) then "added \($k)"
  elif ($B | has($k) | not) then "removed \($k)"
  else ($A[$k] | leafmap) as $x | ($B[$k] | leafmap) as $y
    | (($x | keys) + ($y | keys) | unique)[] as $p
    | select($x[$p] != $y[$p])
    | "\($k) \($p): \($x[$p] | tojson) -> \($y[$p] | tojson)"
  end
