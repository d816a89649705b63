/* Client-side search over the index built at build time (assets/js/search-index.js).
   Results are built with DOM APIs and textContent only. */
(function () {
  'use strict';
  var data = window.VMIG_SEARCH;
  var form = document.querySelector('form.vm-search');
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
    list.className = 'nhsuk-list vm-search-results';
    hits.forEach(function (hit) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = hit.id;
      link.textContent = hit.title;
      var kind = document.createElement('span');
      kind.className = 'vm-search-kind';
      kind.textContent = ' ' + (hit.kind || '');
      item.appendChild(link);
      item.appendChild(kind);
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
