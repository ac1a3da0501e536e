import { describe, expect, it } from 'vitest'
import { lazyModule } from '../../../src/core/platform/lazy'

const source = { from: __filename, path: 'node:path' }

describe('lazyModule', () => {
  it('loads once by import() and shares the module', async () => {
    let calls = 0
    const load = lazyModule(async () => {
      calls++
      return { answer: 42 }
    }, source)
    const [a, b] = await Promise.all([load(), load()])
    expect(a).toBe(b)
    expect(calls).toBe(1)
  })

  it('requires the module only when Node cannot read the TypeScript file', async () => {
    const refused = Object.assign(new TypeError('Unknown file extension ".ts"'), { code: 'ERR_UNKNOWN_FILE_EXTENSION' })
    const viaRequire = await lazyModule<{ join: unknown }>(() => Promise.reject(refused), source)()
    expect(typeof viaRequire.join).toBe('function')
    const esmSyntax = await lazyModule<{ join: unknown }>(() => Promise.reject(new SyntaxError('Cannot use import statement outside a module')), source)()
    expect(typeof esmSyntax.join).toBe('function')
  })

  it("passes any other failure to the caller, and tries again next time", async () => {
    let attempt = 0
    const load = lazyModule(async () => {
      attempt++
      if (attempt === 1) throw new Error('the fonts folder is missing')
      return 'loaded'
    }, source)
    await expect(load()).rejects.toThrow('the fonts folder is missing')
    await expect(load()).resolves.toBe('loaded')
  })
})
