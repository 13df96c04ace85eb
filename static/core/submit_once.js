/* One press, one submission. A form sent by POST ignores further presses (a double click, a second press while the
 * server is slow) until another page is shown: the pressed button reads "正在提交…" (<body data-submit-busy>) and
 * the form is marked aria-busy. Without this, each press is a request of its own: two drafts of one record, two
 * objections with two tracking codes. The server keeps its own rules against duplicates; this spares the request.
 * The pressed button is not disabled: its name (save / submit) must still go with the form.
 * Coming back to the page (back button, the browser's page cache) makes the form usable again. GET forms (search,
 * filters) and forms sent to another window are left alone.
 * Hand-written (no dependency), CSP script-src 'self'. */
(function () {
  "use strict";
  var label = document.body.getAttribute("data-submit-busy") || "";

  function guarded(form) {
    return (form.getAttribute("method") || "get").toLowerCase() === "post" && !form.getAttribute("target");
  }

  function release(form) {
    form.removeAttribute("data-submitting");
    form.removeAttribute("aria-busy");
    Array.prototype.forEach.call(form.querySelectorAll("[data-submit-label]"), function (button) {
      button.textContent = button.getAttribute("data-submit-label");
      button.removeAttribute("data-submit-label");
      button.removeAttribute("aria-disabled");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !guarded(form)) return;
    if (form.hasAttribute("data-submitting")) { event.preventDefault(); return; }
    if (event.defaultPrevented) return;  // another handler stopped this one: nothing is being sent
    form.setAttribute("data-submitting", "");
    form.setAttribute("aria-busy", "true");
    var button = event.submitter;
    if (label && button && button.tagName === "BUTTON" && !button.children.length) {
      button.setAttribute("data-submit-label", button.textContent);
      button.setAttribute("aria-disabled", "true");
      button.textContent = label;
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) Array.prototype.forEach.call(document.forms, release);
  });
})();
