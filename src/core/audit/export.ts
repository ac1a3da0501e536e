import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { offsetAt } from './zone'
import type { AuditEntry, Profile } from '../../shared/contract'
import { countOf } from '../../shared/words'
import {
  AUDIT_ACTION_WORDS,
  AUDIT_AREA_WORDS,
  SYSTEM_ACTOR_WORDS,
  auditChangeLine,
  auditChanges,
  auditEntityWords,
  type AuditWordsContext
} from '../../shared/audit-labels'

/**
 * The audit trail as a workbook, newest first. The first sheet is for
 * reading: when (an Excel date and time, on the cooperative's clock, shown
 * as its locale writes them), who, through what, which record, and what
 * changed in words ("Full name: Amina Odhiambo → Amina Achieng"), one change
 * a line. The second sheet keeps each row as the trail stores it (the JSON
 * before and after) for whoever must compare the exact values. Written to a
 * .partial file, then renamed.
 */
export async function writeAuditWorkbook(
  file: string,
  profile: Profile,
  rows: Iterable<AuditEntry>,
  filterWords: string
): Promise<{ file: string; rows: number }> {
  const ctx: AuditWordsContext = { locale: profile.locale, timeZone: profile.timeZone, currency: profile.currency }
  const wb = new ExcelJS.Workbook()
  wb.creator = profile.name
  wb.title = `${profile.name}: audit trail`

  const headerFooter = {
    oddHeader: `&L&"-,Bold"${excelHeaderText(profile.name)}&RAudit trail`,
    oddFooter: `&L${excelHeaderText(filterWords)}&RPage &P of &N`
  }
  const pageSetup: Partial<ExcelJS.PageSetup> = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    margins: { left: 0.4, right: 0.4, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 }
  }
  const view = { state: 'frozen' as const, ySplit: HEADER_ROW, xSplit: 0, activeCell: `A${HEADER_ROW + 1}` }

  const ws = wb.addWorksheet('Audit trail', { views: [view], pageSetup, headerFooter })
  const stored = wb.addWorksheet('Stored rows', { views: [view], pageSetup, headerFooter })
  titleBlock(ws, profile.name, 'Audit trail', filterWords)
  titleBlock(stored, profile.name, 'Audit trail as stored (JSON before and after each change)', filterWords)

  const columns: Column[] = [
    { header: '#', width: 7, align: 'right', numFmt: '0' },
    { header: `When (${profile.timeZone})`, width: 21, align: 'right', numFmt: excelDateTimeFormat(profile.locale) },
    { header: 'Operator', width: 18, align: 'left' },
    { header: 'Channel', width: 20, align: 'left' },
    { header: 'Area', width: 12, align: 'left' },
    { header: 'Record', width: 16, align: 'left' },
    { header: 'Record ID', width: 10, align: 'left' },
    { header: 'Action', width: 9, align: 'left' },
    { header: 'What changed', width: 70, align: 'left', wrap: true }
  ]
  headerRow(ws, columns)
  const storedColumns: Column[] = [
    { header: '#', width: 7, align: 'right', numFmt: '0' },
    { header: 'When (UTC)', width: 26, align: 'left' },
    { header: 'Record', width: 18, align: 'left' },
    { header: 'Record ID', width: 10, align: 'left' },
    { header: 'Before', width: 70, align: 'left', wrap: true },
    { header: 'After', width: 70, align: 'left', wrap: true }
  ]
  headerRow(stored, storedColumns)

  const widest = columns.map((c) => c.width)
  let n = 0
  for (const r of rows) {
    const changes = auditChanges(r, ctx)
    const lines = changes ? changes.map(auditChangeLine) : ['The stored values cannot be read: see the Stored rows sheet.']
    const values: ExcelJS.CellValue[] = [
      r.id,
      wallClock(r.at, profile.timeZone),
      r.operatorId === null ? SYSTEM_ACTOR_WORDS : r.actor,
      r.channel,
      AUDIT_AREA_WORDS[r.area],
      auditEntityWords(r.entity),
      r.entityId,
      AUDIT_ACTION_WORDS[r.action],
      lines.join('\n')
    ]
    const row = ws.getRow(HEADER_ROW + 1 + n)
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1)
      cell.value = v
      style(cell, columns, i)
      if (typeof v === 'string' && !columns[i]!.wrap) widest[i] = Math.max(widest[i]!, Math.min(40, v.length + 2))
    })
    row.height = lineHeight(lines, columns[8]!.width)
    const srow = stored.getRow(HEADER_ROW + 1 + n)
    const storedValues = [r.id, r.at, r.entity, r.entityId, r.before ?? '', r.after ?? '']
    storedValues.forEach((v, i) => {
      const cell = srow.getCell(i + 1)
      cell.value = v
      style(cell, storedColumns, i)
    })
    srow.height = Math.max(lineHeight([r.before ?? ''], storedColumns[4]!.width), lineHeight([r.after ?? ''], storedColumns[5]!.width))
    n++
  }
  if (n === 0) {
    for (const sheet of [ws, stored]) {
      const cell = sheet.getCell(HEADER_ROW + 1, 1)
      cell.value = 'No audit rows match.'
      cell.font = { italic: true, color: { argb: 'FF555555' } }
    }
  }
  ws.getCell('A3').value = `${filterWords}. ${countOf(n, { one: 'change', other: 'changes' }, profile.locale)}, newest first; times on the cooperative's clock (${profile.timeZone}).`
  columns.forEach((_, i) => (ws.getColumn(i + 1).width = widest[i]))
  storedColumns.forEach((c, i) => (stored.getColumn(i + 1).width = c.width))

  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  await wb.xlsx.writeFile(partial)
  fs.renameSync(partial, file)
  return { file, rows: n }
}

