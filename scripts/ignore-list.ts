// The page hook runs in the page's own world, so DevTools would name it as the initiator of every
// WebSocket and XHR of the page and put it on top of their stack traces. A source map listing the
// hook in `ignoreList` (`x_google_ignoreList` for Chromium before 120) makes DevTools skip its frames
// and show the application's code instead.
//
// The map travels inline, as a data: URL: a MAIN-world script's relative sourceMappingURL resolves
// against the page's origin, so a `hook.js.map` file would be fetched from every site the user visits
// (a failed request and a console warning on each). A data: URL is read without any request.

/** What DevTools names the hook's one (ignore-listed) source. */
export const HOOK_SOURCE = 'diffusion-inspector/page-hook.ts';

/**
 * The comment to append to a one-line minified script: every column of its line maps to `source`,
 * which is ignore-listed. No names, no sources content: a few hundred bytes.
 */
export function ignoreListComment(source: string): string {
  const map = { version: 3, sources: [source], names: [], mappings: 'AAAA', ignoreList: [0], x_google_ignoreList: [0] };
  return `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
}
