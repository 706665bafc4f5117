// Preloaded into bench children when GNU time is missing: the child's peak RSS, in KB, on stderr.
process.on('exit', () => { require('node:fs').writeSync(2, `\nmaxrss ${process.resourceUsage().maxRSS}\n`); });
