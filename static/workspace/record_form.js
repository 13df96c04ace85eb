/* Record form: show the due date (报送截止日期) as soon as the business date — or the item's natural date field, from
 * which the business date defaults — is entered. Working-day items ask the server (official calendar, 调休 included);
 * semiannual items (一年两次) show the end of the reporting period containing the date. No dependencies. */
(function () {
  "use strict";
  var form = document.querySelector("form.record-form");
  if (!form) return;
  var box = document.getElementById("due-date");
  var value = document.getElementById("due-date-value");
  var provisional = document.getElementById("due-date-provisional");
  var note = document.getElementById("due-date-note");
  var texts = JSON.parse(document.getElementById("due-messages").textContent);
  var business = form.querySelector("[name=business_date]");
  var natural = form.dataset.natural ? form.querySelector("[name=" + form.dataset.natural + "]") : null;
  var semiannual = JSON.parse(form.dataset.semiannual || "[]");
  var days = parseInt(form.dataset.dueDays, 10) || 7;
  var pending = 0;

  function iso(d) {
    var m = String(d.getMonth() + 1).padStart(2, "0");
    var day = String(d.getDate()).padStart(2, "0");
    return d.getFullYear() + "-" + m + "-" + day;
  }

  function parse(text) {
    var m = /^(\d{4})\D(\d{1,2})\D(\d{1,2})/.exec((text || "").trim());
    if (!m) return null;
    var d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return d.getMonth() === Number(m[2]) - 1 ? d : null;
  }

  function show(due, isProvisional, extra) {
    value.textContent = due;
    provisional.hidden = !isProvisional;
    provisional.title = isProvisional ? texts.provisional : "";
    note.textContent = extra || "";
    box.hidden = false;
  }

  function periodEnd(d) {
    var ends = semiannual.slice().sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    for (var i = 0; i < ends.length; i++) {
      var end = new Date(d.getFullYear(), ends[i][0] - 1, ends[i][1]);
      if (d <= end) return end;
    }
    return new Date(d.getFullYear() + 1, ends[0][0] - 1, ends[0][1]);
  }

  function update() {
    var start = parse(business && business.value) || parse(natural && natural.value);
    if (!start) { box.hidden = true; return; }
    if (semiannual.length) {
      show(iso(periodEnd(start)), false, "（" + texts.semiannual + "）");
      return;
    }
    var ticket = ++pending;
    var url = form.dataset.dueUrl + "?start=" + iso(start) + "&days=" + days;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { if (ticket === pending) show(data.due, data.provisional, ""); })
      .catch(function () { if (ticket === pending) show("—", false, texts.error); });
  }

  [business, natural].forEach(function (input) {
    if (!input) return;
    input.addEventListener("change", update);
    input.addEventListener("input", update);
  });
  update();
})();
