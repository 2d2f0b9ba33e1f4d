import type { CaseState, CaseStatus, Presence, Priority } from '../api/types';
import { useI18n } from '../i18n';

export function StatusBadge({ state, status }: { state: CaseState; status: CaseStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--state-${state}`}>{t(`status.${status}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useI18n();
  return <span className={`badge badge--priority-${priority}`}>{t(`priority.${priority}`)}</span>;
}

export function PresenceBadge({ presence }: { presence: Presence }) {
  const { t } = useI18n();
  return <span className={`badge badge--presence-${presence}`}>{t(`presence.${presence}`)}</span>;
}
