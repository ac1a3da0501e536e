import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { CLERK, PROFILE, TREASURER, seedOperator, signInAs } from './support/auth'
import { addMonths, endOfMonth, startOfMonth } from '../../src/shared/dates'
import { periodName } from '../../src/core/payroll/rules'
import { NOV, OCT, SHOTS, fieldError, go, nav, ok, seedComponents, shooter, singlePeriod, staff, tabs, todayInZone } from './support/payroll'

/**
 * The review of a pay period beyond payroll-periods.spec: a draft recomputed
 * after a pay structure changed, sent back and approved again, a posted
 * period run again (reversed and posted anew), the register workbook and the
 * statutory summary read back, a run that failed for someone without a pay
 * structure completed, a clerk kept out, and Run payroll now drafting a
 * calendar's due period.
 */

/*
 * By hand, with PAYE's bands (support/payroll.ts, seedComponents). Alice, basic 50,000: pension 2,500, tax on
 * 47,500 = 2,400 + 2,083.25 + 4,550.10 - 2,400 = 6,633.35, net 40,866.65.
 * Bob, basic 30,000: pension 1,500, tax on 28,500 = 2,400 + 1,125 - 2,400 =
 * 1,125, net 27,375.00. Bob at 40,000: pension 2,000, tax on 38,000 = 2,400 +
 * 2,083.25 + 1,700.10 - 2,400 = 3,783.35, net 34,216.65.
 */
const NET = { alice: '40,866.65', bob: '27,375.00', bobRaised: '34,216.65' }
/** Pension 2,500 + 2,000, income tax 6,633.35 + 3,783.35, the employer's pension 2,500 + 2,000. */
const STATUTORY_TOTAL = '19,416.70'

const registerRow = (page: Page, no: string) => page.getByRole('table', { name: 'Register' }).locator(`tr[data-staff-no="${no}"]`)
/** The register's Net column. */
const netOf = (row: Locator) => row.locator('td').nth(5)

