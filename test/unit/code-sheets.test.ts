import { mkdirSync, writeFileSync } from 'node:fs';
import { CodeSheets, cardsPerPage, codeUrl, type PrintedCode, type SheetLayout } from '../../shared/pdf/code-sheets';
import { visualWords } from '../../shared/pdf/text';
import type { Language } from '../../shared/core/languages';
import { decodeQrCodes, pageCount, pageTexts, renderPage } from '../pdf-tools';

const names = [
  { script: 'Vietnamese', name: 'Nguyễn Thị Ánh' },
  { script: 'Cyrillic', name: 'Дмитрий Иванов' },
  { script: 'Greek', name: 'Γιώργος Παπαδόπουλος' },
  { script: 'Arabic', name: 'محمد العلي' },
  { script: 'Latin', name: 'Zoë Ørsted-Łukasiewicz' },
];

const printed = (index: number): PrintedCode => ({
  kind: 'sign-up',
  organisation: 'Boulangerie Ærø & Fils',
  personName: names[index % names.length]!.name,
  signInIdentifier: `e${String(index).padStart(5, '0')}:bakery.example`,
  code: `ABCD-EFGH-JK${String(index % 100).padStart(2, '2').replace(/[01]/g, '2')}-MNPQ`,
  expiresAt: '2027-03-03T14:05:00.000Z',
  pageUrl: 'https://emailless.example/sign-up',
  signInUrl: 'https://emailless.example/sign-in',
});

async function render(layout: SheetLayout, count: number, language: Language = 'en', make = printed): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const sheets = new CodeSheets(layout, language, (chunk) => chunks.push(chunk));
  for (let index = 0; index < count; index++) sheets.add(make(index));
  await sheets.finish();
  return Buffer.concat(chunks);
}

const artifacts = 'test-artifacts';

