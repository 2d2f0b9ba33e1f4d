/**
 * The Cognito stand-in: a JWT issuer (RS256, like Cognito) with the demo users, and a verifier
 * that checks what API Gateway's JWT authorizer checks (signature, issuer, audience, expiry) and
 * passes on the same claims. Keys and users live in the data folder.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import type { Role } from '../shared/domain/principal';

export const LOCAL_ISSUER = 'http://127.0.0.1/local-cognito';
export const LOCAL_AUDIENCE = 'helpdesk-local-client';

export interface LocalUser {
  sub: string;
  email: string;
  name: string;
  groups: Role[];
  /** scrypt: salt$hash, both hex */
  passwordHash: string;
}

export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), 32);
  const expected = Buffer.from(hash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export class LocalIdentity {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly kid: string,
    private users: LocalUser[],
    private readonly usersFile: string | undefined,
  ) {}

  /** Loads (or creates) the signing key and user list under `dir`; without `dir`, in memory. */
  static async open(dir?: string): Promise<LocalIdentity> {
    const keyFile = dir ? `${dir}/jwt-key.json` : undefined;
    const usersFile = dir ? `${dir}/users.json` : undefined;
    let jwk: JWK;
    if (keyFile && existsSync(keyFile)) jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
    else {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256' };
      if (keyFile) {
        mkdirSync(dirname(keyFile), { recursive: true });
        writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
      }
    }
    const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
    const publicKey = (await importJWK(pub, 'RS256')) as CryptoKey;
    const users = usersFile && existsSync(usersFile) ? (JSON.parse(readFileSync(usersFile, 'utf8')) as LocalUser[]) : [];
    return new LocalIdentity(privateKey, publicKey, String(jwk.kid), users, usersFile);
  }

  hasUsers() {
    return this.users.length > 0;
  }

  listUsers(): Omit<LocalUser, 'passwordHash'>[] {
    return this.users.map(({ passwordHash: _p, ...u }) => u);
  }

  setUsers(users: LocalUser[]) {
    this.users = users;
    if (this.usersFile) writeFileSync(this.usersFile, JSON.stringify(users, null, 2), { mode: 0o600 });
  }

  findUser(email: string) {
    return this.users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
  }

  /** Password sign-in; undefined when the e-mail or password is wrong (no hint which). */
  async signIn(email: string, password: string): Promise<string | undefined> {
    const user = this.findUser(email);
    if (!user || !checkPassword(password, user.passwordHash)) return undefined;
    return this.issue(user);
  }

  /**
   * A token shaped like a Cognito ID token (the one the apps send to the API on AWS): `sub`,
   * `email`, `cognito:groups`, audience = the app client id.
   */
  async issue(user: Pick<LocalUser, 'sub' | 'email' | 'groups'>, ttlSeconds = 3600): Promise<string> {
    return new SignJWT({ email: user.email, email_verified: true, 'cognito:groups': user.groups, token_use: 'id', 'cognito:username': user.email })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid })
      .setSubject(user.sub)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }

  /**
   * Verifies like the JWT authorizer and returns the claims as API Gateway passes them to the
   * function: every value a string, arrays flattened to `[a b]`. Undefined when invalid.
   */
  async verify(authorization: string | undefined): Promise<Record<string, string> | undefined> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return undefined;
    try {
      const { payload } = await jwtVerify(m[1]!, this.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['RS256'] });
      const claims: Record<string, string> = {};
      for (const [k, v] of Object.entries(payload))
        claims[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return claims;
    } catch {
      return undefined;
    }
  }
}
