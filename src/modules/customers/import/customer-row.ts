import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppError } from 'src/core/errors/app-error';
import { textProblem } from 'src/core/validation/storable-text';
import { RecordCustomerAddedInput } from 'src/modules/customers/dto/customer.inputs';
import { CustomerStageValue } from 'src/modules/customers/entities/customer.entity';
import { normalizePhone } from 'src/modules/customers/services/phone';
import { AddWay } from 'src/modules/customers/types/customer.types';

/** The columns the import understands. */
export type ImportColumn = 'externalId' | 'name' | 'company' | 'phone' | 'stage' | 'remark' | 'state';

/**
 * Header spellings, compared lower-cased without spaces, `_` and
 * `-` (so `External ID`, `external_id`, `externalId` all match).
 */
const HEADER_ALIASES: Record<string, ImportColumn> = {
  externalid: 'externalId',
  name: 'name',
  company: 'company',
  phone: 'phone',
  stage: 'stage',
  remark: 'remark',
  state: 'state',
};

export interface ColumnMap {
  /** The header as read. */
  header: string[];
  /** Field index of each known column. */
  index: Partial<Record<ImportColumn, number>>;
  warnings: string[];
}

/** Maps a header row; BAD_USER_INPUT when there is no name column. */
export function mapHeader(header: string[]): ColumnMap {
  const index: ColumnMap['index'] = {};
  const warnings: string[] = [];
  header.forEach((raw, i) => {
    const key = raw.trim().toLowerCase().replace(/[\s_-]+/g, '');
    const column = HEADER_ALIASES[key];
    if (!column) {
      warnings.push(`unknown column "${raw.trim()}" (column ${i + 1}) is ignored`);
    } else if (index[column] !== undefined) {
      warnings.push(`column "${raw.trim()}" (column ${i + 1}) repeats ${column}; the first one is used`);
    } else {
      index[column] = i;
    }
  });
  if (index.name === undefined) {
    throw AppError.badInput('file', `the header row has no name column (found: ${header.map((h) => `"${h}"`).join(', ') || 'nothing'}); expected columns: externalId, name, company, phone, stage, remark, state`);
  }
  return { header, index, warnings };
}

/** A row that passed validation, normalized like CustomersService.recordAdded does. */
export interface ImportRow {
  line: number;
  externalId: string | null;
  name: string;
  company: string | null;
  phone: string | null;
  stage: CustomerStageValue;
  remark: string | null;
  state: string | null;
}

export type ParsedRow = { ok: true; row: ImportRow } | { ok: false; reasons: string[] };

/**
 * Validates one data row with the rules of the GraphQL input
 * (RecordCustomerAddedInput: the customer's name 1-200 characters and not
 * blank, company up to 200, phone format, stage, externalId up to 128, remark
 * up to 200, state up to 64), then normalizes it as recordCustomerAdded does
 * (trimmed values, empty optional cells are absent, normalized phone). Stage
 * names are accepted in any case (`won` = `WON`).
 */
export function parseRow(fields: string[], line: number, columns: ColumnMap): ParsedRow {
  const reasons: string[] = [];
  if (fields.length > columns.header.length && fields.slice(columns.header.length).some((f) => f.trim() !== '')) {
    reasons.push(`has ${fields.length} fields but the header has ${columns.header.length}`);
  }
  if (fields.some((f) => f.includes('\ufffd'))) reasons.push('is not valid UTF-8 (save the file as "CSV UTF-8")');
  const cell = (c: ImportColumn): string | undefined => {
    const i = columns.index[c];
    return i === undefined ? undefined : fields[i];
  };
  // The same rule as every GraphQL input: PostgreSQL cannot store NUL, and one such row must not fail the import.
  for (const c of Object.keys(columns.index) as ImportColumn[]) {
    const problem = textProblem(cell(c) ?? '');
    if (problem) reasons.push(`${c}: ${problem}`);
  }
  /** Empty or blank optional cells count as absent. */
  const optional = (c: ImportColumn): string | undefined => {
    const v = cell(c);
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const stage = optional('stage')?.trim().toUpperCase();
  const input = plainToInstance(RecordCustomerAddedInput, {
    customer: {
      externalId: optional('externalId'),
      name: cell('name') ?? '',
      company: optional('company'),
      phone: optional('phone'),
      stage,
    },
    addWay: AddWay.IMPORT,
    remark: optional('remark'),
    state: optional('state'),
  });
  const errors = validateSync(input, { forbidUnknownValues: false });
  const invalid = new Set<string>();
  collect(errors, reasons, invalid);
  let phone: string | null = null;
  const rawPhone = input.customer.phone;
  if (rawPhone !== undefined && !invalid.has('phone')) {
    try {
      phone = normalizePhone(rawPhone, 'phone');
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      reasons.push(e.message);
    }
  }
  if (reasons.length) return { ok: false, reasons };
  const c = input.customer;
  return {
    ok: true,
    row: {
      line,
      externalId: c.externalId?.trim() || null,
      name: c.name.trim(),
      company: c.company?.trim() || null,
      phone,
      stage: (c.stage ?? 'NEW') as CustomerStageValue,
      remark: input.remark?.trim() || null,
      state: input.state?.trim() || null,
    },
  };
}

/** `name: must not be empty`: column names, without the GraphQL `customer.` nesting. */
function collect(errors: ValidationError[], out: string[], invalid: Set<string>): void {
  for (const e of errors) {
    if (e.children?.length) collect(e.children, out, invalid);
    if (!e.constraints) continue;
    invalid.add(e.property);
    for (const message of Object.values(e.constraints).reverse()) {
      const text = message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message;
      out.push(`${e.property}: ${text}`);
    }
  }
}
