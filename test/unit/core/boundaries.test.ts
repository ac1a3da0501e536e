import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '../../..')
const eslint = new ESLint({ cwd: root })

async function messages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`)
}

describe('layer boundaries are enforced by the linter', () => {
  it('core may not import electron, main or the renderer', async () => {
    expect(await messages('src/core/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toEqual([
      expect.stringMatching(/no-restricted-imports/)
    ])
    expect(await messages('src/core/x.ts', "import { a } from '../main/window'\nexport const b = a\n")).toEqual([
      expect.stringMatching(/no-restricted-imports/)
    ])
    expect(await messages('src/core/x.ts', "import { a } from '../renderer/src/api'\nexport const b = a\n")).toEqual([
      expect.stringMatching(/no-restricted-imports/)
    ])
  })

  it('the renderer may not import core, main or Node', async () => {
    for (const spec of ['../../core', '../../main/ipc', 'node:fs', 'fs', 'electron']) {
      expect(await messages('src/renderer/src/x.ts', `import * as m from '${spec}'\nexport const b = m\n`)).toEqual([
        expect.stringMatching(/no-restricted-imports/)
      ])
    }
  })

  it('shared imports nobody', async () => {
    for (const spec of ['../core/platform/clock', '../renderer/src/api', 'node:path', 'electron']) {
      expect(await messages('src/shared/x.ts', `import * as m from '${spec}'\nexport const b = m\n`)).toEqual([
        expect.stringMatching(/no-restricted-imports/)
      ])
    }
    expect(await messages('src/shared/x.ts', "import { z } from 'zod'\nexport const b = z\n")).toEqual([])
  })

  it('an area imports platform and other areas only through their index.ts', async () => {
    for (const spec of ['../members/service', '../bonds/schema', '../payments/voucher-pdf']) {
      expect(await messages('src/core/calendar/x.ts', `import * as m from '${spec}'\nexport const b = m\n`)).toEqual([
        expect.stringMatching(/no-restricted-imports.*index\.ts/)
      ])
    }
    for (const spec of ['../members', '../platform/db/open', '../../shared/dates', './schema']) {
      expect(await messages('src/core/calendar/x.ts', `import * as m from '${spec}'\nexport const b = m\n`)).toEqual([])
    }
    // Electron stays out of areas too.
    expect(await messages('src/core/bonds/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toEqual([
      expect.stringMatching(/no-restricted-imports/)
    ])
  })

  it('platform imports no area', async () => {
    expect(await messages('src/core/platform/x.ts', "import * as m from '../members'\nexport const b = m\n")).toEqual([
      expect.stringMatching(/Platform imports no area/)
    ])
    expect(await messages('src/core/platform/jobs/x.ts', "import * as m from '../../bonds'\nexport const b = m\n")).toEqual([
      expect.stringMatching(/Platform imports no area/)
    ])
    expect(await messages('src/core/platform/jobs/x.ts', "import * as m from '../../modules'\nexport const b = m\n")).toEqual([
      expect.stringMatching(/Platform imports no area/)
    ])
    for (const spec of ['../db/open', './engine', '../../../shared/dates']) {
      expect(await messages('src/core/platform/jobs/x.ts', `import * as m from '${spec}'\nexport const b = m\n`)).toEqual([])
    }
  })

  it('core reads time only from the injected clock', async () => {
    expect(await messages('src/core/members/x.ts', 'export const t = () => new Date()\n')).toEqual([
      expect.stringMatching(/injected Clock/)
    ])
    expect(await messages('src/core/members/x.ts', 'export const t = () => Date.now()\n')).toEqual([
      expect.stringMatching(/injected Clock/)
    ])
    expect(await messages('src/core/members/x.ts', "export const t = (s: string) => new Date(s)\n")).toEqual([])
  })
})
