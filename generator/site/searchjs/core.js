/* The handbook's search, the same for both site engines: one tokenizer for the index and the query,
   BM25 ranking over every word, and results grouped by page.

   Built by generator/site/searchindex.py, the index file holds the site's sections (page, anchor,
   heading, text), each page's title and kind, the glossary's groups of words that mean the same,
   the words that weigh nothing (function words, by their part of speech), and a character map from
   the other Chinese script to the site's. The inverted index is made here, in the reader's browser
   (a worker) or in node (tests/search_offline.py), with the tokenizer below, so the words of a
   query are found exactly as the words of the pages were.

   Ranking: every query word that occurs in the site adds its BM25 score (a word in many sections,
   such as 是, adds little; a word in none, such as 什么时候, adds nothing; a function word such as
   多少 nothing at all), field by field (page title and a glossary entry's other names most, then
   the section's heading, then its text), times how much of the query the section holds (fit).
   A page's score is its best section's. Rules before the score: a page whose title is the query,
   then one whose title the glossary says means the query, then one whose title is one character
   away from it (tier); and the page that describes a thing comes before the glossary entry that
   names it. MiniSearch did this first (README, "Search": its index took 9 µs a word to build). */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.HandbookSearch = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* The ranking's settings (tests/search_offline.py --try overrides them to compare choices):
     how much each field counts (a page's title and a glossary entry's other names most, then a
     section's heading, its text least); how much a glossary entry that links to the pages describing
     what it names counts beside them; how much a lone Han character counts beside a pair of them; how
     strongly the share and run of the query a section holds (fit) weighs against word scores; and
     how much a word brought in by the glossary counts beside one typed. */
  var SETTINGS = {
    boost: { title: 4, names: 4, heading: 2, text: 1 }, glossary: 0.8, single: 0.3, fit: 1, synonym: 0.5,
    // BM25's usual constants (MiniSearch's defaults), and what a Latin word's longer or mistyped forms count.
    bm25: { k: 1.2, b: 0.7, d: 0.5 }, prefix: 0.375, fuzzy: 0.45,
  };
  /* Sections shown under one page in the result list. */
  var SECTIONS_SHOWN = 3;
  /* Two-character titles one character apart are too many other words (早会, 夕会, 午会, 晨会). */
  var NEAR_FROM = 3;

  var HAN = /^\p{Script=Han}+$/u;
  /* A run of Han characters, or of other letters and digits (a Latin word, a number). */
  var RUNS = /\p{Script=Han}+|[[\p{L}\p{N}\p{M}]--\p{Script=Han}]+/gv;
  var FIELDS = ["title", "names", "heading", "text"];

  /* English word forms to one stem (acknowledged, acknowledges → acknowledg): inflections only
     (-s, -es, -ies, -ed, -ied, -ing, a final -e), never derivations (engineer, agreement stay), so no
     two different words meet. The index is built here by the same tokenizer (README, "Search"). */
  function stem(word) {
    if (!/^[a-z]+$/.test(word)) return word;
    if (word.length <= 3) return /^[a-z][^aeiou]e$/.test(word) ? word.slice(0, -1) : word;
    var w = word;
    if (/ies$/.test(w) && w.length > 4) w = w.slice(0, -3) + "y";
    else if (/(ss|x|ch|sh|z)es$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    else if (/ied$/.test(w) && w.length > 4) w = w.slice(0, -3) + "y";
    else if (/eed$/.test(w)) w = w.slice(0, -1);
    else if (/[aeiouy].*[^aeiouy]ed$/.test(w)) w = w.slice(0, -2);
    else if (/[aeiouy].*[^aeiouy]ing$/.test(w)) w = w.slice(0, -3);
    // planned → plann → plan; but call, pass and buzz keep their double letter.
    if (w !== word && /([^aeioulsz])\1$/.test(w)) w = w.slice(0, -1);
    if (w.length > 2 && /[^aeiou]e$/.test(w)) w = w.slice(0, -1);
    return w;
  }

  function Tokenizer(fold, lang) {
    this.stem = lang === "en" ? stem : null;
    this.fold = fold || {};
    var chars = Object.keys(this.fold).join("").replace(/[\\\]^-]/g, "\\$&");
    this.folding = chars ? new RegExp("[" + chars + "]", "gu") : null;
  }

  /* Case, width and script folded: 續保專員 reads as 续保专员 on a Simplified site, TSR as tsr. */
  Tokenizer.prototype.normalize = function (text) {
    var fold = this.fold;
    var lower = String(text).normalize("NFKC").toLowerCase();
    return this.folding ? lower.replace(this.folding, function (ch) { return fold[ch]; }) : lower;
  };

  /* The words of a text: each run of letters or digits; a run of Han characters as each character
     and each pair of neighbouring characters, the way CJK search engines index Chinese (unigrams and
     bigrams): 晨会 in a query meets 晨会 in a page however a dictionary would cut either, and a title
     typed with a character missing (银部 for 银保部) still shares its characters with it. The
     browser's word segmenter (Intl.Segmenter) gave the same words on the sample, ten times slower:
     it cuts Chinese by a dictionary (晨会 → 晨 | 会) whose pieces the pairs cover anyway. */
  Tokenizer.prototype.words = function (text) {
    var out = [];
    var parts = this.normalize(text).match(RUNS) || [];
    for (var part of parts) {
      if (!HAN.test(part)) {
        out.push(this.stem ? this.stem(part) : part);
        continue;
      }
      var chars = Array.from(part);
      for (var i = 0; i < chars.length; i++) {
        out.push(chars[i]);
        if (i + 1 < chars.length) out.push(chars[i] + chars[i + 1]);
      }
    }
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

  /* Levenshtein distance of a and b, stopping early once it is over 1 (enough for one typing slip). */
  function edits(a, b) {
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var current = [i];
      var best = i;
      for (var j2 = 1; j2 <= b.length; j2++) {
        var cost = a[i - 1] === b[j2 - 1] ? 0 : 1;
        current.push(Math.min(previous[j2] + 1, current[j2 - 1] + 1, previous[j2 - 1] + cost));
        best = Math.min(best, current[j2]);
      }
      if (best > 1) return best;
      previous = current;
    }
    return previous[b.length];
  }

  function Index(data) {
    var self = this;
    this.data = data;
    this.tokenizer = new Tokenizer(data.fold, data.lang);
    this.pages = data.pages;
    // A page's title and its bracketed parts (晨会（早会） is also 晨会 and 早会), as compared with a query.
    this.titleKeys = data.pages.map(function (page) {
      var parts = [page.title].concat(page.title.split(/[()（）]/));
      return Array.from(new Set(parts.map(function (p) { return key(self.tokenizer, p); }).filter(Boolean)));
    });
    // Words that only build a sentence (pronouns, numerals, particles: 什么, 多少, 吗), by the part of
    // speech the index's dictionary gives them: they weigh nothing (searchindex.py, function_words).
    // English ones stemmed as the query's words are (does → doe).
    var stemmed = this.tokenizer.stem;
    this.function = new Set((data.function || []).map(function (w) { return stemmed ? stemmed(w) : w; }));
    this.groups = (data.synonyms || []).map(function (group) {
      return group.map(function (w) { return self.tokenizer.normalize(w); });
    });
    this.build();
  }

  /* The inverted index: each word → (section → its count in each field), each section's field lengths. */
  Index.prototype.build = function () {
    var self = this;
    var sections = this.data.sections;
    var n = sections.length;
    var postings = new Map();
    var lengths = new Float64Array(n * FIELDS.length);
    var totals = new Float64Array(FIELDS.length);
    var titles = this.pages.map(function (page) { return self.tokenizer.words(page.title); });
    var names = this.pages.map(function (page) { return self.tokenizer.words((page.names || []).join(" ")); });
    for (var i = 0; i < n; i++) {
      var s = sections[i];
      // A page's other names (a glossary entry's abbreviation and synonyms) count once, on its first section.
      var fields = [titles[s[0]], s[1] ? [] : names[s[0]], this.tokenizer.words(s[2]), this.tokenizer.words(s[3])];
      for (var f = 0; f < FIELDS.length; f++) {
        var words = fields[f];
        lengths[i * FIELDS.length + f] = words.length;
        totals[f] += words.length;
        for (var w = 0; w < words.length; w++) {
          var docs = postings.get(words[w]);
          if (!docs) postings.set(words[w], (docs = new Map()));
          var counts = docs.get(i);
          if (!counts) docs.set(i, (counts = [0, 0, 0, 0]));
          counts[f] += 1;
        }
      }
    }
    this.postings = postings;
    this.lengths = lengths;
    this.average = Array.from(totals, function (t) { return t / Math.max(1, n); });
    this.count = n;
    // Latin words in order, for a query word that begins one (kp → kpi) or is one letter off (mangager).
    this.latin = Array.from(postings.keys()).filter(function (t) { return !HAN.test(t); }).sort();
    this.fieldDocs = new Map();
  };

  /* How many sections hold ``term`` in each field (BM25 counts a word's rarity field by field). */
  Index.prototype.inFields = function (term) {
    var found = this.fieldDocs.get(term);
    if (found) return found;
    found = [0, 0, 0, 0];
    (this.postings.get(term) || new Map()).forEach(function (counts) {
      for (var f = 0; f < FIELDS.length; f++) if (counts[f]) found[f] += 1;
    });
    this.fieldDocs.set(term, found);
    return found;
  };

  /* The index's words a query word finds, each with how much the match counts: itself (1); for a
     Latin word of two letters or more, the longer words it begins; for one of five or more, the
     words one letter off. */
  Index.prototype.lookup = function (term) {
    var out = this.postings.has(term) ? [[term, 1]] : [];
    if (HAN.test(term) || term.length < 2) return out;
    var lo = 0, hi = this.latin.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (this.latin[mid] < term) lo = mid + 1; else hi = mid;
    }
    for (var i = lo; i < this.latin.length && this.latin[i].lastIndexOf(term, 0) === 0; i++) {
      var longer = this.latin[i];
      if (longer !== term) out.push([longer, SETTINGS.prefix * term.length / (term.length + 0.3 * (longer.length - term.length))]);
    }
    if (term.length >= 5) {
      for (var word of this.latin) {
        if (word !== term && Math.abs(word.length - term.length) <= 1 && edits(term, word) === 1) {
          out.push([word, SETTINGS.fuzzy * term.length / (term.length + 1)]);
        }
      }
    }
    return out;
  };

  /* BM25 (with a floor for long fields, BM25+): every section holding a query word, its score. */
  Index.prototype.score = function (terms) {
    var self = this;
    var found = new Map();
    var k = SETTINGS.bm25.k, b = SETTINGS.bm25.b, d = SETTINGS.bm25.d;
    terms.forEach(function (item) {
      var term = item[0], boost = item[1];
      if (!boost) return;
      self.lookup(term).forEach(function (match) {
        var word = match[0];
        var fields = self.inFields(word);
        self.postings.get(word).forEach(function (counts, i) {
          var page = self.pages[self.data.sections[i][0]];
          var weight = boost * match[1] * (page.points ? SETTINGS.glossary : 1);
          var sum = 0;
          for (var f = 0; f < FIELDS.length; f++) {
            var tf = counts[f];
            if (!tf) continue;
            var idf = Math.log(1 + (self.count - fields[f] + 0.5) / (fields[f] + 0.5));
            var norm = 1 - b + b * self.lengths[i * FIELDS.length + f] / (self.average[f] || 1);
            sum += SETTINGS.boost[FIELDS[f]] * idf * (d + tf * (k + 1) / (tf + k * norm));
          }
          var hit = found.get(i);
          if (!hit) found.set(i, (hit = { id: i, score: 0, queryTerms: new Set(), terms: new Set() }));
          hit.score += weight * sum;
          hit.queryTerms.add(term);
          hit.terms.add(word);
        });
      });
    });
    return found;
  };

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
    var docs = this.postings.get(term);
    return docs ? Math.log(1 + (this.count - docs.size + 0.5) / (docs.size + 0.5)) : 0;
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
    // A word the reader did not type but the glossary says means the same counts less than one typed.
    var asked = this.tokenizer.words(query).map(function (t) { return [t, self.weight(t)]; })
      .concat(this.tokenizer.words(extra.join(" ")).map(function (t) { return [t, self.weight(t) * SETTINGS.synonym]; }));
    var byPage = new Map();
    this.score(asked).forEach(function (hit) {
      hit.score *= self.fit(hit.queryTerms, terms, runs);
      if (!(hit.score > 0)) return;
      var section = self.data.sections[hit.id];
      var p = section[0];
      var entry = byPage.get(p);
      if (!entry) {
        entry = { page: p, score: hit.score, sections: [] };
        byPage.set(p, entry);
      }
      entry.score = Math.max(entry.score, hit.score);
      entry.sections.push({ id: hit.id, score: hit.score, terms: Array.from(hit.terms) });
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
    var stemmed = Boolean(this.tokenizer.stem);
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
        var stop = i + want.length;
        // A stem marks its whole word (acknowledg → acknowledged).
        while (stemmed && /[a-z]/.test(want[0]) && stop < chars.length && /[a-z]/.test(folded[stop])) stop++;
        for (var k = i; k < stop; k++) marked[k] = true;
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

  return { Index: Index, Tokenizer: Tokenizer, distance: distance, stem: stem, settings: SETTINGS };
});
