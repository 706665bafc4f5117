// A test page (not shipped): the real panel with store state the inline shell never sets — the
// host-access banner as the Firefox panel page drives it, and the background's dropped count.
// `?access=grant|refuse|throw` picks what the access request answers; each request is counted in
// #requests; a granted one clears the banner, as the panel page does once it can see the requests.
// `?bgDropped=N` sets the background's dropped count.
import { mountPanel, PanelStore } from '../../panel/index.tsx';

const params = new URLSearchParams(location.search);
const store = new PanelStore();
mountPanel(document.getElementById('root')!, store, { theme: 'light' });
const counter = document.getElementById('requests')!;
let requests = 0;

const answer = params.get('access');
if (answer) {
  store.setAccess({
    missing: true,
    request: async () => {
      counter.textContent = String(++requests);
      await new Promise((r) => setTimeout(r, 50));
      if (answer === 'throw') throw new Error('permissions.request may only be called from a user input handler');
      if (answer !== 'grant') return false;
      store.setAccess(null);
      return true;
    },
  });
}
const dropped = Number(params.get('bgDropped') ?? '0');
if (dropped > 0) store.setBackgroundDropped(dropped);
