/* The search worker: loads the site's index once, builds it with core.js, answers queries.
   Messages in: {type: "load", url}, {type: "query", id, query, limit}.
   Messages out: {type: "ready", pages}, {type: "failed", reason}, {type: "results", id, query, total, results}. */
importScripts("core.js");

var index = null;
var waiting = [];

function answer(message) {
  var found = index.query(message.query);
  var limit = message.limit || 20;
  var results = found.slice(0, limit).map(function (r) {
    return {
      url: r.url,
      title: r.title,
      kind: r.kind,
      crumb: r.crumb,
      sections: r.sections.map(function (s) {
        return { url: s.url, heading: s.heading, pieces: index.snippet(s.text, s.terms) };
      }),
    };
  });
  self.postMessage({ type: "results", id: message.id, query: message.query, total: found.length, results: results });
}

self.onmessage = function (event) {
  var message = event.data || {};
  if (message.type === "load" && !index && !waiting.loading) {
    waiting.loading = true;
    fetch(message.url)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then(function (data) {
        index = new HandbookSearch.Index(data);
        self.postMessage({ type: "ready", pages: data.pages.length });
        waiting.splice(0).forEach(answer);
      })
      .catch(function (error) {
        self.postMessage({ type: "failed", reason: String(error) });
      });
  } else if (message.type === "query") {
    if (index) answer(message);
    else waiting.push(message);
  }
};
