/* Drafts survive (issue 16): a long form opts in with data-draft.
 *
 *   data-draft="keep"  the typed values are kept in this tab's sessionStorage (gone when the tab closes; never
 *                      localStorage) under the form's URL and the signed-in user (<body data-draft-user>, a keyed
 *                      hash of the user id), and restored with a notice when the same form is shown again — e.g.
 *                      after the session expired, the submit was refused and the sign-in page led back here;
 *   data-draft="warn"  nothing is stored (public forms: ID numbers, files), leaving with changes still warns.
 *
 * Both warn with beforeunload while the form has unsaved changes (not when it is being submitted). Password, file and
 * hidden fields (csrf, tokens; except those named in data-draft-base) are never stored; a field opts out with
 * data-draft-skip.
 * A draft is dropped when the user discards it, or on the first page after its submit that is neither the form again
 * (refused with errors) nor the sign-in page (session expired): that POST succeeded and redirected.
 * Drafts of another user found in the tab are dropped as soon as a different user is signed in.
 * Hand-written (no dependency): ~150 lines, CSP script-src 'self'. */
(function () {
  "use strict";
  var PREFIX = "nc-draft:";
  var PENDING = "nc-draft-pending";
  var body = document.body;
  var user = body.getAttribute("data-draft-user") || "";
  var store;
  try { store = window.sessionStorage; store.getItem(PENDING); } catch (e) { store = null; }

  function keysOf(predicate) {
    var out = [];
    if (!store) return out;
    for (var i = 0; i < store.length; i++) {
      var k = store.key(i);
      if (k && predicate(k)) out.push(k);
    }
    return out;
  }

  // Another user signed in on this tab: the previous user's drafts are removed unread.
  if (store && user) {
    keysOf(function (k) { return k.indexOf(PREFIX) === 0 && k.indexOf(PREFIX + user + ":") !== 0; })
      .forEach(function (k) { store.removeItem(k); });
  }

  function keyFor(form, index) {
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    return PREFIX + user + ":" + window.location.pathname + window.location.search + "#" +
      (form.id || action.pathname + ":" + index);
  }

  function storable(el) {
    if (!el.name || el.disabled || el.hasAttribute("data-draft-skip")) return false;
    if (el.name === "csrfmiddlewaretoken") return false;
    var type = (el.type || "").toLowerCase();
    // A hidden field the form names in data-draft-base (the record's version) says what the draft was typed over:
    // it goes back with the draft, so saving a draft of a record changed meanwhile meets the optimistic lock.
    var base = (el.form && el.form.getAttribute("data-draft-base") || "").split(/\s+/);
    if (type === "hidden" && base.indexOf(el.name) !== -1) return true;
    return ["password", "hidden", "file", "submit", "button", "reset", "image"].indexOf(type) === -1;
  }

  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!storable(el)) return;
      var type = (el.type || "").toLowerCase();
      var list = data[el.name] || (data[el.name] = []);
      if (type === "checkbox" || type === "radio") { if (el.checked) list.push(el.value); }
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { if (o.selected) list.push(o.value); });
      } else list.push(el.value);
    });
    return data;
  }

  function apply(form, data) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!storable(el) || !(el.name in data)) return;
      var values = data[el.name];
      var type = (el.type || "").toLowerCase();
      var before = type === "checkbox" || type === "radio" ? el.checked : el.value;
      if (type === "checkbox" || type === "radio") el.checked = values.indexOf(el.value) !== -1;
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else {
        var i = seen[el.name] || 0;
        seen[el.name] = i + 1;
        if (i < values.length) el.value = values[i];
      }
      var after = type === "checkbox" || type === "radio" ? el.checked : el.value;
      if (after !== before) {
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function notice(form, onDiscard) {
    var tpl = document.getElementById("draft-notice-template");
    if (!tpl || !tpl.content) return;
    var box = tpl.content.firstElementChild.cloneNode(true);
    box.querySelector("[data-draft-discard]").addEventListener("click", function () {
      onDiscard();
      box.remove();
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
    form.parentNode.insertBefore(box, form);
  }

  var pending = store ? store.getItem(PENDING) : null;
  if (store) store.removeItem(PENDING);
  var onSignIn = !!document.querySelector("[data-draft-signin]");  // the sign-in form
  var pendingSeen = false;

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form, index) {
    var keep = form.getAttribute("data-draft") === "keep" && store && user;
    var key = keyFor(form, index);
    var initial = JSON.stringify(collect(form));
    var submitting = false;
    var dirty = false;
    var timer = null;
    var returned = false;
    function changed() { return JSON.stringify(collect(form)) !== initial; }

    if (pending === key) {
      // Submitted and this form is shown again: refused (its errors shown, the values echoed back) — still unsaved,
      // the draft stays; or saved and a fresh form shown on the same page — the draft goes.
      pendingSeen = true;
      var sent = null;
      try { sent = JSON.parse(store.getItem(key) || "null"); } catch (e) { sent = null; }
      returned = !!(sent && sent.data && JSON.stringify(sent.data) === initial);
      if (!returned) store.removeItem(key);
    }

    function save() {
      timer = null;
      if (!keep) return;
      if (changed()) store.setItem(key, JSON.stringify({ v: 1, data: collect(form) }));
      else store.removeItem(key);
    }

    if (keep && pending !== key) {
      var saved = null;
      try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && saved.data) {
        var snapshot = JSON.parse(initial);
        apply(form, saved.data);
        if (changed()) {
          dirty = true;
          notice(form, function () {
            store.removeItem(key);
            apply(form, snapshot);
            dirty = false;
          });
        } else store.removeItem(key);
      }
    }
    if (returned) dirty = true;

    function touched() {
      dirty = returned || changed();
      if (keep && !timer) timer = window.setTimeout(save, 300);
    }
    form.addEventListener("input", touched);
    form.addEventListener("change", touched);
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (keep) {
        store.setItem(key, JSON.stringify({ v: 1, data: collect(form) }));
        store.setItem(PENDING, key);
      }
    });
    window.addEventListener("pageshow", function () { submitting = false; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || !dirty) return undefined;
      event.preventDefault();
      event.returnValue = "";
      return "";
    });
  });

  // The submit of a kept form led to another page that is not the sign-in page: it was saved.
  if (pending && !pendingSeen && !onSignIn && store) store.removeItem(pending);
})();
