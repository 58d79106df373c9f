/**
 * A request to name people as involved is never shown to someone it names (issue #15; docs/architecture.md
 * "Exclusions and the conflict set"): while it waits they still hold the case, and the people named are
 * never told. The timeline and the export leave out its entries and items for them, by this one rule —
 * and the grant entries made for it (its decider given the case, `via: rerouted`), which would hint at it.
 */
import type { EntityManager } from 'typeorm';
import { NamingRequestEntity } from '../store/oversight-request.entity';

/** The item kinds and audit actions of naming requests and their answers. */
export const NAMING_ITEM_KINDS: ReadonlySet<string> = new Set(['naming_request', 'naming_decision']);
export const NAMING_ACTIONS: ReadonlySet<string> = new Set(['case.naming_requested', 'case.naming_decided']);
/**
 * Grant entries, and the routing entry the worker writes for them, carry the `requestId` of the naming
 * request they serve (giving its decider the case, or taking it back).
 */
export const GRANT_ACTIONS: ReadonlySet<string> = new Set(['grant.created', 'grant.revoked', 'case.routed']);

/** Whether an audit entry belongs to a naming request: its own entries, and grants made for it. */
export function isNamingEntry(entry: { action: string; details: Record<string, unknown> }): boolean {
  return (
    NAMING_ACTIONS.has(entry.action) ||
    (GRANT_ACTIONS.has(entry.action) && typeof entry.details['requestId'] === 'string')
  );
}

/** The ids of the case's naming requests that name `userId` (all of them when there is no reader). */
export async function namingRequestsHiddenFrom(
  m: EntityManager,
  caseId: string,
  userId: string | undefined,
): Promise<Set<string>> {
  const requests = await m.getRepository(NamingRequestEntity).find({ where: { caseId } });
  return new Set(requests.filter((r) => userId === undefined || r.people.includes(userId)).map((r) => r.id));
}

/**
 * Decrypted case items without those of the naming requests in `hidden` (an export's records): an item
 * of a naming request carries its request's id in its body.
 */
export function withoutHiddenNamings<T extends { item: { kind: string }; json?: unknown }>(
  items: readonly T[],
  hidden: ReadonlySet<string>,
): T[] {
  return items.filter(
    ({ item, json }) =>
      !NAMING_ITEM_KINDS.has(item.kind) ||
      !hidden.has(String((json as { requestId?: unknown } | null | undefined)?.requestId)),
  );
}
