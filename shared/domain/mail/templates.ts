/**
 * The mails we write: default templates per language (admins may replace them) and a tiny
 * renderer. Plain text only: values are inserted as they are, nothing is interpreted.
 */
import type { Language } from '../customer';

export const TEMPLATE_VARIABLES = ['ticketNumber', 'title', 'contactName', 'body', 'portalUrl'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateText {
  subject: string;
  text: string;
}

export const DEFAULT_TEMPLATES: Record<'acknowledgement' | 'reply' | 'refusal', Record<Language, TemplateText>> = {
  acknowledgement: {
    en: {
      subject: '[{{ticketNumber}}] We received your request: {{title}}',
      text: 'Hello {{contactName}},\n\nThank you for contacting us. Your request is registered as case {{ticketNumber}}; an agent will answer soon.\nReply to this mail to add anything to it (keep the case number in the subject).\n\n{{portalUrl}}\n\nThis is an automatic message.',
    },
    fa: {
      subject: '[{{ticketNumber}}] درخواست شما دریافت شد: {{title}}',
      text: '{{contactName}} گرامی،\n\nاز تماس شما سپاسگزاریم. درخواست شما با شماره پرونده {{ticketNumber}} ثبت شد و کارشناسان ما به‌زودی پاسخ می‌دهند.\nبرای افزودن توضیحات، به همین ایمیل پاسخ دهید (شماره پرونده را در موضوع نگه دارید).\n\n{{portalUrl}}\n\nاین پیام به‌صورت خودکار فرستاده شده است.',
    },
  },
  reply: {
    en: {
      subject: 'Re: {{title}} [{{ticketNumber}}]',
      text: '{{body}}\n\n--\nCase {{ticketNumber}}. Reply to this mail to answer (keep the case number in the subject).',
    },
    fa: {
      subject: 'پاسخ: {{title}} [{{ticketNumber}}]',
      text: '{{body}}\n\n--\nپرونده {{ticketNumber}}. برای پاسخ، به همین ایمیل پاسخ دهید (شماره پرونده را در موضوع نگه دارید).',
    },
  },
  refusal: {
    en: {
      subject: 'We could not register your request',
      text: 'Hello,\n\nWe only accept requests from registered customers at this address. Please contact us through your account manager or the customer portal.\n\n{{portalUrl}}\n\nThis is an automatic message.',
    },
    fa: {
      subject: 'درخواست شما ثبت نشد',
      text: 'سلام،\n\nاین نشانی فقط درخواست مشتریان ثبت‌شده را می‌پذیرد. لطفاً از طریق مدیر حساب یا پرتال مشتریان با ما تماس بگیرید.\n\n{{portalUrl}}\n\nاین پیام به‌صورت خودکار فرستاده شده است.',
    },
  },
};

/** Fills `{{variable}}` placeholders; unknown placeholders stay as they are. Subjects lose line breaks. */
export function render(t: TemplateText, values: Partial<Record<TemplateVariable, string>>): TemplateText {
  const fill = (s: string) => s.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (m, name: string) => (Object.hasOwn(values, name) ? (values[name as TemplateVariable] ?? '') : m));
  return { subject: fill(t.subject).replace(/[\r\n]+/g, ' ').trim(), text: fill(t.text).replace(/\n{3,}/g, '\n\n').trim() };
}

/** Placeholders a template uses that we do not know: refused when an admin saves it. */
export function unknownVariables(t: TemplateText): string[] {
  const found = [...`${t.subject}\n${t.text}`.matchAll(/\{\{\s*([A-Za-z]+)\s*\}\}/g)].map((m) => m[1]!);
  return [...new Set(found.filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v)))];
}
