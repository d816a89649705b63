/* global window, document, URLSearchParams */
/* Search for the default theme over the index built at build time; results use textContent only. */
(function () {
  'use strict';
  var data = window.VMIG_SEARCH;
  var input = document.getElementById('search-query');
  var results = document.getElementById('search-results');
  if (!data || !window.MiniSearch || !input || !results) return;
  var index = window.MiniSearch.loadJS(data.index, data.options);
  function show(query) {
    results.textContent = '';
    if (!query.trim()) return;
    var hits = index.search(query, { prefix: true, fuzzy: 0.2, boost: { title: 3 } }).slice(0, 50);
    var summary = document.createElement('p');
    summary.textContent = hits.length + (hits.length === 1 ? ' result' : ' results') + ' for "' + query + '"';
    results.appendChild(summary);
    var list = document.createElement('ul');
    hits.forEach(function (hit) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = hit.id;
      link.textContent = hit.title;
      item.appendChild(link);
      item.appendChild(document.createTextNode(' ' + (hit.kind || '')));
      list.appendChild(item);
    });
    results.appendChild(list);
  }
  var query = new URLSearchParams(window.location.search).get('q') || '';
  input.value = query;
  show(query);
  input.addEventListener('input', function () { show(input.value); });
})();
