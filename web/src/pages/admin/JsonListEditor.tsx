/**
 * A versioned list edited as JSON (routing rules, SLA policies): the editor card with the saved
 * version, save with If-Match (412: the conflict banner, the draft kept, their version learnt),
 * the API's problems listed by path, and the warnings of a saved list as non-blocking notes.
 * The draft lives with the page, so a panel beside the editor (the dry run) can read it.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { type FieldError, isApiError } from '../../api/errors';
import type { PathNote } from '../../api/types';
import { Alert, ErrorAlert } from '../../components/Alert';
import { DateTime } from '../../components/DateTime';
import { Loading } from '../../components/Loading';
import { useI18n } from '../../i18n';
import '../../styles/routing.css';

/** The pages that edit a list as JSON; their messages are `${kind}.editor`, `${kind}.save`… */
export type ListKind = 'rules' | 'slaPolicies';

export interface ListDoc {
  items: unknown[];
  version: number;
  updatedAt: string | null;
  warnings?: PathNote[];
}

export type Parsed = { ok: true; items: unknown[] } | { ok: false; error: string };

/** The draft as a list; a whole `{ [key]: [...] }` document is accepted too. */
export function parseDraft(text: string, key: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as Record<string, unknown>)[key]))
    value = (value as Record<string, unknown[]>)[key];
  if (!Array.isArray(value)) return { ok: false, error: 'not-a-list' };
  return { ok: true, items: value };
}

export const prettyList = (items: unknown[]) => JSON.stringify(items, null, 2);

/** What a draft that is not a JSON list is called, in the page's words. */
export function useParsedMessage(kind: ListKind) {
  const { t } = useI18n();
  return (p: Parsed & { ok: false }) => (p.error === 'not-a-list' ? t(`${kind}.notAList`) : t('rules.invalidJson', { error: p.error }));
}

export interface TestIds {
  version: string;
  conflict: string;
  localError: string;
  errors: string;
  warnings: string;
}

export function JsonListEditor({
  kind,
  docKey,
  load,
  save,
  draft,
  onDraft,
  testIds,
}: {
  kind: ListKind;
  /** the list's name in a whole document (`rules`, `policies`) */
  docKey: string;
  load: () => Promise<ListDoc>;
  save: (items: unknown[], version: number) => Promise<ListDoc>;
  draft: string;
  onDraft: (text: string) => void;
  testIds: TestIds;
}) {
  const { t, number } = useI18n();
  const editorId = useId();
  const parsedMessage = useParsedMessage(kind);
  const [saved, setSaved] = useState<ListDoc | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(
    async (replaceDraft: boolean) => {
      try {
        const doc = await load();
        setSaved(doc);
        if (replaceDraft) onDraft(prettyList(doc.items));
        setLoadError(null);
      } catch (e) {
        setLoadError(e);
      }
    },
    [load, onDraft],
  );
  useEffect(() => {
    void reload(true);
  }, [reload]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!saved || busy) return;
    setNotice(null);
    setSaveError(null);
    const parsed = parseDraft(draft, docKey);
    if (!parsed.ok) {
      setLocalError(parsedMessage(parsed));
      return;
    }
    setLocalError(null);
    setBusy(true);
    try {
      const doc = await save(parsed.items, saved.version);
      setSaved(doc);
      onDraft(prettyList(doc.items));
      setNotice(t(`${kind}.saved`, { version: doc.version }));
    } catch (err) {
      setSaveError(err);
      // someone else saved in between: learn their version, keep the draft
      if (isApiError(err) && err.status === 412) await reload(false);
    } finally {
      setBusy(false);
    }
  };

  if (!saved) return loadError !== null ? <ErrorAlert error={loadError} /> : <Loading />;

  const errors: FieldError[] = isApiError(saveError) ? saveError.errors : [];
  const conflict = isApiError(saveError) && (saveError.status === 412 || saveError.status === 428);
  const dirty = draft !== prettyList(saved.items);
  const warnings = saved.warnings ?? [];

  return (
    <section className="card" aria-labelledby={`${editorId}-heading`}>
      <h2 id={`${editorId}-heading`}>{t(`${kind}.editor`)}</h2>
      <p className="muted" data-testid={testIds.version}>
        {t('rules.version', { version: number(saved.version) })}
        {saved.updatedAt && (
          <>
            {' · '}
            {t('rules.updatedAt')} <DateTime iso={saved.updatedAt} />
          </>
        )}
      </p>
      {notice && (
        <Alert tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {warnings.length > 0 && (
        <div className="alert alert--info" data-testid={testIds.warnings}>
          <div className="alert__body">
            <p className="alert__title">{t('slaPolicies.warnings')}</p>
            <PathList items={warnings} />
          </div>
        </div>
      )}
      {conflict && (
        <Alert tone="warning">
          <p className="alert__title" data-testid={testIds.conflict}>
            {t(`${kind}.conflict`)}
          </p>
          <button type="button" className="button button--small" onClick={() => void reload(true).then(() => setSaveError(null))}>
            {t('rules.loadSaved')}
          </button>
        </Alert>
      )}
      {localError && (
        <Alert tone="error">
          <p className="alert__title" data-testid={testIds.localError}>
            {localError}
          </p>
        </Alert>
      )}
      {saveError !== null && !conflict && <PathErrors kind={kind} error={saveError} errors={errors} testId={testIds.errors} />}
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={editorId} className="field__label">
            {t(`${kind}.json`)}
          </label>
          <p className="field__hint" id={`${editorId}-hint`}>
            {t(`${kind}.jsonHint`)}
          </p>
          <textarea
            id={editorId}
            className="input textarea code-editor"
            dir="ltr"
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            rows={24}
            value={draft}
            aria-describedby={`${editorId}-hint`}
            aria-invalid={errors.length > 0 || localError !== null || undefined}
            onChange={(e) => onDraft(e.target.value)}
          />
        </div>
        <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? t('common.sending') : t(`${kind}.save`)}
            </button>
            <button
              type="button"
              className="button button--ghost"
              disabled={!dirty}
              onClick={() => {
                onDraft(prettyList(saved.items));
                setSaveError(null);
                setLocalError(null);
              }}
            >
              {t('rules.revert')}
            </button>
        </div>
      </form>
    </section>
  );
}

/** Problems (or warnings) one line per path. */
function PathList({ items, testId }: { items: PathNote[]; testId?: string }) {
  return (
    <ul className="rule-errors" data-testid={testId}>
      {items.map((e) => (
        <li key={`${e.path}|${e.code}|${e.message}`} data-path={e.path}>
          <code dir="ltr" className="rule-errors__path">
            {e.path}
          </code>{' '}
          <span dir="ltr">{e.message}</span>
        </li>
      ))}
    </ul>
  );
}

/** The API's problems with a list, one line per path. */
export function PathErrors({ kind, error, errors, testId }: { kind: ListKind; error: unknown; errors: FieldError[]; testId: string }) {
  const { t } = useI18n();
  if (!errors.length) return <ErrorAlert error={error} />;
  return (
    <Alert tone="error">
      <p className="alert__title">{errors.length === 1 ? t(`${kind}.invalidOne`) : t(`${kind}.invalid`, { count: errors.length })}</p>
      <PathList items={errors} testId={testId} />
    </Alert>
  );
}
