// The access page (Firefox): its button asks for host access from the user's own click, which a
// DevTools panel cannot do there; the background tells open panels when access changes.
import { ALL_SITES } from './access.ts';

const result = document.getElementById('result');
document.getElementById('allow')?.addEventListener('click', () => {
  chrome.permissions.request(ALL_SITES).then((granted) => {
    if (result) result.textContent = granted ? 'Access granted. Reload the page you inspect to capture it from the start.' : 'Access was not granted.';
  }, () => {
    if (result) result.textContent = 'Firefox did not ask: try the extensions menu.';
  });
});
