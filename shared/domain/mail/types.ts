/**
 * The e-mail channel's vocabulary: an inbound mail as the parser gives it, and the decisions the
 * pure mail rules take about it (noise, trust, threading, content). No I/O here.
 */

export interface Address {
  /** lower-cased, trimmed */
  address: string;
  name: string | null;
}

export interface Attachment {
  filename: string | null;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, for inline images referenced as cid: */
  contentId: string | null;
  inline: boolean;
  /** set by the use case once stored */
  blobKey?: string | null;
  /** the bytes, from the parser; dropped after storing */
  content?: Uint8Array;
}

/** A parsed inbound mail. Header names are lower-case; repeated headers keep every value. */
export interface InboundMail {
  /** `Message-ID` without angle brackets, or null when the mail has none (a fingerprint is used then) */
  messageId: string | null;
  /** the receiving system's id for this delivery (SES message id / local spool id) */
  deliveryId: string;
  inReplyTo: string[];
  references: string[];
  from: Address | null;
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  /** the envelope sender (Return-Path); '' for the null sender `<>`, null when unknown */
  returnPath: string | null;
  subject: string;
  date: string | null;
  headers: Record<string, string[]>;
  text: string | null;
  /** raw HTML as sent: never stored or shown unsanitised */
  html: string | null;
  attachments: Attachment[];
  /** size of the raw MIME in bytes */
  size: number;
  /** the envelope recipients the receiving system reports (SES receipt, SMTP RCPT TO): sees Bcc'd plus-addresses */
  envelopeTo?: string[];
}

/** What the receiving system says about a delivery (SES puts this in its notification, not in the mail). */
export interface Receipt {
  recipients?: string[];
  /** PASS | FAIL | GRAY | PROCESSING_FAILED */
  spamVerdict?: string;
  virusVerdict?: string;
  dmarcVerdict?: string;
  /** none | quarantine | reject */
  dmarcPolicy?: string;
}

/** Why we must not auto-reply to a mail (RFC 3834 and list/loop conventions), or null. */
export type NoiseReason =
  | 'auto-submitted'
  | 'precedence'
  | 'mailing-list'
  | 'x-loop'
  | 'null-sender'
  | 'system-sender'
  | 'own-address'
  | 'rate-limited';

export type TrustVerdict = { quarantine: false } | { quarantine: true; reason: string };

/** A delivery status notification about a mail we sent. */
export interface Bounce {
  /** the recipient whose delivery failed (as reported), lower-cased */
  recipient: string | null;
  /** e.g. 5.1.1 */
  status: string | null;
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded' | null;
  diagnostic: string | null;
  /** Message-ID of our original mail, when the report carries it */
  originalMessageId: string | null;
  permanent: boolean;
}

export const OUTCOMES = ['created', 'appended', 'reopened', 'skipped', 'quarantined', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What threading needs to know about a candidate case. */
export interface ThreadCase {
  id: string;
  ticketNumber: string;
  state: 'active' | 'resolved' | 'cancelled';
  status: string;
  /** set when the case was merged into another */
  mergedInto: string | null;
  resolvedAt: string | null;
  /** the contact's e-mail and every address already on the thread, lower-cased */
  participants: string[];
}

/** How a mail was matched to an existing case. */
export type ThreadMatch = 'in-reply-to' | 'references' | 'ticket-token' | 'plus-address';

export type ThreadDecision =
  | { kind: 'append'; caseId: string; match: ThreadMatch; reason: string }
  | { kind: 'reopen'; caseId: string; match: ThreadMatch; reason: string }
  | { kind: 'new'; relatedCaseId: string | null; reason: string };

/** The visible part of a message and the quoted earlier conversation, split apart. */
export interface SplitBody {
  /** what the sender wrote now */
  fresh: string;
  /** the quoted earlier replies (kept, shown collapsed) */
  quoted: string | null;
}

export interface AttachmentVerdict {
  accepted: boolean;
  /** a type that can run code on the reader's machine (exe, js, docm...): stored but flagged */
  dangerous: boolean;
  reason: string | null;
}

export interface AttachmentPolicy {
  /** per attachment */
  maxBytes: number;
  /** all attachments of one mail */
  maxTotalBytes: number;
  /** lower-case MIME types refused outright (e.g. none by default) */
  refusedTypes: readonly string[];
}
