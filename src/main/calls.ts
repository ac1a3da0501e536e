import type { Envelope } from '../shared/contract'
import type { Core } from '../core'
import type { ProducedFiles } from './produced-files'

type Invoke = (channel: string, input: unknown) => Promise<Envelope<unknown>>

/**
 * What the window's calls go through once the sender is trusted (ipc.ts),
 * without Electron:
 * - a core channel goes to core, which checks the operator's permission;
 *   the file a producing channel answers is remembered (ProducedFiles);
 * - a shell channel (printing, opening files and links) is first put to
 *   core's permission check, `core.authorize`, and its refusal (signed out,
 *   locked, role may not) is the answer: the shell's handler never runs.
 */
export function createCalls(opts: { core: Pick<Core, 'invoke' | 'authorize'>; shell: Invoke; produced: ProducedFiles }): { core: Invoke; shell: Invoke } {
  return {
    core: async (channel, input) => {
      const answer = await opts.core.invoke(channel, input)
      opts.produced.noteAnswer(channel, answer)
      return answer
    },
    shell: (channel, input) => {
      const refusal = opts.core.authorize(channel)
      return refusal ? Promise.resolve(refusal) : opts.shell(channel, input)
    }
  }
}
