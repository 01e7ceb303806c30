import { InputError } from '@backstage/errors';
import {
  DemoCastType,
  DemoFilterOperator,
  DemoStep,
} from '@dataflex/backstage-plugin-dataflex-common';
import { DemoRow } from '@dataflex/backstage-plugin-dataflex-node';
import { MASK } from '../preview/PreviewService';

/**
 * Runs a declarative demo pipeline over sample rows. Rows are never mutated;
 * a step naming a column the rows do not have fails with a message that lists
 * the columns there are, so a service owner can fix the annotation.
 */
export function applyPipeline(steps: DemoStep[], input: DemoRow[]): DemoRow[] {
  let rows = input.map(row => ({ ...row }));
  steps.forEach((step, index) => {
    const [name, arg] = Object.entries(step)[0] as [string, any];
    const fail = (message: string): never => {
      throw new InputError(
        `Demo pipeline step ${index + 1} (${name}): ${message}`,
      );
    };
    const requireColumns = (columns: string[]) => {
      const present = new Set(rows.flatMap(row => Object.keys(row)));
      for (const column of columns) {
        if (rows.length > 0 && !present.has(column)) {
          fail(
            `column '${column}' is not in the data; columns: ${[
              ...present,
            ].join(', ')}`,
          );
        }
      }
    };
    switch (name) {
      case 'select':
        requireColumns(arg);
        rows = rows.map(row =>
          Object.fromEntries(arg.map((c: string) => [c, row[c]])),
        );
        break;
      case 'rename':
        requireColumns(Object.keys(arg));
        rows = rows.map(row =>
          Object.fromEntries(
            Object.entries(row).map(([key, value]) => [arg[key] ?? key, value]),
          ),
        );
        break;
      case 'filter':
        requireColumns([arg.column]);
        rows = rows.filter(row => compare(row[arg.column], arg.op, arg.value));
        break;
      case 'trim':
      case 'lowercase':
        requireColumns(arg);
        rows = rows.map(row => {
          const next = { ...row };
          for (const column of arg as string[]) {
            const value = next[column];
            if (typeof value === 'string') {
              next[column] =
                name === 'trim'
                  ? value.trim()
                  : value.toLocaleLowerCase('en-US');
            }
          }
          return next;
        });
        break;
      case 'dropNulls':
        requireColumns(arg);
        rows = rows.filter(row =>
          (arg as string[]).every(column => !isBlank(row[column])),
        );
        break;
      case 'dedupe': {
        requireColumns(arg);
        const seen = new Set<string>();
        rows = rows.filter(row => {
          const key = JSON.stringify(
            arg.length
              ? (arg as string[]).map(c => row[c])
              : Object.entries(row),
          );
          if (seen.has(key)) {
            return false;
          }
          seen.add(key);
          return true;
        });
        break;
      }
      case 'cast':
        requireColumns(Object.keys(arg));
        rows = rows.map(row => {
          const next = { ...row };
          for (const [column, type] of Object.entries(
            arg as Record<string, DemoCastType>,
          )) {
            next[column] = cast(next[column], type);
          }
          return next;
        });
        break;
      case 'mask':
        requireColumns(arg);
        rows = rows.map(row => {
          const next = { ...row };
          for (const column of arg as string[]) {
            if (column in next) next[column] = MASK;
          }
          return next;
        });
        break;
      case 'limit':
        rows = rows.slice(0, arg);
        break;
      default:
        fail('is not a step');
    }
  });
  return rows;
}

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '')
  );
}

function compare(
  value: unknown,
  op: DemoFilterOperator,
  operand: string | number | boolean,
): boolean {
  if (isBlank(value)) {
    return op === 'ne';
  }
  if (op === 'contains') {
    return String(value)
      .toLocaleLowerCase('en-US')
      .includes(String(operand).toLocaleLowerCase('en-US'));
  }
  let left: string | number | boolean;
  if (typeof operand === 'number') {
    left = typeof value === 'number' ? value : Number(value);
    if (Number.isNaN(left)) return op === 'ne';
  } else if (typeof operand === 'boolean') {
    left = value === true || value === 'true';
  } else {
    left = String(value);
  }
  switch (op) {
    case 'eq':
      return left === operand;
    case 'ne':
      return left !== operand;
    case 'lt':
      return left < operand;
    case 'lte':
      return left <= operand;
    case 'gt':
      return left > operand;
    case 'gte':
      return left >= operand;
    default:
      return false;
  }
}

function cast(value: unknown, type: DemoCastType): unknown {
  if (isBlank(value)) {
    return null;
  }
  const text = String(value).trim();
  switch (type) {
    case 'string':
      return String(value);
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : null;
    case 'number': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      if (['true', '1', 'yes', 'y'].includes(text.toLocaleLowerCase('en-US')))
        return true;
      if (['false', '0', 'no', 'n'].includes(text.toLocaleLowerCase('en-US')))
        return false;
      return null;
    case 'date': {
      const date = new Date(text);
      return Number.isNaN(date.getTime())
        ? null
        : date.toISOString().slice(0, 10);
    }
    default:
      return value;
  }
}
