/* The handbook's search, the same for both site engines: one tokenizer for the index and the query,
   MiniSearch's BM25 ranking over every word, and results grouped by page.

   Built by generator/site/searchindex.py, the index file holds the site's sections (page, anchor,
   heading, text), each page's title and kind, the glossary's groups of words that mean the same,
   and a character map from the other Chinese script to the site's. The index is made here, in the
   reader's browser (a worker) or in node (tests/search_offline.py), with the tokenizer below, so
   the words of a query are found exactly as the words of the pages were.

   Ranking: every query word that occurs in the site adds its BM25 score (a word in many sections,
   such as 是 or 要求, adds little; a word in none, such as 什么时候, adds nothing), field by field
   (page title, section heading, the glossary's other names, then text), and MiniSearch multiplies
   a section's score by how many of the query's words it holds. A page's score is its best
   section's. Two rules come before the score: a page whose title is the query comes first, then
   one whose title is one character away from a query of three or more characters. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("./vendor/minisearch.js"));
  else root.HandbookSearch = factory(root.MiniSearch);
})(typeof self !== "undefined" ? self : this, function (MiniSearch) {
  "use strict";

  /* The ranking's settings (tests/search_offline.py --try overrides them to compare choices):
     how much each field counts (a page's title and a glossary entry's other names most, then a
     section's heading, its text least); how much a glossary entry that links to the pages describing
     what it names counts beside them; how much a lone Han character counts beside a pair of them; how
     strongly the share and run of the query a section holds (fit) weighs against word scores; and
     how much a word brought in by the glossary counts beside one typed. */
  var SETTINGS = { boost: { title: 4, names: 4, heading: 2, text: 1 }, glossary: 0.8, single: 0.3, fit: 1, synonym: 0.5 };
  /* Sections shown under one page in the result list. */
  var SECTIONS_SHOWN = 3;
  /* Two-character titles one character apart are too many other words (早会, 夕会, 午会, 晨会). */
  var NEAR_FROM = 3;

  var HAN = /^\p{Script=Han}+$/u;
  var WORDLIKE = /[\p{L}\p{N}]/u;

  function Tokenizer(lang, fold) {
    this.segmenter = typeof Intl === "object" && Intl.Segmenter ? new Intl.Segmenter(lang || "zh", { granularity: "word" }) : null;
    this.fold = fold || {};
  }

  /* Case, width and script folded: 續保專員 reads as 续保专员 on a Simplified site, TSR as tsr. */
  Tokenizer.prototype.normalize = function (text) {
    var out = "";
    var lower = String(text).normalize("NFKC").toLowerCase();
    for (var ch of lower) out += this.fold[ch] || ch;
    return out;
  };

  /* The words of a text: the segmenter's word-like segments, except that a run of Han characters
     (which the segmenter cuts by a dictionary that splits domain words such as 晨会 or 电销 into
     single characters) gives each character and each pair of neighbouring characters, the way CJK
     search engines index Chinese (unigrams and bigrams): 晨会 in a query meets 晨会 in a page however
     either is cut, and a title typed with a character missing (银部 for 银保部) still shares its
     characters with it. */
  Tokenizer.prototype.words = function (text) {
    var out = [];
    var run = "";
    function flush() {
      var chars = Array.from(run);
      for (var i = 0; i < chars.length; i++) {
        out.push(chars[i]);
        if (i + 1 < chars.length) out.push(chars[i] + chars[i + 1]);
      }
      run = "";
    }
    var parts = this.segmenter ? Array.from(this.segmenter.segment(this.normalize(text)), function (s) {
      return s.isWordLike === false ? " " : s.segment;
    }) : this.normalize(text).split(/([\p{Script=Han}]+|[\s\p{P}\p{S}]+)/u);
    for (var part of parts) {
      if (!part) continue;
      if (HAN.test(part)) {
        run += part;
        continue;
      }
      if (run) flush();
      if (WORDLIKE.test(part)) {
        part.split(/[^\p{L}\p{N}]+/u).forEach(function (w) {
          if (w) out.push(w);
        });
      }
    }
    if (run) flush();
    return out;
  };

  /* A title as compared with a query: folded, without spaces, punctuation or markup. */
  function key(tokenizer, text) {
    return tokenizer.normalize(text).replace(/[^\p{L}\p{N}]+/gu, "");
  }

  /* 0 when a equals b, 1 when one insertion, deletion or substitution turns the query a into b, else 2. */
  function distance(a, b) {
    if (a === b) return 0;
    var x = Array.from(a);
    var y = Array.from(b);
    if (x.length < NEAR_FROM || Math.abs(x.length - y.length) > 1) return 2;
    var head = 0;
    while (head < x.length && head < y.length && x[head] === y[head]) head++;
    var tail = 0;
    while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
    return x.length - head - tail <= 1 && y.length - head - tail <= 1 ? 1 : 2;
  }

  function Index(data) {
    var self = this;
    this.data = data;
    this.tokenizer = new Tokenizer(data.lang, data.fold);
    var tokenize = function (text) {
      return self.tokenizer.words(text);
    };
    this.pages = data.pages;
    // A page's title and its bracketed parts (晨会（早会） is also 晨会 and 早会), as compared with a query.
    this.titleKeys = data.pages.map(function (page) {
      var parts = [page.title].concat(page.title.split(/[()（）]/));
      return Array.from(new Set(parts.map(function (p) { return key(self.tokenizer, p); }).filter(Boolean)));
    });
    // Words that only build a sentence (pronouns, numerals, particles: 什么, 多少, 吗), by the part of
    // speech the index's dictionary gives them: they weigh nothing (searchindex.py, function_words).
    this.function = new Set(data.function || []);
    this.idfs = new Map();
    this.groups = (data.synonyms || []).map(function (group) {
      return group.map(function (w) { return self.tokenizer.normalize(w); });
    });
    this.search = new MiniSearch({
      idField: "i",
      fields: ["title", "names", "heading", "text"],
      storeFields: [],
      tokenize: tokenize,
      processTerm: function (term) { return term; },
      extractField: function (doc, field) {
        var page = data.pages[doc.p];
        if (field === "i") return doc.i;
        if (field === "title") return page.title;
        // A page's other names (a glossary entry's abbreviation and synonyms) count once, on its first section.
        if (field === "names") return doc.a ? "" : (page.names || []).join(" ");
        if (field === "heading") return doc.h;
        return doc.x;
      },
    });
    this.search.addAll(data.sections.map(function (s, i) {
      return { i: i, p: s[0], a: s[1], h: s[2], x: s[3] };
    }));
  }

  /* The words of each glossary group the query mentions that it lacks (早会 → 晨会). A word counts only
     where it is not part of a longer title or glossary word the query also holds: 大早会 is a
     meeting of its own, not an 早会, so it brings no 晨会. */
  Index.prototype.expand = function (query) {
    var folded = this.tokenizer.normalize(query);
    var names = this.names || (this.names = this.groups.concat([[].concat.apply([], this.titleKeys)]));
    var spans = [];
    names.forEach(function (group) {
      group.forEach(function (w) {
        for (var at = w ? folded.indexOf(w) : -1; at >= 0; at = folded.indexOf(w, at + 1)) spans.push([at, at + w.length]);
      });
    });
    var inside = function (at, end) {
      return spans.some(function (s) { return s[0] <= at && end <= s[1] && s[1] - s[0] > end - at; });
    };
    var extra = [];
    this.groups.forEach(function (group) {
      var found = group.some(function (w) {
        for (var at = w ? folded.indexOf(w) : -1; at >= 0; at = folded.indexOf(w, at + 1)) {
          if (!inside(at, at + w.length) && (HAN.test(w) || !/[a-z0-9]/.test(folded.charAt(at - 1) + folded.charAt(at + w.length)))) return true;
        }
        return false;
      });
      if (found) group.forEach(function (w) { if (folded.indexOf(w) < 0) extra.push(w); });
    });
    return extra;
  };

  /* What one query word weighs: nothing for a function word, little for a lone Han character. */
  Index.prototype.weight = function (term) {
    if (this.function.has(term)) return 0;
    return HAN.test(term) && Array.from(term).length === 1 ? SETTINGS.single : 1;
  };

  /* How rare a word is in the index (BM25's inverse document frequency): 0 when no section has it. */
  Index.prototype.idf = function (term) {
    var cached = this.idfs.get(term);
    if (cached !== undefined) return cached;
    var fields = this.search._index.get(term); // field → (section → frequency); MiniSearch 7's own map
    var seen = new Set();
    if (fields) fields.forEach(function (docs) { docs.forEach(function (_, id) { seen.add(id); }); });
    var n = this.search.documentCount;
    var value = seen.size ? Math.log(1 + (n - seen.size + 0.5) / (seen.size + 0.5)) : 0;
    this.idfs.set(term, value);
    return value;
  };

  /* How well a section holds the query beyond the sum of its words' scores: the share of the
     query's meaning it holds (each query word by its weight and rarity: a common word such as 是
     adds little, a word no section has is no part of the query), times one plus the longest run of
     the query's neighbouring character pairs it holds (早会时长 holds 早会, 会时, 时长: a run of 3),
     since words found side by side in the query and the page are the phrase the reader meant. */
  Index.prototype.fit = function (matched, terms, runs) {
    var self = this;
    var held = 0;
    var all = 0;
    terms.forEach(function (term) {
      var value = self.weight(term) * self.idf(term);
      all += value;
      if (matched.has(term)) held += value;
    });
    var longest = 0;
    runs.forEach(function (run) {
      var length = 0;
      run.forEach(function (pair) {
        length = matched.has(pair) ? length + 1 : 0;
        if (length > longest) longest = length;
      });
    });
    return Math.pow((all ? held / all : 0) * (1 + longest), SETTINGS.fit);
  };

  /* The character pairs of each Han run of the query and of each glossary word it brings in. */
  Index.prototype.runs = function (text) {
    var self = this;
    return text.split(/\s+/).map(function (part) {
      return self.tokenizer.words(part).filter(function (w) { return HAN.test(w) && Array.from(w).length === 2; });
    });
  };

  Index.prototype.options = function () {
    var self = this;
    var weight = function (term) { return self.weight(term); };
    var sections = this.data.sections;
    var pages = this.data.pages;
    return {
      combineWith: "OR",
      boost: SETTINGS.boost,
      prefix: function (term) {
        // A Latin word finds its longer forms (kp → kpi, rep → representative).
        return !HAN.test(term) && term.length >= 2;
      },
      fuzzy: function (term) {
        return !HAN.test(term) && term.length >= 5 ? 0.2 : false;
      },
      boostTerm: function (term) {
        return weight(term);
      },
      boostDocument: function (id) {
        return pages[sections[id][0]].points ? SETTINGS.glossary : 1;
      },
    };
  };

  /* Which rule puts a page first: 0, its title is the query; 1, its title is a glossary word that
     means the query (the query 晨会, the page 早会); 2, its title is one character away from a query
     of three characters or more (经理理 for 经理助理); 3, none (then the score decides). */
  Index.prototype.tier = function (typed, extra, page) {
    var self = this;
    var titles = this.titleKeys[page];
    if (titles.indexOf(typed) >= 0) return 0;
    var same = this.groups.some(function (group) {
      return group.indexOf(typed) >= 0 && group.some(function (w) { return titles.indexOf(key(self.tokenizer, w)) >= 0; });
    });
    if (same) return 1;
    return titles.some(function (t) { return distance(typed, t) === 1; }) ? 2 : 3;
  };

  /* Results for ``query``: pages best first, each with its best sections.
     Each result: {page, url, title, kind, crumb, score, tier, sections: [{url, heading, text, terms}]} */
  Index.prototype.query = function (query) {
    var self = this;
    var typed = key(this.tokenizer, query);
    if (!typed) return [];
    var extra = this.expand(query);
    var runs = this.runs([query].concat(extra).join(" "));
    var terms = new Set(this.tokenizer.words([query].concat(extra).join(" ")));
    var options = this.options();
    var boostTerm = options.boostTerm;
    // A word the reader did not type but the glossary says means the same counts less than one typed.
    var hits = this.search.search({ combineWith: "OR", queries: [query].concat(extra.length ? [{
      queries: [extra.join(" ")], boostTerm: function (term) { return boostTerm(term) * SETTINGS.synonym; },
    }] : []) }, options);
    var byPage = new Map();
    hits.forEach(function (hit) {
      // MiniSearch multiplies by the number of query words matched, the function words too: undone, and fit() instead.
      hit.score = (hit.score / Math.max(1, hit.queryTerms.length)) * self.fit(new Set(hit.queryTerms), terms, runs);
      if (!(hit.score > 0)) return;
      var section = self.data.sections[hit.id];
      var p = section[0];
      var entry = byPage.get(p);
      if (!entry) {
        entry = { page: p, score: hit.score, sections: [] };
        byPage.set(p, entry);
      }
      entry.score = Math.max(entry.score, hit.score);
      entry.sections.push({ id: hit.id, score: hit.score, terms: hit.terms });
    });
    var results = Array.from(byPage.values()).map(function (entry) {
      var page = self.pages[entry.page];
      entry.tier = self.tier(typed, extra, entry.page);
      entry.url = page.url;
      entry.title = page.title;
      entry.kind = page.kind;
      entry.crumb = page.crumb || "";
      entry.sections.sort(function (a, b) { return b.score - a.score; });
      entry.sections = entry.sections.slice(0, SECTIONS_SHOWN).map(function (s) {
        var section = self.data.sections[s.id];
        return { url: page.url + (section[1] ? "#" + section[1] : ""), heading: section[2], text: section[3], terms: s.terms };
      });
      return entry;
    });
    results.sort(function (a, b) {
      if (a.tier !== b.tier) return a.tier - b.tier;
      return b.score - a.score || a.page - b.page;
    });
    return this.describedFirst(results);
  };

  /* The page that describes a thing before the glossary entry that names it: when an entry whose
     definition links to pages (晨会 → 早会, 续保晨会) ranks above the first of them in the list (by
     the same rule, tier), that page moves up to just before the entry. */
  Index.prototype.describedFirst = function (results) {
    var out = results.slice();
    for (var i = 0; i < out.length; i++) {
      var points = this.pages[out[i].page].points;
      if (!points || !points.length) continue;
      for (var j = i + 1; j < out.length; j++) {
        if (out[j].tier === out[i].tier && points.indexOf(out[j].page) >= 0) {
          out.splice(i, 0, out.splice(j, 1)[0]);
          i += 1;
          break;
        }
      }
    }
    return out;
  };


  /* Around the first of ``terms`` (normalized words) in ``text``: about ``width`` characters, as
     pieces [text, marked] with every occurrence of a term marked. */
  Index.prototype.snippet = function (text, terms, width) {
    width = width || 90;
    var chars = Array.from(text || "");
    var folded = chars.map(function (c) { return this.normalize(c); }, this.tokenizer);
    var marked = new Array(chars.length).fill(false);
    var first = -1;
    // Marked: the words and pairs matched, single characters only when nothing longer matched.
    var longer = (terms || []).filter(function (t) { return Array.from(t).length > 1; });
    (longer.length ? longer : terms || []).forEach(function (term) {
      var want = Array.from(term);
      if (!want.length) return;
      for (var i = 0; i + want.length <= chars.length; i++) {
        var ok = true;
        for (var j = 0; j < want.length && ok; j++) ok = folded[i + j] === want[j];
        if (!ok) continue;
        if (first < 0 || i < first) first = i;
        for (var k = 0; k < want.length; k++) marked[i + k] = true;
      }
    });
    var start = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 3));
    var end = Math.min(chars.length, start + width);
    start = Math.max(0, Math.min(start, end - width));
    var pieces = [];
    if (start > 0) pieces.push(["…", false]);
    for (var i = start; i < end; i++) {
      var last = pieces[pieces.length - 1];
      if (last && last[1] === marked[i]) last[0] += chars[i];
      else pieces.push([chars[i], marked[i]]);
    }
    if (end < chars.length) pieces.push(["…", false]);
    return pieces;
  };

  return { Index: Index, Tokenizer: Tokenizer, distance: distance, settings: SETTINGS };
});
