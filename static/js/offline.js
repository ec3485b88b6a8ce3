// Phones without signal (the offline app): registers the service worker
// (/sw.js), and sends the forms marked data-offline itself so that none is
// lost where the signal drops.
//
// - Each such form gets a fresh idempotency key made on the phone when the
//   page opens (a page kept on the phone is opened many times).
// - Sent with the network: the server answers where to go, and the page goes
//   there; a form with errors comes back as a page, as without this script.
// - Sent without it — or its answer lost on the way — the form is kept on the
//   phone (IndexedDB, with its photos and recording) under that key, the
//   panel #outbox says what is waiting, and it is sent by itself when the
//   signal returns: on the next page opened, when the phone says it is online,
//   and every little while. The server records a key once, so a form whose
//   first answer was lost is not recorded twice.
// - A form is kept for the person who wrote it (the signed-in user, or no
//   one): it is sent only from their pages, never under someone else's name.
//
// window.CivicGridOutbox.add(entry) keeps other requests too (the patrol's
// route points, marked quiet: counted, not listed).
(function () {
  "use strict";
  var body = document.body;
  if (!body || body.dataset.sw === undefined) return;
  var USER = body.dataset.user || "";
  var HEADER = "X-CivicGrid-Outbox";
  var DB = "civicgrid-outbox";
  var STORE = "entries";
  var panel = document.getElementById("outbox");
  var texts = panel ? panel.dataset : {};

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function () {});
  }

  // --- the store --------------------------------------------------------------
  var opened = null;
  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var request = indexedDB.open(DB, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }

  function run(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return (rows || []).filter(function (row) { return row.user === USER; })
        .sort(function (a, b) { return a.id - b.id; });
    });
  }
  function put(entry) { return run("readwrite", function (store) { return store.put(entry); }); }
  function remove(id) { return run("readwrite", function (store) { return store.delete(id); }); }

  function add(entry) {
    entry.user = USER;
    entry.state = "waiting";
    entry.keptAt = new Date().toISOString();
    entry.page = entry.page || location.pathname;
    return put(entry).then(function () { draw(); schedule(); });
  }

  // --- sending ----------------------------------------------------------------
  function formData(fields) {
    var data = new FormData();
    fields.forEach(function (pair) {
      var value = pair[1];
      if (value instanceof Blob) data.append(pair[0], value, value.name || "");
      else data.append(pair[0], value);
    });
    return data;
  }

  function post(action, fields) {
    return fetch(action, {
      method: "POST",
      body: formData(fields),
      credentials: "same-origin",
      headers: { "X-CivicGrid-Outbox": "1" },
    });
  }

  function isLogin(url) { return /\/accounts\/login\//.test(url); }

  function errorsIn(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var found = Array.prototype.map.call(
      doc.querySelectorAll(".errorlist li, .errorlist.step-error, .messages .error"),
      function (node) { return node.textContent.trim(); }
    ).filter(Boolean);
    return found.length ? found : [doc.title || ""];
  }

  // A token from the form's own page, when the phone's one no longer holds
  // (the person signed in again since).
  function freshToken(page) {
    return fetch(page, { credentials: "same-origin" }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var input = doc.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    });
  }

  function withToken(fields, token) {
    return fields.map(function (pair) {
      return pair[0] === "csrfmiddlewaretoken" ? [pair[0], token] : pair;
    });
  }

  // One kept entry: resolves to true if the queue may go on, false if the
  // signal is still gone (try again later).
  function sendOne(entry, retried) {
    entry.state = "sending";
    draw();
    return post(entry.action, entry.fields).then(function (response) {
      if (response.status === 403 && !retried) {
        return freshToken(entry.page).then(function (token) {
          if (!token) throw new Error("no token");
          entry.fields = withToken(entry.fields, token);
          return sendOne(entry, true);
        });
      }
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("json") >= 0) {
        return response.json().then(function (answer) {
          if (answer.redirect && isLogin(answer.redirect)) {
            entry.state = "login";
            entry.result = { url: answer.redirect };
            return put(entry).then(function () { return true; });
          }
          if (entry.quiet) return remove(entry.id).then(function () { return true; });
          entry.state = "sent";
          var code = /\/report\/done\/([^/]+)\//.exec(answer.redirect || "");
          entry.result = { url: answer.redirect || "", code: code ? code[1] : "" };
          entry.fields = [];  // sent: nothing of it stays on the phone
          return put(entry).then(function () { return true; });
        });
      }
      if (response.status === 400 || response.status === 403 || response.status === 422) {
        if (entry.quiet) return remove(entry.id).then(function () { return true; });
        return response.text().then(function (html) {
          entry.state = "refused";
          entry.errors = type.indexOf("json") >= 0 ? [html] : errorsIn(html);
          return put(entry).then(function () { return true; });
        });
      }
      // A point for a patrol ended meanwhile has no place to go.
      if (entry.quiet && response.status === 409) {
        return remove(entry.id).then(function () { return true; });
      }
      // 409 (the first try still being saved), 429, 5xx: later.
      entry.state = "waiting";
      return put(entry).then(function () { return false; });
    }).catch(function () {
      entry.state = "waiting";
      return put(entry).then(function () { return false; });
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    var work = function () {
      return all().then(function (entries) {
        var waiting = entries.filter(function (e) { return e.state === "waiting" || e.state === "sending"; });
        var next = function (i) {
          if (i >= waiting.length) return Promise.resolve();
          return sendOne(waiting[i]).then(function (goOn) { if (goOn) return next(i + 1); });
        };
        return next(0);
      });
    };
    // Two pages open on the phone send one at a time.
    var locked = navigator.locks ? navigator.locks.request("civicgrid-outbox", work) : work();
    return locked.catch(function () {}).then(function () { flushing = false; draw(); });
  }

  var timer = null;
  function schedule() {
    if (timer) return;
    timer = window.setInterval(function () {
      all().then(function (entries) {
        var waiting = entries.some(function (e) { return e.state === "waiting"; });
        if (!waiting) { window.clearInterval(timer); timer = null; return; }
        flush();
      }).catch(function () {});
    }, 20000);
  }

  // --- the panel --------------------------------------------------------------
  function button(label, handler, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls || "secondary";
    b.textContent = label;
    b.addEventListener("click", handler);
    return b;
  }

  function formFor(entry) {
    return Array.prototype.filter.call(document.querySelectorAll("form[data-offline]"), function (form) {
      return new URL(form.action, location.href).pathname === new URL(entry.action, location.href).pathname;
    })[0];
  }

  function putBack(entry) {
    var form = formFor(entry);
    if (!form) return;
    var files = {};
    entry.fields.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (name === "csrfmiddlewaretoken" || name === "idempotency_key") return;
      var inputs = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      if (!inputs.length) return;
      if (value instanceof Blob) {
        if (value.size) (files[name] = files[name] || []).push(value);
        return;
      }
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === value) input.checked = true;
        } else if (input.type !== "file") {
          input.value = value;
        }
      });
    });
    Object.keys(files).forEach(function (name) {
      var input = form.querySelector("input[type=file][name='" + name + "']");
      if (!input || !window.DataTransfer) return;
      var transfer = new DataTransfer();
      files[name].forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    remove(entry.id).then(draw);
    form.scrollIntoView({ block: "start" });
  }

  function labelOf(entry) {
    return entry.label || texts.untitled || "";
  }

  function draw() {
    if (!panel) return Promise.resolve();
    return all().then(function (entries) {
      var list = panel.querySelector(".outbox-list");
      var status = panel.querySelector(".outbox-status");
      var send = panel.querySelector(".outbox-send");
      list.innerHTML = "";
      var shown = entries.filter(function (e) { return !e.quiet; });
      var waiting = entries.filter(function (e) { return e.state === "waiting" && !e.quiet; }).length;
      var points = entries.filter(function (e) { return e.quiet; }).length;
      shown.forEach(function (entry) {
        var item = document.createElement("li");
        item.className = "outbox-item outbox-" + entry.state;
        var what = document.createElement("p");
        what.className = "outbox-what";
        what.textContent = labelOf(entry);
        var when = document.createElement("span");
        when.className = "muted";
        var at = new Date(entry.keptAt);
        when.textContent = " · " + (texts.keptAt || "{time}").replace(
          "{time}", at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
        );
        what.appendChild(when);
        item.appendChild(what);
        var state = document.createElement("p");
        state.className = "outbox-state";
        var actions = document.createElement("p");
        actions.className = "actions-row";
        if (entry.state === "sent") {
          state.textContent = entry.result && entry.result.code
            ? texts.sentCode.replace("{code}", entry.result.code) : texts.sent;
          if (entry.result && entry.result.url) {
            var open = document.createElement("a");
            open.className = "button";
            open.href = entry.result.url;
            open.textContent = texts.open;
            actions.appendChild(open);
          }
          actions.appendChild(button(texts.hide, function () { remove(entry.id).then(draw); }));
        } else if (entry.state === "refused") {
          state.textContent = texts.refused + " " + (entry.errors || []).join(" ");
          if (formFor(entry)) actions.appendChild(button(texts.putBack, function () { putBack(entry); }, "button"));
          actions.appendChild(button(texts["delete"], function () {
            if (window.confirm(texts.confirmDelete)) remove(entry.id).then(draw);
          }));
        } else if (entry.state === "login") {
          state.textContent = texts.login;
          var login = document.createElement("a");
          login.className = "button";
          login.href = (entry.result && entry.result.url) || "/accounts/login/";
          login.textContent = texts.open;
          actions.appendChild(login);
        } else {
          state.textContent = entry.state === "sending" ? texts.sending : "";
          actions.appendChild(button(texts["delete"], function () {
            if (window.confirm(texts.confirmDelete)) remove(entry.id).then(draw);
          }));
        }
        item.appendChild(state);
        item.appendChild(actions);
        list.appendChild(item);
      });
      var lines = [];
      if (waiting) lines.push(texts.waiting.replace("{n}", String(waiting)));
      if (points) lines.push(texts.points.replace("{n}", String(points)));
      status.textContent = lines.join(" ");
      send.hidden = !(waiting || points);
      panel.hidden = !(shown.length || points);
    }).catch(function () {});
  }

  // --- the forms ----------------------------------------------------------------
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function freshKey(form) {
    var key = form.querySelector("input[name=idempotency_key]");
    if (key) key.value = newKey();
  }

  function fieldsOf(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var fields = [];
    data.forEach(function (value, name) { fields.push([name, value]); });
    return fields;
  }

  function describe(form, fields) {
    var named = form.dataset.offlineLabel || "description";
    for (var i = 0; i < fields.length; i++) {
      if (fields[i][0] === named && typeof fields[i][1] === "string" && fields[i][1].trim()) {
        var text = fields[i][1].trim();
        return text.length > 40 ? text.slice(0, 40) + "…" : text;
      }
    }
    return form.dataset.offlineTitle || "";
  }

  function showPage(html) {
    document.open();
    document.write(html);
    document.close();
  }

  function keep(form, fields) {
    return add({
      action: form.action,
      fields: fields,
      label: describe(form, fields),
    }).then(function () {
      form.reset();
      freshKey(form);
      if (panel) {
        panel.querySelector(".outbox-status").textContent = texts.kept;
        panel.scrollIntoView({ block: "start" });
      }
    });
  }

  document.querySelectorAll("form[data-offline]").forEach(freshKey);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline")) return;
    if (event.defaultPrevented || !window.fetch || !window.indexedDB) return;
    event.preventDefault();
    var submitter = event.submitter;
    var fields = fieldsOf(form, submitter);
    if (submitter) submitter.disabled = true;
    var done = function () { if (submitter) submitter.disabled = false; };
    if (!navigator.onLine) { keep(form, fields).then(done, done); return; }
    post(form.action, fields).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("json") >= 0) {
        return response.json().then(function (answer) {
          if (answer.redirect && isLogin(answer.redirect)) {
            // Signed out meanwhile: kept, and sent once they sign in again.
            return keep(form, fields).then(function () { location.assign(answer.redirect); });
          }
          if (answer.redirect) { location.assign(answer.redirect); return; }
          done();
        });
      }
      if (response.status === 409 || response.status === 429 || response.status >= 500) {
        return keep(form, fields).then(done);
      }
      return response.text().then(showPage);
    }).catch(function () {
      // No answer: not sent, or its answer lost. Kept, and sent again under
      // the same key, it is recorded once.
      return keep(form, fields).then(done, done);
    });
  });

  var sendNow = panel && panel.querySelector(".outbox-send");
  if (sendNow) sendNow.addEventListener("click", function () { flush(); });
  window.addEventListener("online", function () { flush(); });

  window.CivicGridOutbox = { add: add, flush: flush };
  draw().then(function () { flush(); schedule(); });
})();
