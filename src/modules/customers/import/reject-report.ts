import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvLine } from './csv-parser';

export interface RejectedRow {
  /** Physical line of the file where the row starts (the header is line 1). */
  line: number;
  reasons: string[];
  /** The row's fields as read. */
  fields: string[];
}

/**
 * Writes rejected rows as a UTF-8 CSV (with a byte order mark, so that Excel
 * shows Chinese correctly): `line,reason` then the columns of the imported
 * file. After fixing the rows, the report can be imported as is: `line` and
 * `reason` are unknown columns and only draw a warning.
 */
export async function writeRejectReport(
  path: string,
  header: string[],
  rejects: readonly RejectedRow[],
): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([e]) => Promise.reject(e));
  failed.catch(() => undefined);
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  await write('\ufeff' + csvLine(['line', 'reason', ...header]));
  for (const r of rejects) {
    const fields =
      r.fields.length < header.length
        ? [...r.fields, ...new Array<string>(header.length - r.fields.length).fill('')]
        : r.fields;
    await write(csvLine([r.line, r.reasons.join('; '), ...fields]));
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}
