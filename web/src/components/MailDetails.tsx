/**
 * What a timeline entry that came or went by e-mail shows of the mail: the "E-mail" label with
 * the sender (incoming) or the recipients (outgoing) and the subject; the earlier conversation the
 * mail quoted, collapsed; and the attachments, with a warning on the ones that may be unsafe.
 *
 * `mail.html` is deliberately never rendered: it was sanitised before storage, but text is all an
 * agent needs, and showing only text means no markup from a stranger ever reaches staff browsers
 * (no tracking images, no look-alike links, nothing a sanitiser bug could let through).
 */
import { useId, useState } from 'react';
import { attachmentLink } from '../api/endpoints';
import type { MailAttachment, MailMeta } from '../api/types';
import { ErrorAlert } from './Alert';
import { useI18n } from '../i18n';

/** The mail label and its addresses, for the entry's header. */
export function MailHeader({ mail }: { mail: MailMeta }) {
  const { t } = useI18n();
  const incoming = mail.direction === 'in';
  const addresses = incoming ? (mail.from ? [mail.from] : []) : (mail.to ?? []);
  return (
    <p className="timeline__mail" data-testid="mail-header">
      <span className="tag tag--mail">{t('mail.label')}</span>
      {addresses.length > 0 && (
        <span>
          {incoming ? t('mail.from') : t('mail.to')}{' '}
          <bdi dir="ltr" data-testid="mail-addresses">
            {addresses.join(', ')}
          </bdi>
        </span>
      )}
      {mail.subject && (
        <span>
          {t('mail.subject')}{' '}
          <bdi dir="auto" data-testid="mail-subject">
            {mail.subject}
          </bdi>
        </span>
      )}
    </p>
  );
}

/** The earlier conversation the mail quoted: kept, shown on request. */
export function QuotedText({ text }: { text: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="mail-quoted">
      <button type="button" className="button button--ghost button--small" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {open ? t('mail.hideQuoted') : t('mail.showQuoted')}
      </button>
      <div id={id} className="mail-quoted__text" dir="auto" hidden={!open} data-testid="mail-quoted">
        {text}
      </div>
    </div>
  );
}

/** "12 KB" / "۱۲ کیلوبایت": a size in the user's language. */
export function useByteSize() {
  const { locale } = useI18n();
  return (bytes: number) => {
    const [unit, size] = bytes >= 1024 * 1024 ? (['megabyte', bytes / (1024 * 1024)] as const) : bytes >= 1024 ? (['kilobyte', bytes / 1024] as const) : (['byte', bytes] as const);
    return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(size);
  };
}

/**
 * Downloads through a short-lived link from the API (S3 presigned on AWS): the browser saves the
 * file, never shows it in the page; unsafe types come as plain binary and ask first.
 */
function DownloadButton({ caseId, entryId, index, attachment }: { caseId: string; entryId: string; index: number; attachment: MailAttachment }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    if (attachment.dangerous && !window.confirm(t('mail.confirmUnsafe'))) return;
    setBusy(true);
    setError(null);
    try {
      const link = await attachmentLink(caseId, entryId, index);
      window.location.assign(link.url);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="button button--ghost button--small" onClick={download} disabled={busy} data-testid="mail-download">
        {t('mail.download')}
        <span className="visually-hidden"> {attachment.name ?? ''}</span>
      </button>
      {error !== null && <ErrorAlert error={error} />}
    </>
  );
}

export function Attachments({ items, caseId, entryId }: { items: MailAttachment[]; caseId: string; entryId: string }) {
  const { t } = useI18n();
  const size = useByteSize();
  const headingId = useId();
  return (
    <div className="mail-attachments">
      <p className="mail-attachments__title" id={headingId}>
        {t('mail.attachments')}
      </p>
      <ul aria-labelledby={headingId} data-testid="mail-attachments">
        {items.map((a, i) => (
          <li key={`${i}:${a.name ?? ''}`} data-testid="mail-attachment" data-dangerous={a.dangerous || undefined}>
            <bdi dir="auto" className="mail-attachments__name">
              {a.name ?? t('mail.unnamed')}
            </bdi>{' '}
            <span className="muted">
              <bdi dir="ltr">{a.contentType}</bdi> · {size(a.size)}
            </span>
            {a.inline && <span className="tag tag--muted">{t('mail.inline')}</span>}
            {a.dangerous && <span className="tag tag--danger">{t('mail.dangerous')}</span>}
            {a.refused && <span className="mail-attachments__refused">{t('mail.refused', { reason: a.refused })}</span>}
            {a.blobKey && <DownloadButton caseId={caseId} entryId={entryId} index={i} attachment={a} />}
          </li>
        ))}
      </ul>
    </div>
  );
}
