import { buildCli } from './cli'

/**
 * Vitest's global setup: tests that spawn `coffer` run the current source,
 * built. A build that fails (a half-written file elsewhere) is reported here
 * and fails the command line's own tests (their beforeAll builds again and
 * throws), not every test of the run.
 */
export default function setup(): void {
  try {
    buildCli()
  } catch (e) {
    console.warn(`[coffer] the command line could not be built; the tests that run it will fail:\n${e instanceof Error ? e.message : String(e)}`)
  }
}
