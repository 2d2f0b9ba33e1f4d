import { type FieldError, isApiError } from '../api/errors';
import { isMessageKey, useI18n } from '../i18n';

/** True when `path` is `prefix` itself or lies under it (`members.0`, `rules[2].id`). */
export const underPath = (path: string, prefix: string) =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/**
 * The API's field errors for a form field and everything under it (e.g. `requiredSkills.printers`),
 * in our words where we have them (`describe`, then the code's message), else the API's.
 */
export function useFieldMessages(error: unknown, describe?: (e: FieldError) => string | undefined) {
  const { t } = useI18n();
  return (prefix: string): string[] => {
    if (!isApiError(error)) return [];
    return error.errors
      .filter((e) => underPath(e.path, prefix))
      .map((e) => {
        const key = `fieldError.${e.code}`;
        const text = describe?.(e) ?? (isMessageKey(key) ? t(key) : e.message);
        return e.path === prefix ? text : `${e.path.slice(prefix.length).replace(/^\./, '')}: ${text}`;
      });
  };
}

/** The messages under a field; give the field `aria-describedby={id}` when there are any. */
export function FieldMessages({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <ul className="field__errors" id={id}>
      {messages.map((m) => (
        <li key={m} className="field__error">
          {m}
        </li>
      ))}
    </ul>
  );
}
