// Pure formatters of an Analysis: JSON (a stable contract), Markdown (tickets), text (terminals).
export { toJson, toJsonPieces, toJsonReport } from './json.ts';
export type { JsonAttempt, JsonConnection, JsonFinding, JsonReport, JsonVerdict } from './json.ts';
export { toMarkdown } from './markdown.ts';
export { codeSpan, fencedBlock, fitTable, inlineText } from './markdown-text.ts';
export { toText, terminalSafe } from './text.ts';
export type { TextOptions } from './text.ts';
export { hasErrors } from './describe.ts';
export type { ReportMeta, ReportOptions } from './describe.ts';
