// Search on the static site, where no server answers: the page was written without a
// query, so when the address carries ?q= this script matches it against
// search-index.json. Finnish inflects, so a query word matches a text word that
// begins with the query word less its last letters ("huoltaja" → "huoltaj…").
(function () {
  var box = document.getElementById("search-results");
  var query = new URLSearchParams(window.location.search).get("q");
  if (!box || !query || box.dataset.query) { return; }  // the live server already answered
  var input = document.querySelector("form.search input[name=q]");
  if (input) { input.value = query; }
  // Keep the query when the language is switched, and say what was searched for.
  document.querySelectorAll("nav.languages a").forEach(function (a) { a.search = "?q=" + encodeURIComponent(query); });
  var heading = document.querySelector("main h1");
  if (heading) { heading.append(": "); var q = document.createElement("q"); q.textContent = query; heading.appendChild(q); }
  function words(text) { return (text.toLocaleLowerCase("fi").match(/[\p{L}\p{N}]+/gu) || []); }
  function stem(word) { return word.length > 5 ? word.slice(0, Math.max(5, word.length - 3)) : word; }
  var stems = words(query).map(stem);
  fetch(box.dataset.index).then(function (r) { return r.json(); }).then(function (index) {
    var hits = index.map(function (entry) {
      var label = entry[box.dataset.lang] || entry.fi;
      var text = words(label + " " + entry.text);
      var score = 0;
      var all = stems.every(function (s) {
        var found = text.filter(function (w) { return w.indexOf(s) === 0 || (s.length > 5 && w.indexOf(s) >= 0); }).length;
        score += found;
        return found > 0;
      });
      return { entry: entry, label: label, score: all ? score + (words(label).some(function (w) { return stems.some(function (s) { return w.indexOf(s) >= 0; }); }) ? 10 : 0) : 0 };
    }).filter(function (h) { return h.score > 0; }).sort(function (a, b) { return b.score - a.score; });
    box.textContent = "";
    if (!hits.length) { var p = document.createElement("p"); p.textContent = box.dataset.none; box.appendChild(p); return; }
    var list = document.createElement("ol");
    list.className = "results";
    hits.slice(0, 50).forEach(function (h) {
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = box.dataset.root.replace(/index\.html$/, "") + h.entry.path + box.dataset.suffix;
      a.textContent = h.label;
      item.appendChild(a);
      list.appendChild(item);
    });
    box.appendChild(list);
  });
})();
