/**
 * Names in management paths (instance ids, function, event and entity names, entity keys) are
 * data, never path: each segment is decoded once, and a value that is not valid percent-encoding
 * or that holds `/`, `?`, `#` or a control character is refused (400) instead of being resolved.
 */
export class BadPathParameter extends Error {
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`path parameter "${parameter}" ${reason}`);
  }
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/?#\u0000-\u001f\u007f]/;

export function pathParameter(raw: string, name: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw new BadPathParameter(name, 'is not valid percent-encoding');
  }
  if (FORBIDDEN.test(value)) throw new BadPathParameter(name, "must not contain '/', '?', '#' or control characters");
  return value;
}
