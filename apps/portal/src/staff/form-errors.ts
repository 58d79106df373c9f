/**
 * Errors for a GOV.UK form: the error summary's list (each linking to its field) and the inline
 * message per field, from our own checks or from the API's messages. The API names the field it is
 * unhappy with in its message ("reason is required", "… (firstResponse.proposedHandling)"), so each
 * message goes to the field whose API name it mentions; one that names none goes to the first field.
 */

export interface FormErrors {
  /** For govukErrorSummary's errorList. */
  readonly summary: { text: string; href: string }[];
  /** For each field's errorMessage, by field id. */
  readonly fields: Record<string, { text: string }>;
}

export interface FormField {
  /** The HTML id of the input the summary links to. */
  readonly id: string;
  /** The names the API uses for it (a body property, or a path like firstResponse.proposedHandling). */
  readonly apiNames: readonly string[];
}

/** Errors from our own checks, in field order. */
export function formErrors(list: readonly { id: string; text: string }[]): FormErrors | undefined {
  if (!list.length) return undefined;
  const fields: Record<string, { text: string }> = {};
  for (const { id, text } of list) fields[id] ??= { text };
  return { summary: list.map(({ id, text }) => ({ text, href: `#${id}` })), fields };
}

/** The API's messages, each placed on the field it names (the longest matching name wins). */
export function apiErrors(messages: readonly string[], fields: readonly FormField[]): FormErrors {
  const placed = messages.map((text) => {
    let best: { id: string; length: number } | undefined;
    for (const field of fields)
      for (const name of field.apiNames)
        if (mentions(text, name) && (!best || name.length > best.length)) best = { id: field.id, length: name.length };
    return { id: best?.id ?? fields[0]?.id ?? 'main-content', text: tidy(text) };
  });
  return formErrors(placed) as FormErrors;
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(text);
}

/**
 * The API's validation messages start with the property name ("reason is required"); for a person
 * reading a form, "Reason is required" reads better and still names the field.
 */
function tidy(text: string): string {
  // The domain ends its sentences with the field's path for API clients: "… (firstResponse.whoIsInvolved)."
  const plain = text.replace(/\s*\([A-Za-z0-9_.[\]]+\)\.?$/, '');
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}
