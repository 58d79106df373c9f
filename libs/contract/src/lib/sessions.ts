/**
 * Signing in, for staff and reporters, and the signed-in staff user's own account. A token is
 * `<id>.<secret>` and goes back as `Authorization: Bearer <token>` (docs/architecture.md "Sessions").
 */

/** 'full' sessions act; 'totp_enrolment' sessions may only finish setting up two-factor sign-in. */
export type SessionScope = 'full' | 'totp_enrolment';

/** POST /tenants/:slug/sessions */
export interface StaffSignInRequest {
  email: string;
  password: string;
  /** The six-digit code, once two-factor sign-in is set up. */
  totp?: string;
}

/** 201 from POST /tenants/:slug/sessions. */
export interface StaffSignIn {
  token: string;
  scope: SessionScope;
  /** The idle timeout: the session ends after this long unused. */
  expiresInSeconds: number;
  user: {
    id: string;
    name: string;
    email: string;
    roles: string[];
  };
}

/** GET /me */
export interface Me {
  id: string;
  name: string;
  email: string;
  roles: string[];
  totpEnrolled: boolean;
  /** The fingerprint of the OpenPGP key the user registered for exports, if any. */
  externalKeyFingerprint: string | null;
  sessionScope: SessionScope;
}

/** POST /me/totp: the secret to put in an authenticator app, shown once. */
export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

/** PUT /me/openpgp-key */
export interface OpenPgpKeyRegistered {
  fingerprint: string;
}

/** 201 from POST /tenants/:slug/reporter-sessions (a receipt and a proof that a person is asking). */
export interface ReporterSignIn {
  token: string;
  expiresInSeconds: number;
}
