/**
 * Signing in, for staff and reporters, and the signed-in staff user's own account. A token is
 * `<id>.<secret>` and goes back as `Authorization: Bearer <token>` (docs/architecture.md "Sessions").
 */

/** 'full' sessions act; 'totp_enrolment' sessions may only finish setting up two-factor sign-in. */
export type SessionScope = 'full' | 'totp_enrolment';

/** POST /tenants/:slug/sessions */
export interface StaffSignInRequest {
  readonly email: string;
  readonly password: string;
  /** The six-digit code, once two-factor sign-in is set up. */
  readonly totp?: string;
}

/** 201 from POST /tenants/:slug/sessions. */
export interface StaffSignIn {
  readonly token: string;
  readonly scope: SessionScope;
  /** The idle timeout: the session ends after this long unused. */
  readonly expiresInSeconds: number;
  readonly user: {
    readonly id: string;
    readonly name: string;
    readonly email: string;
    readonly roles: readonly string[];
  };
}

/** GET /me */
export interface Me {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly string[];
  readonly totpEnrolled: boolean;
  /** The fingerprint of the OpenPGP key the user registered for exports, if any. */
  readonly externalKeyFingerprint: string | null;
  readonly sessionScope: SessionScope;
}

/** POST /me/totp: the secret to put in an authenticator app, shown once. */
export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUrl: string;
}

/** PUT /me/openpgp-key */
export interface OpenPgpKeyRegistered {
  readonly fingerprint: string;
}

/** 201 from POST /tenants/:slug/reporter-sessions (a receipt and a proof that a person is asking). */
export interface ReporterSignIn {
  readonly token: string;
  readonly expiresInSeconds: number;
}
