// leo's search box: answers as you type, from leo-serve's /suggest. Works on leo-serve's own
// page and, loaded from leo-serve, on any page with the same form (see query/serve/hugo/).
(function () {
  "use strict";
  var script = document.currentScript;
  var api = script && script.src ? new URL(".", script.src).href.replace(/\/$/, "") : "";
  var input = document.getElementById("leo-q");
  var list = document.getElementById("leo-results");
  var status = document.getElementById("leo-status");
  if (!input || !list) { return; }
  var base = (script && script.dataset.base) || document.body.dataset.base || "";
  var pending = null, timer = 0, shown = "";

  // Highlights are byte ranges of the UTF-8 snippet.
  function marked(parent, text, ranges) {
    var bytes = new TextEncoder().encode(text), decoder = new TextDecoder(), at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at || r[0] > r[1] || r[1] > bytes.length) { return; }
      parent.appendChild(document.createTextNode(decoder.decode(bytes.slice(at, r[0]))));
      var mark = document.createElement("mark");
      mark.textContent = decoder.decode(bytes.slice(r[0], r[1]));
      parent.appendChild(mark);
      at = r[1];
    });
    parent.appendChild(document.createTextNode(decoder.decode(bytes.slice(at))));
  }

  function safeUrl(url) {
    return /^(https?:\/\/|\/(?!\/)|#)/i.test(url) ? url : null;
  }

  function render(data) {
    list.textContent = "";
    data.hits.forEach(function (hit) {
      var li = document.createElement("li"), a = document.createElement("a");
      li.className = "hit";
      a.className = "question";
      a.textContent = hit.question;
      var url = safeUrl(base + hit.url);
      if (url) { a.href = url; }
      li.appendChild(a);
      var p = document.createElement("p");
      p.className = "snippet";
      marked(p, hit.snippet, hit.highlights);
      li.appendChild(p);
      var where = document.createElement("p");
      where.className = "where";
      where.textContent = hit.title;
      li.appendChild(where);
      list.appendChild(li);
    });
    status.textContent = data.hits.length ? data.hits.length + " answers" +
      (data.completions.length ? " (completing \u201c" + data.completions[0] + "\u201d)" : "") :
      (data.query.trim() ? "No answers yet." : "");
  }

  function ask() {
    var q = input.value;
    if (q === shown) { return; }
    shown = q;
    if (pending) { pending.abort(); }
    if (!q.trim()) { list.textContent = ""; status.textContent = ""; return; }
    pending = new AbortController();
    fetch(api + "/suggest?q=" + encodeURIComponent(q), { signal: pending.signal })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { if (input.value === q) { render(data); } })
      .catch(function (e) {
        if (e && e.name === "AbortError") { return; }
        status.textContent = "Search is not available right now.";
      });
    if (!api || api === location.origin) { // on leo-serve's own page: a link to what was typed
      history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 60);
  });

  // Arrow keys move between the input and the answers' links; Escape goes back to the input.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a.question")); }
  function move(from, step) {
    var all = links(), i = all.indexOf(from) + step;
    if (i < 0) { input.focus(); return; }
    if (i < all.length) { all[i].focus(); }
  }
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(null, 1); }
  });
  list.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(e.target, 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(e.target, -1); }
    else if (e.key === "Escape") { input.focus(); }
  });
  shown = input.value;
})();
