/* The error summary of a refused visitor form (异议申诉, 信用修复; templates/publicity/request_form.html): focused when
   the page loads, so a keyboard or screen-reader user hears what to fix and starts from there instead of the top of
   the page; each of its links puts the cursor in its field and brings the field's label into view (a plain #id link
   only scrolls, and leaves the label above the screen). Static file under the CSP's script-src 'self'. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
