import path from 'node:path'
import Database from 'better-sqlite3'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import type { BondSeries, Holding, ImportPreview, ImportReport, Member, MemberDetail, MemberListPage } from '../../src/shared/contract'
import { PROFILE, tempCore, value } from '../support/temp-core'
import { SERIES } from '../support/series'

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})

async function setup(profile: Partial<typeof PROFILE> = {}) {
  const t = tempCore()
  cores.push(t.core)
  value(await t.core.invoke('profile.save', { ...PROFILE, ...profile }))
  return t
}

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64')
const csv = (lines: string[]) => b64(lines.join('\r\n') + '\r\n')

async function preview(core: Core, kind: 'members' | 'holdings', fileName: string, contentBase64: string) {
  return value<ImportPreview>(await core.invoke('imports.preview', { kind, fileName, contentBase64 }))
}

const problemsByRow = (p: ImportPreview) =>
  Object.fromEntries(p.rows.filter((r) => r.problems.length > 0).map((r) => [r.row, r.problems.map((x) => `${x.column ?? '-'}: ${x.message}`)]))

const allMembers = async (core: Core) =>
  value<MemberListPage>(await core.invoke('members.list', { status: 'all', sort: 'memberNo', limit: 500 }))

const MEMBERS_CSV = [
  'Member number,Name,Email,Phone,Joined,Notes',
  'M-001,Jane Wanjiru,jane@example.org,+254 700 000001,15/07/2025,"Chair, founding member"',
  'M-002,Ochieng Otieno,not-an-email,,2024-02-30,',
  'M-003,"Amina ""Mina"" Hassan",,,10/07/25,',
  'm-001,Second Jane,,,01/01/2020,',
  'M-004,,,,2026-12-01,',
  'M-005,Zoë Kamau,,,2025-07-01,"two',
  'lines"'
]

