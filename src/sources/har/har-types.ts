// The parts of HAR 1.2 we read, as Chrome, Firefox and devtools.network.getHAR() write them.
// Everything is optional: exporters leave fields out, and the input is untrusted.

export interface HarHeader {
  name?: unknown;
  value?: unknown;
}

/** Chrome's record of one WebSocket message. `time` is epoch seconds (float) — except on refused sockets. */
export interface HarWebSocketMessage {
  type?: unknown; // 'send' | 'receive' | 'error'
  time?: unknown;
  opcode?: unknown; // 1 text, 2 binary, -1 error
  data?: unknown; // text, or base64 for binary
}

export interface HarRequest {
  method?: unknown;
  url?: unknown;
  headers?: HarHeader[];
}

export interface HarContent {
  size?: unknown;
  mimeType?: unknown;
  text?: unknown;
  encoding?: unknown;
}

export interface HarResponse {
  status?: unknown;
  statusText?: unknown;
  headers?: HarHeader[];
  content?: HarContent;
  _error?: unknown;
}

export interface HarEntry {
  pageref?: unknown;
  startedDateTime?: unknown;
  time?: unknown;
  request?: HarRequest;
  response?: HarResponse;
  _resourceType?: unknown;
  _webSocketMessages?: unknown;
  /** HTTP Toolkit: `{ code, reason, timestamp }` when the socket closed, or "aborted". */
  _webSocketClose?: unknown;
  _initiator?: unknown;
}

export interface HarPage {
  id?: unknown;
  title?: unknown;
  startedDateTime?: unknown;
}

export interface HarLog {
  version?: unknown;
  creator?: unknown;
  pages?: unknown;
  entries?: unknown;
}
