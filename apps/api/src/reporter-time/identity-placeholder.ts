/**
 * Every case has an identity record (docs/architecture.md "Reporter time"): a reporter who stays
 * anonymous gets an encrypted empty identity, padded to the same size bucket as a given one, so a dump
 * cannot tell anonymous reports from identified ones. Readers that hold the identity scope skip it.
 */
export const NO_IDENTITY: Readonly<Record<string, never>> = Object.freeze({});

/** Whether a decrypted identity record holds anything the reporter gave. */
export function isGivenIdentity(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).length > 0;
}
