/**
 * The SLA card of the agent's case page: when the case's timer next checks it, then per KPI its
 * status (a coloured badge that says it in words), the deadline with a live countdown, the
 * warning time, the stages already acted on, and "Why this deadline?" with the explanation (the
 * engine's facts in the reader's language) and the clock's ledger. Next response runs once per
 * exchange: the latest is shown in full, the earlier ones in a table. Loaded from
 * GET /cases/{id}/sla again whenever the case changes (its version) and every minute; staff only
 * (the portal never shows it). Countdowns count from the server's clock (`computedAt`), so a
 * moved local clock shows what the server sees.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { PRIORITIES } from '../../../../shared/domain/case';
import { getCaseSla } from '../../api/endpoints';
import type { CaseSla, ClockFact, KpiState } from '../../api/types';
import { Alert, useErrorText } from '../../components/Alert';
import { DateTime } from '../../components/DateTime';
import { Loading } from '../../components/Loading';
import { Table } from '../../components/Table';
import { formatDuration } from '../../components/duration';
import { usePolling } from '../../components/usePolling';
import { type I18n, useI18n } from '../../i18n';
import { kpiLabel, stagesActedOn } from './sla';
import '../../styles/sla.css';

const TICKING: readonly KpiState['status'][] = ['in_progress', 'nearing_noncompliance', 'noncompliant'];
/** the badge colours of the case page, by what they mean; the words say it too */
const BADGE: Record<KpiState['status'], string> = {
  in_progress: 'badge--state-active',
  nearing_noncompliance: 'badge--priority-high',
  succeeded: 'badge--state-resolved',
  noncompliant: 'badge--priority-urgent',
  paused: 'badge--tier-premium',
  cancelled: 'badge--state-cancelled',
};

export function SlaCard({ caseId, version }: { caseId: string; version: number }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [sla, setSla] = useState<CaseSla | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());
  /** the server's clock minus this browser's, when the SLA was read */
  const [offset, setOffset] = useState(0);
  const alive = useRef(true);

  const load = useCallback(async () => {
    try {
      const next = await getCaseSla(caseId);
      if (!alive.current) return;
      const at = Date.now();
      setSla(next);
      setOffset(Date.parse(next.computedAt) - at || 0);
      setError(null);
      setNow(at);
    } catch (e) {
      if (alive.current) setError(e);
    }
  }, [caseId]);

  // again whenever the case changes (status, priority, a reply... move the clocks)
  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [load, version]);
  usePolling(load, 60_000);

  const ticking = sla?.kpis.some((k) => TICKING.includes(k.status)) ?? false;
  usePolling(() => {
    if (ticking || sla?.timer) setNow(Date.now());
  }, 1_000);

  const failed = error !== null ? errorText(error) : null;
  const serverNow = now + offset;
  return (
    <section className="card sla" aria-labelledby="sla-heading" data-testid="sla-card">
      <h2 id="sla-heading">{t('sla.title')}</h2>
      {failed && (
        <Alert tone="error">
          <p className="alert__title" data-testid="sla-error">
            {t('sla.loadFailed')}
          </p>
          <p className="alert__detail">
            {failed.title}
            {failed.detail ? ` ${failed.detail}` : ''}
          </p>
        </Alert>
      )}
      {sla === null && error === null && <Loading />}
      {sla !== null && sla.policyId === null && (
        <p className="muted" data-testid="sla-none">
          {t('sla.none')}
        </p>
      )}
      {sla !== null && sla.policyId !== null && (
        <>
          <p className="muted sla__policy">{t('sla.policy', { name: sla.policyName ?? sla.policyId })}</p>
          <NextCheck timer={sla.timer ?? null} now={serverNow} />
          {shownKpis(sla.kpis).map(({ kpi, earlier }) => (
            <KpiView key={`${kpi.kpi}-${kpi.cycle}`} kpi={kpi} earlier={earlier} marks={sla.marks ?? []} now={serverNow} />
          ))}
        </>
      )}
    </section>
  );
}

/**
 * The clocks to show in full, in the API's order: every KPI once, next response by its latest
 * exchange (the one still running, or the last), with the earlier exchanges beside it.
 */
function shownKpis(kpis: KpiState[]): { kpi: KpiState; earlier: KpiState[] }[] {
  const repeated = kpis.filter((k) => k.kpi === 'next_response').sort((a, b) => (a.cycle ?? 0) - (b.cycle ?? 0));
  const latest = repeated.at(-1);
  const out: { kpi: KpiState; earlier: KpiState[] }[] = [];
  for (const k of kpis) {
    if (k.kpi !== 'next_response') out.push({ kpi: k, earlier: [] });
    else if (k === latest) out.push({ kpi: k, earlier: repeated.slice(0, -1).reverse() });
  }
  return out;
}

