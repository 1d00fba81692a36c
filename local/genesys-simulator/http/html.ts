import type { IncomingMessage } from 'node:http';

/** Text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

export const HTML = 'text/html; charset=utf-8';

/** The simulator's own session cookie: the agent logged in to this browser (the desktop or the login page). */
export const SESSION_COOKIE = 'gsim_agent';

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function sessionCookie(agentId: string): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(agentId)}; Path=/; HttpOnly; SameSite=Lax`;
}
