/**
 * coffer import members FILE --user <username> [--exclude-invalid] [--dry-run]
 * coffer import holdings FILE --user <username> [--exclude-invalid] [--dry-run]
 *
 * Runs as the operator named with --user (index.ts signs them in on the
 * core's session first; the audit trail names them and imports.commit).
 *
 * Reads a CSV or .xlsx file and imports it through the same channels as the
 * app's Import page (imports.preview, then imports.commit, which checks the
 * file again and writes every row in one transaction or nothing).
 *
 * - Rows with problems: each problem is printed (row, column, message) and
 *   nothing is written (exit 1), unless --exclude-invalid, which imports the
 *   valid rows and lists the ones left out.
 * - --dry-run: the same checks and the same listing; nothing is written. Its
 *   exit code is the one the import would have.
 *
 * Exit codes: 0 imported (or would be); 1 the file or its rows have problems,
 * nothing written; 2 wrong usage (unknown option, missing file name, a file
 * that cannot be read); 3 Coffer refused (could not start, a failure while
 * writing: nothing written).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Core } from '../core'
import { MAX_IMPORT_BYTES, type Envelope, type ImportKind, type ImportPreview, type ImportReport } from '../shared/contract'

export interface ImportIo {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
}

export const IMPORT_USAGE = `Usage:
  coffer import members FILE --user <username> [--exclude-invalid] [--dry-run]
  coffer import holdings FILE --user <username> [--exclude-invalid] [--dry-run]
FILE is a .csv (UTF-8, comma or semicolon separated) or .xlsx file with a header row.
  --user <username>  the operator importing (required): the password is asked for at the terminal,
                     or read from COFFER_PASSWORD in scripts
  --exclude-invalid  import the valid rows and list the rows left out
  --dry-run          check the file and list its problems; write nothing`

const KINDS: readonly ImportKind[] = ['members', 'holdings']
const FLAGS = ['--exclude-invalid', '--dry-run'] as const

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim()
const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`
const things = (kind: ImportKind, n: number) => (kind === 'members' ? count(n, 'member', 'members') : count(n, 'holding', 'holdings'))
const rowList = (rows: readonly number[]) => rows.join(', ')

/** A refusal of the import's own: its message and exit code. */
export class Refused extends Error {
  constructor(
    message: string,
    readonly exitCode: number
  ) {
    super(message)
  }
}

/** The import's arguments (after `coffer import`, without --user); a usage problem throws Refused. */
export function parseImportArgs(argv: readonly string[]): { kind: ImportKind; file: string; flags: Set<string> } | 'help' {
  const flags = new Set<string>()
  const positionals: string[] = []
  for (const arg of argv) {
    if (arg === '-h' || arg === '--help') return 'help'
    if (arg.startsWith('-') && arg !== '-') {
      if (!(FLAGS as readonly string[]).includes(arg)) {
        throw new Refused(`Unknown option ${arg.split('=')[0]} for coffer import. It takes ${FLAGS.join(', ')}.`, 2)
      }
      if (flags.has(arg)) throw new Refused(`${arg} is given twice.`, 2)
      flags.add(arg)
      continue
    }
    positionals.push(arg)
  }
  const [kind, file, ...extra] = positionals
  if (kind === undefined) throw new Refused('Say what to import: coffer import members FILE or coffer import holdings FILE.', 2)
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new Refused(`Coffer imports members or holdings, not "${oneLine(kind).slice(0, 40)}": coffer import members FILE.`, 2)
  }
  if (file === undefined) throw new Refused(`coffer import ${kind} needs the file to read: coffer import ${kind} FILE.`, 2)
  if (extra.length > 0) throw new Refused(`Unexpected argument "${oneLine(extra[0] ?? '').slice(0, 60)}" for coffer import.`, 2)
  return { kind: kind as ImportKind, file, flags }
}