/** The first row of each sheet's table (after the title block). */
const HEADER_ROW = 5

interface Column {
  header: string
  /** Width in characters (the reading sheet widens a column to its widest value, up to 40). */
  width: number
  align: 'left' | 'right'
  numFmt?: string
  wrap?: boolean
}

function titleBlock(ws: ExcelJS.Worksheet, name: string, title: string, filterWords: string): void {
  ws.getCell('A1').value = name
  ws.getCell('A1').font = { bold: true, size: 14 }
  ws.getCell('A2').value = title
  ws.getCell('A2').font = { bold: true, size: 12 }
  ws.getCell('A3').value = filterWords
  ws.getCell('A3').font = { italic: true, color: { argb: 'FF555555' } }
}

function headerRow(ws: ExcelJS.Worksheet, columns: Column[]): void {
  const row = ws.getRow(HEADER_ROW)
  columns.forEach((col, i) => {
    const cell = row.getCell(i + 1)
    cell.value = col.header
    cell.font = { bold: true }
    cell.alignment = { horizontal: col.align, vertical: 'bottom', ...(col.align === 'left' && columns[i - 1]?.align === 'right' ? { indent: 1 } : {}) }
    cell.border = { bottom: { style: 'thin' } }
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } }
  })
  row.height = 18
}

/** Text after a right-aligned column is indented, so the two never touch. */
function style(cell: ExcelJS.Cell, columns: Column[], i: number): void {
  const col = columns[i]!
  const indent = col.align === 'left' && columns[i - 1]?.align === 'right' ? 1 : 0
  cell.alignment = { horizontal: col.align, vertical: 'top', ...(indent ? { indent } : {}), ...(col.wrap ? { wrapText: true } : {}) }
  if (col.numFmt) cell.numFmt = col.numFmt
}

/** Points per line of the default 11-point font. */
const LINE_POINTS = 15

/**
 * The height of a row whose wrapped cell holds these lines in a column this
 * wide: spreadsheet programs do not grow a row for wrapped text they did not
 * lay out themselves, so it is set (a line of text is cut at about the
 * column's width in characters).
 */
function lineHeight(lines: string[], width: number): number {
  const perLine = Math.max(10, width - 4)
  const count = lines.reduce((n, l) => n + Math.max(1, Math.ceil([...l].length / perLine)), 0)
  return Math.max(1, count) * LINE_POINTS
}

/**
 * An instant as an Excel date and time on the cooperative's clock: Excel
 * keeps no time zone, so the value is the wall-clock time there (a Date
 * whose UTC fields are the zone's local fields).
 */
function wallClock(iso: string, timeZone: string): Date | string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  return new Date(ms + offsetAt(ms, timeZone))
}

/**
 * An Excel date-and-time format that reads like the locale's medium date
 * and time: en-KE "5 Jan 2026, 14:03:04" → `d mmm yyyy, hh:mm:ss`, en-US
 * "Jan 5, 2026, 2:03:04 PM" → `mmm d, yyyy, h:mm:ss AM/PM`, de-DE
 * "05.01.2026, 14:03:04" → `dd.mm.yyyy, hh:mm:ss`. Month names come from
 * the spreadsheet program's own language.
 */
export function excelDateTimeFormat(locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'UTC',
    numberingSystem: 'latn'
  }).formatToParts(Date.UTC(2026, 0, 5, 14, 3, 4))
  let out = ''
  for (const p of parts) {
    if (p.type === 'day') out += p.value.length === 2 ? 'dd' : 'd'
    else if (p.type === 'month') out += /^\d+$/.test(p.value) ? (p.value.length === 2 ? 'mm' : 'm') : 'mmm'
    else if (p.type === 'year') out += p.value.length === 2 ? 'yy' : 'yyyy'
    else if (p.type === 'hour') out += p.value.length === 2 ? 'hh' : 'h'
    else if (p.type === 'minute') out += 'mm'
    else if (p.type === 'second') out += 'ss'
    else if (p.type === 'dayPeriod') out += 'AM/PM'
    else if (p.type === 'literal') {
      // Separators as they are; words ("at") and marks quoted so Excel does not read them as codes.
      out += p.value.replace(/[^\s,./:-]+/g, (s) => `"${s}"`).replace(/\s/g, ' ')
    }
  }
  // A month name that carries its own dot ("janv.") is written by Excel without one: keep the locale's separators only.
  return out.replace(/mmm\./, 'mmm')
}

function excelHeaderText(s: string): string {
  return s.replace(/&/g, '&&')
}
