/**
 * The staff sign-in pages as a user goes through them (a page object, docs/conventions.md §7): council, email
 * and password, then the code from the authenticator app.
 */
import type { Page } from 'playwright-core';
import { expectAccessible } from './browser';
import { type TestUser, totpCodeUsed, unusedTotpCode } from './staff-fixtures';

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
  const code = unusedTotpCode(user, options.step ?? 0);
  await page.getByLabel('Enter the code from your authenticator app').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in'));
  totpCodeUsed(user, code);
}
