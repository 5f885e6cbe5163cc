// Suggestions while typing in the header's search box: the box becomes a combobox with a list of
// the people, groups, goals and themes its words match (the ARIA combobox pattern: arrow keys move
// through the list, Enter opens the one chosen, Escape closes it; Enter with none chosen searches).
// The server answers from its search index (search/suggest.json); on the static site, where there is
// no server, static/search.js matches the published index. Without this script the box is a plain
// search form.
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-suggest]");
  var input = form && form.querySelector("input[name=q]");
  if (!input || !window.fetch) { return; }
  var lang = document.documentElement.lang || "fi";
  var root = new URL(form.dataset.root, window.location.href);
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var options = [], active = -1, asked = 0, timer = null, server = true;

  list.id = "search-suggestions";
  list.className = "suggestions";
  list.hidden = true;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.dataset.suggestions);
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.append(list, status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);  // one question per pause in typing, not one per key
  });
  input.addEventListener("keydown", onKey);
  input.addEventListener("blur", function () { setTimeout(close, 100); });
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus in the box
  list.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) { open(option); }
  });

  function ask() {
    var query = input.value, number = ++asked;
    if (query.trim().length < 2) { close(); return; }
    suggestions(query).then(function (found) {
      if (number === asked && document.activeElement === input) { show(found); }
    }).catch(function () { close(); });
  }
  function suggestions(query) {
    if (!server) { return local(query); }
    var url = new URL(form.dataset.suggest, window.location.href);
    url.search = new URLSearchParams({ q: query, lang: lang }).toString();
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (answer) {
      // A static site's suggest.json is a file that answers every query with the empty one's answer.
      if (answer.query === query) { return answer.suggestions; }
      throw new Error("no server");
    }).catch(function () {
      server = false;  // no server to ask: ask the published index from now on
      return local(query);
    });
  }
  function local(query) {
    return window.kasographSearch.load(form.dataset.index).then(function (index) {
      return index.find(query, { typing: true, labelsOnly: true, limit: 8 }).map(function (hit) {
        var suffix = lang === "en" ? ".en.html" : ".html";
        var kind = (hit.entry.kind_name || {})[lang] || "";
        return { label: hit.entry[lang] || hit.entry.fi, lang: hit.entry[lang] ? lang : "fi", kind: kind, href: hit.entry.path + suffix };
      });
    });
  }

  function show(found) {
    list.textContent = "";
    options = found.map(function (suggestion, n) {
      var option = document.createElement("li"), label = document.createElement("span");
      option.id = "search-suggestion-" + n;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.href = new URL(suggestion.href, root).href;
      label.className = "label";
      label.textContent = suggestion.label;
      if (suggestion.lang && suggestion.lang !== lang) { label.lang = suggestion.lang; }
      option.appendChild(label);
      if (suggestion.kind) {
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = suggestion.kind;
        option.append(" ", kind);
      }
      list.appendChild(option);
      return option;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.hidden = !options.length;
    input.setAttribute("aria-expanded", String(options.length > 0));
    status.textContent = form.dataset.suggestionsCount.replace("{n}", options.length);
  }
  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function choose(n) {
    if (active >= 0) { options[active].setAttribute("aria-selected", "false"); }
    active = (n + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }
  function open(option) { window.location.href = option.dataset.href; }
  function onKey(event) {
    var shown = !list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) { return; }
      event.preventDefault();
      if (!shown) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      choose(active < 0 && event.key === "ArrowUp" ? -1 : active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && shown && active >= 0) {
      event.preventDefault();
      open(options[active]);
    } else if (event.key === "Escape" && shown) {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      close();
    }
  }
})();
