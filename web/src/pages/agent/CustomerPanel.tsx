import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { getCustomer, listCases } from '../../api/endpoints';
import type { Case, Customer } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { StatusBadge } from '../../components/Badges';
import { DateTime } from '../../components/DateTime';
import { Loading } from '../../components/Loading';
import { TicketNumber } from '../../components/TicketNumber';
import { useI18n } from '../../i18n';

/** Who the customer is: contact details, their account, and their other cases. */
export function CustomerPanel({ customerId, currentCaseId }: { customerId: string; currentCaseId: string }) {
  const { t } = useI18n();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [account, setAccount] = useState<Customer | null>(null);
  const [cases, setCases] = useState<Case[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const ac = new AbortController();
    setCustomer(null);
    setAccount(null);
    setCases(null);
    getCustomer(customerId, ac.signal)
      .then(async (c) => {
        setCustomer(c);
        if (c.kind === 'contact' && c.accountId) setAccount(await getCustomer(c.accountId, ac.signal));
      })
      .catch((e) => !ac.signal.aborted && setError(e));
    listCases({ customerId, limit: 11 }, ac.signal)
      .then((p) => setCases(p.items.filter((c) => c.id !== currentCaseId).slice(0, 10)))
      .catch((e) => !ac.signal.aborted && setError(e));
    return () => ac.abort();
  }, [customerId, currentCaseId]);

  return (
    <section className="card customer-panel" aria-labelledby="customer-heading" data-testid="customer-panel">
      <h2 id="customer-heading">{t('customer.heading')}</h2>
      {error !== null && <ErrorAlert error={error} />}
      {!customer && error === null && <Loading />}
      {customer && (
        <dl className="details">
          <div>
            <dt>{t('customer.name')}</dt>
            <dd dir="auto">{customer.name}</dd>
          </div>
          <div>
            <dt>{t('customer.email')}</dt>
            <dd>
              {customer.email ? <bdi dir="ltr">{customer.email}</bdi> : t('change.none')}
              {customer.emailBounce && (
                <span className="tag tag--danger customer-panel__bounce" data-testid="email-bounced">
                  {t('customer.emailBounced')} <DateTime iso={customer.emailBounce.at} dateOnly />
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('customer.phone')}</dt>
            <dd>{customer.phone ? <bdi dir="ltr">{customer.phone}</bdi> : t('change.none')}</dd>
          </div>
          <div>
            <dt>{t('customer.tier')}</dt>
            <dd>
              <span className={`badge badge--tier-${customer.tier}`}>{t(`tier.${customer.tier}`)}</span>
            </dd>
          </div>
          <div>
            <dt>{t('customer.language')}</dt>
            <dd>{t(`language.${customer.language}`)}</dd>
          </div>
          <div>
            <dt>{t('customer.account')}</dt>
            <dd>{customer.kind === 'account' ? customer.name : (account?.name ?? (customer.accountId ? '…' : t('change.none')))}</dd>
          </div>
        </dl>
      )}
      <h3>{t('customer.otherCases')}</h3>
      {cases === null && error === null && <Loading />}
      {cases && cases.length === 0 && <p className="muted">{t('customer.noOtherCases')}</p>}
      {cases && cases.length > 0 && (
        <ul className="other-cases">
          {cases.map((c) => (
            <li key={c.id}>
              <Link to={`/agent/cases/${c.id}`} dir="auto">
                {c.title}
              </Link>
              <div className="other-cases__meta">
                <TicketNumber value={c.ticketNumber} /> <StatusBadge state={c.state} status={c.status} /> <DateTime iso={c.updatedAt} dateOnly />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
