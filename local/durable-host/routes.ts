import type { HttpFunction } from './functions';

export interface CompiledRoute {
  fn: HttpFunction;
  pattern: RegExp;
  names: string[];
  /** literal segments first, so `room/create` wins over `room/{room_name}` */
  specificity: number;
}

/** Compiles an Azure Functions route template (`room/{room_name}`, `{id:int}`, `{rest?}`, `{*path}`). */
export function compileRoute(fn: HttpFunction, routePrefix: string): CompiledRoute {
  const template = [routePrefix, fn.route].filter((p) => p !== '').join('/');
  const names: string[] = [];
  let specificity = 0;
  const parts = template.split('/').filter((p) => p !== '');
  let source = '';
  for (const part of parts) {
    const param = /^\{(\*)?([A-Za-z_][\w]*)(?::[^}?]+)?(\?)?\}$/.exec(part);
    if (!param) {
      source += `/${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      specificity += 2;
      continue;
    }
    const [, catchAll, name, optional] = param;
    names.push(name!);
    if (catchAll) source += '(?:/(.*))?';
    else if (optional) source += '(?:/([^/]+))?';
    else {
      source += '/([^/]+)';
      specificity += 1;
    }
  }
  return { fn, pattern: new RegExp(`^${source || ''}/?$`, 'i'), names, specificity };
}

export type RouteMatch =
  | { kind: 'matched'; route: CompiledRoute; params: Record<string, string> }
  | { kind: 'badParameter'; name: string; raw: string }
  | { kind: 'methodNotAllowed'; allowed: string[] }
  | { kind: 'none' };

/**
 * Finds the route for a raw (still percent-encoded) path. Parameters are decoded once, after
 * matching, so an encoded `/` stays inside its parameter and `%25` is a literal `%`; a parameter
 * that is not valid percent-encoding is named back to the caller instead of failing the request.
 */
export function matchRoute(routes: readonly CompiledRoute[], rawPath: string, method: string): RouteMatch {
  const allowed = new Set<string>();
  for (const route of routes) {
    const match = route.pattern.exec(rawPath);
    if (!match) continue;
    if (route.fn.methods.length > 0 && !route.fn.methods.includes(method)) {
      route.fn.methods.forEach((m) => allowed.add(m));
      continue;
    }
    const params: Record<string, string> = {};
    for (let i = 0; i < route.names.length; i++) {
      const value = match[i + 1];
      if (value === undefined) continue;
      try {
        params[route.names[i]!] = decodeURIComponent(value);
      } catch {
        return { kind: 'badParameter', name: route.names[i]!, raw: value };
      }
    }
    return { kind: 'matched', route, params };
  }
  return allowed.size > 0 ? { kind: 'methodNotAllowed', allowed: [...allowed].sort() } : { kind: 'none' };
}