describe('imports: members from CSV', () => {
  it('shows each row problem next to the row, in the app words, and writes nothing', async () => {
    const { core } = await setup()
    const p = await preview(core, 'members', 'members.csv', csv(MEMBERS_CSV))
    expect(p.fileProblems).toEqual([])
    expect(p.columns.map((c) => c.field)).toEqual(['memberNo', 'fullName', 'email', 'phone', 'joinedOn', 'notes'])
    expect(p.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7])
    expect(problemsByRow(p)).toEqual({
      3: ['Email: Enter an email address like name@example.org', 'Joined: Joined 2024-02-30 is not a real date'],
      4: [expect.stringMatching(/^Joined: Joined 10\/07\/25 does not give the year in full .* write it as 15\/07\/2025 or 2025-07-15$/)],
      5: ['Member number: Member number m-001 is also on row 2'],
      // The service's own rules (a future joining date) are checked once the row passes the form's checks.
      6: ['Name: Name is required']
    })
    expect(p.rows[0]?.values).toMatchObject({ memberNo: 'M-001', joinedOn: '2025-07-15', notes: 'Chair, founding member' })
    // The quoted value over two lines is one row (7), as a spreadsheet shows it.
    expect(p.rows[5]).toMatchObject({ row: 7, values: { notes: 'two\r\nlines' }, problems: [] })
    expect([p.valid, p.invalid]).toEqual([2, 4])
    expect((await allMembers(core)).total).toBe(0)
  })

  it('refuses while an included row has a problem, then imports the rest with the rows left out', async () => {
    const { core } = await setup()
    const input = { kind: 'members', fileName: 'members.csv', contentBase64: csv(MEMBERS_CSV) }
    const refused = await core.invoke('imports.commit', input)
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/^Nothing was imported: 4 rows have problems \(rows 3, 4, 5, 6\)/) } })
    expect((await allMembers(core)).total).toBe(0)

    const report = value<ImportReport>(await core.invoke('imports.commit', { ...input, excludeRows: [3, 4, 5, 6] }))
    expect(report).toMatchObject({ imported: 2, importedRows: [2, 7], excludedRows: [3, 4, 5, 6] })
    const list = await allMembers(core)
    expect(list.rows.map((m) => [m.memberNo, m.fullName, m.email, m.joinedOn])).toEqual([
      ['M-001', 'Jane Wanjiru', 'jane@example.org', '2025-07-15'],
      ['M-005', 'Zoë Kamau', null, '2025-07-01']
    ])
    // As if entered by hand: the history has its "created" row, the sort key is kept.
    const jane = value<MemberDetail>(await core.invoke('members.get', { id: list.rows[0]!.id }))
    expect(jane.history.map((h) => h.kind)).toEqual(['created'])
    expect(jane.member.notes).toBe('Chair, founding member')
    const byName = value<MemberListPage>(await core.invoke('members.list', { sort: 'fullName' }))
    expect(byName.rows.map((m) => m.fullName)).toEqual(['Jane Wanjiru', 'Zoë Kamau'])

    // The same file again: every member number is taken now, so nothing more is written.
    const again = await core.invoke('imports.commit', { ...input, excludeRows: [3, 4, 5, 6] })
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/rows 2, 7/) } })
    const p = await preview(core, 'members', 'members.csv', csv(MEMBERS_CSV))
    expect(problemsByRow(p)[2]).toEqual(['Member number: Member number M-001 is already used by Jane Wanjiru'])
    expect((await allMembers(core)).total).toBe(2)
  })

  it('checks the file again at commit: a member number taken since the preview stops the whole import', async () => {
    const { core } = await setup()
    const input = { kind: 'members', fileName: 'new.csv', contentBase64: csv(['Member number,Name,Joined', 'A-1,Ann One,2025-01-01', 'A-2,Ben Two,2025-01-02']) }
    expect(await preview(core, 'members', input.fileName, input.contentBase64)).toMatchObject({ valid: 2, invalid: 0 })
    value(await core.invoke('members.create', { memberNo: 'a-2', fullName: 'Typed meanwhile', joinedOn: '2025-01-01' }))
    const r = await core.invoke('imports.commit', input)
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('Row 3: Member number: Member number A-2 is already used by Typed meanwhile') }
    })
    expect((await allMembers(core)).rows.map((m) => m.memberNo)).toEqual(['a-2'])
  })

  it('writes nothing when a row fails in the middle of the commit', async () => {
    const { core, dataDir } = await setup()
    // A failure the checks cannot foresee, on the third of four rows.
    const other = new Database(path.join(dataDir, 'coffer.sqlite'))
    other.exec(`CREATE TRIGGER boom BEFORE INSERT ON members WHEN NEW.full_name = 'Boom' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`)
    other.close()
    const r = await core.invoke('imports.commit', {
      kind: 'members',
      fileName: 'm.csv',
      contentBase64: csv(['Member number,Name,Joined', 'B-1,Ann,2025-01-01', 'B-2,Ben,2025-01-01', 'B-3,Boom,2025-01-01', 'B-4,Dan,2025-01-01'])
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect((await allMembers(core)).total).toBe(0)
  })

  it('reads semicolons, a byte-order mark, headers in any case and spacing, and the aliases', async () => {
    const { core } = await setup()
    const text = '\ufeffMEMBER  NUMBER;full name;Joining Date\n"X;1";Ann;2025-03-01\nX-2;Ben;01/03/2025\n\n'
    const p = await preview(core, 'members', 'semi.CSV', b64(text))
    expect(p.fileProblems).toEqual([])
    expect(p.columns.map((c) => [c.header, c.field])).toEqual([
      ['MEMBER  NUMBER', 'memberNo'],
      ['full name', 'fullName'],
      ['Joining Date', 'joinedOn']
    ])
    expect(problemsByRow(p)).toEqual({ 2: ['MEMBER  NUMBER: Use letters, digits and . / _ - (starting with a letter or digit)'] })
    expect(p.rows[1]?.values.joinedOn).toBe('2025-03-01')
    expect(p.blankRows).toEqual([4])
  })

  it('names every file-level problem and imports nothing', async () => {
    const { core } = await setup()
    const cases: Array<[string, string, string | RegExp]> = [
      ['a.csv', 'Member number,Name;Joined\n', /both commas and semicolons/],
      ['a.csv', 'Member number,Name,Joined,Shoe size\nM-1,A,2025-01-01,42\n', 'Column D "Shoe size" is not a column Coffer imports for members; the columns are "Member number", "Name", "Email", "Phone", "Address", "National ID", "Joined", "Notes"'],
      ['a.csv', 'Member number,Name,Full name,Joined\n', 'Columns "Name" and "Full name" are both the name; keep one of them'],
      ['a.csv', 'Member number,Email\n', 'The columns "Name", "Joined" are missing (required for members)'],
      ['a.csv', 'Member number,Name,Joined\n"M-1,A,2025-01-01\n', /^Row 2 opens a quoted value that never closes/],
      ['a.csv', Buffer.from([0x4d, 0x2c, 0xff, 0xfe, 0x0a]).toString('latin1'), /not UTF-8/],
      ['a.xls', 'x', /old Excel workbook \(\.xls\); save it as \.xlsx or CSV/],
      ['a.pdf', 'x', /Coffer imports CSV \(\.csv\) and Excel \(\.xlsx\) files/],
      ['a.xlsx', 'not a zip', /could not be read as an Excel workbook/],
      ['a.csv', '\n\n', 'The file has no rows']
    ]
    for (const [name, text, expected] of cases) {
      const bytes = name === 'a.csv' && /not UTF-8/.test(String(expected)) ? Buffer.from([0x4d, 0x2c, 0xff, 0xfe, 0x0a]) : Buffer.from(text)
      const p = await preview(core, 'members', name, bytes.toString('base64'))
      expect(p.fileProblems, name + ' ' + text).toEqual([typeof expected === 'string' ? expected : expect.stringMatching(expected)])
      expect(p.rows).toEqual([])
      const c = await core.invoke('imports.commit', { kind: 'members', fileName: name, contentBase64: bytes.toString('base64') })
      expect(c).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^Nothing was imported: /) } })
    }
    expect((await allMembers(core)).total).toBe(0)
  })

  it('refuses a value in a column without a header, and rows to leave out that are not in the file', async () => {
    const { core } = await setup()
    const contentBase64 = csv(['Member number,Name,Joined', 'C-1,Ann,2025-01-01,oops', 'C-2,Ben,2025-01-01'])
    const p = await preview(core, 'members', 'c.csv', contentBase64)
    expect(problemsByRow(p)).toEqual({ 2: ['-: Column D holds "oops" but has no header; remove it or give the column a header'] })
    const r = await core.invoke('imports.commit', { kind: 'members', fileName: 'c.csv', contentBase64, excludeRows: [2, 9] })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('row 9 to leave out is not a row of this file') } })
    expect((await allMembers(core)).total).toBe(0)
  })

  it('reads numeric dates in the cooperative locale order', async () => {
    const { core } = await setup({ locale: 'en-US' })
    const p = await preview(core, 'members', 'us.csv', csv(['Member number,Name,Joined', 'U-1,Ann,07/15/2025', 'U-2,Ben,15/07/2025']))
    expect(p.rows[0]?.values.joinedOn).toBe('2025-07-15')
    expect(problemsByRow(p)).toEqual({ 3: [expect.stringMatching(/^Joined: Joined 15\/07\/2025 is not a real date when read as month\/day\/year .* write it as 07\/15\/2025 or 2025-07-15$/)] })
  })

  it('refuses a file over 20 MB with the limit in the message', async () => {
    const { core } = await setup()
    const r = await core.invoke('imports.preview', { kind: 'members', fileName: 'big.csv', contentBase64: 'A'.repeat(28 * 1024 * 1024) })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { contentBase64: 'The file is larger than 20 MB; split it into smaller files and import each' } } })
  })
})

