// One line on what is captured on the inspected site. On a site the extension knows (Diffusion was
// used there) the hook runs in every frame from the page's start, before DevTools opens; elsewhere
// nothing is injected and the panel reads DevTools' network log from when DevTools opened, with a
// button that remembers the site and reloads the page to capture it from its start.
import type { JSX } from 'preact';
import type { SiteState } from '../store.ts';

export function SiteNote({ site }: { site: SiteState | null }): JSX.Element | null {
  if (!site) return null;
  const capture = (
    <button type="button" class="tool" onClick={site.capture} data-testid="capture-from-start" title={`Run the hook on every page of ${site.site} from its start, and reload this page`}>
      Capture from page start
    </button>
  );
  return (
    <div class="site-note" data-testid="site-note" data-known={String(site.known)}>
      <span class="site-text">
        {!site.known
          ? `Nothing runs on ${site.site}: Diffusion traffic is read from DevTools' network log since DevTools opened.`
          : site.pending
            ? `${site.site} is remembered: the hook captures its pages from their start, from the next load on.`
            : `The hook captures every page of ${site.site} from its start, also before DevTools opens.`}
      </span>
      {!site.known || site.pending ? capture : (
        <button type="button" class="tool" onClick={site.forget} data-testid="forget-site" title={`Stop running the hook on ${site.site}`}>
          Forget site
        </button>
      )}
    </div>
  );
}
