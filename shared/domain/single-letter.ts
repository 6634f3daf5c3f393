import { newId } from '../auth/tokens';
import { presignDownload, writeObject } from '../aws/bucket';
import type { Language } from '../core/languages';
import { CodeSheets, type PrintedCode } from '../pdf/code-sheets';
import { letterFileKey, pdfContentType } from './letters';

/** One letter, made in the request (a page is some tens of kB) and handed back as a 15-minute download URL. */
export async function printSingleLetter(tenantId: string, printed: PrintedCode, language: Language): Promise<string> {
  const chunks: Uint8Array[] = [];
  const sheets = new CodeSheets('letter', language, (chunk) => chunks.push(chunk));
  sheets.add(printed);
  await sheets.finish();
  const key = letterFileKey(tenantId, newId());
  await writeObject(key, Buffer.concat(chunks), pdfContentType);
  return presignDownload(key, `${printed.kind}-letter.pdf`);
}
