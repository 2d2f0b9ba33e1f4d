import { useId } from 'react';
import { LANGS, LANG_NAMES, isLang, useI18n } from '../i18n';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id} className="language-switch__label">
        {t('common.language')}
      </label>
      <select id={id} className="input select select--compact" value={lang} onChange={(e) => isLang(e.target.value) && setLang(e.target.value)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
