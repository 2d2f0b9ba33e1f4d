/**
 * SLA report (managers, admins): how many SLA clocks were met and breached in a range of UTC days
 * (the last 30 by default), grouped by day, queue, agent or priority, for one KPI or all; a table
 * with met, breached, total and met % (with a bar), and the totals per KPI above it. The query
 * lives in the address; an invalid range is answered by the API and shown at its field.
 */
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PRIORITIES } from '../../../../shared/domain/case';
import { useDirectory } from '../../api/cache';
import { getSlaMeasures } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { KpiName, MeasureDimension, MeasureRow, SlaMeasures } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField, optionsOf } from '../../components/Form';
import { Loading } from '../../components/Loading';
import { Table } from '../../components/Table';
import { shortId } from '../../components/Timeline';
import { usePageTitle } from '../../components/usePageTitle';
import { isMessageKey, useI18n } from '../../i18n';
import { KPIS, isKpi } from '../agent/sla';
import '../../styles/agent.css';
import '../../styles/routing.css';
import '../../styles/sla.css';

const DIMENSIONS: readonly MeasureDimension[] = ['day', 'queue', 'agent', 'priority'];
const isDimension = (v: string | null): v is MeasureDimension => v !== null && (DIMENSIONS as readonly string[]).includes(v);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A UTC day (YYYY-MM-DD) `days` after today's. */
const utcDay = (days = 0) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

interface Query {
  from: string;
  to: string;
  by: MeasureDimension;
  kpi: KpiName | '';
}

function queryOf(params: URLSearchParams): Query {
  const from = params.get('from');
  const to = params.get('to');
  const by = params.get('by');
  const kpi = params.get('kpi');
  return {
    from: from && DAY.test(from) ? from : utcDay(-29),
    to: to && DAY.test(to) ? to : utcDay(),
    by: isDimension(by) ? by : 'day',
    kpi: isKpi(kpi) ? kpi : '',
  };
}

export default function SlaMeasuresPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryOf(params), [params]);
  const [draft, setDraft] = useState<Query>(query);
  const [data, setData] = useState<SlaMeasures | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const ids = { from: useId(), to: useId(), by: useId(), kpi: useId() };
  usePageTitle(t('measures.title'));

  // the form follows the address (back/forward, a link)
  useEffect(() => {
    setDraft(query);
  }, [query]);

  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    getSlaMeasures({ from: query.from, to: query.to, by: query.by, ...(query.kpi ? { kpi: query.kpi } : {}) }, ac.signal)
      .then((d) => {
        if (ac.signal.aborted) return;
        setData(d);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        setData(null);
        setError(e);
        setLoading(false);
      });
    return () => ac.abort();
  }, [query]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    next.set('from', draft.from);
    next.set('to', draft.to);
    next.set('by', draft.by);
    if (draft.kpi) next.set('kpi', draft.kpi);
    setParams(next);
  };

  /** our words for a field's error from the API (the range at `to`), else the API's */
  const fieldErrors = (path: 'from' | 'to'): string[] => {
    if (!isApiError(error)) return [];
    return error.errors
      .filter((fe) => fe.path === path)
      .map((fe) => {
        const key = `measures.error.${fe.code}`;
        return isMessageKey(key) ? t(key) : fe.message;
      });
  };

  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{t('measures.title')}</h1>
      </div>
      <p className="muted">{t('measures.intro')}</p>

      <form className="filter-bar measures-form" aria-label={t('measures.query')} onSubmit={submit} noValidate>
        <Field id={ids.from} label={t('measures.from')} errors={fieldErrors('from')}>
          {(control) => (
            <input {...control} type="date" className="input input--date" required value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          )}
        </Field>
        <Field id={ids.to} label={t('measures.to')} errors={fieldErrors('to')}>
          {(control) => <input {...control} type="date" className="input input--date" required value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}
        </Field>
        <SelectField
          id={ids.by}
          label={t('measures.by')}
          value={draft.by}
          onChange={(v) => setDraft({ ...draft, by: isDimension(v) ? v : 'day' })}
          options={optionsOf(DIMENSIONS, (d) => t(`measures.by.${d}`))}
        />
        <SelectField
          id={ids.kpi}
          label={t('measures.kpi')}
          value={draft.kpi}
          onChange={(v) => setDraft({ ...draft, kpi: isKpi(v) ? v : '' })}
          placeholder={t('measures.allKpis')}
          options={optionsOf(KPIS, (k) => t(`sla.kpi.${k}`))}
        />
        <div className="measures-form__submit">
          <button type="submit" className="button button--primary">
            {t('measures.show')}
          </button>
        </div>
      </form>

      <section aria-labelledby="measures-heading" aria-busy={loading || undefined}>
        <h2 id="measures-heading" className="section-title">
          {t('measures.heading', { from: formatUtcDay(locale, query.from), to: formatUtcDay(locale, query.to), by: t(`measures.by.${query.by}`) })}
        </h2>
        {error !== null && <ErrorAlert error={error} />}
        {loading && data === null && error === null && <Loading />}
        {data && <MeasuresResult data={data} />}
      </section>
    </div>
  );
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** A UTC day in the reader's calendar and digits (never shifted by their time zone). */
function formatUtcDay(locale: string, day: string) {
  let f = dayFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    dayFormats.set(locale, f);
  }
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : f.format(d);
}