/** When the timer next wakes to check the case (and act on a warning or breach that is due). */
function NextCheck({ timer, now }: { timer: CaseSla['timer']; now: number }) {
  const { t, locale } = useI18n();
  let text: string;
  if (!timer) text = t('sla.noCheck');
  else {
    const left = Date.parse(timer.wakeAt) - now;
    text = left > 0 ? t('sla.checkIn', { duration: formatDuration(locale, left, { seconds: left < 3_600_000 }) }) : t('sla.checkDue');
  }
  return (
    <dl className="details sla__timer" data-testid="sla-timer">
      <div>
        <dt>{t('sla.nextCheck')}</dt>
        <dd>
          {timer && (
            <>
              <DateTime iso={timer.wakeAt} />
              <br />
            </>
          )}
          <span className="muted" data-testid="sla-next-check">
            {text}
          </span>
        </dd>
      </div>
    </dl>
  );
}

function KpiView({ kpi, earlier, marks, now }: { kpi: KpiState; earlier: KpiState[]; marks: string[]; now: number }) {
  const { t, locale } = useI18n();
  const cycle = kpi.cycle ?? 0;
  const headingId = `sla-kpi-${kpi.kpi}`;
  const acted = stagesActedOn(marks, kpi.kpi, cycle);
  return (
    <div className="sla-kpi" data-testid="sla-kpi" data-kpi={kpi.kpi} data-cycle={cycle} data-status={kpi.status}>
      <h3 id={headingId} className="sla-kpi__title">
        {kpiLabel(t, kpi.kpi, cycle)}{' '}
        <span className={`badge ${BADGE[kpi.status]}`} data-testid="sla-status">
          {t(`sla.status.${kpi.status}`)}
        </span>
      </h3>
      <dl className="details sla-kpi__details">
        {kpi.failureAt && (
          <div>
            <dt>{t('sla.deadline')}</dt>
            <dd data-testid="sla-deadline">
              <DateTime iso={kpi.failureAt} />
            </dd>
          </div>
        )}
        <Countdown kpi={kpi} now={now} />
        {kpi.warningAt && (
          <div>
            <dt>{t('sla.warningAt')}</dt>
            <dd>
              <DateTime iso={kpi.warningAt} />
            </dd>
          </div>
        )}
        {kpi.achievedAt && (
          <div>
            <dt>{t('sla.achievedAt')}</dt>
            <dd>
              <DateTime iso={kpi.achievedAt} />
            </dd>
          </div>
        )}
        {acted.length > 0 && (
          <div>
            <dt>{t('sla.actedOn')}</dt>
            <dd>
              <ul className="sla__marks" data-testid="sla-marks">
                {acted.map((stage) => (
                  <li key={stage} className={`tag sla__mark sla__mark--${stage}`} data-stage={stage}>
                    {t(`sla.mark.${stage}`)}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('sla.target')}</dt>
          <dd>
            {formatDuration(locale, kpi.targetMinutes * 60_000)} · {t(`priority.${kpi.priority}`)}
          </dd>
        </div>
        <div>
          <dt>{t('sla.calendar')}</dt>
          <dd>
            <span dir="auto">{kpi.calendar.name}</span>
            <span className="sla__zone">
              <bdi>{kpi.calendar.timeZone}</bdi>
            </span>
          </dd>
        </div>
      </dl>
      <Why kpi={kpi} />
      {earlier.length > 0 && <EarlierExchanges kpis={earlier} marks={marks} />}
    </div>
  );
}

/** Next response's earlier exchanges, newest first: status, when each started and was answered (or due), the stages acted on. */
function EarlierExchanges({ kpis, marks }: { kpis: KpiState[]; marks: string[] }) {
  const { t, dateTime } = useI18n();
  return (
    <details className="sla-why" data-testid="sla-earlier">
      <summary>{t('sla.earlier', { count: kpis.length })}</summary>
      <ol className="sla-earlier">
        {kpis.map((k) => {
          const acted = stagesActedOn(marks, k.kpi, k.cycle);
          const times = [t('sla.earlierStarted', { time: dateTime(k.startedAt) })];
          if (k.achievedAt) times.push(t('sla.earlierAnswered', { time: dateTime(k.achievedAt) }));
          else if (k.failureAt) times.push(t('sla.earlierDue', { time: dateTime(k.failureAt) }));
          return (
            <li key={k.cycle} data-cycle={k.cycle}>
              <span className="sla-earlier__name">{t('sla.exchangeN', { cycle: k.cycle })}</span>{' '}
              <span className={`badge ${BADGE[k.status]}`}>{t(`sla.status.${k.status}`)}</span>
              <span className="sla-earlier__times">{times.join(t('common.listSeparator'))}</span>
              {acted.length > 0 && <span className="sla-earlier__times">{acted.map((stage) => t(`sla.mark.${stage}`)).join(t('common.listSeparator'))}</span>}
            </li>
          );
        })}
      </ol>
    </details>
  );
}

/** Time left or overdue, to the second while the clock runs; the working time left while paused. */
function Countdown({ kpi, now }: { kpi: KpiState; now: number }) {
  const { t, locale } = useI18n();
  let text: string | null = null;
  let overdue = false;
  if (kpi.status === 'paused') text = t('sla.pausedLeft', { remaining: formatDuration(locale, kpi.remainingMs) });
  else if (TICKING.includes(kpi.status)) {
    const left = kpi.failureAt ? new Date(kpi.failureAt).getTime() - now : kpi.remainingMs;
    overdue = left <= 0 || kpi.status === 'noncompliant';
    const duration = formatDuration(locale, left, { seconds: true });
    text = overdue ? t('sla.overdueBy', { duration }) : t('sla.left', { duration });
  }
  if (text === null) return null;
  return (
    <div>
      <dt>{t('sla.timeLeft')}</dt>
      <dd>
        <span className={overdue ? 'sla__countdown sla__countdown--overdue' : 'sla__countdown'} role="timer" data-testid="sla-countdown">
          {text}
        </span>
      </dd>
    </div>
  );
}

/** "Why this deadline?": the explanation (facts in the reader's language) and the ledger of clock segments. */
function Why({ kpi }: { kpi: KpiState }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const lines = explanationLines(i18n, kpi);
  return (
    <details className="sla-why" data-testid="sla-why">
      <summary>{t('sla.why')}</summary>
      {lines.length > 0 && (
        <ul className="sla-why__lines" dir="auto">
          {lines.map((line, i) => (
            // the lines are the facts in order; two may read alike
            <li key={i} lang={line.lang}>
              {line.text}
            </li>
          ))}
        </ul>
      )}
      {kpi.ledger.length > 0 && (
        <Table
          variant="sla-ledger"
          caption={t('sla.ledgerCaption', { kpi: kpiLabel(t, kpi.kpi, kpi.cycle ?? 0) })}
          columns={[t('sla.ledger.kind'), t('sla.ledger.period'), t('sla.ledger.counted')]}
        >
          {kpi.ledger.map((s) => (
            <tr key={`${s.from}-${s.kind}`} data-kind={s.kind}>
              <td>{t(`sla.ledgerKind.${s.kind}`)}</td>
              <td>
                <DateTime iso={s.from} /> – <DateTime iso={s.to} />
              </td>
              <td>{s.countedMs > 0 ? formatDuration(locale, s.countedMs) : t('sla.ledger.notCounted')}</td>
            </tr>
          ))}
        </Table>
      )}
    </details>
  );
}

/**
 * The explanation's lines: each fact phrased in the reader's language; a fact this screen does
 * not know (or a reply without facts) falls back to the API's English sentence, marked as English.
 */
export function explanationLines(i18n: Pick<I18n, 't' | 'locale' | 'dateTime' | 'number'>, kpi: Pick<KpiState, 'facts' | 'explanation'>): { text: string; lang?: string }[] {
  const facts = kpi.facts ?? [];
  if (!facts.length) return kpi.explanation.map((text) => ({ text, lang: 'en' }));
  return facts.map((f, i) => {
    const text = factText(i18n, f);
    if (text !== null) return { text };
    const fallback = kpi.explanation[i];
    return fallback === undefined ? { text: f.code } : { text: fallback, lang: 'en' };
  });
}

const isPriority = (v: unknown): v is (typeof PRIORITIES)[number] => typeof v === 'string' && (PRIORITIES as readonly string[]).includes(v);

/** A name inside a sentence, isolated (FSI … PDI) so an English name keeps its order in a Persian line and vice versa. */
const isolate = (text: string) => `\u2068${text}\u2069`;

function factText({ t, locale, dateTime, number }: Pick<I18n, 't' | 'locale' | 'dateTime' | 'number'>, f: ClockFact): string | null {
  const v = f.values;
  const ms = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const time = (x: unknown) => (typeof x === 'string' && x ? dateTime(x) : null);
  switch (f.code) {
    case 'target': {
      const priority = isPriority(v.priority) ? t(`priority.${v.priority}`) : String(v.priority ?? '');
      return t('sla.fact.target', { duration: formatDuration(locale, ms(v.minutes) * 60_000), priority, calendar: isolate(String(v.calendar ?? '')) });
    }
    case 'counted':
      return ms(v.pausedMs) > 0
        ? t('sla.fact.countedPaused', { elapsed: formatDuration(locale, ms(v.elapsedMs)), paused: formatDuration(locale, ms(v.pausedMs)) })
        : t('sla.fact.counted', { elapsed: formatDuration(locale, ms(v.elapsedMs)) });
    case 'outside_hours':
      return t('sla.fact.outside_hours', { count: number(ms(v.stretches)) });
    case 'met':
      return time(v.at) ? t('sla.fact.met', { time: time(v.at)! }) : null;
    case 'breached':
      return time(v.at) ? t('sla.fact.breached', { time: time(v.at)! }) : null;
    case 'paused':
      return t('sla.fact.paused', { remaining: formatDuration(locale, ms(v.remainingMs)) });
    case 'cancelled':
      return t('sla.fact.cancelled');
    case 'deadline': {
      const deadline = time(v.failureAt);
      const warning = time(v.warningAt);
      if (!deadline) return null;
      return warning ? t('sla.fact.deadline', { deadline, warning }) : t('sla.fact.deadlineOnly', { deadline });
    }
    case 'calendar_missing':
      return t('sla.fact.calendar_missing', { id: isolate(String(v.calendarId ?? '')) });
    default:
      return null;
  }
}
