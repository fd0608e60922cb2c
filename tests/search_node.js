// The site's search in node, for tests/search_offline.py: the built site's own core.js over its
// search/index.json. Usage: node search_node.js SITE QUERIES.json [SETTINGS.json]
// Prints {query: [[page url, section url …] …]}, results best first. SETTINGS (optional) replaces
// some of core.js's ranking settings, to compare choices (search_offline.py --try).
"use strict";
const fs = require("fs");
const path = require("path");
const [site, queriesFile, settingsFile] = process.argv.slice(2);
const core = require(path.resolve(site, "assets/search/core.js"));
if (settingsFile) {
  const changes = JSON.parse(fs.readFileSync(settingsFile, "utf8"));
  for (const [name, value] of Object.entries(changes)) {
    if (typeof value === "object") Object.assign(core.settings[name], value);
    else core.settings[name] = value;
  }
}
const data = JSON.parse(fs.readFileSync(path.join(site, "search/index.json"), "utf8"));
const index = new core.Index(data);
const out = {};
for (const query of JSON.parse(fs.readFileSync(queriesFile, "utf8"))) {
  out[query] = index.query(query).map((r) => [r.url, ...r.sections.map((s) => s.url).filter((u) => u !== r.url)]);
}
process.stdout.write(JSON.stringify(out));
