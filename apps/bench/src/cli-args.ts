/** Command-line options of `pnpm bench`. */
export interface BenchArgs {
  quick: boolean;
  /** Only cases whose id or title matches. */
  filter?: RegExp;
  /** Write bench-results.json and bench-results.md (default true). */
  write: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [--quick] [--filter <regex>] [--no-write]
  --quick          reduced set (matmul 256/512, one conv, elementwise, MLP step), well under a minute
  --filter <re>    only cases whose id or title matches, e.g. --filter matmul-512
  --no-write       print the table only; keep bench-results.json/.md as they are`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, write: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--')
      continue; // pnpm/npm separators that some shells pass through
    else if (a === '--quick') args.quick = true;
    else if (a === '--no-write') args.write = false;
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--filter' || a.startsWith('--filter=')) {
      const value = a === '--filter' ? argv[++i] : a.slice('--filter='.length);
      if (!value) throw new Error(`bench: --filter needs a regular expression.\n${USAGE}`);
      args.filter = new RegExp(value, 'i');
    } else throw new Error(`bench: unknown argument '${a}'.\n${USAGE}`);
  }
  return args;
}
