/** The languages of the pages, the console, the templates and the letters. */
export const languages = ['en', 'fr'] as const;
export type Language = (typeof languages)[number];

/** The first language of Accept-Language (by q-value, then order) that we have; English otherwise. */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [range = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((parameter) => /^\s*q=([0-9.]+)\s*$/.exec(parameter)?.[1]).find(Boolean);
      return { language: range.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) if ((languages as readonly string[]).includes(range.language)) return range.language as Language;
  return 'en';
}
