/**
 * Signing in, for staff and reporters, and the signed-in staff user's own account. A token is
 * `<id>.<secret>` and goes back as `Authorization: Bearer <token>` (docs/architecture.md "Sessions").
 */

/**
 * 'full' sessions act; 'totp_enrolment' sessions may only finish setting up two-factor sign-in (with the
 * person's own new password when `passwordMustChange`); 'password_change' sessions may only change the
 * password.
 */
export type SessionScope = 'full' | 'totp_enrolment' | 'password_change';

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
  /** The password was handed over or two-factor sign-in was reset: choose your own before anything else. */
  passwordMustChange: boolean;
  /**
   * Something done to the account that the person should know of (their two-factor sign-in reset, their
   * account recovered), until they acknowledge it: if it was not them, they tell the monitoring officer.
   */
  accountNotice: { kind: 'two_factor_reset' | 'recovered'; at: string; message: string } | null;
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
