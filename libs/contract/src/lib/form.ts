/**
 * A council's intake form, GET /tenants/:slug/form: what a reporter is asked, the people the concern
 * may involve, the identity questions and the file limits. Public: no token.
 */

export interface FormQuestion {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly type: 'text' | 'textarea' | 'choice';
  readonly required: boolean;
  readonly maxLength?: number;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** Asked only for these categories; every category when absent. */
  readonly categories?: readonly string[];
}

export interface FormCategory {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The principles of public life a breach in this category usually engages. */
  readonly principles?: readonly string[];
}

/** One kind of file a report may carry. */
export interface AcceptedFileType {
  readonly mediaType: string;
  readonly extensions: readonly string[];
  readonly label: string;
}

/** The limits on files with a report, a message or evidence. */
export interface AttachmentLimits {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly maxTotalBytes: number;
  readonly acceptedTypes: readonly AcceptedFileType[];
}

export interface IntakeForm {
  readonly tenant: { readonly slug: string; readonly name: string };
  /** What the reporter is told about anonymity before they write anything. */
  readonly anonymity: string;
  readonly categories: readonly FormCategory[];
  readonly questions: readonly FormQuestion[];
  /** "Does your concern involve any of these people?": roles, with the names of who holds them. */
  readonly involves: {
    readonly label: string;
    readonly hint: string;
    readonly options: readonly {
      readonly value: string;
      readonly label: string;
      readonly holders: readonly string[];
    }[];
  };
  readonly identity: { readonly statement: string; readonly fields: readonly FormQuestion[] };
  readonly attachments: AttachmentLimits;
}
