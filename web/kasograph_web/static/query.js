// The query page's editor, on top of a form that works without it: the textarea stays the editor (the
// form field, the browser's own undo, a screen reader's and a phone's text box), and this script adds
// syntax highlighting (CodeMirror's SPARQL mode, vendored, drawing a layer under the text), completion of
// prefixes and of the vocabulary's terms, Ctrl+Enter to run, the error's place, sorting of the rows shown,
// a history kept in this browser, and copying the endpoint's address.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  if (!form) { return; }
  var textarea = form.querySelector("textarea");
  var texts = JSON.parse(form.dataset.texts || "{}");
  // The terms come from the server (query-terms.json) once the page is read; until then, and where it
  // does not answer (a static copy of the site), nothing is suggested.
  var data = {terms: [], prefixes: {}, lang: document.documentElement.lang, ran: form.dataset.ran === "true"};
  if (form.dataset.terms && window.fetch) {
    fetch(form.dataset.terms).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (terms) { if (terms) { data.terms = terms.terms; data.prefixes = terms.prefixes; } }, function () {});
  }
  // On the static site, whose page is the same file for every address, the query a saved question opens
  // comes in the address (?query=); the form sends it to the live server's endpoint.
  if (form.dataset.static && window.URLSearchParams) {
    var asked = new URLSearchParams(window.location.search).get("query");
    if (asked) { textarea.value = asked; }
  }
  var editor = enhanceEditor(textarea);

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  if (editor) { completion(editor); }
  errorPlace(editor);
  sortableTables(document.querySelectorAll("table.results"));
  history();
  copyEndpoint();

  // Highlighting ---------------------------------------------------------------------------------
  // A layer under the textarea shows the same text, coloured; the textarea's own text is transparent
  // (its caret and selection are not). Both wrap alike and the textarea grows with its text, so
  // neither scrolls and the two stay in register.
  function enhanceEditor(area) {
    if (!window.CodeMirror || !CodeMirror.runMode) { return null; }
    var wrap = area.parentNode;
    var layer = document.createElement("pre");
    layer.className = "query-highlight";
    layer.setAttribute("aria-hidden", "true");
    wrap.insertBefore(layer, area);
    wrap.classList.add("enhanced");
    area.rows = 6;  // the textarea grows with its text (fit), so it may start smaller
    var state = {area: area, layer: layer, wrap: wrap, errorAt: -1, pending: false};
    state.render = function () { render(state); };
    area.addEventListener("input", function () {
      state.errorAt = -1;  // the text changed: the error's mark no longer says where
      if (!state.pending) { state.pending = true; requestAnimationFrame(state.render); }
    });
    window.addEventListener("resize", function () { fit(state); });
    render(state);
    return state;
  }

  function render(state) {
    state.pending = false;
    var text = state.area.value, layer = state.layer, at = 0;
    layer.textContent = "";
    CodeMirror.runMode(text, "sparql", function (token, style) {
      addToken(layer, token, style, at, state.errorAt);
      at += token.length;
    });
    layer.appendChild(document.createTextNode("\n"));  // a last empty line still has its height
    fit(state);
  }

  function addToken(layer, token, style, at, errorAt) {
    if (errorAt >= at && errorAt < at + token.length && token !== "\n") {
      var cut = errorAt - at;
      addToken(layer, token.slice(0, cut), style, at, -1);
      addSpan(layer, token.slice(cut), (style ? "cm-" + style + " " : "") + "error-mark");
      return;
    }
    if (!token) { return; }
    if (style) { addSpan(layer, token, "cm-" + style.replace(/ +/g, " cm-")); }
    else { layer.appendChild(document.createTextNode(token)); }
  }

  function addSpan(parent, text, className) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    parent.appendChild(span);
    return span;
  }

  function fit(state) {
    var area = state.area;
    area.style.height = "auto";
    area.style.height = Math.max(area.scrollHeight + 2, state.minHeight || 0) + "px";
  }

  // Completion ---------------------------------------------------------------------------------------
  // After `prefix:` (as it is typed) or on Ctrl+Space: the vocabulary's terms with that prefix, or the
  // prefixes and terms that begin with the word before the caret. Arrow keys choose, Enter or Tab takes,
  // Escape closes; the list is a listbox the textarea points at (aria-activedescendant).
  function completion(state) {
    var area = state.area;
    var list = document.createElement("ul");
    list.id = "query-completions";
    list.className = "completions";
    list.setAttribute("role", "listbox");
    list.tabIndex = 0;  // it scrolls, so it may take focus; its keys stay in the textarea (aria-activedescendant), where Tab takes a suggestion
    list.setAttribute("aria-label", texts.suggestions_label || "");
    list.hidden = true;
    state.wrap.appendChild(list);
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    state.wrap.appendChild(live);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    var open = {items: [], active: 0, from: 0, quiet: false};

    area.addEventListener("input", function () {
      if (open.quiet) { open.quiet = false; close(); return; }
      show(suggestions(false));
    });
    area.addEventListener("keydown", function (event) { onKey(event); });
    area.addEventListener("blur", function () { close(); });
    area.addEventListener("click", function () { close(); });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();  // the textarea keeps the focus (and the list stays open), also on its scroll bar
      var option = event.target.closest("[role=option]");
      if (option) { take(Number(option.dataset.index)); }
    });

    function onKey(event) {
      if (event.key === " " && event.ctrlKey) {
        event.preventDefault();
        show(suggestions(true));
        return;
      }
      if (list.hidden) {
        if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey) { keepIndent(event); }
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        choose(open.active + (event.key === "ArrowDown" ? 1 : -1));
      } else if ((event.key === "Enter" && !event.ctrlKey && !event.metaKey) || event.key === "Tab") {
        event.preventDefault();
        take(open.active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    }

    function suggestions(asked) {
      var before = area.value.slice(0, area.selectionStart);
      if (area.selectionStart !== area.selectionEnd) { return null; }
      var name = /(?:^|[^\w?$:<"'-])([A-Za-z][\w.-]*)?:([\w-]*)$/.exec(before);
      if (name) {
        open.from = before.length - name[0].length + name[0].indexOf(name[1] || ":");
        return termsLike((name[1] || "") + ":", name[2]);
      }
      var word = /(?:^|[^\w?$:<"'-])([A-Za-z][\w-]*)$/.exec(before);
      if (!asked || !word) { return null; }
      open.from = before.length - word[1].length;
      return wordsLike(word[1]);
    }

    function termsLike(prefix, local) {
      var found = data.terms.filter(function (term) {
        return term.name.indexOf(prefix) === 0 && term.name.slice(prefix.length).toLowerCase().indexOf(local.toLowerCase()) === 0;
      });
      return found.map(termItem);
    }

    function wordsLike(word) {
      var lower = word.toLowerCase(), items = [];
      Object.keys(data.prefixes).forEach(function (prefix) {
        if (prefix.indexOf(lower) === 0) { items.push({insert: prefix + ":", name: prefix + ":", detail: texts.prefix + " · " + data.prefixes[prefix]}); }
      });
      data.terms.forEach(function (term) {
        if (term.name.split(":")[1].toLowerCase().indexOf(lower) === 0) { items.push(termItem(term)); }
      });
      return items;
    }

    function termItem(term) {
      var label = term[data.lang] || term.fi || term.en;
      return {insert: term.name, name: term.name, detail: (texts[term.kind] || term.kind) + (label ? " · " + label : "")};
    }

    function show(items) {
      if (!items || !items.length) { close(); return; }
      open.items = items.slice(0, 50);
      list.textContent = "";
      open.items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = "completion-" + index;
        option.setAttribute("role", "option");
        option.dataset.index = String(index);
        addSpan(option, item.name, "name");
        addSpan(option, item.detail, "detail");
        list.appendChild(option);
      });
      list.hidden = false;
      place();
      choose(0);
      live.textContent = counted("suggestions", open.items.length);
    }

    function choose(index) {
      var count = open.items.length;
      open.active = (index + count) % count;
      Array.prototype.forEach.call(list.children, function (option, i) {
        option.setAttribute("aria-selected", i === open.active ? "true" : "false");
      });
      var active = list.children[open.active];
      area.setAttribute("aria-activedescendant", active.id);
      if (active.scrollIntoView) { active.scrollIntoView({block: "nearest"}); }
    }

    function take(index) {
      var item = open.items[index];
      close();
      if (!item) { return; }
      area.setSelectionRange(open.from, area.selectionStart);
      open.quiet = true;
      insert(area, item.insert);
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      open.items = [];
      area.removeAttribute("aria-activedescendant");
    }

    // The list opens under the caret: the caret's place is found in a copy of the text up to it.
    function place() {
      var mirror = document.createElement("pre");
      mirror.className = "query-highlight query-measure";
      mirror.textContent = area.value.slice(0, area.selectionStart);
      var caret = addSpan(mirror, "\u200b", "");
      state.wrap.appendChild(mirror);
      var top = caret.offsetTop + caret.offsetHeight + 2, left = caret.offsetLeft;
      state.wrap.removeChild(mirror);
      list.style.top = top + "px";
      list.style.left = Math.max(0, Math.min(left, state.wrap.clientWidth - list.offsetWidth)) + "px";
    }

    // Enter keeps the line's indentation (the editor's only other help with typing).
    function keepIndent(event) {
      var start = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1;
      var indent = /^[ \t]*/.exec(area.value.slice(start, area.selectionStart))[0];
      if (!indent) { return; }
      event.preventDefault();
      open.quiet = true;
      insert(area, "\n" + indent);
    }
  }

  // Typing into the textarea as the browser would, so that undo (Ctrl+Z) undoes it.
  function insert(area, text) {
    if (!(document.execCommand && document.execCommand("insertText", false, text))) {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input", {bubbles: true}));
    }
  }

  // The error's place ----------------------------------------------------------------------------------
  // "line 3, column 11" takes the caret there, and the highlighting marks the place until the text changes.
  function errorPlace(state) {
    var link = document.querySelector("a.error-at");
    if (!link) { return; }
    var offset = offsetOf(textarea.value, Number(link.dataset.line), Number(link.dataset.column));
    if (state) { state.errorAt = offset; state.render(); }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
      textarea.scrollIntoView({block: "center"});
    });
  }

  function offsetOf(text, line, column) {
    var start = 0;
    for (var i = 1; i < line; i++) {
      var next = text.indexOf("\n", start);
      if (next < 0) { return text.length; }
      start = next + 1;
    }
    return Math.min(start + column - 1, text.length);
  }

  // A count with its word in the form the language's plural rules (the browser's, CLDR's) choose: the page gives
  // the forms ("suggestions.one", "suggestions.other"), as the server's plural() reads them from the catalogue.
  function counted(key, n) {
    var form = window.Intl && Intl.PluralRules ? new Intl.PluralRules(data.lang).select(n) : "other";
    var words = texts[key + "." + form] || texts[key + ".other"] || "{n}";
    return words.replace("{n}", n.toLocaleString(data.lang));
  }

  // Sorting -----------------------------------------------------------------------------------------------
  // A column's heading becomes a button that sorts the rows on the page, ascending then descending; numbers
  // as numbers, texts as the page's language orders them.
  function sortableTables(tables) {
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!table.tBodies[0] || table.tBodies[0].rows.length < 2) { return; }
      Array.prototype.forEach.call(heads, function (th, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, th, column); });
      });
      var note = document.createElement("p");
      note.className = "kind sort-note";
      note.textContent = texts.sort || "";
      table.parentNode.parentNode.insertBefore(note, table.parentNode);
    });
  }

  function sortBy(table, th, column) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var collator = new Intl.Collator(data.lang, {numeric: true, sensitivity: "base"});
    var keyed = rows.map(function (row, index) { return {row: row, index: index, key: sortKey(row.cells[column])}; });
    keyed.sort(function (a, b) {
      var order = compareKeys(a.key, b.key, collator);
      return (ascending ? order : -order) || a.index - b.index;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
  }

  function sortKey(cell) {
    var text = cell ? cell.textContent.trim() : "";
    // A number cell shows the number as the page's language writes it (28,4); its literal is in data-value.
    var number = cell && cell.classList.contains("number") ? Number(cell.dataset.value || text) : NaN;
    return {text: text, number: number};
  }

  function compareKeys(a, b, collator) {
    if (!a.text || !b.text) { return (a.text ? 0 : 1) - (b.text ? 0 : 1); }  // empty cells last
    if (!isNaN(a.number) && !isNaN(b.number)) { return a.number - b.number; }
    return collator.compare(a.text, b.text);
  }

  // History ---------------------------------------------------------------------------------------------
  // The queries run on this page, newest first, kept in this browser (localStorage) and nowhere else.
  function history() {
    var key = "kasograph.query-history", most = 50;
    var toggle = document.getElementById("query-history-toggle");
    var panel = document.getElementById("query-history");
    if (!toggle || !panel || !storage()) { return; }
    var kept = read();
    if (data.ran && textarea.value.trim()) {
      kept = [{query: textarea.value, at: new Date().toISOString()}].concat(kept.filter(function (item) {
        return item.query !== textarea.value;
      })).slice(0, most);
      write(kept);
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var opening = panel.hidden;
      panel.hidden = !opening;
      toggle.setAttribute("aria-expanded", opening ? "true" : "false");
      if (opening) { show(); }
    });
    document.getElementById("query-history-clear").addEventListener("click", function () {
      kept = [];
      write(kept);
      show();
    });

    function show() {
      var list = panel.querySelector("ol");
      list.textContent = "";
      kept.forEach(function (item) {
        var entry = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "history-item";
        addSpan(button, item.query.replace(/\s+/g, " ").trim(), "history-text");
        button.addEventListener("click", function () { reopen(item.query); });
        entry.appendChild(button);
        addSpan(entry, new Date(item.at).toLocaleString(data.lang), "kind history-time");
        list.appendChild(entry);
      });
      panel.querySelector(".history-empty").hidden = kept.length > 0;
      document.getElementById("query-history-clear").hidden = kept.length === 0;
    }

    function reopen(query) {
      textarea.value = query;
      textarea.dispatchEvent(new Event("input", {bubbles: true}));
      textarea.focus();
      textarea.setSelectionRange(0, 0);
      textarea.scrollIntoView({block: "center"});
    }

    function read() {
      try {
        var value = JSON.parse(window.localStorage.getItem(key) || "[]");
        return Array.isArray(value) ? value.filter(function (item) { return item && typeof item.query === "string"; }) : [];
      } catch (error) { return []; }
    }

    function write(items) {
      try { window.localStorage.setItem(key, JSON.stringify(items)); } catch (error) { /* full or refused: not kept */ }
    }
  }

  function storage() {
    try { return !!window.localStorage; } catch (error) { return false; }
  }

  // Copying the endpoint's address ------------------------------------------------------------------------
  function copyEndpoint() {
    var button = document.getElementById("endpoint-copy");
    var url = document.getElementById("endpoint-url");
    var said = document.getElementById("endpoint-copied");
    if (!button || !url) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { said.textContent = texts.copied || ""; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url.textContent).then(done, function () { selectAndCopy(url) && done(); });
      } else if (selectAndCopy(url)) { done(); }
    });
  }

  function selectAndCopy(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }
})();