describe('letters and cards, read back as a person would', () => {
  it('prints one letter a page with the name in each script, the identifier, the grouped code, its expiry and a QR code of the sign-up URL', async () => {
    const pdf = await render('letter', names.length);
    expect(pageCount(pdf)).toBe(names.length);
    const texts = pageTexts(pdf);
    names.forEach(({ name }, index) => {
      const text = texts[index]!;
      // pdftotext may put the words of a right-to-left line in either order.
      for (const word of name.split(' ')) expect(text).toContain(word);
      expect(text).toContain(printed(index).signInIdentifier);
      expect(text).toContain(printed(index).code);
      expect(text).toContain('3 March 2027 at 14:05 UTC');
      expect(text).toContain('https://emailless.example/sign-up');
      expect(text).toContain('Boulangerie Ærø & Fils');
      const png = renderPage(pdf, index + 1);
      if (index === 0) {
        mkdirSync(artifacts, { recursive: true });
        writeFileSync(`${artifacts}/letter.png`, png);
      }
      expect(decodeQrCodes(png)).toEqual([codeUrl(printed(index))]);
    });
  });

  it('prints ten cards a page, every QR code readable from the rendered page, the last page partly filled', async () => {
    const count = 23;
    const pdf = await render('cards', count);
    expect(pageCount(pdf)).toBe(Math.ceil(count / cardsPerPage));
    const texts = pageTexts(pdf);
    for (let page = 0; page < 3; page++) {
      const onPage = Array.from({ length: Math.min(cardsPerPage, count - page * cardsPerPage) }, (_, slot) => page * cardsPerPage + slot);
      const png = renderPage(pdf, page + 1);
      if (page === 0) writeFileSync(`${artifacts}/cards.png`, png);
      expect(decodeQrCodes(png).sort()).toEqual(onPage.map((index) => codeUrl(printed(index))).sort());
      for (const index of onPage) {
        expect(texts[page]).toContain(printed(index).signInIdentifier);
        expect(texts[page]).toContain(printed(index).code);
      }
    }
    for (const { name } of names) for (const word of name.split(/[ -]/)) expect(texts[0]).toContain(word);
  });

  it('speaks French when asked, reset letters included', async () => {
    const pdf = await render('letter', 1, 'fr', (index) => ({ ...printed(index), kind: 'password-reset', pageUrl: 'https://emailless.example/password-reset' }));
    const [text] = pageTexts(pdf);
    expect(text).toContain('Réinitialiser votre mot de passe');
    expect(text).toContain('3 mars 2027');
    expect(text).toContain('Votre code de réinitialisation');
    expect(decodeQrCodes(renderPage(pdf, 1))).toEqual(['https://emailless.example/password-reset#code=ABCD-EFGH-JK22-MNPQ']);
  });

  it('never cuts what a person must type: a long identifier and a long address wrap, on a card and on a letter; a long name is shrunk, then cut', async () => {
    const identifier = `${'E'.repeat(40)}9:agglomeration-montpellier-mediterranee-metropole.fr`;
    const pageUrl = 'https://inscription.agglomeration-montpellier-mediterranee-metropole.fr/sign-up';
    const long = (index: number) => ({ ...printed(index), personName: 'Maximiliane-Friederike Oppenheimer-Wittgenstein von Hohenzollern-Sigmaringen', signInIdentifier: identifier, pageUrl });
    for (const layout of ['cards', 'letter'] as const) {
      // One card: pdftotext would interleave the lines of two cards side by side.
      const pdf = await render(layout, 1, 'fr', long);
      const png = renderPage(pdf, 1);
      writeFileSync(`${artifacts}/long-${layout}.png`, png);
      expect(decodeQrCodes(png)).toEqual([codeUrl(long(0))]);
      const text = pageTexts(pdf)[0]!;
      const joined = text.replace(/\s+/g, '');
      expect(joined).toContain(identifier);
      expect(joined).toContain(pageUrl);
      expect(joined).toContain('ABCD-EFGH-JK22-MNPQ');
      // French wording fits whole: the expiry is never cut.
      expect(text.replace(/\s+/g, ' ')).toContain(layout === 'cards' ? 'Valable une fois, jusqu’au 3 mars 2027 à 14:05 UTC.' : 'Valable jusqu’au 3 mars 2027 à 14:05 UTC.');
      if (layout === 'cards') expect(text).toContain('…');
    }
  });

  it('empties its layout cache as it goes and still prints every card of a long run', async () => {
    const count = 105;
    const pdf = await render('cards', count);
    expect(pageCount(pdf)).toBe(11);
    const last = renderPage(pdf, 11);
    expect(decodeQrCodes(last).sort()).toEqual([100, 101, 102, 103, 104].map((index) => codeUrl(printed(index))).sort());
  });

  it('writes a valid empty document when there is nothing to print', async () => {
    expect(pageCount(await render('cards', 0))).toBe(1);
  });

  it('orders words right to left where a right-to-left run is, in a line of either direction', () => {
    expect(visualWords('محمد العلي')).toEqual(['العلي', 'محمد']);
    expect(visualWords('Nguyễn Thị Ánh')).toEqual(['Nguyễn', 'Thị', 'Ánh']);
    expect(visualWords('  Zoë   Ørsted ')).toEqual(['Zoë', 'Ørsted']);
    // An Arabic organisation in an English title: its words keep their reading order.
    expect(visualWords('Your access to بلدية الدار البيضاء')).toEqual(['Your', 'access', 'to', 'البيضاء', 'الدار', 'بلدية']);
    // A Latin word in an Arabic line stays whole, on the left of the words read before it.
    expect(visualWords('شركة Acme Corp للنقل')).toEqual(['للنقل', 'Acme', 'Corp', 'شركة']);
  });

  it('cuts a right-to-left name at its end, not its start', async () => {
    const long = 'بلدية مدينة الدار البيضاء الكبرى بلدية مدينة الدار البيضاء الكبرى بلدية مدينة الدار البيضاء';
    const pdf = await render('cards', 1, 'en', (index) => ({ ...printed(index), personName: long }));
    const text = pageTexts(pdf)[0]!;
    expect(text).toContain('…');
    expect(text).toContain('بلدية');
  });
});