const PRIORITY_RANK = new Map<string, number>(PRIORITIES.map((p, i) => [p, -i]));

function MeasuresResult({ data }: { data: SlaMeasures }) {
  const { t, locale, number, collator } = useI18n();
  const dir = useDirectory(true);
  const percent = useMemo(() => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }), [locale]);
  const by = data.by;

  const keyLabel = (key: string | null): string => {
    if (by === 'day') return key ? formatUtcDay(locale, key) : t('change.none');
    if (by === 'queue') return key === null ? t('atRisk.noQueue') : (dir.queues.get(key) ?? shortId(key));
    if (by === 'agent') return key === null ? t('measures.noOwner') : (dir.agents.get(key) ?? t('owner.other', { id: shortId(key) }));
    return key && (PRIORITIES as readonly string[]).includes(key) ? t(`priority.${key as (typeof PRIORITIES)[number]}`) : (key ?? t('change.none'));
  };

  // days in order, priorities most urgent first, names alphabetically (no queue / no owner last); then the KPI
  const rows = [...data.rows].sort((a, b) => {
    let c = 0;
    if (a.key === null || b.key === null) c = a.key === b.key ? 0 : a.key === null ? 1 : -1;
    else if (by === 'day') c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    else if (by === 'priority') c = (PRIORITY_RANK.get(b.key) ?? 0) - (PRIORITY_RANK.get(a.key) ?? 0);
    else c = collator.compare(keyLabel(a.key), keyLabel(b.key));
    return c || KPIS.indexOf(a.kpi) - KPIS.indexOf(b.kpi);
  });

  const totals = KPIS.map((kpi) => {
    const of = data.rows.filter((r) => r.kpi === kpi);
    const met = of.reduce((n, r) => n + r.met, 0);
    const breached = of.reduce((n, r) => n + r.breached, 0);
    return { kpi, met, breached, total: met + breached };
  }).filter((x) => x.total > 0);

  if (!rows.length) return <p className="empty">{t('measures.none')}</p>;
  const dimension = t(`measures.by.${by}`);
  return (
    <>
      <dl className="queue-stats measures-totals" data-testid="measures-totals">
        {totals.map((x) => (
          <div key={x.kpi} data-kpi={x.kpi}>
            <dt>{t(`sla.kpi.${x.kpi}`)}</dt>
            <dd>{percent.format(x.met / x.total)}</dd>
            <dd className="measures-totals__counts">{t('measures.totalsLine', { met: number(x.met), breached: number(x.breached) })}</dd>
          </div>
        ))}
      </dl>
      <Table
        variant="table--measures"
        caption={t('measures.caption', { by: dimension })}
        columns={[dimension, t('measures.kpi'), t('measures.met'), t('measures.breached'), t('measures.total'), t('measures.metPercent')]}
      >
        {rows.map((r) => (
          <MeasureTableRow key={`${r.key ?? ''}|${r.kpi}`} row={r} label={keyLabel(r.key)} percent={percent} />
        ))}
      </Table>
    </>
  );
}

function MeasureTableRow({ row: r, label, percent }: { row: MeasureRow; label: string; percent: Intl.NumberFormat }) {
  const { t, number } = useI18n();
  const value = r.metPercent;
  const text = value === null ? t('change.none') : percent.format(value / 100);
  return (
    <tr data-testid="measure-row" data-key={r.key ?? ''} data-kpi={r.kpi}>
      <th scope="row" dir="auto">
        {label}
      </th>
      <td>{t(`sla.kpi.${r.kpi}`)}</td>
      <td className="count" data-testid="measure-met">
        {number(r.met)}
      </td>
      <td className="count" data-testid="measure-breached">
        {number(r.breached)}
      </td>
      <td className="count">{number(r.total)}</td>
      <td>
        <span className="measure-bar">
          {value !== null && (
            <meter className="measure-bar__meter" min={0} max={100} low={80} high={95} optimum={100} value={value} aria-label={t('measures.meterLabel', { percent: text, label })}>
              {text}
            </meter>
          )}
          <span className="measure-bar__text">{text}</span>
        </span>
      </td>
    </tr>
  );
}
