/**
 * Ports of the e-mail channel: where raw mail and attachments live, what we remember about each
 * inbound mail, how mail goes out, and the templates admins edit.
 */
import type { Language } from '../domain/customer';
import type { Outcome, Receipt } from '../domain/mail/types';
import type { Page } from './index';

/** S3 on AWS, a folder locally. Keys are relative paths such as `inbound/<id>.eml`. */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** undefined when there is no such object */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * A short-lived link that downloads the object as a file (never shown inline by the browser),
   * under `filename`, with `contentType`. No credentials needed to follow it until it expires.
   */
  downloadUrl(key: string, opts: { filename: string; contentType: string; expiresInSeconds: number }): Promise<string>;
}

/** One inbound mail's record in the intake monitor: exactly one per distinct mail. */
export interface IntakeRecord {
  /** derived from the Message-ID (or the delivery id when there is none): the dedupe key */
  id: string;
  deliveryId: string;
  messageId: string | null;
  /** the raw MIME, kept so a failed mail can be replayed */
  blobKey: string;
  receivedAt: string;
  from: string | null;
  subject: string;
  size: number;
  /** `processing` while a worker holds it */
  outcome: Outcome | 'processing';
  reason: string;
  caseId: string | null;
  ticketNumber: string | null;
  /** whether an acknowledgement may be sent for it, and if not why */
  autoReply: 'allowed' | string;
  /** notes for the monitor: dangerous attachments, refused parts, follow-up of an old case... */
  flags: string[];
  attempts: number;
  /** deliveries of the same mail after the first */
  duplicates: number;
  /** an admin released it from quarantine */
  released: boolean;
  /** the receiving system's verdicts, kept so a replay judges the mail the same way */
  receipt: Receipt | null;
  updatedAt: string;
  version: number;
}

export type Claim = { claimed: true; record: IntakeRecord } | { claimed: false; existing: IntakeRecord };

export interface MailStore {
  /** Creates the record when no mail with this id was seen; otherwise returns the one stored. */
  claim(rec: IntakeRecord): Promise<Claim>;
  /** Conditional on `expectedVersion`. */
  saveIntake(rec: IntakeRecord, expectedVersion: number): Promise<void>;
  getIntake(id: string): Promise<IntakeRecord | undefined>;
  listIntake(q: { outcome?: Outcome; limit: number; cursor?: string }): Promise<Page<IntakeRecord>>;
  /** A Message-ID (ours, the provider's, or a customer's) now belongs to a case's thread. */
  linkMessageId(messageId: string, caseId: string): Promise<void>;
  caseForMessageId(messageId: string): Promise<string | undefined>;
  /** The Message-IDs of a case's thread, oldest first (for In-Reply-To/References). */
  threadMessageIds(caseId: string, limit: number): Promise<string[]>;
  addParticipants(caseId: string, emails: string[]): Promise<void>;
  isParticipant(caseId: string, email: string): Promise<boolean>;
  /**
   * Takes one automatic-reply slot for `recipient` in the hour containing `now`; false when
   * `limitPerHour` are taken already. Slots expire by themselves.
   */
  takeAutoReplySlot(recipient: string, now: Date, limitPerHour: number): Promise<boolean>;
  /** Marks an outbound mail as being sent; false when it was sent (or is being sent) already. */
  claimOutbound(key: string, now: Date, staleAfterSeconds: number): Promise<boolean>;
  completeOutbound(key: string, providerId: string): Promise<void>;
  releaseOutbound(key: string): Promise<void>;
  getTemplate(name: TemplateName, language: Language): Promise<MailTemplate | undefined>;
  putTemplate(t: MailTemplate, expectedVersion: number): Promise<MailTemplate>;
}

export const TEMPLATE_NAMES = ['acknowledgement', 'reply', 'refusal'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface MailTemplate {
  name: TemplateName;
  language: Language;
  /** `{{ticketNumber}}`, `{{title}}`, `{{contactName}}`, `{{body}}`, `{{portalUrl}}` are filled in */
  subject: string;
  text: string;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface OutboundMail {
  from: string;
  to: string[];
  replyTo: string[];
  subject: string;
  text: string;
  html?: string;
  /** extra headers: In-Reply-To, References, Auto-Submitted... */
  headers: Record<string, string>;
}

/** SES on AWS (the local SES stand-in locally). */
export interface Mailer {
  /** Returns the provider's message id (SES replaces our Message-ID with its own). */
  send(mail: OutboundMail): Promise<{ providerId: string; messageId: string }>;
}

/** Parses raw MIME into the channel's vocabulary (never throws on bad input). */
export type MailParser = (raw: Uint8Array, deliveryId: string) => Promise<import('../domain/mail/types').InboundMail>;
