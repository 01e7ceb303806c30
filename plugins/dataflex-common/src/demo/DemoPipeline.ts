import { parse } from 'yaml';

/** @public */
export type DemoFilterOperator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'contains';

/** @public */
export type DemoCastType = 'integer' | 'number' | 'string' | 'boolean' | 'date';

/**
 * One step of a declarative demo pipeline, as written in the
 * `dataflex.io/demo-pipeline` annotation (a YAML list, one key per step).
 *
 * @public
 */
export type DemoStep =
  | { select: string[] }
  | { rename: Record<string, string> }
  | {
      filter: {
        column: string;
        op: DemoFilterOperator;
        value: string | number | boolean;
      };
    }
  | { trim: string[] }
  | { lowercase: string[] }
  | { dropNulls: string[] }
  | { dedupe: string[] }
  | { cast: Record<string, DemoCastType> }
  | { mask: string[] }
  | { limit: number };

/** @public */
export const DEMO_STEP_NAMES = [
  'select',
  'rename',
  'filter',
  'trim',
  'lowercase',
  'dropNulls',
  'dedupe',
  'cast',
  'mask',
  'limit',
] as const;

const OPERATORS: DemoFilterOperator[] = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'contains',
];
const CAST_TYPES: DemoCastType[] = [
  'integer',
  'number',
  'string',
  'boolean',
  'date',
];
const MAX_STEPS = 50;

/**
 * Parses and validates a demo pipeline. Throws an Error whose message names
 * the step and what is allowed, fit to show the service's owner.
 *
 * @public
 */
export function parseDemoPipeline(text: string): DemoStep[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(
      `is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (!Array.isArray(document) || document.length === 0) {
    throw new Error(
      'must be a non-empty YAML list of steps, e.g. "- trim: [email]"',
    );
  }
  if (document.length > MAX_STEPS) {
    throw new Error(
      `has ${document.length} steps; at most ${MAX_STEPS} are allowed`,
    );
  }
  return document.map((step, index) => parseStep(step, index + 1));
}

function parseStep(step: unknown, position: number): DemoStep {
  const fail = (message: string): never => {
    throw new Error(`step ${position} ${message}`);
  };
  if (!isObject(step) || Object.keys(step).length !== 1) {
    return fail(
      `must be an object with exactly one of: ${DEMO_STEP_NAMES.join(', ')}`,
    );
  }
  const [name, value] = Object.entries(step)[0];
  const at = (message: string) => fail(`(${name}) ${message}`);

  switch (name) {
    case 'select':
    case 'trim':
    case 'lowercase':
    case 'dropNulls':
    case 'mask':
      if (!isColumnList(value) || value.length === 0) {
        return at('must be a non-empty list of column names');
      }
      return { [name]: value } as DemoStep;
    case 'dedupe':
      if (!isColumnList(value)) {
        return at('must be a list of column names (empty: compare whole rows)');
      }
      return { dedupe: value };
    case 'rename': {
      if (!isObject(value) || Object.keys(value).length === 0) {
        return at(
          'must map old column names to new ones, e.g. { iso2: country_code }',
        );
      }
      for (const [from, to] of Object.entries(value)) {
        if (typeof to !== 'string' || to.length === 0) {
          return at(`'${from}' must map to a non-empty column name`);
        }
      }
      return { rename: value as Record<string, string> };
    }
    case 'cast': {
      if (!isObject(value) || Object.keys(value).length === 0) {
        return at('must map column names to types, e.g. { amount: number }');
      }
      for (const [column, type] of Object.entries(value)) {
        if (!CAST_TYPES.includes(type as DemoCastType)) {
          return at(`'${column}' must be one of ${CAST_TYPES.join(', ')}`);
        }
      }
      return { cast: value as Record<string, DemoCastType> };
    }
    case 'filter': {
      if (!isObject(value)) {
        return at('must be { column, op, value }');
      }
      const { column, op, value: operand, ...rest } = value;
      if (Object.keys(rest).length > 0) {
        return at(
          `has unknown keys ${Object.keys(rest).join(
            ', ',
          )}; allowed: column, op, value`,
        );
      }
      if (typeof column !== 'string' || column.length === 0) {
        return at('needs a column name');
      }
      if (!OPERATORS.includes(op as DemoFilterOperator)) {
        return at(`op must be one of ${OPERATORS.join(', ')}`);
      }
      if (!['string', 'number', 'boolean'].includes(typeof operand)) {
        return at('value must be a string, number or boolean');
      }
      return {
        filter: {
          column,
          op: op as DemoFilterOperator,
          value: operand as string | number | boolean,
        },
      };
    }
    case 'limit':
      if (!Number.isInteger(value) || (value as number) < 1) {
        return at('must be a positive whole number');
      }
      return { limit: value as number };
    default:
      return fail(
        `'${name}' is not a step; allowed: ${DEMO_STEP_NAMES.join(', ')}`,
      );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isColumnList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.every(v => typeof v === 'string' && v.length > 0)
  );
}
