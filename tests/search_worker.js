// Zensical's own search worker, run in node on a built site's search.json: each query's result
// locations, best first, as JSON on stdout. Used by tests/search_offline.py (see its docstring).
// node has Intl.Segmenter with full ICU, so queries are split as in the browser.
"use strict";
const fs = require("fs");
const [worker, index, queryFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queryFile, "utf8"));
const data = JSON.parse(fs.readFileSync(index, "utf8"));
let answer = null;
const self = { postMessage: (message) => answer && answer(message) };
new Function("self", fs.readFileSync(worker, "utf8"))(self);
const ask = (message) => new Promise((resolve) => { answer = resolve; self.onmessage({ data: message }); });
// The query as the site's search box sends it: no tag filter.
const query = (input) => ({
  type: 2,
  data: {
    input,
    filter: { input: { type: "operator", data: { operator: "and", operands: [] } } },
    aggregation: { input: [{ type: "term", data: { field: "tags" } }] },
  },
});
(async () => {
  await ask({ type: 0, data });
  const found = {};
  for (const q of queries) {
    const reply = await ask(query(q));
    found[q] = ((reply.data && reply.data.items) || []).slice(0, 10).map((item) => data.items[item.id].location);
  }
  process.stdout.write(JSON.stringify(found));
})();