function readFile(file: string): Buffer {
  const full = path.resolve(file)
  let size: number
  try {
    const st = fs.statSync(full)
    if (!st.isFile()) throw new Refused(`${file} is not a file.`, 2)
    size = st.size
  } catch (e) {
    if (e instanceof Refused) throw e
    const code = (e as { code?: string }).code
    throw new Refused(code === 'ENOENT' ? `There is no file ${file}.` : `${file} cannot be read (${code ?? 'unknown error'}).`, 2)
  }
  if (size > MAX_IMPORT_BYTES) throw new Refused(`${file} is larger than 20 MB; split it into smaller files and import each.`, 1)
  try {
    return fs.readFileSync(full)
  } catch (e) {
    throw new Refused(`${file} cannot be read (${(e as { code?: string }).code ?? 'unknown error'}).`, 2)
  }
}

function unwrap<T>(env: Envelope<unknown>): T {
  if (env.ok) return env.value as T
  // The file or its rows (checked again at commit): a data problem. Anything else: Coffer refused.
  const code = env.error.code === 'VALIDATION' || env.error.code === 'CONFLICT' ? 1 : 3
  const fields = Object.values(env.error.fields ?? {}).filter((m) => m !== env.error.message)
  throw new Refused(oneLine([env.error.message, ...fields].join(' ')), code)
}

/** Every problem, one line each: "Row 3, Email: Enter an email address like name@example.org". */
function printProblems(p: ImportPreview, to: NodeJS.WritableStream): void {
  for (const r of p.rows) {
    for (const x of r.problems) to.write(`Row ${r.row}${x.column ? `, ${oneLine(x.column)}` : ''}: ${oneLine(x.message)}\n`)
  }
}

export async function importCommand(core: Core, argv: string[], io: ImportIo): Promise<number> {
  try {
    const args = parseImportArgs(argv)
    if (args === 'help') {
      io.out.write(`${IMPORT_USAGE}\n`)
      return 0
    }
    const { kind, file, flags } = args
    const excludeInvalid = flags.has('--exclude-invalid')
    const dryRun = flags.has('--dry-run')
    const input = { kind, fileName: path.basename(file), contentBase64: readFile(file).toString('base64') }
    const p = unwrap<ImportPreview>(await core.invoke('imports.preview', input))
    const from = `${file}${p.sheet ? ` (worksheet "${p.sheet.name}"${p.sheet.of > 1 ? `, the first of ${p.sheet.of}` : ''})` : ''}`
    if (p.fileProblems.length > 0) {
      for (const f of p.fileProblems) io.err.write(`${file}: ${oneLine(f)}\n`)
      io.err.write(`Nothing was imported from ${from}.\n`)
      return 1
    }
    const invalid = p.rows.filter((r) => r.problems.length > 0).map((r) => r.row)
    const valid = p.rows.length - invalid.length
    if (invalid.length > 0) printProblems(p, io.err)
    if (valid === 0) {
      io.err.write(`Nothing was imported: ${p.rows.length === 0 ? `${from} has no rows below its header` : `no row of ${from} can be imported`}.\n`)
      return 1
    }
    if (invalid.length > 0 && !excludeInvalid) {
      io.err.write(
        `Nothing was imported: ${count(invalid.length, 'row has', 'rows have')} problems (${rowList(invalid)}). ` +
          'Correct the file, or run again with --exclude-invalid to import the other rows.\n'
      )
      return 1
    }
    const leftOut = invalid.length > 0 ? ` and leave out ${count(invalid.length, 'row', 'rows')} with problems (${rowList(invalid)})` : ''
    if (dryRun) {
      io.out.write(`Dry run: would import ${things(kind, valid)} from ${from}${leftOut}. Nothing was written.\n`)
      return 0
    }
    const report = unwrap<ImportReport>(await core.invoke('imports.commit', { ...input, excludeRows: invalid }))
    io.out.write(`Imported ${things(kind, report.imported)} from ${from}.\n`)
    if (report.excludedRows.length > 0) {
      io.out.write(`Left out ${count(report.excludedRows.length, 'row', 'rows')} with problems: ${rowList(report.excludedRows)}.\n`)
    }
    return 0
  } catch (e) {
    if (!(e instanceof Refused)) throw e
    io.err.write(`coffer: ${e.message}\n`)
    return e.exitCode
  }
}
