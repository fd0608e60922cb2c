// Appended to Zensical's search worker by generator/site/searchrank.py, which also puts a call to
// self.__handbookTier(id) at the start of the worker's comparator of result items. A result whose
// title is the query ranks first (tier 0), then those whose title is one character away from a
// query of three or more (tier 1, 经理理 for 经理助理), then the rest (tier 2), each tier in
// Zensical's own order. Titles are compared without markup, spaces, punctuation or case, and a
// title's bracketed parts count as titles too (晨会（早会） is also 晨会 and 早会).
;(() => {
  "use strict";
  // Two characters one apart are too many other words (早会, 夕会, 午会 and 晨会 are all one apart).
  const NEAR_FROM = 3;
  const HIDDEN = /<span hidden[^>]*>[^<]*<\/span>/g;
  const TAG = /<[^>]*>/g;
  const ENTITY = /&(?:amp|lt|gt|quot|#39);/g;
  const key = (text) => text.replace(ENTITY, " ").normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  const keys = (title) => {
    const plain = title.replace(HIDDEN, "").replace(TAG, "");
    return [...new Set([plain, ...plain.split(/[()（）]/)].map(key).filter(Boolean))];
  };
  // 0 when a equals b, 1 when one insertion, deletion or substitution turns the query a into b, else 2.
  const distance = (a, b) => {
    if (a === b) return 0;
    const x = Array.from(a);
    const y = Array.from(b);
    if (x.length < NEAR_FROM || Math.abs(x.length - y.length) > 1) return 2;
    let head = 0;
    while (head < x.length && head < y.length && x[head] === y[head]) head++;
    let tail = 0;
    while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
    return x.length - head - tail <= 1 && y.length - head - tail <= 1 ? 1 : 2;
  };
  let titles = [];
  let query = "";
  let tiers = new Map();
  self.__handbookTier = (id) => {
    let tier = tiers.get(id);
    if (tier === undefined) {
      tier = Math.min(2, ...(titles[id] || []).map((title) => distance(query, title)));
      tiers.set(id, tier);
    }
    return tier;
  };
  const stock = self.onmessage;
  self.onmessage = (event) => {
    const message = event.data;
    if (message && message.type === 0) titles = message.data.items.map((item) => keys(item.title || ""));
    if (message && message.type === 2 && typeof message.data.input === "string") {
      query = key(message.data.input);
      tiers = new Map();
    }
    return stock(event);
  };
})();
