// Where a command writes: stdout for results, stderr for diagnostics and progress (tests pass their own).
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };
