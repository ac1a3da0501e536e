import { describe, expect, it } from 'vitest'
import { plainFailure } from '../../../src/core/platform/jobs/failure'

const sysError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe("a failed run's reason", () => {
  it.each([
    [sysError('EEXIST', "EEXIST: file already exists, open '/home/t/backups/x.sqlite'"), /already exists/],
    [new Error("EEXIST: file already exists, open '/home/t/backups/x.sqlite'"), /already exists/], // from a worker: message only
    [sysError('ENOSPC', 'ENOSPC: no space left on device, write'), /disk is full/],
    [sysError('EACCES', "EACCES: permission denied, open '/x'"), /permissions/],
    [sysError('EWHATEVER', 'EWHATEVER: odd'), /system refused/],
    [sysError('SQLITE_BUSY', 'database is locked'), /busy/],
    [sysError('SQLITE_IOERR_WRITE', 'disk I/O error'), /disk reported an error/],
    [new Error('database disk image is malformed'), /damaged/]
  ])('is in plain words: %s', (e, want) => {
    const m = plainFailure(e)
    expect(m).toMatch(want)
    expect(m).not.toMatch(/EEXIST|ENOSPC|EACCES|SQLITE_|\/home|\/x/)
  })

  it("names Node's own error codes as an internal error, never Node's sentence", () => {
    const m = plainFailure(sysError('ERR_UNSUPPORTED_DIR_IMPORT', "Directory import '/work/src/core/reports/defs' is not supported resolving ES modules"))
    expect(m).toBe('Coffer stopped on an internal error (ERR_UNSUPPORTED_DIR_IMPORT); the details are in the log.')
  })

  it("passes a job's own words through", () => {
    expect(plainFailure(new Error('3 coupons could not be created: see the details.'))).toBe('3 coupons could not be created: see the details.')
  })
})
