-- wrk script for benches/serve-load.sh: GET /api/search for each query of $QUERIES in turn
-- (URL-encoded), so the server answers many different searches, not one cached page.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    local q = line:gsub("\t.*", "")
    q = q:gsub("([^%w%-%.%_%~])", function(c) return string.format("%%%02X", string.byte(c)) end)
    table.insert(queries, q)
  end
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/search?n=10&q=" .. queries[i])
end
