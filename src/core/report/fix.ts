// A finding's fix is prose, optionally followed by configuration to paste: lines indented by four
// spaces after the prose (e.g. nginx directives). Text shows them as an indented block, Markdown as
// a fenced code block, JSON keeps the string as it is.

export interface FixParts {
  /** The prose, on one line. */
  prose: string;
  /** Configuration lines, without their indent; empty when the fix has none. */
  config: string[];
}

const CONFIG_INDENT = '    ';

export function fixParts(fix: string): FixParts {
  const prose: string[] = [];
  const config: string[] = [];
  for (const line of fix.split('\n')) {
    if (line.startsWith(CONFIG_INDENT) && line.trim() !== '') config.push(line.slice(CONFIG_INDENT.length).trimEnd());
    else if (line.trim() !== '') prose.push(line.trim());
  }
  return { prose: prose.join(' '), config };
}
