/**
 * Routing rules (admins): the rule set as JSON in an editor, saved with If-Match; every problem
 * the API finds is listed by its path (`rules[2].conditions.any[0].field`). The dry run tests a
 * case against the draft in the editor (or the saved rules) and shows which rule fires and why.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { CASE_TYPES, ORIGINS, PRIORITIES } from '../../../../shared/domain/case';
import { LANGUAGES, TIERS } from '../../../../shared/domain/customer';
import { cachedProducts, cachedSubjects, subjectTree } from '../../api/cache';
import { dryRunRouting, getRuleSet, putRuleSet } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { DryRunCase, DryRunResult, Product, Subject } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Field, type SelectOption, SelectField } from '../../components/Form';
import { usePageTitle } from '../../components/usePageTitle';
import { type MessageKey, useI18n } from '../../i18n';
import '../../styles/agent.css';
import '../../styles/routing.css';
import { JsonListEditor, type ListDoc, PathErrors, parseDraft, useParsedMessage } from './JsonListEditor';

const loadRules = async (): Promise<ListDoc> => {
  const rs = await getRuleSet();
  return { items: rs.value.rules, version: rs.version, updatedAt: rs.value.updatedAt };
};
const saveRules = async (rules: unknown[], version: number): Promise<ListDoc> => {
  const rs = await putRuleSet(rules, version);
  return { items: rs.value.rules, version: rs.version, updatedAt: rs.value.updatedAt };
};
const TEST_IDS = { version: 'rules-version', conflict: 'rules-conflict', localError: 'rules-local-error', errors: 'rule-errors', warnings: 'rules-warnings' };

export default function RoutingRulesPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  usePageTitle(t('rules.title'));
  return (
    <div className="page page--wide">
      <h1>{t('rules.title')}</h1>
      <p className="muted">{t('rules.intro')}</p>
      <div className="rules-layout">
        <JsonListEditor kind="rules" docKey="rules" load={loadRules} save={saveRules} draft={draft} onDraft={setDraft} testIds={TEST_IDS} />
        <DryRunPanel draft={draft} />
      </div>
    </div>
  );
}

interface CaseDraft {
  title: string;
  description: string;
  caseType: string;
  priority: string;
  origin: string;
  subjectId: string;
  productId: string;
  customerTier: string;
  language: string;
}
const EMPTY_CASE: CaseDraft = { title: '', description: '', caseType: '', priority: '', origin: '', subjectId: '', productId: '', customerTier: '', language: '' };

function DryRunPanel({ draft }: { draft: string }) {
  const { t, collator } = useI18n();
  const id = useId();
  const [form, setForm] = useState<CaseDraft>(EMPTY_CASE);
  const [useDraft, setUseDraft] = useState(true);
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const parsedMessage = useParsedMessage('rules');

  useEffect(() => {
    cachedSubjects().then(setSubjects, () => {});
    cachedProducts().then(setProducts, () => {});
  }, []);

  const set = (k: keyof CaseDraft) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setLocalError(null);
    let rules: unknown[] | undefined;
    if (useDraft) {
      const parsed = parseDraft(draft, 'rules');
      if (!parsed.ok) {
        setLocalError(parsedMessage(parsed));
        return;
      }
      rules = parsed.items;
    }
    const c: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) if (v.trim()) c[k] = k === 'title' || k === 'description' ? v : v.trim();
    setBusy(true);
    try {
      setResult(await dryRunRouting({ case: c as DryRunCase, ...(rules ? { rules } : {}) }));
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const select = (k: keyof CaseDraft, label: MessageKey, options: SelectOption[]) => (
    <SelectField
      id={`${id}-${k}`}
      label={t(label)}
      value={form[k]}
      onChange={(value) => setForm((f) => ({ ...f, [k]: value }))}
      placeholder={t('common.notSpecified')}
      options={options}
    />
  );
  const matched = result?.matched ?? null;

  return (
    <section className="card" aria-labelledby="dry-run-heading" data-testid="dry-run">
      <h2 id="dry-run-heading">{t('dryRun.title')}</h2>
      <p className="muted">{t('dryRun.intro')}</p>
      <form className="form" onSubmit={run}>
        <Field id={`${id}-title`} label={t('field.title')}>
          {(control) => <input {...control} className="input" dir="auto" maxLength={200} value={form.title} onChange={set('title')} />}
        </Field>
        <Field id={`${id}-description`} label={t('field.description')}>
          {(control) => <textarea {...control} className="input textarea textarea--short" dir="auto" rows={3} value={form.description} onChange={set('description')} />}
        </Field>
        <div className="form__row">
          {select('caseType', 'field.caseType', CASE_TYPES.map((v) => ({ value: v, label: t(`caseType.${v}`) })))}
          {select('priority', 'field.priority', PRIORITIES.map((v) => ({ value: v, label: t(`priority.${v}`) })))}
          {select('origin', 'field.origin', ORIGINS.map((v) => ({ value: v, label: t(`origin.${v}`) })))}
        </div>
        <div className="form__row">
          {select(
            'subjectId',
            'field.subjectId',
            subjectTree(subjects, collator).map((s) => ({ value: s.id, label: `${'— '.repeat(s.depth)}${s.name}` })),
          )}
          {select(
            'productId',
            'field.productId',
            [...products].sort((a, b) => collator.compare(a.name, b.name)).map((p) => ({ value: p.id, label: p.name })),
          )}
        </div>
        <div className="form__row">
          {select('customerTier', 'customer.tier', TIERS.map((v) => ({ value: v, label: t(`tier.${v}`) })))}
          {select('language', 'customer.language', LANGUAGES.map((v) => ({ value: v, label: t(`language.${v}`) })))}
        </div>
        <div className="checkbox-field">
          <input type="checkbox" id={`${id}-draft`} checked={useDraft} onChange={(e) => setUseDraft(e.target.checked)} />
          <label htmlFor={`${id}-draft`}>{t('dryRun.useDraft')}</label>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('common.sending') : t('dryRun.run')}
          </button>
        </div>
      </form>

      <div aria-live="polite" className="dry-run__result">
        {localError && (
          <Alert tone="error">
            <p className="alert__title">{localError}</p>
          </Alert>
        )}
        {error !== null && <PathErrors kind="rules" error={error} errors={isApiError(error) ? error.errors : []} testId="dry-run-errors" />}
        {result && (
          <>
            <h3>{t('dryRun.result')}</h3>
            <dl className="details">
              <div>
                <dt>{t('dryRun.rule')}</dt>
                <dd data-testid="dry-run-rule">
                  {matched ? t('dryRun.ruleFired', { name: matched.ruleName, order: matched.order }) : t('dryRun.noRule')}
                </dd>
              </div>
              <div>
                <dt>{t('field.queueId')}</dt>
                <dd data-testid="dry-run-queue">
                  {result.decision.queueName ?? result.decision.queueId ?? t('change.none')}
                  {result.decision.defaultQueue && ` ${t('dryRun.defaultQueue')}`}
                </dd>
              </div>
              <div>
                <dt>{t('field.priority')}</dt>
                <dd>{result.decision.priority ? t(`priority.${result.decision.priority}`) : t('dryRun.unchanged')}</dd>
              </div>
              <div>
                <dt>{t('dryRun.tags')}</dt>
                <dd>{result.decision.tags.length ? result.decision.tags.join(t('common.listSeparator')) : t('change.none')}</dd>
              </div>
              {result.decision.agentId && (
                <div>
                  <dt>{t('dryRun.agent')}</dt>
                  <dd data-testid="dry-run-agent">{result.decision.agentName ?? result.decision.agentId}</dd>
                </div>
              )}
              {Object.keys(result.decision.skills).length > 0 && (
                <div>
                  <dt>{t('dryRun.skills')}</dt>
                  <dd dir="ltr">
                    {Object.entries(result.decision.skills)
                      .map(([skill, level]) => `${skill} ≥ ${level}`)
                      .join(t('common.listSeparator'))}
                  </dd>
                </div>
              )}
            </dl>
            <h4>{t('dryRun.decision')}</h4>
            <p className="dry-run__text" dir="ltr" data-testid="dry-run-decision">
              {result.decision.text}
            </p>
            <h4>{t('dryRun.trace', { count: result.evaluated })}</h4>
            <ol className="trace" data-testid="dry-run-trace">
              {result.trace.map((r) => (
                <li key={`${r.ruleId}-${r.order}`} className={`trace__rule trace__rule--${r.outcome}`} data-outcome={r.outcome}>
                  <span className="trace__name" dir="auto">
                    {r.ruleName}
                  </span>{' '}
                  <span className="muted">#{r.order}</span> <span className={`badge badge--outcome-${r.outcome}`}>{t(`dryRun.outcome.${r.outcome}`)}</span>
                  {(r.reasons.length > 0 || r.error) && (
                    <ul className="trace__reasons" dir="ltr">
                      {r.reasons.map((x) => (
                        <li key={x}>{x}</li>
                      ))}
                      {r.error && <li>{r.error}</li>}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
            {result.skipped.length > 0 && (
              <>
                <h4>{t('dryRun.skipped')}</h4>
                <ul>
                  {result.skipped.map((s) => (
                    <li key={s.ruleId} dir="ltr">
                      {s.ruleName}: {s.error}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </div>
    </section>
  );
}
