// Naming people as involved after intake (docs/architecture.md "Exclusions and the conflict set";
// docs/regulatory.md §3; issue #15). People are excluded as people, frozen when named: naming a role
// names the people who hold it at that moment, and they stay excluded whatever their later roles, while
// a later holder of the role is not excluded by holding it. Naming is also the one way an implicated
// handler could take a case away from everyone who would look at it, so after intake a naming is a
// request that the case's overseer confirms, unless it names only the person asking (a recusal in all
// but name) or is made by the overseer themselves. Until it is confirmed it has no effect.
//
// Who confirms is decided here, purely, from the case as it stands: its overseer, or — when the naming
// names the overseer, who cannot judge a naming of themselves, or would rule them out (the deputy, when it
// names the monitoring officer they answer to) — whoever would oversee the case with the naming in effect
// and without the person asking (so nobody confirms their own request, and nobody named
// confirms their own naming). Everyone named in ANY naming request still pending on the case counts as
// named here too: deciding gives the decider the case, and a case must never be handed to someone a
// pending request names (a handler could otherwise ask to name the head of paid service, then the
// monitoring officer, and so deliver the case to the first). The API re-runs this at the moment of
// confirmation, so a decider who has since been named, recused or replaced cannot confirm.

import { ruledOut } from './exclusions';
import { routeCase, type RoutingInput } from './routing';

export type NamingEffect =
  /** Takes effect at once: it names only the person asking, or the overseer asks. */
  | { readonly kind: 'immediate' }
  /** A request that `deciderId` confirms or rejects; until then it changes nothing. */
  | { readonly kind: 'pending'; readonly deciderId: string }
  /** A request nobody in the council can decide: every possible overseer is named or asked. */
  | { readonly kind: 'undecidable'; readonly reason: string };

/** The routing input with `people` named as involved too (frozen, by id). */
export function withNamed(input: RoutingInput, people: readonly string[]): RoutingInput {
  return { ...input, involvedUserIds: [...new Set([...input.involvedUserIds, ...people])] };
}

/**
 * Who confirms a naming of `people` asked for by `requesterId`: the case's overseer when they are not
 * the one asking and the naming, in effect together with every pending naming (`pendingPeople`: all
 * the people the case's pending requests name), would not rule them out (named, or answering to
 * someone named); otherwise the overseer the case would have with all those namings in effect and
 * the person asking left out. Null when there is no such person.
 */
export function namingDecider(
  input: RoutingInput,
  requesterId: string,
  people: readonly string[],
  pendingPeople: readonly string[] = [],
): string | null {
  const current = routeCase(input);
  const named = withNamed(input, [...people, ...pendingPeople]);
  const rolesOf = (userId: string) =>
    input.roleHolders.filter((h) => h.userId === userId).flatMap((h) => h.roles);
  if (
    current.kind === 'routed' &&
    current.overseer.userId !== requesterId &&
    !ruledOut(named, current.overseer.userId, rolesOf(current.overseer.userId))
  )
    return current.overseer.userId;
  const next = routeCase({
    ...named,
    recusedUserIds: [...new Set([...input.recusedUserIds, requesterId])],
  });
  return next.kind === 'routed' ? next.overseer.userId : null;
}

/**
 * What naming `people` (frozen user ids) by `requesterId` does to the case now, `pendingPeople` being
 * everyone the case's other pending naming requests name (see namingDecider).
 */
export function namingEffect(
  input: RoutingInput,
  requesterId: string,
  people: readonly string[],
  pendingPeople: readonly string[] = [],
): NamingEffect {
  if (people.length > 0 && people.every((userId) => userId === requesterId)) return { kind: 'immediate' };
  const current = routeCase(input);
  if (current.kind === 'routed' && current.overseer.userId === requesterId && !people.includes(requesterId))
    return { kind: 'immediate' };
  const deciderId = namingDecider(input, requesterId, people, pendingPeople);
  if (deciderId === null)
    return {
      kind: 'undecidable',
      reason:
        'Nobody in the council could confirm this naming: everyone who could oversee the case is named in ' +
        'it or in another naming request waiting on the case, recused or not set up. Raise it with the ' +
        'external auditor.',
    };
  return { kind: 'pending', deciderId };
}
