// Debian Chromium as every test and the lab start it. Without the background-networking flags it
// tries to reach Google's hosts at start, which this loopback-only setting refuses.
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_BASE_ARGS: readonly string[] = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
