/**
 * The body of POST /cases/:reference/transitions: the domain's own TransitionCommand (libs/domain's
 * lifecycle), as a client sends it. Every field, its nesting and which fields each stage requires are the
 * domain's, so a change to a command fails the type-check of whoever builds one; only the codes inside
 * (an outcome, a finding, an external body) are plain strings here, because the person chose them in a
 * form and the API is the one that refuses an unknown code, with its own message (docs/architecture.md
 * "Investigation lifecycle").
 */
import type { TransitionCommand } from '@nolan/domain';

/** A code-valued field widened to what a form gives; structure kept. */
type AsSent<T> = T extends string
  ? string
  : T extends boolean | number
    ? T
    : T extends readonly (infer U)[]
      ? AsSent<U>[]
      : T extends object
        ? { -readonly [K in keyof T]: AsSent<T[K]> }
        : T;

/** One command as sent: `to` stays the stage's literal, so the union still discriminates. */
type CommandAsSent<C> = C extends { to: infer To }
  ? { to: To } & { -readonly [K in keyof C as K extends 'to' ? never : K]: AsSent<C[K]> }
  : never;

export type TransitionRequest = CommandAsSent<TransitionCommand>;

/** The stages a transition can move a case to. */
export type TransitionTarget = TransitionCommand['to'];
