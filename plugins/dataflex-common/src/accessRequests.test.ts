import { parseAccessRequestFields } from './accessRequests';

describe('parseAccessRequestFields', () => {
  it('reads comma-separated field names', () => {
    expect(parseAccessRequestFields(' purpose, project ,cost_centre,')).toEqual(
      ['purpose', 'project', 'cost_centre'],
    );
  });

  it.each([
    [' , ', 'must name at least one field, e.g. "purpose, project"'],
    [
      'purpose, Project',
      "has an invalid field name 'Project': use lower-case letters and digits with single - or _ between them, at most 40 characters",
    ],
    [
      'purpose, a--b',
      "has an invalid field name 'a--b': use lower-case letters and digits with single - or _ between them, at most 40 characters",
    ],
    ['purpose, purpose', "names the field 'purpose' twice"],
    [
      Array.from({ length: 11 }, (_, i) => `f${i}`).join(','),
      'names 11 fields; at most 10 are allowed',
    ],
  ])('refuses %j', (value, message) => {
    expect(() => parseAccessRequestFields(value)).toThrow(message);
  });
});
