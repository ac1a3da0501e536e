/**
 * The password of the operator named with `--user`. Never an argument (it
 * would show in the process list and the shell's history):
 *
 * - COFFER_PASSWORD, for scripts (read once, then removed from this
 *   process's environment so nothing started later inherits it);
 * - else typed at the terminal, with nothing echoed, when stdin is one;
 * - else refused, saying both ways.
 */
import { UsageError } from './args'

/** The environment variable scripts give the password in. */
export const PASSWORD_ENV = 'COFFER_PASSWORD'

export interface PasswordIo {
  in?: NodeJS.ReadableStream
  err: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
}

/** The person pressed Ctrl-C or Ctrl-D at the prompt. */
export class PromptCancelled extends Error {
  constructor() {
    super('No password was typed; nothing was done.')
  }
}

/** What a terminal's stdin offers for reading keys one by one. */
interface TtyIn extends NodeJS.ReadableStream {
  isTTY?: boolean
  setRawMode?: (raw: boolean) => unknown
}

export async function readPassword(username: string, io: PasswordIo): Promise<string> {
  const fromEnv = io.env[PASSWORD_ENV]
  if (fromEnv !== undefined) {
    delete io.env[PASSWORD_ENV]
    if (fromEnv === '') throw new UsageError(`${PASSWORD_ENV} is set but empty: put ${username}'s password in it, or unset it to type the password.`)
    return fromEnv
  }
  const input = io.in as TtyIn | undefined
  if (input?.isTTY === true && typeof input.setRawMode === 'function') return prompt(`Password for ${username}: `, input, io.err)
  throw new UsageError(
    `--user ${username} needs the password: run coffer at a terminal to type it, or set ${PASSWORD_ENV} (for scripts). It is never taken as an argument.`
  )
}

/** Reads one line from the terminal in raw mode: nothing is echoed; Backspace, Ctrl-U, Ctrl-C and Ctrl-D work. */
function prompt(question: string, input: TtyIn, err: NodeJS.WritableStream): Promise<string> {
  const setRaw = input.setRawMode as (raw: boolean) => unknown
  // Raw first: what is typed once the question shows is never echoed.
  setRaw.call(input, true)
  err.write(question)
  input.setEncoding('utf8')
  input.resume()
  return new Promise<string>((resolve, reject) => {
    let typed = ''
    const finish = (error: Error | null) => {
      input.removeListener('data', onData)
      setRaw.call(input, false)
      input.pause()
      err.write('\n')
      if (error) reject(error)
      else resolve(typed)
    }
    const onData = (chunk: string | Buffer) => {
      const text = String(chunk)
      // An arrow or function key: an escape sequence, not part of a password.
      if (text.startsWith('\x1b')) return
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return finish(null)
        if (ch === '\x03') return finish(new PromptCancelled())
        if (ch === '\x04') {
          if (typed === '') return finish(new PromptCancelled())
          continue
        }
        if (ch === '\x7f' || ch === '\b') {
          typed = Array.from(typed).slice(0, -1).join('')
          continue
        }
        if (ch === '\x15') {
          typed = ''
          continue
        }
        if (ch < ' ') continue
        typed += ch
      }
    }
    input.on('data', onData)
  })
}
