/**
 * GET /cases/{reference}/assignees: the people the case's overseer may assign it to or transfer it to
 * (docs/case-core.md "Exclusion rules"): active handlers of the council whom no exclusion rules out,
 * with their names and how many open cases each is assigned already. Metadata only, never content.
 */
export interface AssigneeOption {
  userId: string;
  name: string;
  /** Role ids (libs/domain StaffRole). */
  roles: string[];
  /** Open (not closed) cases of the council assigned to them now. */
  openCases: number;
  /** Whether the case is assigned to them now (offered for reference, not as a choice). */
  current: boolean;
}

export interface AssigneeOptions {
  reference: string;
  items: AssigneeOption[];
}
