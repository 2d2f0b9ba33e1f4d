import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { CASE_TYPES } from '../../../../shared/domain/case';
import { cachedProducts, cachedSubjects, subjectTree } from '../../api/cache';
import { createCase } from '../../api/endpoints';
import type { CaseType, Product, Subject } from '../../api/types';
import { ErrorAlert, useFieldError } from '../../components/Alert';
import { SelectField, optionsOf } from '../../components/Form';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';

const INDENT = '\u00a0\u00a0\u00a0';

export default function NewCasePage() {
  const { t, collator } = useI18n();
  usePageTitle(t('portal.newCase'));
  const navigate = useNavigate();
  const ids = { title: useId(), description: useId(), subject: useId(), product: useId(), type: useId() };
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [productId, setProductId] = useState('');
  const [caseType, setCaseType] = useState<CaseType>('question');
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldError = useFieldError(error);

  useEffect(() => {
    cachedSubjects().then(setSubjects, () => {});
    cachedProducts().then(setProducts, () => {});
  }, []);

  const subjectOptions = useMemo(() => subjectTree(subjects, collator), [subjects, collator]);
  const productOptions = useMemo(() => [...products].sort((a, b) => collator.compare(a.name, b.name)), [products, collator]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await createCase({
        title: title.trim(),
        description: description.trim(),
        caseType,
        ...(subjectId ? { subjectId } : {}),
        ...(productId ? { productId } : {}),
      });
      navigate(`/portal/cases/${created.value.id}`, { state: { created: true } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const errTitle = fieldError('title');
  const errDescription = fieldError('description');

  return (
    <div className="page page--narrow">
      <h1>{t('portal.newCase')}</h1>
      <p className="muted">{t('portal.newCaseIntro')}</p>
      <form className="form card" onSubmit={submit}>
        {error !== null && <ErrorAlert error={error} />}
        <div className="field">
          <label htmlFor={ids.title} className="field__label">
            {t('field.title')}
          </label>
          <input
            id={ids.title}
            dir="auto"
            className="input"
            required
            maxLength={200}
            value={title}
            aria-invalid={errTitle ? true : undefined}
            aria-describedby={errTitle ? `${ids.title}-err` : undefined}
            onChange={(e) => setTitle(e.target.value)}
          />
          {errTitle && (
            <p className="field__error" id={`${ids.title}-err`}>
              {errTitle}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.description} className="field__label">
            {t('field.description')}
          </label>
          <textarea
            id={ids.description}
            dir="auto"
            className="input textarea"
            rows={8}
            required
            maxLength={32000}
            value={description}
            aria-invalid={errDescription ? true : undefined}
            aria-describedby={errDescription ? `${ids.description}-err` : undefined}
            onChange={(e) => setDescription(e.target.value)}
          />
          {errDescription && (
            <p className="field__error" id={`${ids.description}-err`}>
              {errDescription}
            </p>
          )}
        </div>
        <div className="form__row">
          <SelectField
            id={ids.subject}
            label={t('field.subjectId')}
            value={subjectId}
            onChange={setSubjectId}
            placeholder={t('common.notSpecified')}
            options={subjectOptions.map((s) => ({ value: s.id, label: INDENT.repeat(s.depth) + s.name }))}
          />
          <SelectField
            id={ids.product}
            label={t('field.productId')}
            value={productId}
            onChange={setProductId}
            placeholder={t('common.notSpecified')}
            options={productOptions.map((p) => ({ value: p.id, label: p.name }))}
          />
          <SelectField
            id={ids.type}
            label={t('field.caseType')}
            value={caseType}
            onChange={(v) => setCaseType(v as CaseType)}
            options={optionsOf(CASE_TYPES, (ct) => t(`caseType.${ct}`))}
          />
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('common.sending') : t('portal.submitCase')}
          </button>
        </div>
      </form>
    </div>
  );
}
