import type { StartupFailure, StartupFailureCode } from '../../../shared/contract/app'

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