async function workbook(rows: unknown[][], opts: { dateColumn?: number; sheets?: string[] } = {}): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet(opts.sheets?.[0] ?? 'Members')
  for (const r of rows) ws.addRow(r)
  if (opts.dateColumn) ws.getColumn(opts.dateColumn).numFmt = 'dd/mm/yyyy'
  for (const name of opts.sheets?.slice(1) ?? []) wb.addWorksheet(name).addRow(['ignored'])
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
}

describe('imports: Excel workbooks', () => {
  it('reads date cells, numbers as text, and says which sheet it read', async () => {
    const { core } = await setup()
    const file = await workbook(
      [
        ['Member number', 'Name', 'Joined', 'Phone'],
        [1001, 'Ann Njeri', new Date(Date.UTC(2024, 4, 31)), 254700000001],
        ['1002', 'Ben Mwangi', '31/05/2024', null],
        ['1003', 'Carol Time', new Date(Date.UTC(2024, 4, 31, 14, 30)), null],
        ['1004', 'Dan Serial', 45443, null],
        ['1005', 'Eve Error', { error: '#N/A' }, null]
      ],
      { sheets: ['Members', 'Notes'] }
    )
    const p = await preview(core, 'members', 'register.xlsx', file)
    expect(p.sheet).toEqual({ name: 'Members', of: 2 })
    expect(p.rows[0]?.values).toMatchObject({ memberNo: '1001', joinedOn: '2024-05-31', phone: '254700000001' })
    expect(p.rows[1]?.values.joinedOn).toBe('2024-05-31')
    expect(problemsByRow(p)).toEqual({
      4: ['Joined: Joined holds a time of day as well as the date; keep only the date'],
      5: [expect.stringMatching(/^Joined: Joined is a number \(45443\), not a date; format the cell as a date or write it as 15\/07\/2025/)],
      6: ['Joined: Joined shows an error in the spreadsheet (#N/A)']
    })
    const report = value<ImportReport>(
      await core.invoke('imports.commit', { kind: 'members', fileName: 'register.xlsx', contentBase64: file, excludeRows: [4, 5, 6] })
    )
    expect(report.created.map((c) => c.label)).toEqual(['1001 Ann Njeri', '1002 Ben Mwangi'])
  })
})

