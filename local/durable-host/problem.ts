import { STATUS_CODES, type ServerResponse } from 'node:http';

/** RFC 9457 problem details for the answers the host gives itself (no route, body too large, bad path). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(status: number, slug: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `https://maxconf.ca/problems/${slug}`, title, status, detail, ...extra };
}

export function sendProblem(res: ServerResponse, p: Problem, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(p);
  res.writeHead(p.status, { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** A whole HTTP/1.1 response as bytes, for sockets that never became a request (Node's `clientError`). */
export function rawProblemResponse(p: Problem): string {
  const body = JSON.stringify(p);
  return (
    `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status] ?? ''}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
