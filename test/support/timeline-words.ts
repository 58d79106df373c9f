/**
 * The timeline as a page shows it: the API sends data (docs/case-core.md "The timeline") and whoever
 * shows it words it with libs/domain's timeline-words.ts — the title, who acted, the people an event
 * names. The API suites read the API's events through this, so what they assert is the words a person
 * sees, exactly as they were when the API still sent them itself.
 */
import { actorLabel, peopleLabels, timelineTitle, type WordedEvent } from '@nolan/domain';

const PEOPLE_FIELDS = ['granted', 'revoked', 'passedTo'];

export function worded<E extends WordedEvent>(event: E) {
  const content = event.content
    ? Object.fromEntries(
        Object.entries(event.content).map(([k, v]) => [k, PEOPLE_FIELDS.includes(k) ? peopleLabels(v) : v]),
      )
    : event.content;
  return {
    ...event,
    title: timelineTitle(event),
    actor: { ...event.actor, label: actorLabel(event.actor) },
    content,
  };
}
