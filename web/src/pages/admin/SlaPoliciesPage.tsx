/**
 * SLA policies (admins): the ordered policies as JSON, saved with If-Match; every problem the API
 * finds is listed by its path (`policies[1].kpis.resolve.targetMinutes.high`), and what the API
 * saved but finds suspicious (a policy that can never apply) is shown as a note.
 */
import { useState } from 'react';
import { getSlaPolicies, putSlaPolicies } from '../../api/endpoints';
import type { SlaPoliciesDoc, Versioned } from '../../api/types';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { JsonListEditor, type ListDoc } from './JsonListEditor';

const asList = (res: Versioned<SlaPoliciesDoc>): ListDoc => ({
  items: res.value.policies,
  version: res.version,
  updatedAt: res.value.updatedAt,
  warnings: res.value.warnings,
});
const load = async () => asList(await getSlaPolicies());
const save = async (policies: unknown[], version: number) => asList(await putSlaPolicies(policies, version));
const TEST_IDS = { version: 'policies-version', conflict: 'policies-conflict', localError: 'policies-local-error', errors: 'policy-errors', warnings: 'policy-warnings' };

export default function SlaPoliciesPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  usePageTitle(t('slaPolicies.title'));
  return (
    <div className="page page--wide">
      <h1>{t('slaPolicies.title')}</h1>
      <p className="muted">{t('slaPolicies.intro')}</p>
      <JsonListEditor kind="slaPolicies" docKey="policies" load={load} save={save} draft={draft} onDraft={setDraft} testIds={TEST_IDS} />
    </div>
  );
}
