import type { MaxConfConfig } from '../../config';
import { bearerVerifier, localKeys, remoteKeys, type BearerVerifier } from './bearer';
import { devJwks } from './devIssuer';

export * from './bearer';
export { mintDevToken, devJwks } from './devIssuer';

/** The deployment's verifier: Entra's JWKS when configured, else the local dev issuer's key. */
export function verifierFromConfig(config: MaxConfConfig): BearerVerifier {
  const { issuer, audience, jwksUrl } = config.auth;
  if (jwksUrl) return bearerVerifier({ keys: remoteKeys(jwksUrl), issuer, audience });
  let local: Promise<BearerVerifier> | undefined;
  const load = () => (local ??= devJwks(config.dataDir).then((jwks) => bearerVerifier({ keys: localKeys(jwks), issuer, audience })));
  return { verify: async (authorization, role) => (await load()).verify(authorization, role) };
}
export { citizenTokens, CITIZEN_TOKEN_AUDIENCE, CITIZEN_TOKEN_ISSUER, CITIZEN_TOKEN_SCOPE } from './citizenToken';
