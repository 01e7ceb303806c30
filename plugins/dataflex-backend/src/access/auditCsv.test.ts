import { parse } from 'csv-parse/sync';
import { auditCsvHeader, auditCsvRow, csvCell } from './auditCsv';

describe('auditCsv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "no"', '"say ""no"""'],
    ['two\nlines', '"two\nlines"'],
    [
      '=HYPERLINK("http://evil.example")',
      `"'=HYPERLINK(""http://evil.example"")"`,
    ],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    [7, '7'],
    [undefined, ''],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes rows a CSV parser reads back, formulas defused', () => {
    const csv =
      auditCsvHeader() +
      auditCsvRow({
        id: '2',
        action: 'rejected',
        actor: 'user:default/anil',
        subject: 'user:default/student',
        version: 3,
        requestId: 'r-1',
        reason: '=cmd|\' /C calc\'!A0, "really"\nno',
        createdAt: '2026-11-22T10:00:00.000Z',
      });
    expect(parse(csv, { columns: true })).toEqual([
      {
        time: '2026-11-22T10:00:00.000Z',
        action: 'rejected',
        actor: 'user:default/anil',
        subject: 'user:default/student',
        version: '3',
        from_version: '',
        to_version: '',
        request_id: 'r-1',
        grant_id: '',
        reason: "'=cmd|' /C calc'!A0, \"really\"\nno",
      },
    ]);
  });
});
