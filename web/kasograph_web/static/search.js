// Search in the browser, where no server answers (the static site that `kasograph publish` writes):
// the server's matching (kasograph/query/search.py) over search-index.json. A query word matches a
// text word when one stem begins the other (allowing the last letters to differ) or when the text
// word, a compound, contains it; words are compared without diacritics ("vehvilainen" finds
// "Vehviläinen"); a word that matches nothing so may match one beginning within an edit or two
// ("hyvinvionti" finds "hyvinvointia"), listed after the exact matches. The browser has no Finnish
// stemmer: the index carries the stems of its words, and a query word it does not hold is its own stem.
// window.kasographSearch is what static/suggest.js asks when there is no server to ask.
(function () {
  "use strict";
  var MIN_STEM = 4, MAX_NEAR_WORD = 40, NEAR_WEIGHT = 0.5, LABEL_WEIGHT = 5, TEXT_WEIGHT = 1;

  function words(text) { return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []; }
  function fold(word) { return word.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC"); }
  // A hyphenated compound is also one word: "sote-keskus" is found as "sotekeskus" too.
  function indexedWords(text) {
    var joined = (text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)+/gu) || [])
      .map(function (w) { return w.replace(/-/g, ""); });
    return words(text).concat(joined).map(fold);
  }
  function editsForgiven(stem) {
    if (stem.length > MAX_NEAR_WORD) { return 0; }
    return stem.length >= 9 ? 2 : stem.length >= 5 ? 1 : 0;
  }
  function commonPrefix(a, b) { var n = 0; while (n < a.length && n < b.length && a[n] === b[n]) { n++; } return n; }
  function matches(q, word, stem) {
    if (q.length < MIN_STEM) { return stem === q || word === q; }
    if (stem.indexOf(q) === 0 || word.indexOf(q) >= 0) { return true; }
    var shorter = Math.min(q.length, stem.length);
    return shorter >= MIN_STEM + 1 && commonPrefix(q, stem) >= Math.max(MIN_STEM + 1, shorter - 2);
  }
  // Whether `word` begins with a prefix within `edits` edits of q (swaps of neighbours count one), and
  // with q's first letter.
  function nearPrefix(q, word, edits) {
    if (word[0] !== q[0] || word.length < q.length - edits) { return false; }
    var rows = [[]], i, j, n = Math.min(word.length, q.length + edits);
    for (i = 0; i <= q.length; i++) { rows[0][i] = i; }
    for (j = 1; j <= n; j++) {
      var row = rows[j] = [j];
      for (i = 1; i <= q.length; i++) {
        row[i] = Math.min(rows[j - 1][i] + 1, row[i - 1] + 1, rows[j - 1][i - 1] + (q[i - 1] === word[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && q[i - 1] === word[j - 2] && q[i - 2] === word[j - 1]) { row[i] = Math.min(row[i], rows[j - 2][i - 2] + 1); }
      }
      if (row[q.length] <= edits) { return true; }
      if (Math.min.apply(null, row) > edits) { return false; }
    }
    return false;
  }

  // The index: each folded word with its stem and, by entry number, whether it is in the entry's label.
  function Index(entries) {
    var stemOf = this.stemOf = new Map(), postings = this.postings = new Map();
    this.entries = entries;
    entries.forEach(function (entry, n) {
      var stems = entry.stems || {};
      function add(word, inLabel) {
        if (!stemOf.has(word)) { stemOf.set(word, stems[word] || word); postings.set(word, new Map()); }
        var seen = postings.get(word);
        seen.set(n, seen.get(n) || inLabel);
      }
      indexedWords(entry.fi + " " + entry.en).forEach(function (w) { add(w, true); });
      indexedWords(entry.text || "").forEach(function (w) { add(w, false); });
    });
  }
  Index.prototype.terms = function (query, typing) {
    var self = this;
    var found = words(query.slice(0, 500)).map(function (w) {
      var word = fold(w), stem = self.stemOf.get(word) || word;
      return { word: word, stem: stem, edits: editsForgiven(stem), prefix: false };
    });
    if (typing && found.length && !/\s$/.test(query)) {
      var last = found[found.length - 1];
      last.prefix = true;
      last.edits = editsForgiven(last.word);
    }
    return found;
  };
  Index.prototype.exact = function (term) {
    var found = [];
    this.stemOf.forEach(function (stem, word) {
      if ((term.prefix && word.indexOf(term.word) === 0) || ((!term.prefix || term.stem.length >= MIN_STEM) && matches(term.stem, word, stem))) { found.push(word); }
    });
    return found;
  };
  Index.prototype.near = function (term, exact) {
    var found = [], q = term.prefix ? term.word : term.stem;
    if (!term.edits) { return found; }
    this.stemOf.forEach(function (stem, word) {
      if (exact.indexOf(word) < 0 && nearPrefix(q, word, term.edits)) { found.push(word); }
    });
    return found;
  };
  // Entry number → {score, terms matched exactly, terms matched nearly}, labels only if asked. A term
  // counts once in an entry's label and once in its other texts, as in the server's fields.
  Index.prototype.scores = function (terms, labelsOnly, withNear) {
    var self = this, by = new Map();
    terms.forEach(function (term, t) {
      var exact = self.exact(term), near = withNear ? self.near(term, exact) : [];
      [[exact, 1, "exact"], [near, NEAR_WEIGHT, "near"]].forEach(function (found) {
        found[0].forEach(function (word) {
          self.postings.get(word).forEach(function (inLabel, n) {
            if (labelsOnly && !inLabel) { return; }
            var s = by.get(n) || { score: 0, exact: new Set(), near: new Set(), counted: new Set() };
            var key = t + (inLabel ? " label" : " text");
            by.set(n, s);
            if (found[2] === "near" && s.exact.has(t)) { return; }
            s[found[2]].add(t);
            if (!s.counted.has(key)) { s.counted.add(key); s.score += (inLabel ? LABEL_WEIGHT : TEXT_WEIGHT) * found[1]; }
          });
        });
      });
    });
    return by;
  };
  // Entries matching every word of the query, those with fewer near matches first, then by score.
  Index.prototype.find = function (query, options) {
    options = options || {};
    var self = this, terms = this.terms(query, options.typing), limit = options.limit || 50;
    if (!terms.length) { return []; }
    function ranked(withNear) {
      var hits = [];
      self.scores(terms, options.labelsOnly, withNear).forEach(function (s, n) {
        var missing = terms.length - s.exact.size;
        if (missing && s.exact.size + s.near.size < terms.length) { return; }
        hits.push({ entry: self.entries[n], score: s.score, near: missing > 0, missing: missing });
      });
      // Of equal scores, the shorter label first: the more of it the query is
      return hits.sort(function (a, b) {
        return a.missing - b.missing || b.score - a.score || a.entry.fi.length - b.entry.fi.length || (a.entry.path < b.entry.path ? -1 : 1);
      });
    }
    var hits = ranked(false);
    return (hits.length < limit ? ranked(true) : hits).slice(0, limit);
  };

  var loaded = {};
  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (entries) { return new Index(entries); });
    }
    return loaded[url];
  }
  window.kasographSearch = { load: load, fold: fold };

  // The search page of the static site: written without a query, so when the address carries ?q=
  // the results are found here.
  var box = document.getElementById("search-results");
  var query = new URLSearchParams(window.location.search).get("q");
  if (!box || !query || box.dataset.query) { return; }  // the live server already answered
  var input = document.querySelector("form.search input[name=q]");
  if (input) { input.value = query; }
  // Keep the query when the language is switched, and say what was searched for.
  document.querySelectorAll("nav.languages a").forEach(function (a) { a.search = "?q=" + encodeURIComponent(query); });
  var heading = document.querySelector("main h1");
  if (heading) { heading.append(": "); var q = document.createElement("q"); q.textContent = query; heading.appendChild(q); }
  load(box.dataset.index).then(function (index) { showResults(box, index.find(query)); });

  function showResults(box, hits) {
    box.textContent = "";
    if (!hits.length) { var p = document.createElement("p"); p.textContent = box.dataset.none; box.appendChild(p); return; }
    var exact = hits.filter(function (h) { return !h.near; }), near = hits.filter(function (h) { return h.near; });
    if (exact.length) { box.appendChild(resultList(exact)); }
    if (near.length) {
      var title = document.createElement("h2");
      title.textContent = box.dataset.near;
      box.append(title, resultList(near));
    }
  }
  function resultList(hits) {
    var list = document.createElement("ol");
    list.className = "results";
    hits.forEach(function (h) {
      var item = document.createElement("li"), a = document.createElement("a");
      a.href = box.dataset.root.replace(/index\.html$/, "") + h.entry.path + box.dataset.suffix;
      a.textContent = h.entry[box.dataset.lang] || h.entry.fi;
      item.appendChild(a);
      var kind = (h.entry.kind_name || {})[box.dataset.lang];
      if (kind) { var span = document.createElement("span"); span.className = "kind"; span.textContent = kind; item.append(" ", span); }
      list.appendChild(item);
    });
    return list;
  }
})();
