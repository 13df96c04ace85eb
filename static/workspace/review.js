/* Review queue: "全选" ticks every record on the page; Enter on a check box decides nothing.
 * Enter in the reason box is stopped without script, by the form's disabled default button (HTML's implicit
 * submission). Chromium also submits on Enter in a check box, but with the first enabled button, 批量通过: it
 * approved the ticked records. A decision is a pressed button, so Enter there is ignored. */
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) return;
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.type === "checkbox") event.preventDefault();
  });
  var all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    form.querySelectorAll("input[name=records]").forEach(function (box) { box.checked = all.checked; });
  });
})();
