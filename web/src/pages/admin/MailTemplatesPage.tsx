/**
 * Mail templates (admins edit, managers read): the acknowledgement, reply and refusal mails in
 * each language. Saving sends If-Match (0 replaces the built-in default); placeholders the API
 * does not know are shown under the field they are in.
 */
import { useCallback, useId, useState } from 'react';
import { TEMPLATE_VARIABLES } from '../../../../shared/domain/mail/templates';
import { listMailTemplates, putMailTemplate } from '../../api/endpoints';
import type { MailTemplate } from '../../api/types';
import { useSession } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { DateTime } from '../../components/DateTime';
import { useFieldMessages } from '../../components/FieldMessages';
import { Field, FormActions } from '../../components/Form';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { AdminListPage, AdminProblem, EditDialog, type Editing, OtherErrors, RowButton, useAdminList, useVersionedSave } from './shared';
import '../../styles/agent.css';
import '../../styles/routing.css';
import '../../styles/mail.css';

/** A template as a row of the list: `name` is what the dialog's title shows. */
interface TemplateRow {
  id: string;
  name: string;
  template: MailTemplate;
}

const FIELDS = ['subject', 'text'];

export default function MailTemplatesPage() {
  const { t } = useI18n();
  const canEdit = useSession()?.me.roles.includes('admin') ?? false;
  const [editing, setEditing] = useState<Editing<TemplateRow> | null>(null);
  usePageTitle(t('mailTemplates.title'));
  const label = useCallback(
    (m: MailTemplate) => t('mailTemplates.entry', { template: t(`mailTemplates.name.${m.name}`), language: t(`language.${m.language}`) }),
    [t],
  );
  const list = useAdminList(
    useCallback(async () => (await listMailTemplates()).map((m): TemplateRow => ({ id: `${m.name}.${m.language}`, name: label(m), template: m })), [label]),
  );
  const close = useCallback(() => setEditing(null), []);

  return (
    <AdminListPage
      title={t('mailTemplates.title')}
      intro={`${t('mailTemplates.intro')}${canEdit ? '' : ` ${t('mailTemplates.readOnly')}`}`}
      list={list}
      caption={t('mailTemplates.caption')}
      columns={[t('mailTemplates.template'), t('mailTemplates.language'), t('mailTemplates.subject'), t('mailTemplates.changed')]}
      rows={list.data?.map((row) => {
        const m = row.template;
        return (
          <tr key={row.id} data-testid="template-row" data-template={m.name} data-language={m.language}>
            <th scope="row">{t(`mailTemplates.name.${m.name}`)}</th>
            <td>{t(`language.${m.language}`)}</td>
            <td dir="auto">{m.subject}</td>
            <td>{m.version === 0 || !m.updatedAt ? t('mailTemplates.default') : <DateTime iso={m.updatedAt} />}</td>
            <td>
              <RowButton label={canEdit ? t('admin.edit') : t('mailTemplates.view')} name={row.name} onClick={() => setEditing({ mode: 'edit', item: row })} />
            </td>
          </tr>
        );
      })}
    >
      <EditDialog
        editing={editing}
        newTitle=""
        editTitle={(name) => t(canEdit ? 'mailTemplates.editTitle' : 'mailTemplates.viewTitle', { name })}
        onClose={close}
        saved={(name) => list.changed(t('mailTemplates.saved', { name }))}
        testId="template-dialog"
      >
        {(row, onSaved) => row && <TemplateForm row={row} canEdit={canEdit} onClose={close} onSaved={onSaved} />}
      </EditDialog>
    </AdminListPage>
  );
}

function TemplateForm({ row, canEdit, onSaved, onClose }: { row: TemplateRow; canEdit: boolean; onSaved: (name: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const m = row.template;
  const [subject, setSubject] = useState(m.subject);
  const [text, setText] = useState(m.text);
  const refetch = async () => (await listMailTemplates()).find((x) => x.name === m.name && x.language === m.language) ?? { version: m.version };
  const { busy, error, submit } = useVersionedSave(m.version, refetch);
  // an unknown placeholder is named in the API's message: keep the name, say the rest in our words
  const messages = useFieldMessages(error, (e) => {
    const name = e.code === 'unknown_placeholder' ? /\{\{\s*([^}]*?)\s*\}\}/.exec(e.message)?.[1] : undefined;
    return name === undefined ? undefined : t('mailTemplates.unknownPlaceholder', { name });
  });

  const save = submit(async (version) => {
    await putMailTemplate(m.name, m.language, { subject, text }, version);
    onSaved(row.name);
  });

  const placeholders = (
    <span className="placeholder-list">
      {t('mailTemplates.placeholders')}{' '}
      {TEMPLATE_VARIABLES.map((v) => (
        <code key={v} dir="ltr">{`{{${v}}}`}</code>
      ))}
    </span>
  );

  return (
    <form className="form" onSubmit={save} noValidate>
      {!canEdit && <Alert tone="info">{t('mailTemplates.readOnly')}</Alert>}
      {error !== null && <AdminProblem error={error} />}
      <Field id={`${id}-subject`} label={t('mailTemplates.subject')} errors={messages('subject')}>
        {(control) => (
          <input {...control} className="input" dir="auto" maxLength={300} readOnly={!canEdit} value={subject} onChange={(e) => setSubject(e.target.value)} />
        )}
      </Field>
      <Field id={`${id}-text`} label={t('mailTemplates.text')} hint={placeholders} errors={messages('text')}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea template-text"
            dir="auto"
            rows={12}
            maxLength={20_000}
            readOnly={!canEdit}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      <OtherErrors error={error} shown={FIELDS} />
      <FormActions submit={canEdit ? t('admin.save') : undefined} busy={busy} onClose={onClose} />
    </form>
  );
}
