/**
 * Business-hours calendars (admins): each calendar's zone, working week and holidays; create,
 * edit and delete (a calendar a policy uses cannot be deleted: the API's 409 says which). Every
 * problem the API finds appears next to the field its path names (`week.mon[0].end`, `holidays[1].date`).
 */
import { useCallback, useId, useState } from 'react';
import { WEEKDAYS } from '../../../../shared/domain/sla/calendar';
import { createCalendar, deleteCalendar, getCalendar, listCalendars, putCalendar } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { CalendarInput, SlaCalendar, Weekday } from '../../api/types';
import { DateTime } from '../../components/DateTime';
import { FieldMessages, underPath, useFieldMessages } from '../../components/FieldMessages';
import { Field, FormActions } from '../../components/Form';
import { Modal } from '../../components/Modal';
import { usePageTitle } from '../../components/usePageTitle';
import { isMessageKey, useI18n } from '../../i18n';
import { AdminListPage, AdminProblem, DeleteForm, EditDialog, type Editing, OtherErrors, RowButton, useAdminList, useVersionedSave } from './shared';
import '../../styles/routing.css';
import '../../styles/sla.css';

/** Offered in the time zone field; any IANA name may be typed. */
const COMMON_ZONES = [
  'UTC',
  'Asia/Tehran',
  'Europe/Berlin',
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Australia/Sydney',
];

export default function CalendarsAdminPage() {
  const { t, number } = useI18n();
  const [editing, setEditing] = useState<Editing<SlaCalendar> | null>(null);
  const [deleting, setDeleting] = useState<SlaCalendar | null>(null);
  usePageTitle(t('calendars.title'));
  const list = useAdminList(useCallback(() => listCalendars(), []));
  const closeEditor = useCallback(() => setEditing(null), []);
  const closeDelete = useCallback(() => setDeleting(null), []);

  return (
    <AdminListPage
      title={t('calendars.title')}
      intro={t('calendars.intro')}
      addLabel={t('calendars.new')}
      onAdd={() => setEditing({ mode: 'create' })}
      list={list}
      caption={t('calendars.caption')}
      columns={[t('calendars.name'), t('calendars.timeZone'), t('calendars.week'), t('calendars.holidays'), t('field.updatedAt')]}
      rows={list.data?.map((c) => (
        <tr key={c.id} data-testid="calendar-row" data-calendar-id={c.id}>
          <th scope="row" dir="auto">
            {c.name}
          </th>
          <td dir="ltr">{c.timeZone}</td>
          <td>
            <WeekSummary week={c.week} />
          </td>
          <td>{number(c.holidays.length)}</td>
          <td>
            <DateTime iso={c.updatedAt} />
          </td>
          <td>
            <div className="row-actions">
              <RowButton label={t('admin.edit')} name={c.name} onClick={() => setEditing({ mode: 'edit', item: c })} />
              <RowButton label={t('admin.delete')} name={c.name} danger onClick={() => setDeleting(c)} />
            </div>
          </td>
        </tr>
      ))}
    >
      <EditDialog
        editing={editing}
        newTitle={t('calendars.newTitle')}
        editTitle={(name) => t('calendars.editTitle', { name })}
        onClose={closeEditor}
        saved={(name) => list.changed(t('calendars.saved', { name }))}
        testId="calendar-dialog"
      >
        {(calendar, onSaved) => <CalendarForm calendar={calendar} onClose={closeEditor} onSaved={onSaved} />}
      </EditDialog>

      <Modal open={deleting !== null} title={t('calendars.deleteTitle')} onClose={closeDelete} testId="delete-calendar-dialog">
        {deleting && (
          <DeleteCalendar
            calendar={deleting}
            onClose={closeDelete}
            onDeleted={() => {
              const name = deleting.name;
              setDeleting(null);
              list.changed(t('calendars.deleted', { name }));
            }}
            onStale={() => void list.reload()}
          />
        )}
      </Modal>
    </AdminListPage>
  );
}

/** "Mon 09:00–17:00; Tue …", days off left out. */
function WeekSummary({ week }: { week: CalendarInput['week'] }) {
  const { t } = useI18n();
  const days = WEEKDAYS.filter((d) => week[d].length > 0);
  if (!days.length) return <>{t('change.none')}</>;
  return (
    <ul className="calendar-week">
      {days.map((d) => (
        <li key={d}>
          {t(`weekday.${d}`)}{' '}
          <span dir="ltr">{week[d].map((iv) => `${iv.start}–${iv.end}`).join(', ')}</span>
        </li>
      ))}
    </ul>
  );
}