/** Payroll → Periods → the period named, its review open. */
async function openPeriod(page: Page, name: string): Promise<void> {
  await nav(page).getByRole('link', { name: 'Payroll' }).click()
  await tabs(page).getByRole('link', { name: 'Periods' }).click()
  await page.getByRole('table', { name: 'Pay periods' }).getByRole('link', { name, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
}

/** Payroll → Staff → the person's page. */
async function openStaff(page: Page, staffNo: string, fullName: string): Promise<void> {
  await nav(page).getByRole('link', { name: 'Payroll' }).click()
  await tabs(page).getByRole('link', { name: 'Staff' }).click()
  await page.getByRole('table', { name: 'Staff' }).locator(`[data-staff-no="${staffNo}"]`).click()
  await expect(page.getByRole('heading', { level: 1, name: fullName })).toBeVisible()
}

/** LibreOffice's first sheet of a workbook as CSV text, cells as shown (formatted), converted in a folder of its own. */
function workbookCsv(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-e2e-xlsx-'))
  try {
    execFileSync('libreoffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true', '--outdir', dir, file], {
      stdio: 'pipe',
      timeout: 120_000
    })
    const csv = path.join(dir, `${path.basename(file, path.extname(file))}.csv`)
    return fs.readFileSync(csv, 'utf8')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Splits a CSV line into its cells (quoted cells may hold commas). */
function csvCells(line: string): string[] {
  const out: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      out.push(cell)
      cell = ''
    } else cell += c
  }
  out.push(cell)
  return out
}

/** The saved file (of this extension) a SavedFile banner names, once it shows. */
async function savedFile(page: Page, ext: string): Promise<string> {
  const saved = page.getByTestId('saved-file')
  await expect(saved.locator('code')).toHaveText(new RegExp(`\\${ext}$`))
  const file = (await saved.locator('code').textContent())!.trim()
  expect(fs.existsSync(file)).toBe(true)
  return file
}

// ----------------------------------------------------------------------------

/** Alice and Bob in November, drafted by Ada; Tom the treasurer is the second operator. */
async function prepareNovember(dir: string): Promise<void> {
  const core = openTestCore(dir)
  try {
    await ok(core, 'profile.save', PROFILE)
    const { items } = await seedComponents(core, { employerPension: true })
    await ok(core, 'payroll.saveStructure', { staffId: await staff(core, 'S-001', 'Alice Achieng'), effectiveFrom: '2025-01-01', items: items(5_000_000) })
    await ok(core, 'payroll.saveStructure', { staffId: await staff(core, 'S-002', 'Bob Otieno'), effectiveFrom: '2025-01-01', items: items(3_000_000) })
    await ok(core, 'payroll.run', { periodId: await singlePeriod(core, 'November 2026', NOV) })
    await seedOperator(core, { ...TREASURER, role: 'treasurer' })
  } finally {
    await core.shutdown()
  }
}

test('a draft recomputed after a pay structure changed, approved, sent back with a reason, approved again, posted, run again with a reason (reversed and posted anew, in the journal), its register and statutory summary exported', async ({
  launch
}) => {
  test.setTimeout(300_000)
  const app = await launch({ prepare: prepareNovember })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 900 })
  const shot = shooter(page, 'payroll-review')

  // ---- The draft as Ada made it: nothing changed since.
  await openPeriod(page, 'November 2026')
  const periodUrl = page.url()
  await expect(page.getByTestId('period-status')).toHaveText('Draft, to review')
  await expect(netOf(registerRow(page, 'S-001'))).toHaveText(NET.alice)
  await expect(netOf(registerRow(page, 'S-002'))).toHaveText(NET.bob)
  await expect(page.getByTestId('period-changed-since')).toHaveCount(0)

  // ---- Bob's raise from 15 November, saved on his page after the draft.
  await openStaff(page, 'S-002', 'Bob Otieno')
  await page.getByTestId('new-structure').click()
  const editor = page.getByRole('dialog', { name: 'New pay structure' })
  await editor.getByLabel('Effective from', { exact: true }).fill('2026-11-15')
  await expect(editor.getByLabel('Row 1 component', { exact: true }).locator('option:checked')).toHaveText('BASIC · Basic salary (earning)')
  await editor.getByLabel('Row 1 amount', { exact: true }).fill('40000')
  await editor.getByRole('button', { name: 'Save structure' }).click()
  await expect(editor).toHaveCount(0)
  await expect(page.locator('.payroll-structure')).toHaveCount(2)

  // ---- The review says so, naming Bob only; the payslips stay as they were.
  await openPeriod(page, 'November 2026')
  const changed = page.getByTestId('period-changed-since')
  await expect(page.getByText('Changed since these payslips were worked out')).toBeVisible()
  await expect(changed.locator('li')).toHaveText(['S-002 Bob Otieno: a pay structure was saved after the payslip was worked out.'])
  await expect(netOf(registerRow(page, 'S-002'))).toHaveText(NET.bob)
  await shot('changed-since')

  // ---- Recompute, with a reason: the warning goes, Bob's new net shows.
  await page.getByRole('button', { name: 'Recompute…' }).click()
  const recompute = page.getByRole('dialog', { name: 'Recompute November 2026?' })
  await expect(recompute).toContainText('Every payslip is worked out again from the pay structures and rates in force on 30 Nov 2026')
  await recompute.getByLabel('Reason', { exact: true }).fill('Bob’s raise from 15 November')
  await recompute.getByTestId('run-confirm').click()
  await expect(recompute.getByTestId('run-report')).toHaveAttribute('data-dry-run', 'no', { timeout: 60_000 })
  await expect(recompute.getByTestId('run-outcome')).toHaveText('Recomputed')
  await expect(recompute.locator('tr[data-status="ok"]').filter({ hasText: 'Bob Otieno' })).toContainText(NET.bobRaised)
  await recompute.getByRole('button', { name: 'Close' }).click()
  await expect(recompute).toHaveCount(0)
  await expect(changed).toHaveCount(0)
  await expect(netOf(registerRow(page, 'S-002'))).toHaveText(NET.bobRaised)
  await expect(netOf(registerRow(page, 'S-001'))).toHaveText(NET.alice)
  await expect(page.locator('tr[data-action="recomputed"]')).toContainText('Bob’s raise from 15 November')
  await expect(page.getByTestId('statutory-total')).toHaveText(STATUTORY_TOTAL)

  // ---- Tom approves it (Ada recomputed it), then sends it back: a reason is required.
  await signInAs(page, TREASURER)
  await page.goto(periodUrl)
  await expect(page.getByRole('heading', { level: 1, name: 'November 2026' })).toBeVisible()
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  await page.getByRole('dialog', { name: 'Approve November 2026?' }).getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(page.getByTestId('period-notice')).toHaveText(`November 2026 is approved by ${TREASURER.name}: it can be posted.`)
  await expect(page.getByTestId('period-status')).toHaveText('Approved')

  await page.getByRole('button', { name: 'Send back…' }).click()
  const back = page.getByRole('dialog', { name: 'Send November 2026 back to draft?' })
  await back.getByRole('button', { name: 'Send back', exact: true }).click()
  expect(await fieldError(page, 'Reason', back)).toBe('Say what is wrong: the reason is kept with the period')
  await expect(page.getByTestId('period-status')).toHaveText('Approved')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payroll-review-send-back-1280.png` })
  await back.getByLabel('Reason', { exact: true }).fill('Bob’s bank account to be checked first')
  await expect(back.getByLabel('Reason', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')
  await back.getByRole('button', { name: 'Send back', exact: true }).click()
  await expect(back).toHaveCount(0)
  await expect(page.getByTestId('period-notice')).toHaveText('November 2026 is back to draft.')
  await expect(page.getByTestId('period-status')).toHaveText('Draft, to review')
  await expect(page.getByText('Bob’s bank account to be checked first')).toBeVisible()

  // ---- Approved again and posted.
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  await page.getByRole('dialog', { name: 'Approve November 2026?' }).getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(page.getByTestId('period-status')).toHaveText('Approved')
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  await page.getByRole('dialog', { name: 'Post November 2026?' }).getByRole('button', { name: 'Post', exact: true }).click()
  await expect(page.getByTestId('period-status')).toHaveText('Posted')
  await expect(page.getByTestId('period-entry')).toHaveText(/^Entry #\d+$/)
  const firstEntry = Number((await page.getByTestId('period-entry').textContent())!.replace(/\D/g, ''))

  // ---- Run again: the warning names the entry reversed; a reason is required.
  await page.getByRole('button', { name: 'Run again…' }).click()
  const rerun = page.getByRole('dialog', { name: 'Run November 2026 again?' })
  await expect(rerun.getByTestId('run-warning')).toHaveText(
    `It is posted: its journal entry #${firstEntry} is reversed and a new one is posted on 30 Nov 2026, in one step. Do this only to put a mistake right.`
  )
  await rerun.getByTestId('run-confirm').click()
  expect(await fieldError(page, 'Reason', rerun)).toBe('Say why it is run again: the reason is kept with the period')
  await expect(rerun.getByTestId('run-report')).toHaveCount(0)
  await shot('rerun-reason')
  await rerun.getByLabel('Reason', { exact: true }).fill('Pension remitted late: posted again after the correction')
  await rerun.getByTestId('run-confirm').click()
  await expect(rerun.getByTestId('run-report')).toHaveAttribute('data-dry-run', 'no', { timeout: 60_000 })
  await expect(rerun.getByTestId('run-outcome')).toHaveText('Reversed and posted again')
  await rerun.getByRole('button', { name: 'Close' }).click()
  await expect(rerun).toHaveCount(0)
  // The notice of the first posting (its entry now reversed) is replaced by what the run did.
  await expect(page.getByTestId('period-notice')).toHaveText('November 2026: Reversed and posted again.')

  // ---- The history: reversed (the reversal's entry) and posted anew, each with the reason.
  await expect(page.getByTestId('period-status')).toHaveText('Posted')
  await expect(page.getByTestId('period-entry')).not.toHaveText(`Entry #${firstEntry}`)
  const newEntry = Number((await page.getByTestId('period-entry').textContent())!.replace(/\D/g, ''))
  await expect(page.getByText('posted 2 times')).toBeVisible()
  const reversed = page.locator('tr[data-action="reversed"]')
  await expect(reversed).toHaveCount(1)
  await expect(reversed).toContainText('Pension remitted late: posted again after the correction')
  await expect(reversed).toContainText(TREASURER.name)
  const reversalEntry = Number((await reversed.locator('td').nth(4).textContent())!.replace(/\D/g, ''))
  expect(reversalEntry).toBeGreaterThan(firstEntry)
  const posted = page.locator('tr[data-action="posted"]')
  await expect(posted).toHaveCount(2)
  await expect(posted.filter({ hasText: 'Pension remitted late' })).toHaveCount(1)
  await expect(posted.filter({ hasText: 'Pension remitted late' }).locator('td').nth(4)).toHaveText(`#${newEntry}`)
  await shot('reposted')

  // ---- The register workbook: each name with the net the register shows.
  await page.getByRole('button', { name: 'Register (Excel)' }).click()
  const workbook = await savedFile(page, '.xlsx')
  await expect(page.locator('.saved-file')).toContainText('Register exported')
  await expect(page.locator('.saved-file-note')).toHaveText('2 rows; the statutory summary is its second sheet.')
  const shownNets = new Map<string, string>()
  for (const [no, name] of [
    ['S-001', 'Alice Achieng'],
    ['S-002', 'Bob Otieno']
  ] as const)
    shownNets.set(name, (await netOf(registerRow(page, no)).textContent())!.trim())
  expect([...shownNets.values()]).toEqual([NET.alice, NET.bobRaised])
  const csv = workbookCsv(workbook)
  const lines = csv.split(/\r?\n/).map(csvCells)
  const header = lines.find((cells) => cells[0] === 'Staff no.')
  expect(header, `the workbook's header row:\n${csv}`).toBeDefined()
  const netColumn = header!.indexOf('Net pay (KES)')
  expect(netColumn).toBeGreaterThan(1)
  for (const [name, net] of shownNets) {
    const line = lines.find((cells) => cells[1] === name)
    expect(line, `${name} in the workbook:\n${csv}`).toBeDefined()
    expect(line![netColumn], `${name}'s net in the workbook`).toBe(net)
  }
  expect(lines.find((cells) => cells[0] === 'Total')?.[netColumn]).toBe('75,083.30')
  expect(csv).toContain('Payroll register: November 2026')

  // ---- The statutory summary: each statutory component and the total, read back and looked at.
  await page.getByRole('button', { name: 'Statutory summary (PDF)' }).click()
  const pdf = await savedFile(page, '.pdf')
  await expect(page.locator('.saved-file')).toContainText('Statutory summary saved')
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
  // Each statutory component by name and code (a code is on one line whatever its length).
  for (const component of ['Pension', 'Income tax', 'Employer pension']) expect(text).toContain(component)
  expect(text).toMatch(/^\s*PENSION\s+Pension\s+Pension payable\s+2\s+Ksh 90,000\.00\s+Ksh 4,500\.00$/m)
  // The account name wraps in its column ("Statutory" / "deductions payable"); the code never does.
  expect(text).toMatch(/^\s*PAYE\s+Income tax\s+Statutory\s+2\s+Ksh 85,500\.00\s+Ksh 10,416\.70$/m)
  expect(text).toMatch(/^\s*PENSION_ER\s+Employer pension\s+Pension payable\s+2\s+Ksh 90,000\.00\s+Ksh 4,500\.00$/m)
  expect(text).toContain('STATUTORY SUMMARY')
  expect(text).toContain('November 2026')
  expect(text).toMatch(new RegExp(`Grand total\\s+Ksh ${STATUTORY_TOTAL}`))
  await expect(page.getByTestId('statutory-total')).toHaveText(STATUTORY_TOTAL)
  const pngDir = SHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-e2e-pdf-'))
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(pngDir, 'payroll-review-statutory-pdf')])
  expect(fs.statSync(path.join(pngDir, 'payroll-review-statutory-pdf.png')).size).toBeGreaterThan(2_000)
  await shot('exports')

  // ---- The journal: the first entry reversed by the reversal, the new one standing.
  await go(page, '/journal')
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
  const entry = (id: number) => page.locator(`tr[data-entry-id="${id}"]`)
  await expect(entry(firstEntry)).toHaveAttribute('data-reversed', 'yes')
  await expect(entry(firstEntry)).toHaveAttribute('data-source', 'payroll')
  await expect(entry(firstEntry)).toContainText(`Reversed by #${reversalEntry}`)
  await expect(entry(reversalEntry)).toContainText(`Reverses #${firstEntry}`)
  await expect(entry(reversalEntry)).toContainText('Pension remitted late')
  await expect(entry(newEntry)).toHaveAttribute('data-source', 'payroll')
  await expect(entry(newEntry)).toHaveAttribute('data-reversed', 'no')
  await shot('journal')
})

