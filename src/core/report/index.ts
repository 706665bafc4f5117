// Pure formatters of an Analysis: JSON (a stable contract), Markdown (tickets), text (terminals).
export { toJson, toJsonReport } from './json.ts';
export type { JsonAttempt, JsonConnection, JsonFinding, JsonReport, JsonVerdict } from './json.ts';
export { toMarkdown, escapeMarkdown, codeSpan } from './markdown.ts';
export { toText, terminalSafe } from './text.ts';
export type { TextOptions } from './text.ts';
export { hasErrors } from './describe.ts';
export type { ReportMeta, ReportOptions } from './describe.ts';