let nextKey = 1;
interface IntervalRow {
  key: number;
  start: string;
  end: string;
}
interface HolidayRow {
  key: number;
  date: string;
  name: string;
}
type WeekRows = Record<Weekday, IntervalRow[]>;

const OFFICE_HOURS = (d: Weekday) => (d === 'sat' || d === 'sun' ? [] : [{ start: '09:00', end: '17:00' }]);
const weekRows = (week: CalendarInput['week'] | null): WeekRows =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, (week ? week[d] : OFFICE_HOURS(d)).map((iv) => ({ key: nextKey++, ...iv }))])) as WeekRows;
const FIELDS = ['name', 'timeZone', 'week', 'holidays'];

function CalendarForm({ calendar, onSaved, onClose }: { calendar: SlaCalendar | null; onSaved: (name: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState(calendar?.name ?? '');
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? 'UTC');
  const [week, setWeek] = useState<WeekRows>(() => weekRows(calendar?.week ?? null));
  const [holidays, setHolidays] = useState<HolidayRow[]>(() => (calendar?.holidays ?? []).map((h) => ({ key: nextKey++, ...h })));
  const { busy, error, submit } = useVersionedSave(calendar?.version ?? 0, calendar && (() => getCalendar(calendar.id)));
  // the calendar's own problems in our words; the rest as every form says them
  const messages = useFieldMessages(error, (e) => {
    const key = `calendarError.${e.code}`;
    return isMessageKey(key) ? t(key) : undefined;
  });
  /** the problems of exactly this path (its children have fields of their own) */
  const exact = (path: string) => {
    const under = isApiError(error) ? error.errors.filter((e) => underPath(e.path, path)) : [];
    return messages(path).filter((_, i) => under[i]?.path === path);
  };

  const setDay = (d: Weekday, rows: IntervalRow[]) => setWeek((w) => ({ ...w, [d]: rows }));
  const setRow = (d: Weekday, key: number, change: Partial<IntervalRow>) => setDay(d, week[d].map((r) => (r.key === key ? { ...r, ...change } : r)));
  const setHoliday = (key: number, change: Partial<HolidayRow>) => setHolidays((hs) => hs.map((h) => (h.key === key ? { ...h, ...change } : h)));

  const save = submit(async (version) => {
    const body: CalendarInput = {
      name,
      timeZone: timeZone.trim(),
      week: Object.fromEntries(WEEKDAYS.map((d) => [d, week[d].map(({ start, end }) => ({ start: start.trim(), end: end.trim() }))])) as CalendarInput['week'],
      holidays: holidays.map(({ date, name: n }) => ({ date: date.trim(), name: n })),
    };
    if (calendar) await putCalendar(calendar.id, body, version);
    else await createCalendar(body);
    onSaved(name.trim() || calendar?.name || '');
  });

  return (
    <form className="form" onSubmit={save} noValidate>
      {error !== null && <AdminProblem error={error} />}
      <div className="form__row">
        <Field id={`${id}-name`} label={t('calendars.name')} errors={messages('name')}>
          {(control) => <input {...control} className="input" dir="auto" maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field id={`${id}-zone`} label={t('calendars.timeZone')} hint={t('calendars.timeZoneHint')} hintAfter errors={messages('timeZone')}>
          {(control) => (
            <>
              <input
                {...control}
                className="input"
                dir="ltr"
                list={`${id}-zones`}
                autoComplete="off"
                spellCheck={false}
                maxLength={64}
                value={timeZone}
                onChange={(e) => setTimeZone(e.target.value)}
              />
              <datalist id={`${id}-zones`}>
                {COMMON_ZONES.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>

      <fieldset className="fieldset" data-testid="calendar-week" aria-describedby={exact('week').length ? `${id}-week-errors` : undefined}>
        <legend className="field__label">{t('calendars.week')}</legend>
        <p className="field__hint">{t('calendars.weekHint')}</p>
        {WEEKDAYS.map((d) => (
          <div key={d} className="calendar-day" data-day={d}>
            <h3 className="calendar-day__name">{t(`weekday.${d}`)}</h3>
            <div className="calendar-day__intervals">
              {week[d].length === 0 && <p className="muted calendar-day__off">{t('calendars.dayOff')}</p>}
              {week[d].map((r, i) => {
                const which = <span className="visually-hidden"> {t('calendars.intervalName', { day: t(`weekday.${d}`), n: i + 1 })}</span>;
                const path = `week.${d}[${i}]`;
                return (
                  <div key={r.key} className="interval-row" data-testid="interval-row">
                    {(['start', 'end'] as const).map((edge) => (
                      <Field
                        key={edge}
                        id={`${id}-${d}-${r.key}-${edge}`}
                        label={
                          <>
                            {t(edge === 'start' ? 'calendars.from' : 'calendars.until')}
                            {which}
                          </>
                        }
                        errors={messages(`${path}.${edge}`)}
                      >
                        {(control) => (
                          <input
                            {...control}
                            className="input input--time"
                            dir="ltr"
                            inputMode="numeric"
                            placeholder={edge === 'start' ? '09:00' : '17:00'}
                            maxLength={5}
                            value={r[edge]}
                            onChange={(e) => setRow(d, r.key, { [edge]: e.target.value })}
                          />
                        )}
                      </Field>
                    ))}
                    <button type="button" className="button button--ghost button--small" onClick={() => setDay(d, week[d].filter((x) => x.key !== r.key))}>
                      {t('calendars.removeInterval')}
                      {which}
                    </button>
                    <FieldMessages id={`${id}-${d}-${r.key}-errors`} messages={exact(path)} />
                  </div>
                );
              })}
              <FieldMessages id={`${id}-${d}-errors`} messages={exact(`week.${d}`)} />
              <div>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setDay(d, [...week[d], { key: nextKey++, start: week[d].length ? '' : '09:00', end: week[d].length ? '' : '17:00' }])}
                >
                  {t('calendars.addInterval')}
                  <span className="visually-hidden"> {t(`weekday.${d}`)}</span>
                </button>
              </div>
            </div>
          </div>
        ))}
        <FieldMessages id={`${id}-week-errors`} messages={exact('week')} />
      </fieldset>

      <fieldset className="fieldset" data-testid="calendar-holidays" aria-describedby={exact('holidays').length ? `${id}-holidays-errors` : undefined}>
        <legend className="field__label">{t('calendars.holidays')}</legend>
        <p className="field__hint">{t('calendars.holidaysHint')}</p>
        {holidays.length === 0 && <p className="muted">{t('calendars.noHolidays')}</p>}
        {holidays.map((h, i) => {
          const path = `holidays[${i}]`;
          return (
            <div key={h.key} className="interval-row interval-row--holiday" data-testid="holiday-row">
              <Field id={`${id}-h-${h.key}-date`} label={t('calendars.holidayDate', { n: i + 1 })} errors={messages(`${path}.date`)}>
                {(control) => (
                  <input
                    {...control}
                    className="input input--date"
                    type="date"
                    dir="ltr"
                    value={h.date}
                    onChange={(e) => setHoliday(h.key, { date: e.target.value })}
                  />
                )}
              </Field>
              <Field id={`${id}-h-${h.key}-name`} label={t('calendars.holidayName', { n: i + 1 })} errors={messages(`${path}.name`)}>
                {(control) => <input {...control} className="input" dir="auto" maxLength={120} value={h.name} onChange={(e) => setHoliday(h.key, { name: e.target.value })} />}
              </Field>
              <button type="button" className="button button--ghost button--small" onClick={() => setHolidays((hs) => hs.filter((x) => x.key !== h.key))}>
                {t('calendars.removeHoliday')}
                <span className="visually-hidden"> {h.name || t('calendars.holidayName', { n: i + 1 })}</span>
              </button>
              <FieldMessages id={`${id}-h-${h.key}-errors`} messages={exact(path)} />
            </div>
          );
        })}
        <div>
          <button type="button" className="button button--small" onClick={() => setHolidays((hs) => [...hs, { key: nextKey++, date: '', name: '' }])}>
            {t('calendars.addHoliday')}
          </button>
        </div>
        <FieldMessages id={`${id}-holidays-errors`} messages={exact('holidays')} />
      </fieldset>
      <OtherErrors error={error} shown={FIELDS} />
      <FormActions submit={calendar ? t('admin.save') : t('calendars.create')} busy={busy} onClose={onClose} />
    </form>
  );
}

function DeleteCalendar({ calendar, onDeleted, onClose, onStale }: { calendar: SlaCalendar; onDeleted: () => void; onClose: () => void; onStale: () => void }) {
  const { t } = useI18n();
  return (
    <DeleteForm
      version={calendar.version}
      refetch={() => getCalendar(calendar.id)}
      remove={(version) => deleteCalendar(calendar.id, version)}
      text={t('calendars.deleteText', { name: calendar.name })}
      submit={t('calendars.confirmDelete')}
      onDeleted={onDeleted}
      onClose={onClose}
      onStale={onStale}
    />
  );
}
