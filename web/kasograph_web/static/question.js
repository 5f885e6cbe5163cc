// A saved question's form on the static site, where no server answers a form: each known value of the
// question's parameter has its answer on a page of its own (listed below the form, which is what works
// without this script). The form goes to the page of the value typed (its name as the data writes it, or
// its label in the page's language); a value that has no such page is said so, and no other value's
// answer is left showing as if it were its own.
(function () {
  "use strict";
  var form = document.querySelector("form.parameters[data-answers]");
  if (!form) { return; }
  var list = document.getElementById(form.dataset.answers);
  var input = form.querySelector("input[name]");
  var message = document.getElementById("no-such-value");
  var answer = document.getElementById("answer");
  var links = list ? Array.prototype.slice.call(list.querySelectorAll("a[data-value]")) : [];
  if (!input || !message || !links.length) { return; }

  function fold(text) { return (text || "").trim().replace(/\s+/g, " ").toLocaleLowerCase(); }

  function find(text) {
    var wanted = fold(text);
    return links.filter(function (a) { return fold(a.dataset.value) === wanted; })[0] ||
      links.filter(function (a) { return fold(a.textContent) === wanted; })[0] || null;
  }

  function go(text, replace) {
    var link = find(text);
    if (link) {
      if (replace) { window.location.replace(link.href); } else { window.location.assign(link.href); }
      return;
    }
    message.hidden = false;
    input.setAttribute("aria-invalid", "true");
    if (answer) { answer.hidden = true; }
    links.forEach(function (a) { a.removeAttribute("aria-current"); });  // no value's answer is shown now
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go(input.value, false);
  });
  input.addEventListener("input", function () {
    message.hidden = true;
    input.removeAttribute("aria-invalid");
  });
  // An address with the value in its query string (a link made for the live server, or the form sent
  // before this script ran): the same file answers it, so go to the value's own page, or say there is none.
  var asked = window.URLSearchParams ? new URLSearchParams(window.location.search).get(input.name) : null;
  if (asked !== null && fold(asked) !== fold(input.value)) {
    input.value = asked;
    go(asked, true);
  }
}());
