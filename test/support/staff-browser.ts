/**
 * The staff sign-in pages as a user goes through them (a page object, docs/conventions.md §7): council, email
 * and password, then the code from the authenticator app.
 */
import type { Page } from 'playwright-core';
import { expectAccessible } from './browser';
import { type TestUser, totpCode } from './staff-fixtures';

/**
 * The codes each user has signed in with, in this suite: the API accepts a code once, and a step asked
 * for (say -1, after an earlier sign-in at 0) names the code already used when the 30-second step has
 * turned between the two sign-ins, so the step asked for is only a preference.
 */
const usedCodes = new Map<string, Set<string>>();

/** A code for `user`, at the step preferred or another one the API accepts, not yet used in this suite. */
function unusedCode(user: TestUser, preferred: -1 | 0 | 1): string {
  const used = usedCodes.get(user.id) ?? new Set<string>();
  usedCodes.set(user.id, used);
  for (const step of [preferred, 0, 1, -1] as const) {
    const code = totpCode(user.totpSecret!, step);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
  throw new Error(`every code the API would accept now has been used to sign ${user.email} in`);
}

export async function signInAsStaff(
  page: Page,
  portalUrl: string,
  council: string,
  user: TestUser,
  options: { step?: -1 | 0 | 1; check?: boolean } = {},
): Promise<void> {
  await page.goto(`${portalUrl}/staff/sign-in`);
  if (options.check) await expectAccessible(page);
  await page.getByLabel('Council').fill(council);
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Enter the code from your authenticator app').waitFor();
  if (options.check) await expectAccessible(page);
  await page.getByLabel('Enter the code from your authenticator app').fill(unusedCode(user, options.step ?? 0));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in'));
}
