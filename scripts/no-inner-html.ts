// An esbuild plugin that takes the one innerHTML write out of preact: it serves only
// dangerouslySetInnerHTML, which nothing here uses, and everything shown comes from captured pages
// and must never become HTML. Without it the store linters (web-ext lint) flag the bundle. The
// build fails if preact's code changes shape, rather than shipping the write unnoticed.
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';

const WRITE = /(\w+)\.innerHTML=(\w+)\.__html/g;

export const noInnerHtml: Plugin = {
  name: 'dci-no-inner-html',
  setup(b) {
    b.onLoad({ filter: /[\\/]preact[\\/]dist[\\/]preact\.mjs$/ }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      const found = code.match(WRITE)?.length ?? 0;
      if (found !== 1) throw new Error(`preact (${args.path}) has ${found} innerHTML writes where one was expected: review scripts/no-inner-html.ts`);
      // dangerouslySetInnerHTML shows its text as text.
      return { contents: code.replace(WRITE, '$1.textContent=$2.__html'), loader: 'js' };
    });
  },
};
