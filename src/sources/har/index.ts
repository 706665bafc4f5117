// HAR (Chrome, Firefox, devtools.network.getHAR()) → Observation[].
export { readHarChunks, readHarBytes, readHarText, readHarLog, HarFormatError } from './read.ts';
export type { HarReadOptions, HarReadResult } from './read.ts';
export { HarSplitter, splitHarEntries } from './split.ts';
export { isDiffusionCandidate, mayBeDiffusion } from './prefilter.ts';
export { diffusionHar, redactEntry, writeDiffusionHar } from './write.ts';
export type { HarWriteOptions } from './write.ts';
export { captureTool, isProxyError } from './creator.ts';
export type { CaptureTool } from './creator.ts';
