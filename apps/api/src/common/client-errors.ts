/**
 * What Node answers itself, before Express sees a request it cannot parse: headers (with the URL)
 * over the 16 KB limit, a malformed request line. Node's own answers have an empty body; ours carry the
 * API's JSON error shape, as every other refusal does. The socket is then closed, as Node does.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const ANSWERS: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message:
      'The request line and headers are too large (over 16 KB together); a long URL counts towards it.',
  },
  HPE_URI_TOO_LONG: {
    status: 414,
    reason: 'URI Too Long',
    message: 'The URL is too long.',
  },
};

const BAD_REQUEST = { status: 400, reason: 'Bad Request', message: 'The request could not be read as HTTP.' };

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // Nothing can be written to a connection that is already gone, or one with a response on it.
    if (
      error.code === 'ECONNRESET' ||
      !socket.writable ||
      (socket as { _httpMessage?: unknown })._httpMessage
    ) {
      socket.destroy();
      return;
    }
    const answer = ANSWERS[error.code ?? ''] ?? BAD_REQUEST;
    const body = JSON.stringify({ statusCode: answer.status, error: answer.reason, message: answer.message });
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