// ----------------------------------------------------------------------------

test('a run that failed for someone without a pay structure: Failed with its note, the failed row with its reason, Approve held back; once she has a structure, Draft now completes it', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        await ok(core, 'profile.save', PROFILE)
        const { items } = await seedComponents(core, { employerPension: true })
        await ok(core, 'payroll.saveStructure', { staffId: await staff(core, 'S-001', 'Alice Achieng'), effectiveFrom: '2025-01-01', items: items(5_000_000) })
        await staff(core, 'S-005', 'Eve Mutua')
        await singlePeriod(core, 'October 2026', OCT)
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 900 })
  const shot = shooter(page, 'payroll-review')
  const noStructure = 'No pay structure is in force on 31 Oct 2026: add one on the staff member’s page.'

  await openPeriod(page, 'October 2026')
  await page.getByRole('button', { name: 'Draft now' }).click()
  const draft = page.getByRole('dialog', { name: 'Draft October 2026 now?' })
  await draft.getByTestId('run-confirm').click()
  await expect(draft.getByTestId('run-report')).toHaveAttribute('data-dry-run', 'no', { timeout: 60_000 })
  await expect(draft.getByTestId('run-outcome')).toHaveText('Partly drafted')
  await expect(draft).toContainText('1 failed')
  await expect(draft.locator('tr[data-status="failed"]')).toContainText('Eve Mutua')
  await draft.getByRole('button', { name: 'Close' }).click()

  // ---- Failed: the note says why, the row shows its reason, Approve is held back with why.
  await expect(page.getByTestId('period-status')).toHaveText('Failed')
  await expect(page.getByTestId('period-status-note')).toHaveText(
    `1 payslip could not be worked out; the first: S-005 Eve Mutua: ${noStructure} The others are kept, and the next run completes only these.`
  )
  const eve = registerRow(page, 'S-005')
  await expect(eve).toHaveAttribute('data-changes', /failed/)
  await expect(eve).toHaveClass(/register-failed/)
  await expect(eve.locator('.register-error')).toHaveText(noStructure)
  // Not worked out: no figures (a dash), rather than a net pay of nothing.
  await expect(netOf(eve)).toHaveText('—')
  await expect(eve.locator('td').nth(3)).toHaveText('—')
  await expect(netOf(registerRow(page, 'S-001'))).toHaveText(NET.alice)
  await expect(page.getByTestId('register-legend')).toContainText('1 failed')
  const approve = page.getByRole('button', { name: 'Approve', exact: true })
  await expect(approve).toBeDisabled()
  await expect(approve).toHaveAttribute('title', 'Some payslips failed: put them right and draft again first')
  await approve.click({ force: true })
  await expect(page.getByRole('dialog', { name: 'Approve October 2026?' })).toHaveCount(0)
  await shot('failed')
  // Her payslip says why.
  await eve.click()
  const slip = page.getByRole('dialog', { name: 'Payslip: Eve Mutua' })
  await expect(slip.getByTestId('payslip-error')).toHaveText(noStructure)
  await slip.getByRole('button', { name: 'Close' }).click()
  await expect(slip).toHaveCount(0)

  // ---- Eve's pay structure from 1 October: basic pay only.
  await openStaff(page, 'S-005', 'Eve Mutua')
  await page.getByTestId('new-structure').click()
  const editor = page.getByRole('dialog', { name: 'New pay structure' })
  await editor.getByLabel('Effective from', { exact: true }).fill(OCT.start)
  await editor.getByLabel('Row 1 component', { exact: true }).selectOption({ label: 'BASIC · Basic salary (earning)' })
  await editor.getByLabel('Row 1 amount', { exact: true }).fill('20000')
  await editor.getByRole('button', { name: 'Save structure' }).click()
  await expect(editor).toHaveCount(0)

  // ---- Draft now: only her payslip is worked out; Alice's is kept.
  await openPeriod(page, 'October 2026')
  await page.getByRole('button', { name: 'Draft now' }).click()
  const again = page.getByRole('dialog', { name: 'Draft October 2026 now?' })
  await expect(again).toContainText('The payslips that failed or are missing are worked out again; those already made are kept.')
  await again.getByTestId('run-confirm').click()
  await expect(again.getByTestId('run-report')).toHaveAttribute('data-dry-run', 'no', { timeout: 60_000 })
  await expect(again.getByTestId('run-outcome')).toHaveText('Drafted')
  await expect(again).toContainText('1 payslip made, 1 kept')
  await again.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByTestId('period-status')).toHaveText('Draft, to review')
  await expect(page.getByTestId('period-status-note')).toHaveCount(0)
  await expect(eve).not.toHaveAttribute('data-changes', /failed/)
  await expect(netOf(eve)).toHaveText('20,000.00')
  await expect(netOf(registerRow(page, 'S-001'))).toHaveText(NET.alice)
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toBeEnabled()
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).not.toHaveAttribute('title', /./)
  await shot('completed')
})

