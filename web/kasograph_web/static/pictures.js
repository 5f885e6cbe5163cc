/* The pictures of the graphs, enhanced when JavaScript runs (without it they read as the server drew them):
 * pointing at a node or focusing it with the keyboard lights up its links and its neighbours; a tap on a
 * phone does the same and shows the node's full name with a link to its page (a second tap follows the
 * node's own link); buttons, dragging and Ctrl + wheel zoom and move a graph. No inline code, no other origin:
 * it runs under the viewer's Content-Security-Policy. The words come from the figure's data attributes. */
(function () {
  "use strict";

  var figures = document.querySelectorAll("figure.picture-figure");
  for (var i = 0; i < figures.length; i++) enhance(figures[i]);

  function enhance(figure) {
    var info = figure.querySelector(".picture-info");
    figure.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    var graphs = figure.querySelectorAll("svg.picture.graph");
    graphs.forEach(function (svg) { highlighting(svg, info, figure.dataset); });
    figure.querySelectorAll("svg.picture:not(.graph)").forEach(function (svg) { segments(svg, info); });
    if (graphs.length) tools(figure, Array.prototype.map.call(graphs, zooming));
  }

  // Highlighting ------------------------------------------------------------------------------------------
  function neighbourhoods(svg) {
    var found = new Map();
    svg.querySelectorAll(".edge[data-ends]").forEach(function (edge) {
      var ends = edge.getAttribute("data-ends").split(" ");
      [[ends[0], ends[1]], [ends[1], ends[0]]].forEach(function (pair) {
        if (!found.has(pair[0])) found.set(pair[0], { edges: [], neighbours: [] });
        found.get(pair[0]).edges.push(edge);
        found.get(pair[0]).neighbours.push(pair[1]);
      });
    });
    return found;
  }

  function highlighting(svg, info, words) {
    var links = neighbourhoods(svg);
    var nodes = new Map();
    svg.querySelectorAll("[data-node]").forEach(function (el) { nodes.set(el.getAttribute("data-node"), el); });
    var pinned = null, touched = false;

    function group(el) { return el.classList.contains("node") ? el : el.querySelector(".node"); }
    function nodeAt(target) {
      var el = target && target.closest ? target.closest("[data-node]") : null;
      return el && svg.contains(el) ? el : null;
    }
    function light(el) {
      svg.classList.remove("lit");
      svg.querySelectorAll(".on").forEach(function (on) { on.classList.remove("on"); });
      if (!el) return;
      var near = links.get(el.getAttribute("data-node")) || { edges: [], neighbours: [] };
      svg.classList.add("lit");
      group(el).classList.add("on");
      near.edges.forEach(function (edge) { edge.classList.add("on"); edge.parentNode.appendChild(edge); });
      near.neighbours.forEach(function (id) { if (nodes.has(id)) group(nodes.get(id)).classList.add("on"); });
    }
    function rest() { light(pinned); say(info, pinned, words); }

    svg.addEventListener("pointerdown", function (event) { touched = event.pointerType === "touch"; });
    svg.addEventListener("pointerover", function (event) {
      if (event.pointerType === "touch") return;
      var el = nodeAt(event.target);
      if (el) { light(el); say(info, el, words); }
    });
    svg.addEventListener("pointerout", function (event) {
      if (event.pointerType !== "touch" && nodeAt(event.target) !== nodeAt(event.relatedTarget)) rest();
    });
    svg.addEventListener("focusin", function (event) {
      var el = nodeAt(event.target);
      if (el) { light(el); say(info, el, words); svg.dispatchEvent(new CustomEvent("nodefocus", { detail: el })); }
    });
    svg.addEventListener("focusout", rest);
    svg.addEventListener("click", function (event) {
      var el = nodeAt(event.target);
      if (!touched) return;
      if (el && el !== pinned && el.hasAttribute("href")) event.preventDefault();  // the first tap shows, the second follows
      pinned = el === pinned ? pinned : el;
      rest();
    });
  }

  function say(info, el, words) {
    if (!info) return;
    info.textContent = "";
    if (!el) { info.hidden = true; return; }
    var title = el.querySelector("title");
    info.appendChild(document.createTextNode(el.getAttribute("data-info") || (title ? title.textContent : "")));
    if (el.hasAttribute("href")) {
      var open = document.createElement("a");
      open.href = el.getAttribute("href");
      open.textContent = words.open || "→";
      info.appendChild(open);
    }
    info.hidden = false;
  }

  function segments(svg, info) {
    function show(event) {
      var bar = event.target.closest ? event.target.closest(".segment") : null;
      var title = bar && bar.querySelector("title");
      if (title && info) { info.textContent = title.textContent; info.hidden = false; }
    }
    svg.addEventListener("pointerover", show);
    svg.addEventListener("click", show);
  }

  // Zoom and pan -------------------------------------------------------------------------------------------
  function zooming(svg) {
    var box = svg.viewBox.baseVal;
    var whole = { x: box.x, y: box.y, w: box.width, h: box.height };
    var view = { x: whole.x, y: whole.y, w: whole.w, h: whole.h };

    function set(x, y, w) {
      var h = w * whole.h / whole.w;
      view = { x: Math.min(Math.max(x, whole.x), whole.x + whole.w - w), y: Math.min(Math.max(y, whole.y), whole.y + whole.h - h), w: w, h: h };
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (n) { return n.toFixed(1); }).join(" "));
      svg.classList.toggle("zoomed", w < whole.w - 0.5);
    }
    function toPicture(clientX, clientY) {
      var rect = svg.getBoundingClientRect();
      return { x: view.x + (clientX - rect.left) / rect.width * view.w, y: view.y + (clientY - rect.top) / rect.height * view.h };
    }
    function zoom(factor, at) {
      var w = Math.min(whole.w, Math.max(whole.w / 8, view.w / factor));
      var p = at || visibleMiddle();
      set(p.x - (p.x - view.x) * w / view.w, p.y - (p.y - view.y) * w / view.w, w);
    }
    function visibleMiddle() {  // the middle of what the window shows of the picture, which may be taller than the window
      var rect = svg.getBoundingClientRect();
      var top = Math.max(rect.top, 0), bottom = Math.min(rect.bottom, window.innerHeight);
      return toPicture(rect.left + rect.width / 2, bottom > top ? (top + bottom) / 2 : rect.top + rect.height / 2);
    }
    function reset() { set(whole.x, whole.y, whole.w); }

    panning(svg, function () { return view; }, toPicture, set);
    svg.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;  // a plain wheel scrolls the page, as everywhere else
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.25 : 0.8, toPicture(event.clientX, event.clientY));
    }, { passive: false });
    svg.addEventListener("nodefocus", function (event) {  // a node reached with Tab comes into view
      var b = event.detail.getBBox();
      if (b.x < view.x || b.y < view.y || b.x + b.width > view.x + view.w || b.y + b.height > view.y + view.h) {
        set(b.x + b.width / 2 - view.w / 2, b.y + b.height / 2 - view.h / 2, view.w);
      }
    });
    return { svg: svg, zoom: zoom, reset: reset };
  }

  function panning(svg, current, toPicture, set) {
    var start = null, moved = false;
    svg.addEventListener("pointerdown", function (event) {
      if (!svg.classList.contains("zoomed") || event.button !== 0) return;
      start = { x: event.clientX, y: event.clientY, view: current() };
      moved = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!start) return;
      if (!moved && Math.abs(event.clientX - start.x) + Math.abs(event.clientY - start.y) < 5) return;
      if (!moved) { moved = true; svg.setPointerCapture(event.pointerId); svg.classList.add("panning"); }
      var rect = svg.getBoundingClientRect();
      set(start.view.x - (event.clientX - start.x) / rect.width * start.view.w,
          start.view.y - (event.clientY - start.y) / rect.height * start.view.h, start.view.w);
    });
    function stop() { start = null; svg.classList.remove("panning"); }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    svg.addEventListener("click", function (event) {  // a drag that ends on a link does not follow it
      if (moved) { event.preventDefault(); event.stopImmediatePropagation(); moved = false; }
    }, true);
  }

  function tools(figure, zoomers) {
    var words = figure.dataset, bar = document.createElement("div");
    bar.className = "picture-tools";
    function shown() {  // the wide picture or the phone's, whichever the screen shows
      for (var i = 0; i < zoomers.length; i++) if (zoomers[i].svg.getClientRects().length) return zoomers[i];
      return zoomers[0];
    }
    [["+", words.zoomIn, function () { shown().zoom(1.5); }], ["−", words.zoomOut, function () { shown().zoom(1 / 1.5); }],
     [words.zoomReset, words.zoomReset, function () { shown().reset(); }]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[1]);
      button.title = spec[1];
      button.addEventListener("click", spec[2]);
      bar.appendChild(button);
    });
    var wrap = figure.querySelector(".picture-wrap");
    wrap.parentNode.insertBefore(bar, wrap);
  }
})();
