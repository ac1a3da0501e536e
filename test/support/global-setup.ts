import { buildCli } from './cli'

/** Vitest's global setup: tests that spawn `coffer` run the current source, built. */
export default function setup(): void {
  buildCli()
}
