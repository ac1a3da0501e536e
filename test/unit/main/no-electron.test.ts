import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The shell's logic lives in modules that run without the Electron binary
 * (these tests run them under Node): none of them, nor anything they import
 * from src/main, may import 'electron'. Types from core and shared are fine.
 */
const MAIN = path.resolve(__dirname, '../../../src/main')
const PURE = ['app-urls.ts', 'produced-files.ts', 'calls.ts']

function importsOf(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8')
  return [...source.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|\brequire\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '')
}

describe('the shell’s pure modules', () => {
  it('import nothing from Electron, directly or through another module of src/main', () => {
    const seen = new Set<string>()
    const walk = (file: string, via: string[]): void => {
      if (seen.has(file)) return
      seen.add(file)
      for (const spec of importsOf(file)) {
        expect(spec === 'electron' || spec.startsWith('electron/'), `${[...via, path.basename(file)].join(' → ')} imports ${spec}`).toBe(false)
        if (spec.startsWith('./')) walk(path.join(MAIN, `${spec.slice(2)}.ts`), [...via, path.basename(file)])
      }
    }
    for (const f of PURE) walk(path.join(MAIN, f), [])
    expect([...seen].map((f) => path.basename(f)).sort()).toEqual([...PURE].sort())
  })

  it('the check would catch it: window.ts does import Electron', () => {
    expect(importsOf(path.join(MAIN, 'window.ts'))).toContain('electron')
  })
})
