/* Site behaviour on top of nhsuk-frontend: tabs, copy buttons, and anchors inside hidden tabs.
   Everything here is an enhancement: without JavaScript tabs are plain sections. */
(function () {
  'use strict';
  if (window.NHSUKFrontend && document.body.classList.contains('nhsuk-frontend-supported')) {
    window.NHSUKFrontend.initAll();
  }

  function revealTarget(id, scroll) {
    var target = id && document.getElementById(id);
    if (!target) return;
    var panel = target.closest('.nhsuk-tabs__panel');
    if (panel && panel !== target && panel.classList.contains('nhsuk-tabs__panel--hidden')) {
      var tab = document.querySelector('.nhsuk-tabs__tab[href="#' + CSS.escape(panel.id) + '"]');
      if (tab) tab.click();
      history.replaceState(null, '', '#' + id);
    }
    if (scroll) target.scrollIntoView();
  }

  function hashId() {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch {
      return location.hash.slice(1);
    }
  }

  revealTarget(hashId(), true);
  window.addEventListener('hashchange', function () {
    revealTarget(hashId(), true);
  });

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        fallbackCopy(text);
        done();
      });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'absolute';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    try {
      document.execCommand('copy');
    } catch {
      /* copying is best effort */
    }
    document.body.removeChild(area);
  }

  // Markdown tables scroll in their own box on small screens (CSS): keyboard users can reach them.
  document.querySelectorAll('.vm-content > table').forEach(function (table) {
    table.setAttribute('tabindex', '0');
  });

  // Code blocks in pages get a box (CSS) and a copy button.
  var blocks = 0;
  document.querySelectorAll('.vm-content pre > code').forEach(function (code) {
    var pre = code.parentNode;
    if (pre.closest('.vm-code')) return;
    var id = code.id || 'vm-codeblock-' + ++blocks;
    code.id = id;
    pre.setAttribute('tabindex', '0');
    var box = document.createElement('div');
    box.className = 'vm-codebox';
    pre.parentNode.insertBefore(box, pre);
    box.appendChild(pre);
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'nhsuk-button nhsuk-button--secondary nhsuk-button--small vm-copy';
    button.setAttribute('data-copy-target', id);
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
    box.insertBefore(button, pre);
  });

  document.querySelectorAll('.vm-copy').forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy-target'));
      if (!source) return;
      copyText(source.textContent, function () {
        button.textContent = 'Copied';
        button.setAttribute('data-copied', 'true');
        setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
    });
  });
})();
