import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/**
 * The local stand-in for Entra ID: one ES256 key pair per data directory, made on first use.
 * Only the local profile uses it; elsewhere AUTH_JWKS_URL is required.
 */
interface DevKeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function devSigningKey(dataDir: string): Promise<DevKeyFile> {
  const file = join(dataDir, 'dev-issuer-key.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
  } catch {
    // first use: make one
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const key: DevKeyFile = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(key), { mode: 0o600 });
  try {
    // another process may have made one first; keep whichever landed
    JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    renameSync(tmp, file);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
}

export async function devJwks(dataDir: string): Promise<{ keys: JWK[] }> {
  return { keys: [(await devSigningKey(dataDir)).publicJwk] };
}

export interface DevTokenRequest {
  dataDir: string;
  issuer: string;
  audience: string;
  roles: string[];
  subject?: string;
  expiresInSeconds?: number;
}

export async function mintDevToken(request: DevTokenRequest): Promise<string> {
  const key = await devSigningKey(request.dataDir);
  const privateKey = await importJWK(key.privateJwk, 'ES256');
  return new SignJWT({ roles: request.roles })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setSubject(request.subject ?? `dev-${request.roles.join('-').toLowerCase() || 'none'}`)
    .setIssuedAt()
    .setExpirationTime(`${request.expiresInSeconds ?? 3600}s`)
    .sign(privateKey);
}
