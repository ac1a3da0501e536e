/**
 * Strict options: every option a command takes is declared; anything else
 * (a misspelt option, a stray argument, an option given twice, a value
 * missing) is refused with a sentence saying which, never ignored.
 */

export class UsageError extends Error {}

export interface OptionSpec {
  /** Options that stand alone: --force, --json. */
  flags?: readonly string[]
  /** Options that take a value: --limit 20 or --limit=20. */
  values?: readonly string[]
  /** Names of the positional arguments, in order (all required). */
  positionals?: readonly string[]
}

export interface Parsed {
  flags: Set<string>
  values: Map<string, string>
  positionals: string[]
  /** -h or --help was given. */
  help: boolean
}

/** Parses a command's arguments (after `coffer <area> <verb>`); `command` names it in messages. */
export function parseOptions(args: readonly string[], spec: OptionSpec, command: string): Parsed {
  const flags = new Set<string>()
  const values = new Map<string, string>()
  const positionals: string[] = []
  const seen = new Set<string>()
  let help = false
  const wanted = spec.positionals ?? []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '-h' || arg === '--help') {
      help = true
      continue
    }
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=')
      const name = eq > 0 ? arg.slice(0, eq) : arg
      if (seen.has(name)) throw new UsageError(`${name} is given twice.`)
      seen.add(name)
      if (spec.flags?.includes(name)) {
        if (eq > 0) throw new UsageError(`${name} takes no value.`)
        flags.add(name)
      } else if (spec.values?.includes(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : args[++i]
        if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value.`)
        values.set(name, value)
      } else {
        const known = [...(spec.flags ?? []), ...(spec.values ?? [])]
        throw new UsageError(
          `Unknown option ${name} for ${command}.${known.length ? ` It takes ${known.join(', ')}.` : ' It takes no options.'}`
        )
      }
      continue
    }
    if (positionals.length >= wanted.length) throw new UsageError(`Unexpected argument "${arg}" for ${command}.`)
    positionals.push(arg)
  }
  if (!help && positionals.length < wanted.length) {
    throw new UsageError(`${command} needs ${wanted.slice(positionals.length).map((w) => `<${w}>`).join(' ')}.`)
  }
  return { flags, values, positionals, help }
}

/** Options every command takes, wherever they stand: `--user <username>`. */
export interface GlobalOptions {
  /** The operator the command runs as; undefined: the system. */
  user?: string
  /** The arguments without the global options. */
  rest: string[]
}

/**
 * Takes `--user <username>` (or `--user=<username>`) out of the arguments.
 * Given twice or without a name: refused. A password option is refused with
 * the reason: a password given as an argument shows in the process list.
 */
export function globalOptions(argv: readonly string[]): GlobalOptions {
  const rest: string[] = []
  let user: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const name = arg.startsWith('--') && arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg
    if (name === '--password') {
      throw new UsageError(
        'coffer never takes a password as an argument (it would show in the process list): give --user <username> and type the password when asked, or set COFFER_PASSWORD.'
      )
    }
    if (name !== '--user') {
      rest.push(arg)
      continue
    }
    if (user !== undefined) throw new UsageError('--user is given twice.')
    const value = name === arg ? argv[++i] : arg.slice(name.length + 1)
    if (value === undefined || value.trim() === '' || (name === arg && value.startsWith('-'))) {
      throw new UsageError('--user needs a username: --user <username>.')
    }
    user = value
  }
  return { user, rest }
}
