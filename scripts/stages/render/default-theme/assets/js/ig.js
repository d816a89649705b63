/* global document, navigator */
/* Default theme behaviour: tabs for the Formats sections and copy buttons. Without JavaScript
   every panel is shown under its own heading and the download links still work. */
(function () {
  'use strict';
  document.documentElement.className += ' ig-js';
  document.querySelectorAll('.nhsuk-tabs').forEach(function (tabs) {
    var links = tabs.querySelectorAll('.nhsuk-tabs__tab');
    links.forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        links.forEach(function (other) {
          var panel = document.getElementById(other.getAttribute('href').slice(1));
          var on = other === link;
          other.parentNode.classList.toggle('nhsuk-tabs__list-item--selected', on);
          if (panel) panel.classList.toggle('nhsuk-tabs__panel--hidden', !on);
        });
      });
    });
  });
  document.querySelectorAll('.vm-copy').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(target.textContent || '');
    });
  });
})();
