import { generateKeyPair, exportJWK, exportPKCS8 } from 'jose';
import { parseConfig, type MaxConfConfig } from '../../src/config';
import { createLogger } from '../../src/logging/logger';

export const silentLogger = createLogger({ level: 'silent' });

export function testConfig(overrides: Record<string, string> = {}): MaxConfConfig {
  return parseConfig(
    {
      MAXCONF_ENV: 'local',
      MAXCONF_ROOM_PREFIX: 'mctest-',
      GENESYS_SIP_URI: 'sip:sbc_vbv_test@byoc.example',
      PEXIP_EVENT_SINK_USERNAME: 'pexip-sink',
      PEXIP_EVENT_SINK_PASSWORD: 'sink-secret-1',
      GENESYS_EVENTS_API_KEY: 'k',
      ...overrides,
    },
    () => ({ eventSinkPassword: 'unused', genesysEventsApiKey: 'unused' }),
  );
}

export async function oauthClientKeys(): Promise<{ privateKeyPem: string; jwks: { keys: import('jose').JWK[] } }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKeyPem: await exportPKCS8(privateKey), jwks: { keys: [{ ...jwk, alg: 'ES256' }] } };
}
