// Ctrl+Enter (or Cmd+Enter) in the query editor runs the query; the form works without this script.
(function () {
  var form = document.getElementById("query-form");
  if (!form) { return; }
  form.querySelector("textarea").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
})();
