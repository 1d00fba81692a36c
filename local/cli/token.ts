/**
 * Mints a local dev bearer token: `npm run token -- idim` or `npm run token -- support`.
 * Only for the local profile, whose dev issuer MaxConf trusts when AUTH_JWKS_URL is unset.
 */
import { loadConfig } from '../../src/config';
import { mintDevToken, ROLES } from '../../src/adapters/auth';

async function main(argv: string[]): Promise<number> {
  const which = (argv[0] ?? '').toLowerCase();
  const roles = which === 'idim' ? [ROLES.idim] : which === 'support' ? [ROLES.support] : undefined;
  if (!roles) {
    process.stderr.write('usage: npm run token -- <idim|support>\n');
    return 2;
  }
  const config = loadConfig();
  if (config.auth.jwksUrl) {
    process.stderr.write('AUTH_JWKS_URL is set: tokens come from that identity provider, not the dev issuer\n');
    return 1;
  }
  process.stdout.write(
    `${await mintDevToken({ dataDir: config.dataDir, issuer: config.auth.issuer, audience: config.auth.audience, roles })}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