// ----------------------------------------------------------------------------

test('a clerk sees no Payroll: not in the navigation, and its pages say it is not for their role', async ({ launch }) => {
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        await ok(core, 'profile.save', PROFILE)
        await seedOperator(core, CLERK)
      } finally {
        await core.shutdown()
      }
    },
    signIn: CLERK
  })
  const page = app.page
  await expect(nav(page).getByRole('link', { name: 'Members' })).toBeVisible()
  await expect(nav(page).getByRole('link', { name: 'Payroll' })).toHaveCount(0)
  for (const where of ['/payroll', '/payroll/staff']) {
    await go(page, where)
    await expect(page.getByRole('heading', { level: 1, name: 'Not for your role' })).toBeVisible()
    await expect(page.getByTestId('not-allowed')).toContainText('Clerks may not see staff pay and payslips.')
    await expect(tabs(page)).toHaveCount(0)
  }
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payroll-review-clerk-1280.png`, fullPage: true })
})

// ----------------------------------------------------------------------------

test('Run payroll now: the dry run shows the calendar’s periods it would make and the due one it would draft; the real run drafts it', async ({ launch }) => {
  test.setTimeout(180_000)
  const today = todayInZone()
  // A monthly calendar from the first of last month, each period drafted on its last day.
  const last = { start: startOfMonth(addMonths(today, -1)), end: endOfMonth(addMonths(today, -1)) }
  const current = { start: startOfMonth(today), end: endOfMonth(today) }
  const lastName = periodName('monthly', last.start, last.end, PROFILE.locale)
  const currentName = periodName('monthly', current.start, current.end, PROFILE.locale)
  const currentDue = today === current.end
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        await ok(core, 'profile.save', PROFILE)
        const { items } = await seedComponents(core, { employerPension: true })
        await ok(core, 'payroll.saveStructure', { staffId: await staff(core, 'S-001', 'Alice Achieng'), effectiveFrom: '2025-01-01', items: items(5_000_000) })
        await ok(core, 'payroll.createCalendar', {
          name: 'Monthly staff',
          frequency: 'monthly',
          firstStart: last.start,
          payDayOffset: 0,
          rule: { kind: 'days-before-end', days: 0 },
          automation: true
        })
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 900 })

  await nav(page).getByRole('link', { name: 'Payroll' }).click()
  await expect(page.getByText('No pay periods yet')).toBeVisible()
  await page.getByRole('button', { name: 'Run payroll now' }).click()
  const run = page.getByRole('dialog', { name: 'Run payroll now' })
  const report = run.getByTestId('run-report')
  await expect(report).toHaveAttribute('data-dry-run', 'yes', { timeout: 60_000 })
  await expect(report).toContainText('Dry run: nothing was written.')
  await expect(report).toContainText('2 periods would be made from calendars')
  const dryLast = run.locator('.payroll-run-period').filter({ hasText: lastName })
  await expect(dryLast).toHaveAttribute('data-outcome', 'drafted')
  await expect(dryLast).toContainText('1 payslip would be made')
  await expect(dryLast.locator('tr[data-status="ok"]')).toContainText('Alice Achieng')
  await expect(run.locator('.payroll-run-period')).toHaveCount(currentDue ? 2 : 1)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payroll-review-run-now-dry-1280.png` })
  // Nothing written yet: the list behind the dialog is still empty.
  await expect(page.getByText('No pay periods yet')).toBeVisible()

  await run.getByTestId('run-confirm').click()
  await expect(report).toHaveAttribute('data-dry-run', 'no', { timeout: 60_000 })
  await expect(report).toContainText('2 periods were made from calendars')
  const done = run.locator('.payroll-run-period').filter({ hasText: lastName })
  await expect(done.getByTestId('run-outcome')).toHaveText('Drafted')
  await expect(done).toContainText('1 payslip made')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payroll-review-run-now-1280.png` })
  await run.getByRole('button', { name: 'Close' }).click()
  await expect(run).toHaveCount(0)

  const periods = page.getByRole('table', { name: 'Pay periods' })
  const lastRow = periods.locator('tr[data-period-id]').filter({ hasText: lastName })
  const currentRow = periods.locator('tr[data-period-id]').filter({ hasText: currentName })
  await expect(lastRow).toHaveAttribute('data-status', 'draft')
  await expect(lastRow).toContainText('Monthly staff')
  await expect(lastRow.locator('td').nth(5)).toHaveText('1')
  await expect(currentRow).toHaveAttribute('data-status', currentDue ? 'draft' : 'active')
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/payroll-review-run-now-list-1280.png`, fullPage: true })
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.screenshot({ path: `${SHOTS}/payroll-review-run-now-list-1024.png`, fullPage: true })
  }
})
