import {
  ACCESS_REQUEST_LIMITS,
  AccessScope,
  NewAccessRequest,
} from '@dataflex/backstage-plugin-dataflex-common';

/** What the request form holds, as typed. */
export interface AccessRequestDraft {
  justification: string;
  scope: AccessScope;
  version?: number;
  /** `YYYY-MM-DD` from a date input; empty for no end. */
  endDate: string;
  /** Answers to the dataset's own fields, by field name. */
  fields: Record<string, string>;
}

/** Problems with a draft, by form field (`fields.<name>` for custom ones). */
export type AccessRequestProblems = Partial<Record<string, string>>;

/**
 * The end of the chosen day in the reader's time zone, so that "until
 * 2026-12-31" includes that whole day.
 */
export function endOfDay(date: string): Date {
  return new Date(`${date}T23:59:59.999`);
}

/**
 * Checks a draft the way the API will (lengths after trimming, every field
 * answered, an end in the future), so most mistakes show next to the field
 * before anything is sent. The API stays the judge: its 400 is shown as is.
 */
export function validateAccessRequest(
  draft: AccessRequestDraft,
  requiredFields: string[],
  now: Date = new Date(),
): AccessRequestProblems {
  const problems: AccessRequestProblems = {};
  const justification = draft.justification.trim();
  if (!justification) {
    problems.justification = 'Say why you need the data';
  } else if (
    [...justification].length > ACCESS_REQUEST_LIMITS.justificationMaxLength
  ) {
    problems.justification = `At most ${ACCESS_REQUEST_LIMITS.justificationMaxLength} characters`;
  }
  for (const name of requiredFields) {
    const value = (draft.fields[name] ?? '').trim();
    if (!value) {
      problems[`fields.${name}`] = 'Required';
    } else if ([...value].length > ACCESS_REQUEST_LIMITS.fieldMaxLength) {
      problems[
        `fields.${name}`
      ] = `At most ${ACCESS_REQUEST_LIMITS.fieldMaxLength} characters`;
    }
  }
  if (draft.endDate) {
    const end = endOfDay(draft.endDate);
    if (Number.isNaN(end.getTime())) {
      problems.endDate = 'Not a date';
    } else if (end <= now) {
      problems.endDate = 'Pick a day in the future';
    }
  }
  return problems;
}

/** The API body for a valid draft. */
export function toNewAccessRequest(
  draft: AccessRequestDraft,
  requiredFields: string[],
): NewAccessRequest {
  return {
    justification: draft.justification.trim(),
    scope: draft.scope,
    ...(draft.version !== undefined && { version: draft.version }),
    ...(draft.endDate && { endsAt: endOfDay(draft.endDate) }),
    ...(requiredFields.length > 0 && {
      fields: Object.fromEntries(
        requiredFields.map(name => [name, (draft.fields[name] ?? '').trim()]),
      ),
    }),
  };
}

/** `data-use_agreement` → `Data use agreement`. */
export function fieldLabel(name: string): string {
  const words = name.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