describe('imports: bond holdings', () => {
  async function withSeries() {
    const t = await setup()
    const series = value<BondSeries>(await t.core.invoke('bonds.createSeries', SERIES))
    for (const [memberNo, fullName] of [
      ['M-1', 'Jane Wanjiru'],
      ['M-2', 'Peter Kamau']
    ]) {
      value<Member>(await t.core.invoke('members.create', { memberNo, fullName, joinedOn: '2020-01-01' }))
    }
    value<Member>(await t.core.invoke('members.create', { memberNo: 'M-3', fullName: 'Late Joiner', joinedOn: '2026-06-01' }))
    return { ...t, series }
  }

  it('checks each purchase as the holdings form does, imports the valid ones once', async () => {
    const { core, series } = await withSeries()
    const file = await workbook(
      [
        ['Member number', 'Series', 'Units', 'Purchase date'],
        ['M-1', 'umj-27', 10, new Date(Date.UTC(2026, 1, 1))],
        ['M-2', 'UMJ-27', 10.5, '2026-02-01'],
        ['M-9', 'UMJ-27', 5, '2026-02-01'],
        ['M-2', 'NOPE', 5, '2026-02-01'],
        ['M-2', 'UMJ-27', '1,000', '2026-02-01'],
        ['M-2', 'UMJ-27', 3, '2025-06-01'],
        ['M-2', 'UMJ-27', 0, '2026-02-01'],
        ['m-1', 'UMJ-27', 10, '01/02/2026'],
        ['M-2', 'UMJ-27', 7, '2026-03-01'],
        ['M-3', 'UMJ-27', 1, '2026-02-01']
      ],
      { sheets: ['Holdings'] }
    )
    const p = await preview(core, 'holdings', 'holdings.xlsx', file)
    expect(problemsByRow(p)).toEqual({
      3: ['Units: Units must be a whole number'],
      4: ['Member number: No member has the number M-9'],
      5: ['Series: No bond series has the code NOPE'],
      6: ['Units: Units must be a whole number written in digits only, like 1500 (no separators or words)'],
      7: [expect.stringMatching(/^Purchase date: /)],
      8: ['Units: Buy at least one unit'],
      9: ['-: Row 2 has the same member, series, units and purchase date; a purchase is imported once (enter a second identical one by hand)'],
      // The warning the purchase form asks to confirm: an import cannot confirm it for the treasurer.
      11: ['Purchase date: M-3 Late Joiner joined on 1 Jun 2026; this purchase is dated 1 Feb 2026, before they joined.']
    })
    const input = { kind: 'holdings', fileName: 'holdings.xlsx', contentBase64: file, excludeRows: [3, 4, 5, 6, 7, 8, 9, 11] }
    const report = value<ImportReport>(await core.invoke('imports.commit', input))
    expect(report).toMatchObject({ imported: 2, importedRows: [2, 10] })
    expect(report.created.map((c) => c.label)).toEqual(['M-1 Jane Wanjiru: 10 units of UMJ-27', 'M-2 Peter Kamau: 7 units of UMJ-27'])
    const held = async () =>
      value<{ rows: Holding[] }>(await core.invoke('bonds.listHoldings', { seriesId: series.id })).rows.map((h) => [
        h.memberNo,
        h.units,
        h.purchaseDate
      ])
    expect(await held()).toEqual([
      ['M-2', 7, '2026-03-01'],
      ['M-1', 10, '2026-02-01']
    ])

    // Committed twice: the purchases are recognised, nothing is bought again.
    const again = await core.invoke('imports.commit', input)
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('already has this purchase (10 units of UMJ-27 bought on') } })
    expect(await held()).toHaveLength(2)
  })
})
