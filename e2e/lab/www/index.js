// The lab index: one entry per scenario with its story and expected rules, rendered as text.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('lab-index').textContent);
  var list = document.getElementById('scenarios');
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  data.forEach(function (s) {
    var li = el('li');
    var a = el('a', s.title);
    a.href = s.url;
    li.appendChild(a);
    li.appendChild(el('code', ' ' + s.id));
    li.appendChild(el('p', s.story, 'story'));
    if (s.proxies && s.proxies.length) li.appendChild(el('p', 'through real ' + s.proxies.join(' and ') + ' (its configuration is on the page)', 'proxies'));
    li.appendChild(el('p', s.verdict ? 'verdict: ' + s.verdict : 'verdict: none (healthy)', 'verdict'));
    li.appendChild(el('p', s.raise.length ? 'raises: ' + s.raise.join(', ') : 'raises nothing (healthy)', 'rules'));
    list.appendChild(li);
  });
})();
