/* Review queue: "全选" ticks every record on the page. */
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll("#bulk-form input[name=records]").forEach(function (box) { box.checked = all.checked; });
  });
})();
