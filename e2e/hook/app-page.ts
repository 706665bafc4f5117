// The application's own code that the hook-hidden tests serve as /app.js in both browsers: a chat
// socket the server refuses (line 2), and Diffusion sockets (line 5) set up as the diffusion client
// does, which the hook watches: one the server refuses, one that connects and gets a connection response.
export const APP_JS = [
  'function openChat() {',
  "  return new WebSocket('ws://' + location.host + '/chat');",
  '}',
  'function connectDiffusion(path) {',
  "  const socket = new WebSocket('ws://' + location.host + path + '?ty=WB&v=29');",
  "  socket.binaryType = 'arraybuffer';",
  '  socket.onmessage = () => undefined;',
  '  socket.onclose = () => undefined;',
  '  socket.onerror = () => undefined;',
  '  return socket;',
  '}',
  "setTimeout(() => { openChat(); connectDiffusion('/refused/diffusion'); connectDiffusion('/diffusion'); }, 200);",
  '',
].join('\n');

/** The line of app.js that opens each socket, by the path the server sees. */
export const APP_JS_LINES: Record<string, number> = { '/chat': 2, '/refused/diffusion?ty=WB&v=29': 5, '/diffusion?ty=WB&v=29': 5 };
