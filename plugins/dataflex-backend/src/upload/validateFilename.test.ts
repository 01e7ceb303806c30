import { validateFilename } from './validateFilename';

describe('validateFilename', () => {
  it.each(['orders.csv', 'Kunden – März 2024.csv', 'a..b.csv', '.hidden.csv'])(
    'accepts %j unchanged',
    name => {
      expect(validateFilename(name)).toBe(name);
    },
  );

  it.each([
    [undefined, /has no name/],
    ['  ', /has no name/],
    ['../x.csv', /path separator/],
    ['a/b.csv', /path separator/],
    ['C:\\x.csv', /path separator/],
    ['..', /directory reference/],
    ['.', /directory reference/],
    ['x\u0000.csv', /NUL/],
    ['x\n.csv', /control/],
    ['x\u0085.csv', /control/],
    ['x\u2066.csv', /text-direction/],
    ['x'.repeat(256), /255/],
  ])('refuses %j', (name, message) => {
    expect(() => validateFilename(name)).toThrow(message);
  });
});
