// A tiny argv parser: `<command> [positional...] [--flag value | --flag | --no-flag]`.
// Flags listed in BOOLEAN take no value. Unknown flags are errors, so a typo never goes unnoticed.

const BOOLEAN = new Set(['identify', 'ignore-stdin', 'relay', 'dcutr'])

export function parseArgs (argv, known) {
  const positional = []
  const flags = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    let name = arg.slice(2)
    let value
    const eq = name.indexOf('=')
    if (eq >= 0) {
      value = name.slice(eq + 1)
      name = name.slice(0, eq)
      if (BOOLEAN.has(name)) {
        if (value !== 'true' && value !== 'false') {
          throw new Error(`--${name}: ${value} (expected: true or false)`)
        }
        value = value === 'true'
      }
    } else if (BOOLEAN.has(name)) {
      value = true
    } else if (name.startsWith('no-') && BOOLEAN.has(name.slice(3))) {
      name = name.slice(3)
      value = false
    } else if (known.has(name)) {
      if (i + 1 >= argv.length) {
        throw new Error(`--${name}: missing value`)
      }
      value = argv[++i]
    }
    if (!known.has(name)) {
      throw new Error(`unknown flag --${name} (known: ${[...known].map(k => '--' + k).join(', ')})`)
    }
    flags[name] = value
  }
  return { positional, flags }
}

export function intFlag (flags, name, dflt, min, max) {
  const raw = flags[name]
  if (raw === undefined) {
    return dflt
  }
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name}: ${raw} (expected: an integer in [${min}, ${max}])`)
  }
  return n
}

export function choiceFlag (flags, name, dflt, choices) {
  const value = flags[name] ?? dflt
  if (!choices.includes(value)) {
    throw new Error(`--${name}: ${value} (expected: one of ${choices.join(', ')})`)
  }
  return value
}
