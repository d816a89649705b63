/* Client-side search over the index built at build time (assets/js/search-index.js).
   A query equal to an id, code or invariant key puts the pages that define it first; then pages
   matching every word, then any word. Results show a snippet around the first match. Results are
   built with DOM APIs and textContent only. */
(function () {
  'use strict';
  var data = window.VMIG_SEARCH;
  var form = document.querySelector('form.vm-search');
  var input = document.getElementById('search-query');
  var results = document.getElementById('search-results');
  if (!data || !window.MiniSearch || !input || !results) return;
  var index = window.MiniSearch.loadJS(data.index, data.options);
  var exact = data.exact || {};
  var SEARCH = { prefix: true, fuzzy: 0.2, boost: { title: 4, keywords: 6 } };

  function rank(query) {
    var q = query.trim().toLowerCase();
    var seen = {};
    var out = [];
    function add(id, fields) {
      if (seen[id] || !fields) return;
      seen[id] = true;
      out.push({ id: id, title: fields.title, kind: fields.kind, snippet: fields.snippet });
    }
    if (Object.prototype.hasOwnProperty.call(exact, q)) {
      exact[q].forEach(function (id) {
        add(id, index.getStoredFields(id));
      });
    }
    var hits = index.search(query, Object.assign({ combineWith: 'AND' }, SEARCH));
    if (!hits.length) hits = index.search(query, SEARCH);
    hits.filter(function (h) { return String(h.title).toLowerCase() === q; }).forEach(function (h) { add(h.id, h); });
    hits.forEach(function (h) { add(h.id, h); });
    return { list: out.slice(0, 50), words: [q].concat(q.split(/[^\p{L}\p{N}]+/u)).filter(function (w) { return w.length > 1; }) };
  }

  function snippet(text, words) {
    var p = document.createElement('span');
    p.className = 'vm-search-snippet';
    if (!text) return p;
    var lower = text.toLowerCase();
    var at = -1;
    var word = '';
    for (var i = 0; i < words.length && at < 0; i++) {
      at = lower.indexOf(words[i]);
      word = words[i];
    }
    var start = at < 0 ? 0 : Math.max(0, at - 80);
    var end = Math.min(text.length, (at < 0 ? 0 : at) + 160);
    var part = (start > 0 ? '\u2026' : '') + text.slice(start, end) + (end < text.length ? '\u2026' : '');
    if (at < 0) {
      p.textContent = part;
      return p;
    }
    var offset = at - start + (start > 0 ? 1 : 0);
    p.appendChild(document.createTextNode(part.slice(0, offset)));
    var mark = document.createElement('mark');
    mark.textContent = part.slice(offset, offset + word.length);
    p.appendChild(mark);
    p.appendChild(document.createTextNode(part.slice(offset + word.length)));
    return p;
  }

  function show(query) {
    results.textContent = '';
    if (!query.trim()) return;
    var ranked = rank(query);
    var summary = document.createElement('p');
    summary.textContent = ranked.list.length + (ranked.list.length === 1 ? ' result' : ' results') + ' for "' + query + '"';
    results.appendChild(summary);
    var list = document.createElement('ul');
    list.className = 'nhsuk-list vm-search-results';
    ranked.list.forEach(function (hit) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = hit.id;
      link.textContent = hit.title;
      var kind = document.createElement('span');
      kind.className = 'vm-search-kind';
      kind.textContent = ' ' + (hit.kind || '');
      item.appendChild(link);
      item.appendChild(kind);
      item.appendChild(snippet(hit.snippet, ranked.words));
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  var query = new URLSearchParams(location.search).get('q') || '';
  input.value = query;
  show(query);
  input.addEventListener('input', function () {
    show(input.value);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    show(input.value);
  });
})();
