/**
 * The SLA card of the agent's case page: per KPI its status (a coloured badge that says it in
 * words), the deadline with a live countdown, the warning time, and "Why this deadline?" with
 * the engine's explanation and the clock's ledger. Loaded from GET /cases/{id}/sla again whenever
 * the case changes (its version) and every minute; staff only (the portal never shows it).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { getCaseSla } from '../../api/endpoints';
import type { CaseSla, KpiState } from '../../api/types';
import { Alert, useErrorText } from '../../components/Alert';
import { DateTime } from '../../components/DateTime';
import { Loading } from '../../components/Loading';
import { Table } from '../../components/Table';
import { formatDuration } from '../../components/duration';
import { usePolling } from '../../components/usePolling';
import { useI18n } from '../../i18n';
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
  const alive = useRef(true);

  const load = useCallback(async () => {
    try {
      const next = await getCaseSla(caseId);
      if (!alive.current) return;
      setSla(next);
      setError(null);
      setNow(Date.now());
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
    if (ticking) setNow(Date.now());
  }, 1_000);

  const failed = error !== null ? errorText(error) : null;
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
          {sla.kpis.map((k) => (
            <KpiView key={k.kpi} kpi={k} now={now} />
          ))}
        </>
      )}
    </section>
  );
}

function KpiView({ kpi, now }: { kpi: KpiState; now: number }) {
  const { t, locale } = useI18n();
  const headingId = `sla-kpi-${kpi.kpi}`;
  return (
    <div className="sla-kpi" data-testid="sla-kpi" data-kpi={kpi.kpi} data-status={kpi.status}>
      <h3 id={headingId} className="sla-kpi__title">
        {t(`sla.kpi.${kpi.kpi}`)}{' '}
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
    </div>
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

/** "Why this deadline?": the engine's explanation and the ledger of clock segments. */
function Why({ kpi }: { kpi: KpiState }) {
  const { t, locale } = useI18n();
  return (
    <details className="sla-why" data-testid="sla-why">
      <summary>{t('sla.why')}</summary>
      {kpi.explanation.length > 0 && (
        <ul className="sla-why__lines" dir="auto">
          {kpi.explanation.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {kpi.ledger.length > 0 && (
        <Table
          variant="sla-ledger"
          caption={t('sla.ledgerCaption', { kpi: t(`sla.kpi.${kpi.kpi}`) })}
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
