/**
 * What administrators changed, shown to the oversight roles (GET /oversight/changes;
 * docs/architecture.md "Administrators see no cases").
 */
import type { Page } from './page';

export interface SettingsChange {
  at: string;
  /** A staff user's name, or 'an operator' (the command line). */
  by: string;
  /** The setting, as the audit trail names it (staff_user.roles, conflict_routes, retention…). */
  setting: string;
  /** What happened, in a sentence. */
  summary: string;
  userId: string | null;
  /** True when the change can give someone access to concerns (a handler role granted). */
  givesAccessToConcerns: boolean;
}

export type SettingsChangePage = Page<SettingsChange>;
