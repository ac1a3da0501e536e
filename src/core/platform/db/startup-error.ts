import type { StartupFailure, StartupFailureCode } from '../../../shared/contract/app'
import { DB_KEY_ENV, type KeyNeeded } from './keys'

/** Why the core could not start, phrased for the treasurer, with the file and what to do. */
export class StartupError extends Error {
  constructor(readonly failure: StartupFailure, options?: { cause?: unknown }) {
    super(failure.message, options)
    this.name = 'StartupError'
  }
}

const sqliteCode = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

export const failure = (
  code: StartupFailureCode,
  path: string,
  title: string,
  message: string,
  advice: string[],
  cause?: unknown
) => new StartupError({ code, path, title, message, advice }, { cause })

/** Turns whatever opening the file threw into a failure a person can act on. */
export function classifyOpenError(e: unknown, file: string): StartupError {
  if (e instanceof StartupError) return e
  const code = sqliteCode(e)
  const detail = e instanceof Error ? e.message : String(e)
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return failure(
      'DB_NOT_A_DATABASE',
      file,
      'The Coffer data file is damaged',
      `Coffer cannot read its data file: ${detail}. Nothing has been changed.`,
      [
        'Close Coffer and keep a copy of the file shown here before anything else.',
        'Restore the latest backup from the "backups" folder next to it: copy it over this file.',
        'Or start with a fresh file by pointing COFFER_DATA_DIR at an empty folder.'
      ],
      e
    )
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return failure(
      'DB_LOCKED',
      file,
      'The Coffer data file is in use',
      'Another program is holding the data file locked, so Coffer cannot open it.',
      ['Close any other Coffer window or command running on this data folder, then try again.']
    )
  }
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_PERM') ||
    code.startsWith('SQLITE_IOERR') ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  ) {
    return failure(
      'DB_UNREADABLE',
      file,
      'Coffer cannot open its data file',
      `The data file could not be opened for reading and writing: ${detail}.`,
      [
        'Check that the file and its folder exist and that your Windows or Linux user may read and write them.',
        'If the data folder is on a network or USB drive, make sure it is connected.'
      ]
    )
  }
  return failure('DB_UNREADABLE', file, 'Coffer cannot open its data file', `Opening the data file failed: ${detail}.`, [
    'Try again. If it keeps happening, restore the latest backup from the "backups" folder next to the file.'
  ])
}

/** The data file is missing while backups sit beside it: nothing is created until the treasurer chooses. */
export function missingWithBackups(
  file: string,
  backups: number,
  newest: { name: string; createdAt: string; sizeBytes: number; holdsData: boolean } | null
): StartupError {
  const offer = newest
    ? `The newest good backup is ${newest.name}${newest.holdsData ? '' : ' (it holds no members or other records)'}.`
    : 'None of them passed its check, so none can be restored automatically.'
  const e = failure(
    'DB_MISSING_WITH_BACKUPS',
    file,
    'The Coffer data file is missing',
    `The data file is not in the data folder, but ${backups} backup${backups === 1 ? ' is' : 's are'} beside it. Coffer has not made a new, empty file, so your backups stay as they are. ${offer}`,
    [
      ...(newest ? [`Restore the newest good backup (${newest.name}) to carry on from it.`] : []),
      'If the data folder was moved or is on a drive that is not connected, close Coffer, put it back, and start again.',
      'Start with an empty data file only if you mean to begin again without your records; the backups are kept.'
    ]
  )
  e.failure.recovery = { newestGoodBackup: newest, backups }
  return e
}

/**
 * The data file is gone but its journal files (-wal, -shm) are still there and
 * no backup is: a data file was here. Coffer makes no new file on its own
 * (the same recovery state as missing-with-backups, with nothing to restore).
 */
export function missingWithTraces(file: string, traces: string[]): StartupError {
  const e = failure(
    'DB_MISSING_WITH_BACKUPS',
    file,
    'The Coffer data file is missing',
    `The data file is not in the data folder, but its journal (${traces.join(', ')}) is, so a data file was here; there are no backups. ` +
      'Coffer has not made a new, empty file.',
    [
      'If the data folder was moved or is on a drive that is not connected, close Coffer, put it back, and start again.',
      'If you have a copy of coffer.sqlite elsewhere, close Coffer, put it in the data folder, and start again.',
      'Start with an empty data file only if you mean to begin again without your records; the journal files are kept aside, renamed.'
    ]
  )
  e.failure.recovery = { newestGoodBackup: null, backups: 0 }
  return e
}

/** The file in place is no longer the one this process opened. */
export function replacedFailure(file: string): StartupError {
  return failure(
    'DB_REPLACED',
    file,
    'The Coffer data file was replaced',
    'Another program replaced or removed the data file while Coffer had it open (a backup restored elsewhere?). So that nothing is written to the old file and lost, Coffer stopped writing.',
    ['Close Coffer and open it again: it will open the data file now in place.']
  )
}

/** Another process is replacing the data file right now (restoring a backup, or turning encryption on or off). */
export function restoringFailure(file: string, who: string): StartupError {
  return failure('DB_LOCKED', file, 'The data file is being replaced', `${who} is replacing the data file: restoring a backup, or turning encryption on or off.`, [
    'Wait a moment, then start Coffer again.'
  ])
}

/**
 * The data file is encrypted and no key Coffer has opens it: this computer's
 * keychain has none for it (another PC, a new user account, a reinstalled
 * system), the keychain cannot be reached, or the key is not this file's
 * (or the file is damaged). The recovery key opens it (encryption.unlock).
 */
export function keyNeededFailure(e: KeyNeeded, file: string): StartupError {
  const notes = e.notes.join(' ')
  return failure(
    'DB_KEY_NEEDED',
    file,
    'The Coffer data file is encrypted',
    e.reason === 'missing'
      ? `The data file is encrypted, and Coffer has no key for it on this computer. ${notes} Nothing has been changed.`
      : `The data file cannot be read with the key Coffer has for it: either that key is not this file's, or the file is damaged. ${notes} Nothing has been changed.`,
    [
      'Enter the recovery key the administrator wrote down when encryption was turned on: Coffer checks it, keeps it in this computer’s keychain, and opens the file.',
      `For the command line, set ${DB_KEY_ENV} to the recovery key.`,
      'If the file is damaged, restore the latest backup from the "backups" folder next to it.'
    ],
    e
  )
}
