/** What a reporter signed in with their receipt sees, GET /reporter/case: never internal notes. */
import type { ItemVerification } from './case-view';

export interface ReporterCaseFile {
  readonly id: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
}

export interface ReporterCaseMessage {
  readonly id: string;
  readonly from: 'you' | 'handler';
  readonly sentOn: string;
  readonly text: string;
  /** Ids of the files sent with the message. */
  readonly attachments: readonly string[];
  /** Whether the council's system key vouches for it (case-view.ts ItemVerification). */
  readonly verification?: ItemVerification;
}

export interface ReporterCase {
  readonly reference: string;
  readonly status: string;
  /** What a closed case came to (libs/domain CASE_OUTCOMES); null while it is open. */
  readonly outcome?: string | null;
  readonly category: string;
  readonly categoryTitle: string;
  /** YYYY-MM-DD: a reporter's actions are never kept more precisely than the day shown. */
  readonly receivedOn: string;
  readonly report: {
    readonly answers?: Readonly<Record<string, string>>;
    readonly involves?: readonly string[];
  } | null;
  readonly attachments: readonly ReporterCaseFile[];
  readonly messages: readonly ReporterCaseMessage[];
  /** Feedback given (the action envisaged or taken, and the grounds), apart from the conversation. */
  readonly feedback?: readonly Readonly<Record<string, unknown>>[];
  /**
   * True when an officer recorded the report (an oral report: the channel is not the web form), so
   * the officer has seen the receipt: the reporter is invited to replace it (POST /reporter/case/receipt).
   */
  readonly recordedByOfficer?: boolean;
}

/** 201 from POST /reporter/case/receipt: the new receipt, shown once; the old one no longer works. */
export interface ReceiptReplaced {
  readonly receipt: string;
}

/** 201 from POST /reporter/case/messages */
export interface MessageSent {
  readonly sent: boolean;
  /** How many files went with it (the reporter's messages). */
  readonly attachments?: number;
}
