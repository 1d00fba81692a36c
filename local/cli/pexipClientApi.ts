import { existsSync, statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * `@pexip/infinity-api` ships ES modules written for bundlers: `export … from './breakout'` names
 * a folder, which Node's own loader refuses (ERR_UNSUPPORTED_DIR_IMPORT). Jest transforms it for
 * the tests; a local tool run by Node resolves those specifiers the way a bundler does, for that
 * package only, and then loads the package unchanged. So from plain Node, never
 * `require('@pexip/infinity-api')` or `import` it directly: call `loadPexipClientApi()`, which
 * registers the resolve hook (`module.registerHooks`, synchronous, Node 22.15+) first. The apps
 * under `apps/` need none of this: Vite bundles the package.
 */
function resolveAsBundlerWould(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (relative && context.parentURL?.includes('/node_modules/@pexip/')) {
        const path = fileURLToPath(new URL(specifier, context.parentURL));
        if (existsSync(path) && statSync(path).isDirectory()) return nextResolve(`${specifier}/index.js`, context);
        if (!existsSync(path) && existsSync(`${path}.js`)) return nextResolve(`${specifier}.js`, context);
      }
      return nextResolve(specifier, context);
    },
  });
}

export type PexipClientApi = typeof import('@pexip/infinity-api');

/** Pexip's own client REST API package, as the BCSC app and the Agent App use it. */
export function loadPexipClientApi(): PexipClientApi {
  resolveAsBundlerWould();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@pexip/infinity-api') as PexipClientApi;
}
