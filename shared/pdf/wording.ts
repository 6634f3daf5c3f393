import type { Language } from '../core/languages';

export type CodeKind = 'sign-up' | 'password-reset';

interface Wording {
  title: Record<CodeKind, string>;
  identifier: string;
  code: Record<CodeKind, string>;
  validUntil: string;
  /** Shorter, for a card. */
  cardValidUntil: string;
  scan: string;
  steps: Record<CodeKind, [string, string, string]>;
  /** Before and after the page's address. */
  cardSteps: Record<CodeKind, [string, string]>;
  keepPrivate: string;
  documentTitle: Record<'letter' | 'cards', string>;
}

/**
 * What a letter and a card say, in each language; {name} is filled in. Addresses are printed
 * on lines of their own (never broken at a hyphen), after the step that names them.
 */
export const wording: Record<Language, Wording> = {
  en: {
    title: { 'sign-up': 'Your access to {organisation}', 'password-reset': 'Reset your password for {organisation}' },
    identifier: 'Your sign-in identifier',
    code: { 'sign-up': 'Your access code', 'password-reset': 'Your reset code' },
    validUntil: 'Valid until {date}. It works once.',
    cardValidUntil: 'Valid until {date}, once.',
    scan: 'Scan with your phone',
    steps: {
      'sign-up': [
        'Scan the QR code with your phone, or open this address and type the code:',
        'Check that the page shows your identifier, then choose a password.',
        'From then on, sign in with your identifier and your password at:',
      ],
      'password-reset': [
        'Scan the QR code with your phone, or open this address and type the code:',
        'Check that the page shows your identifier, then choose a new password.',
        'Sign in with your identifier and your new password at:',
      ],
    },
    cardSteps: {
      'sign-up': ['Scan the code, or open this address and type the code:', 'Then choose a password; sign in with your identifier.'],
      'password-reset': ['Scan the code, or open this address and type the code:', 'Then choose a new password; sign in with your identifier.'],
    },
    keepPrivate: 'Keep this letter to yourself: until it is used, the code lets whoever has it in as you.',
    documentTitle: { letter: 'Sign-up letters', cards: 'Sign-up cards' },
  },
  fr: {
    title: { 'sign-up': 'Votre accès à {organisation}', 'password-reset': 'Réinitialiser votre mot de passe pour {organisation}' },
    identifier: 'Votre identifiant de connexion',
    code: { 'sign-up': 'Votre code d’accès', 'password-reset': 'Votre code de réinitialisation' },
    validUntil: 'Valable jusqu’au {date}. Il ne sert qu’une fois.',
    cardValidUntil: 'Valable une fois, jusqu’au {date}.',
    scan: 'Scannez avec votre téléphone',
    steps: {
      'sign-up': [
        'Scannez le code QR avec votre téléphone, ou ouvrez cette adresse et saisissez le code :',
        'Vérifiez que la page affiche votre identifiant, puis choisissez un mot de passe.',
        'Ensuite, connectez-vous avec votre identifiant et votre mot de passe sur :',
      ],
      'password-reset': [
        'Scannez le code QR avec votre téléphone, ou ouvrez cette adresse et saisissez le code :',
        'Vérifiez que la page affiche votre identifiant, puis choisissez un nouveau mot de passe.',
        'Connectez-vous avec votre identifiant et votre nouveau mot de passe sur :',
      ],
    },
    cardSteps: {
      'sign-up': ['Scannez le code, ou ouvrez cette adresse et saisissez le code :', 'Puis choisissez un mot de passe ; connectez-vous avec votre identifiant.'],
      'password-reset': ['Scannez le code, ou ouvrez cette adresse et saisissez le code :', 'Puis choisissez un nouveau mot de passe ; connectez-vous avec votre identifiant.'],
    },
    keepPrivate: 'Gardez cette lettre pour vous : tant qu’il n’a pas servi, le code permet à qui le détient d’entrer à votre place.',
    documentTitle: { letter: 'Lettres d’inscription', cards: 'Cartes d’inscription' },
  },
};

export const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? '');

/** The expiry as a person reads it, in UTC (the tenant has no time zone of its own). */
export function readableExpiry(iso: string, language: Language): string {
  const formatted = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));
  return `${formatted} UTC`;
}
